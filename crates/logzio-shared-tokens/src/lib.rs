//! Placeholder: see the open issue for this crate.
