//! The environment variables the client reads
//! ([`ClientBuilder::from_env`](crate::ClientBuilder::from_env)); named here,
//! below both the configuration and the errors that name them.

/// Environment variable holding the API token.
pub const ENV_API_TOKEN: &str = "LOGZIO_API_TOKEN";
/// Environment variable holding the region code (`us`, `eu`, …).
pub const ENV_REGION: &str = "LOGZIO_REGION";
/// Environment variable holding an explicit base URL (wins over the region).
pub const ENV_API_URL: &str = "LOGZIO_API_URL";
