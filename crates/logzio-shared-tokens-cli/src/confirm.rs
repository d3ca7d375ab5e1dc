//! The one rule for commands that delete (`tokens delete`, `filters delete`,
//! `rotate`, `apply`): with `--yes`, go ahead; otherwise, on a terminal, show
//! what will go and what stops working because of it, then ask; without a
//! terminal, refuse with a usage error that says to pass `--yes`, so a
//! script never deletes by accident and never hangs on a question.
//!
//! "A terminal" means standard input: that is where the answer would come
//! from. The question goes to stderr, so stdout stays a clean document.

use std::future::Future;
use std::io::{BufRead, IsTerminal, Write};

use crate::cli::ConfirmArgs;
use crate::error::CliError;

/// What a person is asked to confirm.
#[derive(Debug)]
pub struct Confirmation {
    /// What will go, one line each (empty when the caller printed it already,
    /// as `apply` does with its plan).
    pub going: Vec<String>,
    /// What stops working because of it, one sentence each.
    pub breaks: Vec<String>,
    /// The question, naming how much and where: `Delete 2 token(s) at URL?`.
    pub question: String,
}

/// The sentence every deletion of a token value carries (Logz.io's own
/// documentation: deleting a token breaks its links).
pub const TOKEN_LINKS_BREAK: &str =
    "Shared links and dashboards that use a deleted token's value stop working.";

/// Decides whether `command` may go ahead. `describe` builds what to show
/// and is called only when there is someone to ask (it may send requests,
/// e.g. to name the tokens a filter restricts).
///
/// A usage error (exit 2) without a terminal and without `--yes`; a failure
/// (exit 1) when the answer is not yes.
pub async fn confirm<F>(
    command: &str,
    args: ConfirmArgs,
    describe: impl FnOnce() -> F,
) -> Result<(), CliError>
where
    F: Future<Output = Result<Confirmation, CliError>>,
{
    if args.yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::usage(format!(
            "{command}: nothing was changed: it needs a confirmation and standard input is not a \
             terminal; pass --yes (-y) to go ahead without one"
        )));
    }
    let confirmation = describe().await?;
    let mut stderr = std::io::stderr().lock();
    // The question is best effort: an unwritable stderr must not turn into a yes.
    let _ = write!(stderr, "{}", confirmation.render());
    let _ = stderr.flush();
    drop(stderr);
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|error| {
        CliError::failure(format!("{command}: cannot read the answer: {error}"))
    })?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "{command}: not confirmed; nothing was changed"
        )))
    }
}

impl Confirmation {
    /// The lines shown before the answer is read, the question last.
    fn render(&self) -> String {
        let mut text = String::new();
        for line in &self.going {
            text.push_str(&format!("  {line}\n"));
        }
        for sentence in &self.breaks {
            text.push_str(&format!("{sentence}\n"));
        }
        text.push_str(&format!("{} [y/N] ", self.question));
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_goes_comes_before_what_breaks_and_the_question_last() {
        let confirmation = Confirmation {
            going: vec!["token 4 \"ci\"".to_owned()],
            breaks: vec![TOKEN_LINKS_BREAK.to_owned()],
            question: "Delete 1 token(s) at http://127.0.0.1:1?".to_owned(),
        };
        assert_eq!(
            confirmation.render(),
            format!(
                "  token 4 \"ci\"\n{TOKEN_LINKS_BREAK}\nDelete 1 token(s) at http://127.0.0.1:1? [y/N] "
            )
        );
    }
}
