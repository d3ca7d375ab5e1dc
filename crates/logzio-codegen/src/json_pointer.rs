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

#[cfg(test)]
mod tests {
    use super::*;

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
