//! RFC 6901 JSON pointers, the one place their escaping is written: every
//! located problem of the pipeline, and `cargo xtask import-spec`'s
//! corrections and reports, build and split pointers with these.

/// Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_token`].
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one (unescaped) reference token to a pointer.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// Splits a pointer into its unescaped tokens; `""` (the whole document) has none.
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape_token).collect()
}

/// Builds a pointer from unescaped tokens; no tokens is `""`, the whole document.
pub fn from_tokens(tokens: &[String]) -> String {
    tokens
        .iter()
        .fold(String::new(), |pointer, token| child(&pointer, token))
}

/// The name in a local reference to one whole entry of a top-level section,
/// as written (still escaped): `Some("Token")` for `#/definitions/Token` in
/// `definitions`. `None` for the document itself (`#`), another section, or
/// a place inside an entry (`#/definitions/Token/properties/id`): the
/// generator resolves a reference by its last token alone, so such a
/// reference would name the wrong type or none.
pub fn section_entry<'a>(reference: &'a str, section: &str) -> Option<&'a str> {
    let name = reference
        .strip_prefix("#/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_entry_is_one_whole_entry_of_that_section() {
        assert_eq!(
            section_entry("#/definitions/Token", "definitions"),
            Some("Token")
        );
        assert_eq!(
            section_entry("#/definitions/a~1b", "definitions"),
            Some("a~1b")
        );
        for reference in [
            "#",
            "#/",
            "#/definitions",
            "#/definitions/",
            "#/definitions/Token/properties/id",
            "#/definitionsX/Token",
            "#/parameters/Token",
            "definitions/Token",
            "other.json#/definitions/Token",
        ] {
            assert_eq!(section_entry(reference, "definitions"), None, "{reference}");
        }
    }

    #[test]
    fn tokens_round_trip_through_escaping() {
        let pointer = "/paths/~1v1~1shared-tokens~1{id}/get/x~0y";
        let split = tokens(pointer);
        assert_eq!(split, ["paths", "/v1/shared-tokens/{id}", "get", "x~y"]);
        assert_eq!(from_tokens(&split), pointer);
    }

    #[test]
    fn escaping_order_keeps_a_literal_tilde_one() {
        // `~1` in a name must not come back as `/`: `~` is escaped first.
        assert_eq!(escape_token("a~1/b"), "a~01~1b");
        assert_eq!(unescape_token(&escape_token("a~1/b")), "a~1/b");
        assert_eq!(child("", "a/b"), "/a~1b");
    }

    #[test]
    fn the_whole_document_has_no_tokens() {
        assert!(tokens("").is_empty());
        assert_eq!(from_tokens(&[]), "");
        assert_eq!(tokens("/"), [""]);
    }
}
