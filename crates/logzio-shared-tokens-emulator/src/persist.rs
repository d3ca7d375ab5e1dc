//! The `--state` file: its format, loading it, and writing it durably.
//!
//! The file is JSON with a `format` marker and a `version`; anything else is
//! refused, and a refused file is never written to. A write goes to a
//! temporary file in the same directory, is fsynced, renamed over the old
//! file, and the directory is fsynced, so after a crash the file holds either
//! the previous or the new state, complete. API tokens are stored only as
//! SHA-256 digests; shared token values are stored as they are (they are the
//! emulator's own test data), in a file only its owner can read.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;

use logzio_shared_tokens_api::types::QueryFilter;
use serde::{Deserialize, Serialize};

use crate::EmulatorError;
use crate::accounts::{Account, IdCounters, StoredToken, World};
use crate::auth::TokenDigest;

/// The marker every state file carries; a file without it is not ours.
pub(crate) const FORMAT_MARKER: &str = "logzio-shared-tokens-emulator/state";
/// The one version this emulator reads and writes.
pub(crate) const FORMAT_VERSION: u64 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOut<'a, I: Iterator<Item = &'a Account> + Clone> {
    format: &'static str,
    version: u64,
    #[serde(flatten)]
    counters: IdCounters,
    #[serde(serialize_with = "accounts_out")]
    accounts: I,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountOut<'a> {
    api_token_sha256: String,
    account_id: u32,
    tokens: Vec<&'a StoredToken>,
    filters: Vec<&'a QueryFilter>,
}

fn accounts_out<'a, I, S>(accounts: &I, serializer: S) -> Result<S::Ok, S::Error>
where
    I: Iterator<Item = &'a Account> + Clone,
    S: serde::Serializer,
{
    serializer.collect_seq(accounts.clone().map(|account| AccountOut {
        api_token_sha256: hex(&account.key),
        account_id: account.id,
        tokens: account.tokens.values().collect(),
        filters: account.filters.values().collect(),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileIn {
    #[allow(dead_code, reason = "checked before the typed parse")]
    format: String,
    #[allow(dead_code, reason = "checked before the typed parse")]
    version: u64,
    next_token_id: i64,
    next_filter_id: i64,
    accounts: Vec<AccountIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountIn {
    api_token_sha256: String,
    account_id: u32,
    tokens: Vec<StoredToken>,
    filters: Vec<QueryFilter>,
}

/// The state as file content.
pub(crate) fn encode<'a>(
    counters: IdCounters,
    accounts: impl Iterator<Item = &'a Account> + Clone,
) -> Vec<u8> {
    let file = FileOut {
        format: FORMAT_MARKER,
        version: FORMAT_VERSION,
        counters,
        accounts,
    };
    // Serialising these plain structs to memory cannot fail; an empty
    // vector would be refused at the next start rather than silently loaded.
    let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Loads `path`; `Ok(None)` when it does not exist yet.
pub(crate) fn load(path: &Path) -> Result<Option<World>, EmulatorError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(EmulatorError::StateIo {
                path: path.to_owned(),
                action: "read",
                source,
            });
        }
    };
    decode(&bytes)
        .map(Some)
        .map_err(|problem| EmulatorError::StateRefused {
            path: path.to_owned(),
            problem,
        })
}

fn decode(bytes: &[u8]) -> Result<World, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty, and an emulator state file never is".into());
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("it is not JSON ({e})"))?;
    let marker = value.get("format").and_then(serde_json::Value::as_str);
    if marker != Some(FORMAT_MARKER) {
        return Err(format!(
            "it has no \"format\": \"{FORMAT_MARKER}\" marker, so it is not an emulator state file"
        ));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(FORMAT_VERSION) {
        return Err(format!(
            "it is state format version {}, and this emulator reads version {FORMAT_VERSION}",
            value
                .get("version")
                .map_or_else(|| "(missing)".to_owned(), ToString::to_string)
        ));
    }
    let file: FileIn = serde_path_to_error::deserialize(value)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    let mut world = World {
        counters: IdCounters {
            next_token_id: file.next_token_id,
            next_filter_id: file.next_filter_id,
        },
        accounts: Vec::new(),
    };
    for (index, account) in file.accounts.into_iter().enumerate() {
        let account = check_account(account, &world)
            .map_err(|problem| format!("at `accounts[{index}]`: {problem}"))?;
        world.accounts.push(account);
    }
    Ok(world)
}

fn check_account(input: AccountIn, world: &World) -> Result<Account, String> {
    let key = parse_hex(&input.api_token_sha256)
        .ok_or("`apiTokenSha256` is not 64 hexadecimal digits")?;
    if world
        .accounts
        .iter()
        .any(|other| other.key == key || other.id == input.account_id)
    {
        return Err("the account appears twice".into());
    }
    let counters = world.counters;
    let mut filters = BTreeMap::new();
    for filter in input.filters {
        let id = filter.id;
        if id <= 0 || i64::from(id) >= counters.next_filter_id {
            return Err(format!(
                "filter id {id} is outside 1..nextFilterId ({})",
                counters.next_filter_id
            ));
        }
        if filters.insert(id, filter).is_some() {
            return Err(format!("filter id {id} appears twice"));
        }
    }
    let mut tokens = BTreeMap::new();
    for token in input.tokens {
        let id = token.id;
        if id <= 0 || i64::from(id) >= counters.next_token_id {
            return Err(format!(
                "token id {id} is outside 1..nextTokenId ({})",
                counters.next_token_id
            ));
        }
        if let Some(missing) = token.filters.iter().find(|f| !filters.contains_key(*f)) {
            return Err(format!(
                "token {id} uses filter {missing}, which is not there"
            ));
        }
        if tokens.insert(id, token).is_some() {
            return Err(format!("token id {id} appears twice"));
        }
    }
    Ok(Account {
        id: input.account_id,
        key,
        tokens,
        filters,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_hex(text: &str) -> Option<TokenDigest> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut digest = [0u8; 32];
    for (index, byte) in digest.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[index * 2..index * 2 + 2], 16).ok()?;
    }
    Some(digest)
}

/// Replaces `path` with `bytes` so that a crash at any moment leaves either
/// the old or the new content: a uniquely named temporary file in the same
/// directory (readable by its owner only), fsync, rename over `path`, fsync
/// the directory. Unique names let two emulators sharing a directory never
/// write into each other's temporary file.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), EmulatorError> {
    let io = |action: &'static str| {
        move |source| EmulatorError::StateIo {
            path: path.to_owned(),
            action,
            source,
        }
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    // tempfile creates the file with mode 0600 on Unix.
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(directory)
        .map_err(io("create the temporary file"))?;
    file.write_all(bytes)
        .map_err(io("write the temporary file"))?;
    file.as_file()
        .sync_all()
        .map_err(io("fsync the temporary file"))?;
    file.persist(path)
        .map_err(|error| error.error)
        .map_err(io("rename the temporary file over it"))?;
    File::open(directory)
        .and_then(|dir| dir.sync_all())
        .map_err(io("fsync its directory"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use logzio_shared_tokens_api::SharedTokenValue;
    use logzio_shared_tokens_api::types::FiltersOperator;

    fn sample_world() -> World {
        let mut account = Account {
            id: 100_001,
            key: [0xab; 32],
            tokens: BTreeMap::new(),
            filters: BTreeMap::new(),
        };
        let filter: QueryFilter =
            serde_json::from_value(serde_json::json!({"id": 1, "field": "type", "value": "nginx"}))
                .unwrap();
        account.filters.insert(1, filter);
        account.tokens.insert(
            4,
            StoredToken {
                id: 4,
                name: "t".into(),
                token: SharedTokenValue::new("value"),
                filters: vec![1],
                filters_operator: FiltersOperator::And.into(),
                last_used: None,
                expiration_date: Some(5),
            },
        );
        World {
            counters: IdCounters {
                next_token_id: 5,
                next_filter_id: 2,
            },
            accounts: vec![account],
        }
    }

    #[test]
    fn round_trips() {
        let world = sample_world();
        let bytes = encode(world.counters, world.accounts.iter());
        let back = decode(&bytes).unwrap();
        assert_eq!(back.counters, world.counters);
        assert_eq!(back.accounts[0].key, [0xab; 32]);
        let token = &back.accounts[0].tokens[&4];
        assert_eq!(token.token.expose_secret(), "value");
        assert_eq!(token.filters_operator, FiltersOperator::And);
        assert_eq!(encode(back.counters, back.accounts.iter()), bytes);
    }

    #[test]
    fn refuses_foreign_and_broken_files_with_the_reason() {
        let world = sample_world();
        let good: serde_json::Value =
            serde_json::from_slice(&encode(world.counters, world.accounts.iter())).unwrap();
        let with = |pointer: &str, value: serde_json::Value| {
            let mut copy = good.clone();
            *copy.pointer_mut(pointer).unwrap() = value;
            serde_json::to_vec(&copy).unwrap()
        };
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"".to_vec(), "empty"),
            (b"{\"not\": json".to_vec(), "not JSON"),
            (b"{\"swagger\": \"2.0\"}".to_vec(), "marker"),
            (with("/version", 2.into()), "version 2"),
            (with("/nextTokenId", 4.into()), "outside 1..nextTokenId"),
            (with("/accounts/0/tokens/0/filters/0", 9.into()), "filter 9"),
            (
                with("/accounts/0/filters/0/field", 7.into()),
                "accounts[0].filters[0].field",
            ),
            (
                with("/accounts/0/apiTokenSha256", "zz".into()),
                "hexadecimal",
            ),
            // 66 digits: the first 64 would make a digest, but the field is not one.
            (
                with("/accounts/0/apiTokenSha256", "ab".repeat(33).into()),
                "hexadecimal",
            ),
            (with("/nextFilterId", 1.into()), "outside 1..nextFilterId"),
            (
                with("/accounts/0/filters/0/id", 0.into()),
                "filter id 0 is outside",
            ),
            (
                with("/accounts/0/tokens/0/id", 0.into()),
                "token id 0 is outside",
            ),
        ];
        for (bytes, reason) in cases {
            let problem = decode(&bytes).err().unwrap();
            assert!(problem.contains(reason), "{reason}: {problem}");
        }
    }

    /// A second account: another key and id, no tokens or filters.
    fn second_account(key: TokenDigest, id: u32) -> Account {
        Account {
            id,
            key,
            tokens: BTreeMap::new(),
            filters: BTreeMap::new(),
        }
    }

    #[test]
    fn accounts_are_told_apart_by_key_and_by_id() {
        let mut world = sample_world();
        let mut key = [0u8; 32];
        for (index, byte) in key.iter_mut().enumerate() {
            *byte = u8::try_from(index * 7).unwrap();
        }
        world.accounts.push(second_account(key, 100_002));
        let back = decode(&encode(world.counters, world.accounts.iter())).unwrap();
        assert_eq!(back.accounts.len(), 2);
        assert_eq!(back.accounts[1].key, key, "every byte in its place");
        assert_eq!(back.accounts[1].id, 100_002);

        for twin in [
            second_account([0xab; 32], 100_002),
            second_account(key, 100_001),
        ] {
            let mut world = sample_world();
            world.accounts.push(twin);
            let problem = decode(&encode(world.counters, world.accounts.iter())).unwrap_err();
            assert!(
                problem.contains("accounts[1]`: the account appears twice"),
                "{problem}"
            );
        }
    }

    #[test]
    fn a_state_path_that_cannot_be_read_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(&dir.path().join("absent.json")).unwrap().is_none());
        // A directory exists but cannot be read as a file.
        let error = load(dir.path()).err().unwrap();
        assert!(
            matches!(error, EmulatorError::StateIo { action: "read", .. }),
            "{error:?}"
        );
    }

    #[test]
    fn a_write_into_a_missing_directory_fails_before_writing_anywhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("state.json");
        let error = write_durably(&path, b"one").unwrap_err();
        // The temporary file goes beside the target, so it is the first step that fails.
        assert!(
            matches!(
                error,
                EmulatorError::StateIo {
                    action: "create the temporary file",
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn durable_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_durably(&path, b"one").unwrap();
        write_durably(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
