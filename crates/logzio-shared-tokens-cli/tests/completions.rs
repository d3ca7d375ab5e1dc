//! The scripts of `completions bash|zsh|fish`, sourced in the real shell,
//! asked what `logzio-shared-tokens tokens <Tab>` and `audit --fail-on <Tab>`
//! offer. The expected words come from the clap definition, so a new
//! subcommand or finding kind needs no change here. Each shell runs in a
//! directory holding one stray file, which a broken script offers instead.
//!
//! bash: the completion function is called as bash calls it on Tab
//! (`COMP_WORDS`, `COMP_CWORD`). fish: `complete -C`. zsh: an interactive
//! `zsh -f` on a pseudo-terminal, whose `compadd` is wrapped to print each
//! word it is asked to offer. bash is everywhere; the zsh and fish tests are
//! `#[ignore]`d, and CI, which installs both shells, runs them with `--ignored`.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{CommandFactory, ValueEnum};
use logzio_shared_tokens::Region;
use logzio_shared_tokens_cli::{Cli, FailOn};

/// A file in the shell's working directory: offered only by a script that fell back to files.
const STRAY_FILE: &str = "stray-file-not-a-word";

/// A directory with the generated script of `shell` and the stray file.
struct Scripted {
    dir: tempfile::TempDir,
    script: PathBuf,
}

fn scripted(shell: &str) -> Scripted {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(STRAY_FILE), "").unwrap();
    let output = support::bare_cli()
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(output.status.success(), "completions {shell} failed");
    let script = dir.path().join(format!("completion.{shell}"));
    std::fs::write(&script, &output.stdout).unwrap();
    Scripted { dir, script }
}

fn shell(name: &str, dir: &Path) -> Command {
    let mut command = Command::new(name);
    command.current_dir(dir).env_remove("HISTFILE");
    command
}

fn tokens_subcommands() -> BTreeSet<String> {
    Cli::command()
        .find_subcommand("tokens")
        .unwrap()
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .chain(["help".to_owned()])
        .collect()
}

fn fail_on_values() -> BTreeSet<String> {
    FailOn::value_variants()
        .iter()
        .filter_map(|kind| kind.to_possible_value())
        .map(|value| value.get_name().to_owned())
        .collect()
}

fn words(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|word| (*word).to_owned()).collect()
}

/// What bash's completion function offers for `words` (the last one being completed).
fn bash_offers(scripted: &Scripted, words: &[&str]) -> BTreeSet<String> {
    const CALL: &str = r#"source "$1"; shift
COMP_WORDS=(logzio-shared-tokens "$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
_logzio__shared__tokens logzio-shared-tokens "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}""#;
    let output = shell("bash", scripted.dir.path())
        .args(["--norc", "--noprofile", "-c", CALL, "bash"])
        .arg(&scripted.script)
        .args(words)
        .output()
        .expect("bash must be installed");
    assert!(
        output.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    offered_lines(&output.stdout)
}

/// What fish offers for the command line `line` (`complete -C`), without descriptions.
fn fish_offers(scripted: &Scripted, line: &str) -> BTreeSet<String> {
    let output = shell("fish", scripted.dir.path())
        .args(["--no-config", "-c", "source $argv[1]; complete -C $argv[2]"])
        .arg(&scripted.script)
        .arg(line)
        .output()
        .expect("fish must be installed (apt-get install fish)");
    assert!(
        output.status.success(),
        "fish: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines()
        .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
        .filter(|word| !word.is_empty())
        .collect()
}

fn offered_lines(stdout: &[u8]) -> BTreeSet<String> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words that are not options (bash and zsh offer the options beside them).
fn without_options(offered: &BTreeSet<String>) -> BTreeSet<String> {
    offered
        .iter()
        .filter(|word| !word.starts_with('-'))
        .cloned()
        .collect()
}

#[test]
fn bash_completes_subcommands_flags_and_values_below_the_first_word() {
    let scripted = scripted("bash");
    let tokens = bash_offers(&scripted, &["tokens", ""]);
    assert_eq!(without_options(&tokens), tokens_subcommands(), "{tokens:?}");
    assert!(tokens.contains("--quiet"), "{tokens:?}");
    assert_eq!(
        bash_offers(&scripted, &["audit", "--fail-on", ""]),
        fail_on_values()
    );
    assert_eq!(
        bash_offers(&scripted, &["tokens", "create", "x", "--operator", ""]),
        words(&["OR", "AND"])
    );
    let regions: BTreeSet<String> = Region::ALL
        .iter()
        .map(|region| region.code().to_owned())
        .collect();
    assert_eq!(
        bash_offers(&scripted, &["tokens", "list", "--region", ""]),
        regions
    );
    assert_eq!(
        bash_offers(&scripted, &["tokens", "list", "--output", ""]),
        words(&["table", "json", "value"])
    );
    let flags = bash_offers(&scripted, &["rotate", "--"]);
    assert!(flags.contains("--keep-old"), "{flags:?}");
}

#[test]
#[ignore = "needs fish, which CI installs and runs with --ignored"]
fn fish_completes_subcommands_and_values() {
    let scripted = scripted("fish");
    assert_eq!(
        fish_offers(&scripted, "logzio-shared-tokens tokens "),
        tokens_subcommands()
    );
    assert_eq!(
        fish_offers(&scripted, "logzio-shared-tokens audit --fail-on "),
        fail_on_values()
    );
    assert_eq!(
        fish_offers(
            &scripted,
            "logzio-shared-tokens tokens create x --operator "
        ),
        words(&["OR", "AND"])
    );
}

/// Sourced by the interactive zsh: the completion system, the script, and a
/// `compadd` that prints every word it is asked to offer between markers.
/// Calls that only compute matches (`-O`, `-A`, `-D`) pass through unprinted.
/// After each completion, `<done/>` says the list is complete.
const ZSH_SETUP: &str = r#"autoload -U compinit && compinit -u -D
source "$1"
compadd() {
  if (( ${argv[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
  local -a found
  builtin compadd -O found "$@"
  local word
  for word in $found; do print -r -- "<offer>$word</offer>"; done
  builtin compadd "$@"
}
completion_done() { print -r -- '<done/>'; }
comppostfuncs=(completion_done)
bindkey '^I' complete-word
print -r -- '<ready/>'
"#;

/// What zsh offers when Tab is pressed after `line`.
fn zsh_offers(scripted: &Scripted, line: &str) -> BTreeSet<String> {
    let setup = scripted.dir.path().join("setup.zsh");
    std::fs::write(&setup, ZSH_SETUP).unwrap();
    let mut command = shell("zsh", scripted.dir.path());
    command.args(["-f", "-i"]);
    let mut session =
        rexpect::session::spawn_command(command, Some(30_000)).expect("zsh must be installed");
    session
        .send_line(&format!(
            "source {} {}",
            setup.display(),
            scripted.script.display()
        ))
        .unwrap();
    session.exp_string("<ready/>").unwrap();
    session.send(&format!("{line}\t")).unwrap();
    session.flush().unwrap();
    let screen = session.exp_string("<done/>").unwrap();
    // An interactive zsh ignores the SIGTERM rexpect would end it with on drop.
    session
        .process_mut()
        .kill(rexpect::process::Signal::SIGKILL)
        .unwrap();
    screen
        .split("<offer>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</offer>"))
        .map(|(word, _)| word.to_owned())
        .collect()
}

#[test]
#[ignore = "needs zsh, which CI installs and runs with --ignored"]
fn zsh_completes_subcommands_and_values() {
    let scripted = scripted("zsh");
    let tokens = zsh_offers(&scripted, "logzio-shared-tokens tokens ");
    assert_eq!(without_options(&tokens), tokens_subcommands(), "{tokens:?}");
    let fail_on = zsh_offers(&scripted, "logzio-shared-tokens audit --fail-on ");
    assert_eq!(fail_on, fail_on_values());
}
