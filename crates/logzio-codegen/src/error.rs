//! Errors that name the file, the JSON pointer and the fix: the one shape every
//! stage of the pipeline reports in, so `build.rs`, `xtask` and tests print alike.

use std::fmt;

/// One problem in a spec document, located by file and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// The file the document came from, as the caller named it.
    pub file: String,
    /// RFC 6901 JSON pointer to the offending node (`""` is the whole document).
    pub pointer: String,
    /// What is wrong there.
    pub problem: String,
    /// How to fix it, when there is something better to say than "fix it".
    pub hint: Option<String>,
}

impl SpecProblem {
    pub(crate) fn new(file: &str, pointer: &str, problem: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            problem: problem.into(),
            hint: None,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        write!(f, "{}: at {}: {}", self.file, pointer, self.problem)?;
        if let Some(hint) = &self.hint {
            write!(f, " Fix: {hint}")?;
        }
        Ok(())
    }
}

/// Everything that can stop the pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// The spec file could not be read.
    #[error("{file}: cannot read the spec: {source}")]
    Read {
        /// The file that could not be read.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The spec is not well-formed JSON or YAML.
    #[error("{file}: not valid {format}: {message}")]
    Parse {
        /// The file that could not be parsed.
        file: String,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's own message, with line and column.
        message: String,
    },
    /// The spec is well-formed but describes something the pipeline refuses.
    #[error("{}", render_problems(.0))]
    Spec(Vec<SpecProblem>),
    /// progenitor refused the (already validated) document.
    #[error("{file}: progenitor could not generate a client: {message}")]
    Generator {
        /// The spec file.
        file: String,
        /// progenitor's message.
        message: String,
    },
    /// The generated tokens are not valid Rust (a generator bug, not a spec problem).
    #[error("{file}: the generated code does not parse as Rust: {message}")]
    Format {
        /// The spec file.
        file: String,
        /// syn's message.
        message: String,
    },
}

fn render_problems(problems: &[SpecProblem]) -> String {
    let mut out = String::new();
    for (i, problem) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&problem.to_string());
    }
    out
}
