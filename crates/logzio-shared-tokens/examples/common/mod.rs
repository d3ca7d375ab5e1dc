//! Shared by the examples: a client for the real API when `LOGZIO_API_TOKEN`
//! is set, otherwise for an emulator started in-process on 127.0.0.1.

use logzio_shared_tokens::{Client, ClientBuilder};
use logzio_shared_tokens_emulator::{Config, Emulator};

/// The client, and the emulator it talks to when there is no real account.
pub async fn connect() -> Result<(Client, Option<Emulator>), Box<dyn std::error::Error>> {
    if std::env::var_os(logzio_shared_tokens::ENV_API_TOKEN).is_some() {
        let client = Client::from_env()?;
        println!("using the Logz.io API at {}", client.base_url());
        return Ok((client, None));
    }
    let emulator = Emulator::start(Config::for_tests()).await?;
    let client =
        ClientBuilder::for_emulator(emulator.base_url(), &emulator.api_tokens()[0]).build()?;
    println!(
        "LOGZIO_API_TOKEN is not set: using an emulator at {}",
        client.base_url()
    );
    Ok((client, Some(emulator)))
}
