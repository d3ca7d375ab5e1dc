//! `method_for` names the facade method of each operation (`cargo xtask
//! check` prints it). This ties each name to code: a `match` calls the
//! method beside its name against the emulator, and the request span the
//! facade opens must name that operation. A renamed method stops this from
//! compiling; a name pointing at the wrong method fails it; an operation
//! without a curated method (new in the spec) must have no name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use logzio_shared_tokens::api::operations::Operation;
use logzio_shared_tokens::{Client, RetryPolicy, method_for};
use logzio_shared_tokens_emulator::{Config, Emulator};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Records the `operation` field of every request span the facade opens.
#[derive(Clone, Default)]
struct SeenOperations(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> Layer<S> for SeenOperations {
    fn on_new_span(&self, attributes: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        if attributes.metadata().name() == "logzio_shared_tokens.request" {
            attributes.record(&mut OperationField(&self.0));
        }
    }
}

struct OperationField<'a>(&'a Mutex<Vec<String>>);

impl Visit for OperationField<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" {
            self.0.lock().unwrap().push(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "operation" {
            self.0.lock().unwrap().push(format!("{value:?}"));
        }
    }
}

/// Calls the facade method that performs `operation` and returns its name
/// (`None` for an operation without one). Whether the call succeeds does not
/// matter (id 1 may not exist): only which operation it sends.
async fn call(client: &Client, operation: Operation) -> Option<&'static str> {
    Some(match operation {
        Operation::GetAllTokens => {
            let _ = client.tokens().list().await;
            "Tokens::list"
        }
        Operation::CreateToken => {
            let _ = client.tokens().create("method-for probe").await;
            "Tokens::create"
        }
        Operation::GetToken => {
            let _ = client.tokens().get(1).await;
            "Tokens::get"
        }
        Operation::UpdateToken => {
            let _ = client.tokens().update(1, [1]).await;
            "Tokens::update"
        }
        Operation::DeleteToken => {
            let _ = client.tokens().delete(1).await;
            "Tokens::delete"
        }
        Operation::GetAllFilters => {
            let _ = client.filters().list().await;
            "Filters::list"
        }
        Operation::CreateFilter => {
            let _ = client.filters().create("type", "probe").await;
            "Filters::create"
        }
        Operation::GetFilter => {
            let _ = client.filters().get(1).await;
            "Filters::get"
        }
        Operation::DeleteFilter => {
            let _ = client.filters().delete(1).await;
            "Filters::delete"
        }
        _ => return None,
    })
}

#[test]
fn method_for_names_the_method_that_sends_each_operation() {
    let seen = SeenOperations::default();
    let subscriber = tracing_subscriber::registry().with(seen.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let emulator = Emulator::start(Config::for_tests()).await.unwrap();
            let client = Client::builder()
                .api_token(emulator.api_tokens()[0].clone())
                .base_url(emulator.base_url())
                .retry_policy(RetryPolicy::never())
                .build()
                .unwrap();
            for &operation in Operation::ALL {
                seen.0.lock().unwrap().clear();
                let name = call(&client, operation).await;
                assert_eq!(name, method_for(operation), "{operation:?}");
                let sent: &[&str] = match name {
                    Some(_) => &[operation.operation_id()],
                    None => &[],
                };
                assert_eq!(
                    *seen.0.lock().unwrap(),
                    sent,
                    "`{name:?}` must send {operation:?} and nothing else"
                );
            }
            emulator.shutdown().await;
        });
    });
}
