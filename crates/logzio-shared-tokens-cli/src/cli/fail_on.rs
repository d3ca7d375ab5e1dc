//! The kinds of `audit` finding and what `--fail-on` names: the vocabulary
//! both the command line and `audit` speak, below both.

use std::sync::LazyLock;

use clap::ValueEnum;
use clap::builder::PossibleValue;

/// A kind of finding. Its one list: `--fail-on` offers these names (plus
/// `any`), and each variant's doc line is its help there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingKind {
    /// A token without filters: it can read all of the account's logs
    NoFilters,
    /// A token past its expiration date
    Expired,
    /// A token expiring within --expiring-within days
    Expiring,
    /// A token never used, created more than --unused-for days ago
    NeverUsed,
    /// A token unused for --unused-for days
    Unused,
    /// A filter attached to no token
    OrphanFilter,
    /// A filter with the same field and value as one with a lower id
    DuplicateFilter,
}

impl FindingKind {
    /// The `--fail-on` name (`no-filters`, `orphan-filter`, ...).
    pub fn name(self) -> String {
        use clap::ValueEnum;
        // Every variant has a possible value: none is `#[value(skip)]`.
        self.to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }

    /// Whether `--fail-on` with `fail_on` fails on this kind.
    pub fn selected_by(self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Any => true,
            FailOn::Kind(kind) => self == kind,
        }
    }
}

/// What `audit --fail-on` can name: `any`, or one kind of finding (the
/// kinds and their help come from [`FindingKind`], their one list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Every kind of finding
    Any,
    /// One kind of finding
    Kind(FindingKind),
}

impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: LazyLock<Vec<FailOn>> = LazyLock::new(|| {
            std::iter::once(FailOn::Any)
                .chain(
                    FindingKind::value_variants()
                        .iter()
                        .map(|&kind| FailOn::Kind(kind)),
                )
                .collect()
        });
        &VARIANTS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            FailOn::Any => Some(PossibleValue::new("any").help("Every kind of finding")),
            FailOn::Kind(kind) => kind.to_possible_value(),
        }
    }
}
