//! The seed inputs of every target, built from our real inputs, in each
//! target's byte format. `examples/write_seeds.rs` writes them to
//! `fuzz/corpus/`; `tests/replay.rs` checks they are all there.

use serde_json::json;

use crate::request_script::{Caller, ScriptedRequest, encode};
use crate::spec_edits::SWAGGER_JSON;

/// Where the scripts create tokens and filters.
const TOKENS: &str = "/v1/shared-tokens";
const FILTERS: &str = "/v1/shared-tokens/filters";

/// A create: `body` POSTed to `path` by `caller`.
fn post(caller: Caller, path: &str, body: &str) -> ScriptedRequest {
    ScriptedRequest::new("POST", caller, path, body)
}

/// A named seed.
pub type Seed = (&'static str, Vec<u8>);

/// Every target's seeds.
pub fn all() -> Vec<(&'static str, Vec<Seed>)> {
    vec![
        ("spec", spec()),
        ("decode", decode()),
        ("apply_file", apply_file()),
        ("emulator_http", emulator_http()),
    ]
}

fn spec() -> Vec<Seed> {
    let yaml = serde_json::from_str::<serde_json::Value>(SWAGGER_JSON)
        .ok()
        .and_then(|document| serde_norway::to_string(&document).ok())
        .unwrap_or_default();
    vec![
        ("swagger-json", SWAGGER_JSON.as_bytes().to_vec()),
        ("swagger-yaml", yaml.into_bytes()),
        ("edits-none-as-json", vec![0]),
        ("edits-none-as-yaml", vec![1]),
        // Node 1 removed (`swagger`), then a hostile value at node 40.
        (
            "edits-remove-and-hostile",
            vec![0, 0, 1, 0, 0, 0, 40, 2, 1, 9],
        ),
        // A copy of node 7 over node 60, as YAML.
        ("edits-copy-as-yaml", vec![1, 0, 60, 3, 1, 7]),
    ]
}

/// One `decode` input: operation, status index, content type index, flags, body.
fn answer(operation: u8, status: u16, content_type: u8, flags: u8, body: &str) -> Vec<u8> {
    let status = crate::decode::STATUSES
        .iter()
        .position(|s| *s == status)
        .and_then(|index| u8::try_from(index).ok())
        .unwrap_or(0);
    let mut bytes = vec![operation, status, content_type, flags];
    bytes.extend(body.as_bytes());
    bytes
}

fn decode() -> Vec<Seed> {
    let token = json!({
        "id": 7, "name": "support dashboards", "token": "6f8b1a0e-3c2d-4e5f-9a7b-1c2d3e4f5a6b",
        "filters": [1, 2], "filtersOperator": "AND", "lastUsed": null,
        "expirationDate": 1_735_743_699_000_i64
    })
    .to_string();
    let legacy = json!({
        "id": 8, "name": "legacy", "filterIds": [3], "filters": null,
        "lastUsed": [1_735_743_699], "expirationDate": "1735743699.000000000",
        "filtersOperator": "XOR"
    })
    .to_string();
    let filter = json!({"id": 1, "field": "type", "value": "nginx", "description": "nginx logs"})
        .to_string();
    let not_found = json!({"message": "token with id 1 not found for account 100001"}).to_string();
    vec![
        (
            "list-tokens",
            answer(0, 200, 0, 0, &format!("[{token},{legacy}]")),
        ),
        ("create-token", answer(1, 200, 0, 0, &token)),
        ("get-token-legacy", answer(2, 200, 0, 0, &legacy)),
        ("update-token", answer(3, 200, 2, 0, &token)),
        ("delete-token", answer(4, 204, 1, 0, "")),
        ("list-filters", answer(5, 200, 0, 0, &format!("[{filter}]"))),
        ("create-filter", answer(6, 200, 0, 0, &filter)),
        ("get-filter-not-found", answer(7, 400, 0, 0, &not_found)),
        ("delete-filter", answer(8, 200, 1, 0, "")),
        (
            "wrong-shape",
            answer(0, 200, 0, 0, r#"[{"id":"seven","lastUsed":"x"}]"#),
        ),
        (
            "truncated",
            answer(2, 200, 0, 0, r#"{"id": 7, "name": "sup"#),
        ),
        (
            "html-503-retry-after",
            answer(
                5,
                503,
                3,
                1,
                "<html><head><title>x</title></head><body>Service Unavailable</body></html>",
            ),
        ),
        ("rate-limited-date", answer(0, 429, 1, 5, "")),
        ("unauthorized-text", answer(2, 401, 4, 0, "no")),
        ("bogus-gzip", answer(0, 200, 0, 8, "[]")),
    ]
}

const APPLY_TOML: &str = r#"[filters.nginx]
field = "type"
value = "nginx"
description = "nginx access logs"

[filters.prod]
field = "env"
value = "prod"

[tokens."support dashboards"]
filters = ["nginx", "prod"]
operator = "AND"

[tokens.nginx]
filters = ["nginx"]
"#;

const APPLY_YAML: &str = "filters:
  nginx:
    field: type
    value: nginx
    description: nginx access logs
  prod:
    field: env
    value: prod
tokens:
  support dashboards:
    filters: [nginx, prod]
    operator: and
  everything: {}
";

fn with_format(format: u8, text: &str) -> Vec<u8> {
    let mut bytes = vec![format];
    bytes.extend(text.as_bytes());
    bytes
}

/// The `apply` examples of the CLI's README, as users copy them.
const README_TOML: &str = r#"# shared-tokens.toml
[filters.nginx]            # "nginx" is the filter's name in this file only
field = "type"             # letters, digits and _ @ . - (the API's rule)
value = "nginx"
description = "nginx access logs"   # used when the filter is created

[filters.prod]
field = "env"
value = "prod"

[tokens."support-dashboards"]       # the token's name in Logz.io
filters = ["nginx", "prod"]         # names from [filters]
operator = "AND"                    # OR (default) or AND

[tokens.status-page]                # no filters: reads every log (audit flags it)
"#;

const README_YAML: &str = "filters:
  nginx: {field: type, value: nginx, description: nginx access logs}
  prod: {field: env, value: prod}
tokens:
  support-dashboards: {filters: [nginx, prod], operator: AND}
  status-page: {}
";

fn apply_file() -> Vec<Seed> {
    vec![
        ("readme-toml", with_format(0, README_TOML)),
        ("readme-yaml", with_format(1, README_YAML)),
        ("example-toml", with_format(0, APPLY_TOML)),
        ("example-yaml", with_format(1, APPLY_YAML)),
        ("example-yml", with_format(2, APPLY_YAML)),
        ("empty-yaml", with_format(1, "")),
        (
            "undefined-filter",
            with_format(0, "[tokens.t]\nfilters = [\"missing\"]\n"),
        ),
        (
            "bad-operator",
            with_format(1, "tokens:\n  t:\n    operator: XOR\n"),
        ),
    ]
}

fn emulator_http() -> Vec<Seed> {
    vec![
        ("lifecycle", encode(&lifecycle_script())),
        ("isolation", encode(&isolation_script())),
        ("refusals", encode(&refusal_script())),
        ("token-limit", encode(&token_limit_script())),
    ]
}

/// Filters and a token created, read, updated and deleted, then a filter made again.
fn lifecycle_script() -> Vec<ScriptedRequest> {
    use Caller::AccountA;
    let request = ScriptedRequest::new;
    vec![
        post(
            AccountA,
            FILTERS,
            r#"{"field":"type","value":"nginx","description":"d"}"#,
        ),
        post(
            AccountA,
            FILTERS,
            r#"{"field":"env","value":"prod","id":99}"#,
        ),
        post(
            AccountA,
            TOKENS,
            r#"{"tokenName":"support","filters":[1,2],"filtersOperator":"AND"}"#,
        ),
        request("GET", AccountA, "/v1/shared-tokens", ""),
        request("GET", AccountA, "/v1/shared-tokens/1", ""),
        request(
            "PUT",
            AccountA,
            "/v1/shared-tokens/1",
            r#"{"filters":[2],"filtersOperator":"OR"}"#,
        ),
        request("DELETE", AccountA, "/v1/shared-tokens/filters/2", ""),
        request("DELETE", AccountA, "/v1/shared-tokens/filters/1", ""),
        request("GET", AccountA, "/v1/shared-tokens/filters", ""),
        request("GET", AccountA, "/v1/shared-tokens/filters/2", ""),
        request("DELETE", AccountA, "/v1/shared-tokens/1", ""),
        post(AccountA, FILTERS, r#"{"field":"type","value":"nginx"}"#),
    ]
}

/// Account B reaching for account A's records by id.
fn isolation_script() -> Vec<ScriptedRequest> {
    use Caller::{AccountA, AccountB};
    let request = ScriptedRequest::new;
    vec![
        post(AccountA, FILTERS, r#"{"field":"a","value":"b"}"#),
        post(AccountB, TOKENS, r#"{"tokenName":"theirs","filters":[1]}"#),
        post(AccountA, TOKENS, r#"{"tokenName":"ours","filters":[1]}"#),
        request("GET", AccountB, "/v1/shared-tokens/1", ""),
        request("PUT", AccountB, "/v1/shared-tokens/1", r#"{"filters":[]}"#),
        request("DELETE", AccountB, "/v1/shared-tokens/filters/1", ""),
    ]
}

/// Requests the emulator must refuse: no or unknown callers, bad ids, methods and bodies,
/// a plain-text body and smuggled headers.
fn refusal_script() -> Vec<ScriptedRequest> {
    use Caller::{AccountA, NoPermission, Nobody, Unknown};
    let request = ScriptedRequest::new;
    vec![
        request("GET", Nobody, "/v1/shared-tokens", ""),
        request("GET", Unknown, "/v1/shared-tokens", ""),
        request("GET", NoPermission, "/v1/shared-tokens/filters", ""),
        request("GET", AccountA, "/v1/shared-tokens/abc", ""),
        request("GET", AccountA, "/v1/shared-tokens/99999999999", ""),
        request("PATCH", AccountA, "/v1/shared-tokens", ""),
        request("PROPFIND", AccountA, "/v1/elsewhere?x=1", ""),
        request("HEAD", AccountA, "/v1/shared-tokens", ""),
        post(AccountA, TOKENS, "{"),
        post(AccountA, TOKENS, r#"{"tokenName":"t","filters":[1,1]}"#),
        post(AccountA, TOKENS, r#"{"tokenName":null}"#),
        post(AccountA, FILTERS, r#"{"field":"a b","value":"c"}"#),
        plain_text_body(),
        smuggled_headers(),
    ]
}

/// A create whose content type says plain text.
fn plain_text_body() -> ScriptedRequest {
    let mut request = ScriptedRequest::new(
        "POST",
        Caller::AccountA,
        "/v1/shared-tokens",
        r#"{"tokenName":"t"}"#,
    );
    request.content_type = 2;
    request
}

/// A create carrying a second account's API token and a content-length that lies.
fn smuggled_headers() -> ScriptedRequest {
    let mut request = ScriptedRequest::new(
        "POST",
        Caller::AccountA,
        "/v1/shared-tokens/filters",
        r#"{"field":"x","value":"y"}"#,
    );
    request
        .headers
        .push((b"x-api-token".to_vec(), ACCOUNT_B_BYTES.to_vec()));
    request
        .headers
        .push((b"content-length".to_vec(), b"3".to_vec()));
    request
}

/// More creates than account B's token limit allows.
fn token_limit_script() -> Vec<ScriptedRequest> {
    (0..6)
        .map(|n| {
            let body = format!(r#"{{"tokenName":"t{n}"}}"#);
            ScriptedRequest::new("POST", Caller::AccountB, "/v1/shared-tokens", &body)
        })
        .collect()
}

const ACCOUNT_B_BYTES: &[u8] = crate::emulator_http::ACCOUNT_B.as_bytes();
