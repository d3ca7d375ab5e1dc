//! What a person sees in a terminal of a given width: the binary runs on a
//! pseudo-terminal (rexpect) sized by `stty` before it starts, against the
//! emulator. A new token's value must be one line at 80 columns, and help
//! must follow the terminal's width.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;

use support::Api;

/// Runs the binary with `args` on a pseudo-terminal `columns` wide and returns
/// everything it showed, one entry per line (without the terminal's `\r`).
fn on_terminal(api: Option<&Api>, columns: u16, args: &[&str]) -> Vec<String> {
    let binary = env!("CARGO_BIN_EXE_logzio-shared-tokens");
    // `stty` sizes the terminal the binary then starts on, as a window would.
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            &format!("stty cols {columns} rows 50 && exec \"$0\" \"$@\""),
            binary,
        ])
        .env_remove("COLUMNS")
        // Widths are counted in characters: no colour escapes.
        .env("NO_COLOR", "1");
    support::isolated(&mut command);
    if let Some(api) = api {
        command
            .env("LOGZIO_API_TOKEN", &api.token)
            .args(["--api-url", &api.url]);
    }
    command.args(args);
    let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
    // rexpect hands over each byte as a char: put the UTF-8 back together.
    let bytes: Vec<u8> = session
        .exp_eof()
        .unwrap()
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    String::from_utf8(bytes)
        .unwrap()
        .split('\n')
        .map(|line| line.trim_end_matches('\r').to_owned())
        .collect()
}

fn widest(lines: &[String]) -> usize {
    lines
        .iter()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_new_tokens_value_is_one_line_at_80_columns_and_the_note_is_true() {
    let api = Api::start();
    let filter = api.filter("env", "prod");
    let filter = filter.to_string();
    let screen = on_terminal(
        Some(&api),
        80,
        &[
            "tokens",
            "create",
            "payments-dashboards-for-the-support-team",
            "--filter",
            &filter,
        ],
    );
    let id = api.token_ids()[0];
    let shown = api.json(&["tokens", "get", &id.to_string(), "--show-secrets"]);
    let value = shown["token"].as_str().unwrap();
    assert!(
        screen.iter().any(|line| line == value),
        "the value {value} is not a line of its own:\n{}",
        screen.join("\n")
    );
    // The terminal wraps stderr's note where it must; what is printed for copying must fit.
    let printed: Vec<String> = screen
        .iter()
        .filter(|line| !line.starts_with("note: "))
        .cloned()
        .collect();
    assert!(
        widest(&printed) <= 80,
        "wider than 80:\n{}",
        screen.join("\n")
    );
    let text = screen.join("\n");
    assert!(!text.contains("only now"), "{text}");
    assert!(text.contains("masked"), "{text}");
    assert!(
        text.contains(&format!("tokens get {id} --show-secrets")),
        "{text}"
    );
    // The table itself shows the value masked: the full value appears once.
    assert_eq!(text.matches(value).count(), 1, "{text}");
}

#[test]
fn help_is_wrapped_to_the_terminal_and_at_most_100_columns() {
    let narrow = on_terminal(None, 80, &["tokens", "update", "--help"]);
    assert!(widest(&narrow) <= 80, "{}", narrow.join("\n"));
    let wide = on_terminal(None, 160, &["tokens", "update", "--help"]);
    let widest_wide = widest(&wide);
    assert!(
        widest_wide > 80 && widest_wide <= 100,
        "a 160-column terminal: help {widest_wide} wide:\n{}",
        wide.join("\n")
    );
}
