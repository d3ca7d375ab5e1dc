//! What the commands that act on a token or delete take besides their own
//! flags: a token named by id or by name, and `--yes`.

use clap::Args;

/// `--yes` of the commands that delete (`tokens delete`, `filters delete`,
/// `rotate`, `apply`): what it means is the `confirm` module's one rule.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct ConfirmArgs {
    /// Go ahead without asking (needed when standard input is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// A token as a person names it on the command line: all digits is an id,
/// anything else a name (which the facade resolves only when it is unique).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRef {
    /// The token's id.
    Id(i32),
    /// The token's name.
    Name(String),
}

impl std::str::FromStr for TokenRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().is_empty() {
            return Err("a token is named by its id or its name, and this is empty".to_owned());
        }
        if !text.bytes().all(|byte| byte.is_ascii_digit()) {
            return Ok(Self::Name(text.to_owned()));
        }
        text.parse().map(Self::Id).map_err(|_| {
            format!("`{text}` is all digits, so it is read as a token id, and no id is that large")
        })
    }
}

impl std::fmt::Display for TokenRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Name(name) => write!(f, "{name:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_an_id_when_all_digits_else_a_name() {
        assert_eq!("42".parse(), Ok(TokenRef::Id(42)));
        assert_eq!(
            "checkout-dash".parse(),
            Ok(TokenRef::Name("checkout-dash".to_owned()))
        );
        assert_eq!("4 2".parse(), Ok(TokenRef::Name("4 2".to_owned())));
        assert!("99999999999".parse::<TokenRef>().is_err());
        assert!(" ".parse::<TokenRef>().is_err());
    }
}
