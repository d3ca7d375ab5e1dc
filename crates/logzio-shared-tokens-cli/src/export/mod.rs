//! `export [--format toml|yaml] [--output FILE] [--force]`: the account's
//! filters and tokens as a file `apply` reads, so a team can adopt an
//! existing account as code.
//!
//! It reads only; it must never change the account, never write a token
//! value, and never replace an existing file without `--force` (the file is
//! written whole, then moved into place, so a failure leaves no half file).

pub mod document;

use std::io::Write;
use std::path::Path;

use logzio_shared_tokens::Client;

use crate::apply::file::FileFormat;
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::CliError;
use crate::output::Printer;

/// Runs `export`.
pub async fn run(client: &Client, args: &ExportArgs, printer: &Printer) -> Result<(), CliError> {
    if printer.json() {
        return Err(CliError::usage(
            "export writes TOML or YAML (--format), not JSON: drop --json / --output json",
        ));
    }
    let format = format_of(args)?;
    if let Some(path) = &args.output {
        refuse_overwrite(path, args.force)?;
    }
    let (tokens_api, filters_api) = (client.tokens(), client.filters());
    let (tokens, filters) = tokio::try_join!(tokens_api.list(), filters_api.list())
        .map_err(|error| CliError::api("export: reading the account", &error))?;
    let export = document::build(&tokens, &filters);
    let text = document::render(&export, format, client.base_url()).map_err(|reason| {
        CliError::failure(format!(
            "export: internal error, nothing was written: the file would not read back as \
             written ({reason}); please report it"
        ))
    })?;

    let destination = args
        .output
        .as_ref()
        .map_or_else(|| "the output".to_owned(), |p| p.display().to_string());
    match &args.output {
        Some(path) => write_file(path, &text, args.force)?,
        None => printer.text(&text)?,
    }
    if format == FileFormat::Yaml {
        for remark in export.remarks() {
            printer.note(remark);
        }
    } else if !export.notes.is_empty() {
        printer.note(format!(
            "{} token(s) or filter(s) of the account are not managed by apply: see the \
             comments at the end of {destination}",
            export.notes.len()
        ));
    }
    if args.output.is_some() {
        printer.narrate(format!(
            "Exported {} filter(s) and {} token(s) to {destination}.",
            export.state.filters.len(),
            export.state.tokens.len()
        ))?;
    }
    Ok(())
}

/// `--format`, or the output file's extension, or TOML; they must agree,
/// because `apply` picks the format by extension.
fn format_of(args: &ExportArgs) -> Result<FileFormat, CliError> {
    let asked = args.format.map(|format| match format {
        ExportFormat::Toml => FileFormat::Toml,
        ExportFormat::Yaml => FileFormat::Yaml,
    });
    let Some(path) = &args.output else {
        return Ok(asked.unwrap_or(FileFormat::Toml));
    };
    let by_extension = FileFormat::of_path(path).map_err(|reason| {
        CliError::usage(format!(
            "export: {reason}: apply chooses the format by the extension"
        ))
    })?;
    match asked {
        Some(asked) if asked != by_extension => Err(CliError::usage(format!(
            "export: --format {} disagrees with {}: apply would read it as {by_extension:?}; \
             change the extension or drop --format",
            format_name(asked),
            path.display()
        ))),
        _ => Ok(by_extension),
    }
}

fn format_name(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Toml => "toml",
        FileFormat::Yaml => "yaml",
    }
}

fn exists_error(path: &Path) -> CliError {
    CliError::usage(format!(
        "export: {} exists: pass --force to replace it (nothing was written)",
        path.display()
    ))
}

/// Fails before any request when the file exists and `--force` is absent.
fn refuse_overwrite(path: &Path, force: bool) -> Result<(), CliError> {
    if !force && path.symlink_metadata().is_ok() {
        return Err(exists_error(path));
    }
    Ok(())
}

/// Writes a temporary file beside `path`, then moves it into place: without
/// `force` only if `path` still does not exist.
fn write_file(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    let cannot = |error: &dyn std::fmt::Display| {
        CliError::failure(format!("export: cannot write {}: {error}", path.display()))
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".logzio-shared-tokens-export");
    // A file to review and commit, holding no secret: readable like any file
    // the user creates (the umask applies), not tempfile's owner-only default.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder
        .tempfile_in(directory)
        .map_err(|error| cannot(&error))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|error| cannot(&error))?;
    let placed = if force {
        file.persist(path).map(drop)
    } else {
        file.persist_noclobber(path).map(drop)
    };
    match placed {
        Ok(()) => Ok(()),
        Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(exists_error(path))
        }
        Err(error) => Err(cannot(&error.error)),
    }
}
