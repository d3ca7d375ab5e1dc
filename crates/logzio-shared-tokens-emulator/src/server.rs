//! Starting and stopping an emulator: validate the configuration, load the
//! state, bind, serve until shut down. The dev API token, if one is
//! generated, is handed to the caller and never logged.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::accounts::World;
use crate::auth::{Keyring, TokenDigest, digest};
use crate::quirks::Quirk;
use crate::random::{self, FastRandom};
use crate::shared::{Knobs, Shared};
use crate::store::Store;
use crate::{Config, Control, EmulatorError, Stats, foreign, http, persist};

/// A running emulator. Dropping it stops the server too (without waiting);
/// [`Emulator::shutdown`] stops it and waits.
pub struct Emulator {
    base_url: String,
    local_addr: SocketAddr,
    api_tokens: Vec<String>,
    generated_dev_token: bool,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    serving: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .field(
                "api_tokens",
                &format_args!("[{} redacted]", self.api_tokens.len()),
            )
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Validates `config`, loads its state file (if any), binds and starts
    /// serving on the current tokio runtime.
    pub async fn start(config: Config) -> Result<Emulator, EmulatorError> {
        let (shared, api_tokens, generated_dev_token) = prepare(&config).await?;
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| EmulatorError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                addr: config.listen,
                source,
            })?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = http::router(Arc::clone(&shared))?;
        let serving = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            // Accept errors are retried inside axum::serve; it only returns at shutdown.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await;
        });
        Ok(Emulator {
            base_url: format!("http://{local_addr}"),
            local_addr,
            api_tokens,
            generated_dev_token,
            shared,
            stop: Some(stop),
            serving: Some(serving),
        })
    }

    /// The base URL to point a client at, e.g. `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address actually listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The permission API tokens in use (including a generated dev token).
    pub fn api_tokens(&self) -> &[String] {
        &self.api_tokens
    }

    /// Whether the single permission token was generated because the
    /// configuration named none (the binary prints it then).
    pub fn generated_dev_token(&self) -> bool {
        self.generated_dev_token
    }

    /// Test-only knobs: clock, timestamps, fault rate, scripted faults,
    /// records made outside the API.
    pub fn control(&self) -> Control {
        Control {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Counters since start.
    pub fn stats(&self) -> Stats {
        self.control().stats()
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An emulator without a socket: the same state, rules and persistence as
/// [`Emulator::start`], answering through its router in-process. For fuzzing
/// and model tests, which send requests no HTTP client would build, many
/// thousands of times a second (drive it with `tower::ServiceExt::oneshot`).
pub struct InProcess {
    /// The router [`Emulator::start`] serves.
    pub router: axum::Router,
    /// The permission API tokens in use (including a generated dev token).
    pub api_tokens: Vec<String>,
    /// Test-only knobs and counters, as [`Emulator::control`].
    pub control: Control,
}

impl InProcess {
    /// Validates `config` and loads its state file (if any); `config.listen` is not used.
    pub async fn start(config: Config) -> Result<InProcess, EmulatorError> {
        let (shared, api_tokens, _) = prepare(&config).await?;
        Ok(InProcess {
            router: http::router(Arc::clone(&shared))?,
            api_tokens,
            control: Control { shared },
        })
    }
}

/// Everything a running emulator needs but its socket: the validated
/// configuration's keys, the loaded state, scripted faults, and whether the
/// single permission token was generated.
async fn prepare(config: &Config) -> Result<(Arc<Shared>, Vec<String>, bool), EmulatorError> {
    config.validate()?;
    let generated_dev_token =
        config.api_tokens.is_empty() && config.no_permission_tokens.is_empty();
    let api_tokens = if generated_dev_token {
        vec![random::dev_api_token()?]
    } else {
        config.api_tokens.clone()
    };
    let keys: Vec<_> = api_tokens.iter().map(|token| digest(token)).collect();
    let keyring = Keyring::new(
        keys.clone(),
        config
            .no_permission_tokens
            .iter()
            .map(|t| digest(t))
            .collect(),
    );
    let store = load_store(config, &keys).await?;
    let shared = Arc::new(Shared::new(
        store,
        keyring,
        keys.len(),
        Knobs {
            max_concurrent: config.max_concurrent,
            max_tokens: config.max_tokens,
            fail_rate: config.fail_rate,
            latency: config.latency,
            retry_after: config.retry_after,
            quirks: config.quirks,
        },
        FastRandom::from_os()?,
    ));
    for (count, fault) in &config.fail_first {
        shared
            .faults
            .push(*count, *fault)
            .map_err(EmulatorError::InvalidConfig)?;
    }
    Ok((shared, api_tokens, generated_dev_token))
}

/// The accounts of `keys` in a store: loaded from the state file (if any),
/// new accounts created and, with the `foreign-records` quirk, seeded.
async fn load_store(config: &Config, keys: &[TokenDigest]) -> Result<Store, EmulatorError> {
    let seed_foreign = config.quirks.contains(Quirk::ForeignRecords);
    let prepare = move |world: &mut World, keys: &[TokenDigest]| {
        let created = world.arrange(keys);
        if seed_foreign {
            foreign::seed_new_accounts(world, &created)?;
        }
        Ok::<(), EmulatorError>(())
    };
    match &config.state_file {
        None => {
            let mut world = World::default();
            prepare(&mut world, keys)?;
            Ok(Store::in_memory(world))
        }
        Some(path) => {
            let path = path.clone();
            let keys = keys.to_vec();
            // Reading and fsyncing the file block: keep them off the runtime's threads.
            tokio::task::spawn_blocking(move || {
                let mut world = persist::load(&path)?.unwrap_or_default();
                prepare(&mut world, &keys)?;
                Store::persistent(world, path)
            })
            .await
            .map_err(|e| EmulatorError::InvalidConfig(format!("loading the state stopped: {e}")))?
        }
    }
}
