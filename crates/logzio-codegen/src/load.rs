//! Reading a spec file: JSON, or YAML with the `import` feature, chosen by
//! content rather than by name, so `import-spec` takes whatever Logz.io
//! publishes while `build.rs` (JSON only) compiles no YAML parser.

use std::path::Path;

use serde_json::Value;

use crate::CodegenError;

/// A spec document as loaded, with the name used in every error about it.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// The name errors use for the file (usually the path as given).
    pub file: String,
    /// The raw bytes' text, kept for hashing.
    pub text: String,
    /// The parsed document.
    pub document: Value,
}

impl SpecSource {
    /// Reads and parses a JSON file, or a YAML file with the `import` feature.
    pub fn read(path: &Path) -> Result<Self, CodegenError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Read {
            file: file.clone(),
            source,
        })?;
        Self::parse(&file, text)
    }

    /// Parses text that was read elsewhere; `file` names it in errors.
    pub fn parse(file: &str, text: String) -> Result<Self, CodegenError> {
        let looks_like_json = text.trim_start().starts_with('{');
        let document = if looks_like_json {
            serde_json::from_str(&text).map_err(|e| CodegenError::Parse {
                file: file.to_owned(),
                format: "JSON",
                message: e.to_string(),
            })?
        } else {
            parse_yaml(file, &text)?
        };
        Ok(Self {
            file: file.to_owned(),
            text,
            document,
        })
    }

    /// Hex SHA-256 of the file's text, recorded in generated headers.
    pub fn sha256(&self) -> String {
        let digest = hmac_sha256::Hash::hash(self.text.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(feature = "import")]
fn parse_yaml(file: &str, text: &str) -> Result<Value, CodegenError> {
    serde_norway::from_str::<Value>(text).map_err(|e| CodegenError::Parse {
        file: file.to_owned(),
        format: "YAML",
        message: e.to_string(),
    })
}

#[cfg(not(feature = "import"))]
fn parse_yaml(file: &str, _text: &str) -> Result<Value, CodegenError> {
    Err(CodegenError::Parse {
        file: file.to_owned(),
        format: "JSON",
        message: "the document does not start with `{`; reading YAML needs \
                  logzio-codegen's `import` feature"
            .to_owned(),
    })
}
