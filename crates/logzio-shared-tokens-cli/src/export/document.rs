//! The exported file, built from the two lists: a pure function, so the
//! round trip with `apply`'s plan is testable without a server.
//!
//! Filters are keyed `field=value` (see [`filter_label`]): readable, unique
//! (a field holds no `=`) and the same on every run. Tokens are keyed by
//! their name. What `apply` would not manage as the account has it (a second
//! token of a name, a token without a name, a token using a filter the file
//! cannot hold) is left out of the entries and described in a [`Note`], so
//! applying the file plans no changes. Token values are never read here.

use std::collections::{BTreeMap, BTreeSet};

use logzio_shared_tokens::{OpenEnum, QueryFilter, SharedToken, SharedTokenExt};

use crate::apply::file::{
    DesiredFilter, DesiredState, DesiredToken, FileFormat, check_token_name, operator_entry,
};
use crate::apply::matching::{filter_label, filter_text, managed_token};
use logzio_shared_tokens::check_filter_text;

/// Something a reviewer of the file should know: how `apply` treats a part
/// of the account.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// One line, for a comment and for stderr.
    pub text: String,
    /// A token left out of the entries, as its entry would read (TOML shows
    /// it commented out).
    pub left_out: Option<(String, DesiredToken)>,
}

/// The file to write.
#[derive(Debug, Default, PartialEq)]
pub struct Export {
    /// The entries: what `apply` will manage.
    pub state: DesiredState,
    /// Filter keys used by no token.
    pub unused_filters: BTreeSet<String>,
    /// Filter key -> the other ids with the same field and value.
    pub duplicate_filters: BTreeMap<String, Vec<i32>>,
    /// What is not an entry, and why.
    pub notes: Vec<Note>,
}

impl Export {
    /// Everything a reviewer should know, one line each: the unused and
    /// duplicate filters, then the notes. (TOML puts these next to the
    /// entries instead.)
    pub fn remarks(&self) -> Vec<String> {
        let unused = self
            .unused_filters
            .iter()
            .map(|key| format!("Filter {key:?}: {UNUSED}"));
        let duplicates = self
            .duplicate_filters
            .iter()
            .map(|(key, ids)| format!("Filter {key:?}: {}", also_ids(ids)));
        unused
            .chain(duplicates)
            .chain(self.notes.iter().map(|note| note.text.clone()))
            .collect()
    }
}

/// How `apply` treats a filter no token uses.
const UNUSED: &str = "used by no token. apply keeps it while it is listed here; delete the \
                      entry and run apply --prune to delete the filter.";

fn also_ids(ids: &[i32]) -> String {
    let ids: Vec<String> = ids.iter().map(i32::to_string).collect();
    format!(
        "also filter id(s) {}: the same field and value, so apply treats them as this filter.",
        ids.join(", ")
    )
}

/// Builds the export of an account.
pub fn build(tokens: &[SharedToken], filters: &[QueryFilter]) -> Export {
    let mut export = Export::default();
    let mut key_of: BTreeMap<i32, String> = BTreeMap::new();
    let mut sorted_filters: Vec<&QueryFilter> = filters.iter().collect();
    sorted_filters.sort_by_key(|filter| filter.id);
    for filter in sorted_filters {
        let (field, value) = filter_text(filter);
        let label = filter_label(field, value);
        let id = filter.id;
        if let Err(refused) = check_filter_text(field, value) {
            // The facade's refusal names the part, the character and the rule.
            let reason = match refused {
                logzio_shared_tokens::Error::InvalidInput { reason, .. } => reason,
                other => other.to_string(),
            };
            export.notes.push(note(format!(
                "Filter {id} is left out, since apply could not re-create it: {reason}"
            )));
            continue;
        }
        if export.state.filters.contains_key(&label) {
            export
                .duplicate_filters
                .entry(label.clone())
                .or_default()
                .push(id);
        } else {
            export.state.filters.insert(
                label.clone(),
                DesiredFilter {
                    field: field.to_owned(),
                    value: value.to_owned(),
                    description: filter.description.clone(),
                },
            );
        }
        key_of.insert(id, label);
    }

    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut sorted_tokens: Vec<&SharedToken> = tokens.iter().collect();
    sorted_tokens.sort_by_key(|token| token.id);
    for token in sorted_tokens {
        for id in token.filter_ids() {
            if let Some(key) = key_of.get(id) {
                used.insert(key);
            }
        }
        if let Some(note) = add_token(&mut export.state, token, tokens, &key_of) {
            export.notes.push(note);
        }
    }
    export.unused_filters = export
        .state
        .filters
        .keys()
        .filter(|key| !used.contains(key.as_str()))
        .cloned()
        .collect();
    export
}

fn note(text: String) -> Note {
    Note {
        text,
        left_out: None,
    }
}

/// Adds `token`'s entry, or says why it has none.
fn add_token(
    state: &mut DesiredState,
    token: &SharedToken,
    tokens: &[SharedToken],
    key_of: &BTreeMap<i32, String>,
) -> Option<Note> {
    let id = token.id;
    let name = match token.name.as_deref() {
        Some(name) if check_token_name(name).is_ok() => name,
        _ => {
            return Some(note(format!(
                "Token {id} has no name: apply manages tokens by name, so it leaves this one \
                 alone (apply --prune deletes it)."
            )));
        }
    };
    let mut keys = BTreeSet::new();
    for filter_id in token.filter_ids() {
        match key_of.get(filter_id) {
            Some(key) => {
                keys.insert(key.clone());
            }
            None => {
                return Some(note(format!(
                    "Token {id} {name:?} is left out: it uses filter {filter_id}, which this file \
                     cannot hold (see above, or the account does not list it); apply leaves a \
                     token the file does not name alone (apply --prune deletes it)."
                )));
            }
        }
    }
    // The file can only say what apply can send: an operator this client does
    // not know stays in the account, and the token stays out of the file.
    let OpenEnum::Known(operator) = token.operator() else {
        return Some(note(format!(
            "Token {id} {name:?} is left out: its filtersOperator {:?} is not one apply can \
             send (OR, AND); apply leaves a token the file does not name alone (apply --prune \
             deletes it).",
            token.operator().to_string()
        )));
    };
    let entry = DesiredToken {
        filters: keys.into_iter().collect(),
        operator: operator_entry(operator),
    };
    match managed_token(tokens, name).map(|managed| managed.id) {
        Some(managed) if managed != id => Some(Note {
            text: format!(
                "Token {id} is also named {name:?}: apply manages only the lowest id of a name \
                 (token {managed}) and leaves this one alone (apply --prune deletes it); to \
                 manage it, rename it in Logz.io or replace it with a token of a new name."
            ),
            left_out: Some((name.to_owned(), entry)),
        }),
        _ => {
            state.tokens.insert(name.to_owned(), entry);
            None
        }
    }
}

/// The file's text: TOML with comments where they apply, or YAML with the
/// notes as a comment block at the top. Read back and compared before it is
/// returned, so what is written is exactly what `apply` reads.
pub fn render(export: &Export, format: FileFormat, source: &str) -> Result<String, String> {
    let mut text = String::new();
    comment(
        &mut text,
        &format!("Exported by `logzio-shared-tokens export` from {source}"),
    );
    comment(
        &mut text,
        "`logzio-shared-tokens apply FILE --dry-run` plans no changes for the account as \
         exported. Filters are named \"field=value\", tokens by their name in Logz.io. Token \
         values are never exported.",
    );
    match format {
        FileFormat::Toml => render_toml(export, &mut text)?,
        FileFormat::Yaml => {
            let remarks = export.remarks();
            if !remarks.is_empty() {
                text.push('\n');
                for remark in &remarks {
                    comment(&mut text, remark);
                }
            }
            text.push('\n');
            if export.state != DesiredState::default() {
                text.push_str(&format.render(&export.state)?);
            }
        }
    }
    let read_back = format.parse(&text)?;
    if read_back != export.state {
        return Err("the file does not read back as the account's state".to_owned());
    }
    Ok(text)
}

/// Entries one by one (each a small document of its own, which TOML allows
/// to be concatenated), so that comments sit next to what they describe.
fn render_toml(export: &Export, text: &mut String) -> Result<(), String> {
    for (key, filter) in &export.state.filters {
        text.push('\n');
        if export.unused_filters.contains(key) {
            comment(text, &capitalized(UNUSED));
        }
        if let Some(ids) = export.duplicate_filters.get(key) {
            comment(text, &capitalized(&also_ids(ids)));
        }
        let single = DesiredState {
            filters: BTreeMap::from([(key.clone(), filter.clone())]),
            tokens: BTreeMap::new(),
        };
        text.push_str(&FileFormat::Toml.render(&single)?);
    }
    for (name, token) in &export.state.tokens {
        text.push('\n');
        text.push_str(&FileFormat::Toml.render(&token_only(name, token))?);
    }
    if !export.notes.is_empty() {
        text.push('\n');
        comment(text, "Not managed by apply:");
    }
    for item in &export.notes {
        text.push('\n');
        comment(text, &item.text);
        if let Some((name, token)) = &item.left_out {
            for line in FileFormat::Toml.render(&token_only(name, token))?.lines() {
                text.push_str("# ");
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Ok(())
}

fn capitalized(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn token_only(name: &str, token: &DesiredToken) -> DesiredState {
    DesiredState {
        filters: BTreeMap::new(),
        tokens: BTreeMap::from([(name.to_owned(), token.clone())]),
    }
}

/// Comment lines are wrapped at this width (the text may exceed it where a
/// word does).
const COMMENT_WIDTH: usize = 96;

/// Appends `sentence` as `#` comment lines. Control characters and Unicode
/// line separators (a name may hold any) are escaped, so nothing ends a
/// comment early.
fn comment(text: &mut String, sentence: &str) {
    let safe: String = sentence
        .chars()
        .flat_map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    let mut line = String::new();
    for word in safe.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > COMMENT_WIDTH {
            text.push_str("# ");
            text.push_str(&line);
            text.push('\n');
            line.clear();
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    text.push_str("# ");
    text.push_str(&line);
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(value: serde_json::Value) -> SharedToken {
        serde_json::from_value(value).unwrap()
    }

    fn filter(id: i32, field: &str, value: &str) -> QueryFilter {
        serde_json::from_value(json!({"id": id, "field": field, "value": value})).unwrap()
    }

    #[test]
    fn what_apply_would_not_manage_is_a_note_not_an_entry() {
        let filters = [filter(1, "type", "nginx")];
        let tokens = [
            token(json!({"id": 5, "name": "kept", "filters": [1], "filtersOperator": "AND"})),
            token(json!({"id": 6, "name": null})),
            token(json!({"id": 7, "name": "dangling", "filters": [1, 99]})),
        ];
        let export = build(&tokens, &filters);
        assert_eq!(
            export.state.filters.keys().collect::<Vec<_>>(),
            ["type=nginx"]
        );
        assert_eq!(export.state.tokens.keys().collect::<Vec<_>>(), ["kept"]);
        assert_eq!(export.state.tokens["kept"].operator.as_deref(), Some("AND"));
        let notes: Vec<&str> = export.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes.len(), 2, "{notes:#?}");
        assert!(notes[0].contains("Token 6 has no name"), "{notes:#?}");
        assert!(notes[1].contains("uses filter 99"), "{notes:#?}");
        assert!(export.notes.iter().all(|n| n.left_out.is_none()));
        assert!(export.unused_filters.is_empty());

        for format in [FileFormat::Toml, FileFormat::Yaml] {
            let text = render(&export, format, "http://127.0.0.1:1").unwrap();
            assert!(text.contains("Token 6 has no name"), "{text}");
            assert_eq!(format.parse(&text).unwrap(), export.state);
        }
    }

    #[test]
    fn a_filter_the_api_could_not_create_is_a_note_saying_why() {
        let filters = [filter(1, "type", "nginx"), filter(2, "env", "two words")];
        let export = build(&[], &filters);
        assert_eq!(
            export.state.filters.keys().collect::<Vec<_>>(),
            ["type=nginx"]
        );
        let notes: Vec<&str> = export.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert!(notes[0].starts_with("Filter 2 is left out"), "{notes:#?}");
        assert!(notes[0].contains("' ' at character 4"), "{notes:#?}");
    }

    #[test]
    fn comments_cannot_be_ended_by_a_name() {
        let mut text = String::new();
        comment(&mut text, "name \"a\nb\u{2028}c\" here");
        assert_eq!(text, "# name \"a\\nb\\u{2028}c\" here\n");
        let mut long = String::new();
        comment(&mut long, &"word ".repeat(40));
        assert!(long.lines().all(|line| line.starts_with("# ")));
        assert!(long.lines().count() > 1);
    }
}
