//! `completions SHELL`: clap_complete's script for the shell, mended where
//! clap_complete gets it wrong.
//!
//! clap_complete's bash script tracks the subcommand typed so far in `cmd`,
//! spelling the binary's name with `-` as `__` (`logzio__shared__tokens`),
//! but labels its case arms with `-` as `__subcmd__`
//! (`logzio__subcmd__shared__subcmd__tokens__subcmd__tokens`), so for a
//! hyphenated binary name no arm below the top level ever matches and Tab
//! falls back to file names. The mend relabels those arms the way `cmd` is
//! spelled; once clap_complete spells them alike, it finds nothing to change.
//! (zsh and fish scripts keep the name verbatim and are not affected.)

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::CliError;
use crate::output::Printer;

/// The binary's name, as the shell sees it.
const BINARY: &str = "logzio-shared-tokens";

/// Prints the completion script for `shell`.
pub fn print(shell: Shell, printer: &Printer) -> Result<(), CliError> {
    printer.text(&script(shell)?)
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BINARY, &mut bytes);
    let script = String::from_utf8(bytes).map_err(|error| {
        CliError::failure(format!(
            "the {shell} completion script is not UTF-8: {error}"
        ))
    })?;
    Ok(match shell {
        Shell::Bash => mend_bash_arm_labels(&script, BINARY),
        _ => script,
    })
}

/// Relabels the case arms of clap_complete's bash script that spell the
/// binary's name with `__subcmd__` for each `-`, as its `cmd` variable
/// spells it (`__`).
fn mend_bash_arm_labels(script: &str, binary: &str) -> String {
    if !binary.contains('-') {
        return script.to_owned();
    }
    let arm_spelling = binary.replace('-', "__subcmd__");
    let cmd_spelling = binary.replace('-', "__");
    script
        .lines()
        .map(|line| {
            let label = line.trim_start();
            let is_arm = label.ends_with(')')
                && (label.starts_with(&format!("{arm_spelling})"))
                    || label.starts_with(&format!("{arm_spelling}__subcmd__")));
            if is_arm {
                line.replacen(&arm_spelling, &cmd_spelling, 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bash_arm_is_a_state_the_loop_can_reach() {
        let script = script(Shell::Bash).unwrap();
        let reachable: Vec<&str> = script
            .lines()
            .filter_map(|line| line.trim().strip_prefix("cmd=\""))
            .filter_map(|rest| rest.strip_suffix('"'))
            .filter(|state| !state.is_empty())
            .collect();
        assert!(reachable.contains(&"logzio__shared__tokens__subcmd__tokens"));
        let arms: Vec<&str> = script
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("logzio__") && !line.contains(','))
            .filter_map(|line| line.strip_suffix(')'))
            .collect();
        assert!(arms.len() > 10, "{arms:?}");
        for arm in arms {
            assert!(reachable.contains(&arm), "the arm {arm} is never reached");
        }
    }
}
