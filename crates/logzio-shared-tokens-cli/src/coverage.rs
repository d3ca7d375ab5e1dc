//! Which curated CLI command performs each operation of the spec. An
//! operation added to `swagger.json` has none until someone writes it; it is
//! reachable the day it lands with `logzio-shared-tokens api OPERATION_ID`,
//! and `cargo xtask check` lists it as work left.

use logzio_shared_tokens_api::operations::Operation;

/// The curated command (subcommand words, without the binary name) that
/// performs `operation`, or `None` when only `api` reaches it so far.
pub fn command_for(operation: Operation) -> Option<&'static str> {
    Some(match operation {
        Operation::GetAllTokens => "tokens list",
        Operation::CreateToken => "tokens create",
        Operation::GetToken => "tokens get",
        Operation::UpdateToken => "tokens update",
        Operation::DeleteToken => "tokens delete",
        Operation::GetAllFilters => "filters list",
        Operation::CreateFilter => "filters create",
        Operation::GetFilter => "filters get",
        Operation::DeleteFilter => "filters delete",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    /// Every operation's command exists in the clap definition and is a leaf
    /// (a command that runs, not a group).
    #[test]
    fn every_operation_has_a_runnable_command() {
        let root = Cli::command();
        let mut seen = Vec::new();
        for &operation in Operation::ALL {
            let Some(words) = command_for(operation) else {
                continue;
            };
            let mut command = &root;
            for word in words.split_whitespace() {
                command = command.find_subcommand(word).unwrap_or_else(|| {
                    panic!("{}: `{words}` is not a command", operation.operation_id())
                });
            }
            assert!(
                !command.has_subcommands(),
                "{}: `{words}` is a group, not a command",
                operation.operation_id()
            );
            assert!(!seen.contains(&words), "`{words}` is mapped twice");
            seen.push(words);
        }
    }

    /// And each parses with the arguments its help asks for.
    #[test]
    fn every_operation_command_parses() {
        use clap::Parser;
        for &operation in Operation::ALL {
            let Some(words) = command_for(operation) else {
                continue;
            };
            let mut argv: Vec<&str> = vec!["logzio-shared-tokens"];
            argv.extend(words.split_whitespace());
            match operation {
                Operation::GetToken | Operation::DeleteToken => argv.push("1"),
                Operation::GetFilter | Operation::DeleteFilter => argv.push("1"),
                Operation::UpdateToken => argv.extend(["1", "--operator", "AND"]),
                Operation::CreateToken => argv.push("name"),
                Operation::CreateFilter => argv.extend(["type", "nginx"]),
                Operation::GetAllTokens | Operation::GetAllFilters => {}
                other => panic!("{other:?} has a command but no arguments here"),
            }
            Cli::try_parse_from(&argv).unwrap_or_else(|error| panic!("{argv:?}: {error}"));
        }
    }
}
