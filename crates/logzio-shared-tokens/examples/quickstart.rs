//! Every operation once: create a filter and a token restricted by it, read
//! them back, change the token's filters, then delete both.
//!
//! `cargo run -p logzio-shared-tokens --example quickstart`
//! (against your account when LOGZIO_API_TOKEN [+ LOGZIO_REGION] is set).

mod common;

use logzio_shared_tokens::{FiltersOperator, SharedTokenExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, emulator) = common::connect().await?;

    let filter = client
        .filters()
        .create("type", "nginx")
        .description("nginx logs only")
        .await?;
    println!(
        "created filter {}: {} = {}",
        filter.id, filter.field, filter.value
    );

    let token = client
        .tokens()
        .create("sdk quickstart")
        .filter(filter.id)
        .operator(FiltersOperator::Or)
        .await?;
    let id = token.id;
    // The value prints as [redacted]; `expose_secret()` is for handing it over.
    println!(
        "created token {id} ({}), filters {:?}, expires {:?}",
        token
            .token
            .as_ref()
            .map(|value| value.masked())
            .unwrap_or_default(),
        token.filter_ids(),
        token.expires_at()
    );

    let fetched = client.tokens().get(id).await?;
    println!(
        "fetched {:?}, last used {:?}",
        fetched.name,
        fetched.last_used()
    );
    println!(
        "the account has {} token(s)",
        client.tokens().list().await?.len()
    );
    println!("and {} filter(s)", client.filters().list().await?.len());

    // The complete new list: an empty one removes every filter.
    let updated = client.tokens().update(id, Vec::<i32>::new()).await?;
    println!("token {id} now has filters {:?}", updated.filter_ids());

    client.tokens().delete(id).await?;
    println!(
        "filter {}: {:?}",
        filter.id,
        client.filters().get(filter.id).await?.description
    );
    client.filters().delete(filter.id).await?;
    println!("deleted token {id} and its filter");

    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
