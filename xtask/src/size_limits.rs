//! The house's size limits, checked so they stay true: no hand-written Rust file over
//! 500 lines and no `fn` (test fns included) over 80 lines, counted from the line that
//! holds `fn` to the line of its closing brace. Hand-written means every `.rs` file below
//! the root except `generated/` (the reviewed snapshot), any `target/` (build output and
//! OUT_DIR) and hidden directories.
//!
//! The scan reads source text, not syntax trees: it skips comments, strings and char
//! literals, then matches braces. That is enough for the code of this workspace and
//! needs no parser; a `fn` inside `macro_rules!` (`fn $name`) is measured too.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The longest hand-written Rust file, in lines.
const MAX_FILE_LINES: usize = 500;
/// The longest function, in lines from its `fn` line to its closing brace.
const MAX_FN_LINES: usize = 80;

/// Fails with one line per file or function over its limit.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let mut excesses = Vec::new();
    for path in hand_written_rust_files(root)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let shown = path.strip_prefix(root).unwrap_or(&path).display();
        let file_lines = text.lines().count();
        if file_lines > MAX_FILE_LINES {
            excesses.push(format!(
                "{shown}: {file_lines} lines (at most {MAX_FILE_LINES})"
            ));
        }
        for function in functions(&text) {
            if function.lines > MAX_FN_LINES {
                excesses.push(format!(
                    "{shown}:{}: fn {} is {} lines (at most {MAX_FN_LINES})",
                    function.first_line, function.name, function.lines
                ));
            }
        }
    }
    if excesses.is_empty() {
        return Ok(());
    }
    excesses.sort();
    bail!(
        "hand-written Rust over the size limits; split along what each part does:\n  {}",
        excesses.join("\n  ")
    )
}

/// Every `.rs` file below `root`, sorted, skipping `generated/`, `target/` and hidden
/// directories.
fn hand_written_rust_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut directories = vec![root.to_path_buf()];
    while let Some(directory) = directories.pop() {
        let entries = std::fs::read_dir(&directory)
            .with_context(|| format!("listing {}", directory.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("listing {}", directory.display()))?
                .path();
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            if path.is_dir() {
                let skipped = name.starts_with('.')
                    || name == "target"
                    || (directory == root && name == "generated");
                if !skipped {
                    directories.push(path);
                }
            } else if name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// A function with a body, as the scan found it.
#[derive(Debug, PartialEq)]
struct Function {
    name: String,
    /// 1-based line of the `fn` keyword.
    first_line: usize,
    /// Lines from the `fn` line to the closing brace, both included.
    lines: usize,
}

/// What the scan keeps of the source: words and the punctuation that shapes items.
#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Punct(char),
}

/// Every function with a body in `text`. Declarations without a body (`fn f();` in a
/// trait) and `fn(..)` pointer types are not functions here.
fn functions(text: &str) -> Vec<Function> {
    let tokens = code_tokens(text);
    let mut found = Vec::new();
    for (index, (token, line)) in tokens.iter().enumerate() {
        if *token != Token::Word("fn".into()) {
            continue;
        }
        let name = match tokens.get(index + 1) {
            Some((Token::Word(name), _)) => name.clone(),
            Some((Token::Punct('$'), _)) => match tokens.get(index + 2) {
                Some((Token::Word(name), _)) => format!("${name}"),
                _ => continue,
            },
            _ => continue,
        };
        if let Some(last_line) = body_end_line(&tokens[index + 1..]) {
            found.push(Function {
                name,
                first_line: *line,
                lines: last_line - line + 1,
            });
        }
    }
    found
}

/// The line of the brace that closes the body after a signature, or `None` when the
/// signature ends in `;` (or the text ends first). Braces inside `()` and `[]` (none in
/// practice; `;` does occur there, as in `[u8; 4]`) do not start the body.
fn body_end_line(signature_onwards: &[(Token, usize)]) -> Option<usize> {
    let mut nesting = 0usize;
    let mut body_depth = 0usize;
    for (token, line) in signature_onwards {
        match token {
            Token::Punct('(' | '[') if body_depth == 0 => nesting += 1,
            Token::Punct(')' | ']') if body_depth == 0 => nesting = nesting.saturating_sub(1),
            Token::Punct(';') if body_depth == 0 && nesting == 0 => return None,
            Token::Punct('{') if nesting == 0 => body_depth += 1,
            Token::Punct('}') if nesting == 0 && body_depth > 0 => {
                body_depth -= 1;
                if body_depth == 0 {
                    return Some(*line);
                }
            }
            _ => {}
        }
    }
    None
}

/// The words and punctuation of `text` with their 1-based lines, leaving out comments,
/// string, byte-string and char literals, and lifetimes.
fn code_tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut source = Source {
        chars: &chars,
        at: 0,
        line: 1,
    };
    let mut tokens = Vec::new();
    while let Some(current) = source.peek(0) {
        let line = source.line;
        if current.is_alphanumeric() || current == '_' {
            let word = source.word();
            if !source.skip_literal_after_prefix(&word) {
                tokens.push((Token::Word(word), line));
            }
        } else if current == '/' && source.peek(1) == Some('/') {
            source.skip_while(|c| c != '\n');
        } else if current == '/' && source.peek(1) == Some('*') {
            source.skip_block_comment();
        } else if current == '"' {
            source.skip_quoted();
        } else if current == '\'' {
            source.skip_char_literal_or_lifetime_mark();
        } else {
            if !current.is_whitespace() {
                tokens.push((Token::Punct(current), line));
            }
            source.advance();
        }
    }
    tokens
}

/// A cursor over the source's characters that keeps count of lines.
struct Source<'text> {
    chars: &'text [char],
    at: usize,
    line: usize,
}

impl Source<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn advance(&mut self) {
        if self.peek(0) == Some('\n') {
            self.line += 1;
        }
        self.at += 1;
    }

    fn skip_while(&mut self, keep_going: impl Fn(char) -> bool) {
        while self.peek(0).is_some_and(&keep_going) {
            self.advance();
        }
    }

    fn word(&mut self) -> String {
        let start = self.at;
        self.skip_while(|c| c.is_alphanumeric() || c == '_');
        self.chars[start..self.at].iter().collect()
    }

    /// After `b`, `c`, `r`, `br` or `cr`, skips the literal the prefix opens, if any.
    fn skip_literal_after_prefix(&mut self, word: &str) -> bool {
        match (word, self.peek(0)) {
            ("b" | "c", Some('"')) => self.skip_quoted(),
            ("b", Some('\'')) => self.skip_char_literal_or_lifetime_mark(),
            ("r" | "br" | "cr", Some('"' | '#')) => return self.skip_raw_string(),
            _ => return false,
        }
        true
    }

    /// `/* … */`, nested ones included.
    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while let Some(current) = self.peek(0) {
            if current == '/' && self.peek(1) == Some('*') {
                depth += 1;
                self.advance();
            } else if current == '*' && self.peek(1) == Some('/') {
                depth -= 1;
                self.advance();
                if depth == 0 {
                    self.advance();
                    return;
                }
            }
            self.advance();
        }
    }

    /// A `"…"` literal with backslash escapes, from its opening quote.
    fn skip_quoted(&mut self) {
        self.advance();
        while let Some(current) = self.peek(0) {
            self.advance();
            match current {
                '\\' => self.advance(),
                '"' => return,
                _ => {}
            }
        }
    }

    /// `r#"…"#` from the first `#` or `"`; false (nothing skipped) when no quote follows
    /// the hashes, as in the raw identifier `r#type`.
    fn skip_raw_string(&mut self) -> bool {
        let mut hashes = 0;
        while self.peek(hashes) == Some('#') {
            hashes += 1;
        }
        if self.peek(hashes) != Some('"') {
            return false;
        }
        for _ in 0..=hashes {
            self.advance();
        }
        while self.peek(0).is_some() {
            let closes = self.peek(0) == Some('"')
                && (1..=hashes).all(|ahead| self.peek(ahead) == Some('#'));
            for _ in 0..if closes { hashes + 1 } else { 1 } {
                self.advance();
            }
            if closes {
                break;
            }
        }
        true
    }

    /// `'x'`, `'\n'` or `'\u{..}'` as a whole; a lifetime or label (`'a`) only its quote.
    fn skip_char_literal_or_lifetime_mark(&mut self) {
        self.advance();
        if self.peek(0) == Some('\\') {
            self.advance();
            self.advance();
            self.skip_while(|c| c != '\'' && c != '\n');
            self.advance();
        } else if self.peek(1) == Some('\'') {
            self.advance();
            self.advance();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths(text: &str) -> Vec<(String, usize, usize)> {
        functions(text)
            .into_iter()
            .map(|function| (function.name, function.first_line, function.lines))
            .collect()
    }

    #[test]
    fn a_function_counts_from_its_fn_line_to_its_closing_brace() {
        let text = "#[test]\nfn one() {\n    let x = 1;\n}\n\nfn two() {}\n";
        assert_eq!(lengths(text), [("one".into(), 2, 3), ("two".into(), 6, 1)]);
    }

    #[test]
    fn braces_in_strings_comments_and_chars_do_not_count() {
        let text = concat!(
            "fn tricky<'a>(x: &'a str) -> [u8; 2] {\n",
            "    let _ = \"}\\\"}\";\n",
            "    let _ = r#\"}\"# ;\n",
            "    let _ = b'}';\n",
            "    let _ = '\\u{7d}';\n",
            "    // }\n",
            "    /* } /* } */ } */\n",
            "    'outer: loop { break 'outer; }\n",
            "    [0; 2]\n",
            "}\n",
        );
        assert_eq!(lengths(text), [("tricky".into(), 1, 10)]);
    }

    #[test]
    fn declarations_pointer_types_and_nested_fns() {
        let text = concat!(
            "trait T { fn declared(&self); }\n",
            "fn outer(callback: fn(u8) -> u8) {\n",
            "    fn inner() {\n",
            "    }\n",
            "}\n",
            "macro_rules! m { ($name:ident) => { fn $name() {\n}\n }; }\n",
        );
        assert_eq!(
            lengths(text),
            [
                ("outer".into(), 2, 4),
                ("inner".into(), 3, 2),
                ("$name".into(), 6, 2)
            ]
        );
    }

    #[test]
    fn the_check_names_each_file_and_function_over_its_limit() {
        let root = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
        let write = |relative: &str, text: String| {
            let path = root.path().join(relative);
            std::fs::create_dir_all(path.parent().unwrap_or(root.path()))
                .and_then(|()| std::fs::write(&path, text))
                .unwrap_or_else(|error| panic!("writing {relative}: {error}"));
        };
        let body = |lines: usize| format!("fn long() {{\n{}}}\n", "    ();\n".repeat(lines - 2));
        write(
            "src/fits.rs",
            body(MAX_FN_LINES) + &"\n".repeat(MAX_FILE_LINES - MAX_FN_LINES),
        );
        assert!(check(root.path()).is_ok());

        write("src/long_fn.rs", body(MAX_FN_LINES + 1));
        write(
            "crates/a/tests/long_file.rs",
            "\n".repeat(MAX_FILE_LINES + 1),
        );
        write("generated/client.rs", body(200));
        write("target/debug/build/out.rs", body(200));
        let message = format!(
            "{:#}",
            check(root.path()).err().unwrap_or_else(|| panic!("passed"))
        );
        assert!(
            message.contains("src/long_fn.rs:1: fn long is 81 lines (at most 80)"),
            "{message}"
        );
        assert!(
            message.contains("crates/a/tests/long_file.rs: 501 lines (at most 500)"),
            "{message}"
        );
        assert!(
            !message.contains("generated") && !message.contains("target"),
            "{message}"
        );
        assert!(!message.contains("fits.rs"), "{message}");
    }
}
