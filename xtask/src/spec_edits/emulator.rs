//! Drives the copy's CLI binary against its own emulator (started as
//! `logzio-shared-tokens emulator` on a free loopback port), as a user would
//! after a spec update.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};

use super::{CliRun, cargo, expect};

/// The emulator account's API token (a loopback test value, not a secret).
const API_TOKEN: &str = "spec-edits-api-token";
/// How long the emulator may take to print its URL.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Builds the copy's CLI, starts its emulator, runs `run` against it.
pub(super) fn drive_cli(copy: &Path, run: &CliRun) -> anyhow::Result<()> {
    let binary = build_cli(copy)?;
    let mut emulator = Emulator::start(&binary)?;
    let url = emulator.url()?;
    let mut child = Command::new(&binary)
        .args(&run.args)
        .env("LOGZIO_API_TOKEN", API_TOKEN)
        .env("LOGZIO_API_URL", &url)
        .env_remove("LOGZIO_REGION")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting the CLI")?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(run.stdin.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    emulator.stop();
    let what = format!("logzio-shared-tokens {}", run.args.join(" "));
    expect(&output, &what, run.exit, &run.stdout)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let missing: Vec<&String> = run
        .stderr
        .iter()
        .filter(|line| !stderr.contains(line.as_str()))
        .collect();
    if !missing.is_empty() {
        bail!("{what}: stderr lacks {missing:?}:\n{stderr}");
    }
    Ok(())
}

fn build_cli(copy: &Path) -> anyhow::Result<PathBuf> {
    let output = cargo(copy)
        .args([
            "build",
            "--quiet",
            "--package",
            "logzio-shared-tokens-cli",
            "--bin",
            "logzio-shared-tokens",
            "--message-format=json",
        ])
        .output()
        .context("building the CLI")?;
    if !output.status.success() {
        bail!(
            "the CLI does not build: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "logzio-shared-tokens")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .context("cargo named no executable for the CLI")
}

/// A running `logzio-shared-tokens emulator`; killed when dropped.
struct Emulator {
    child: Child,
}

impl Emulator {
    fn start(binary: &Path) -> anyhow::Result<Self> {
        let child = Command::new(binary)
            .args([
                "emulator",
                "--listen",
                "127.0.0.1:0",
                "--api-token",
                API_TOKEN,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the emulator")?;
        Ok(Self { child })
    }

    /// The first line the emulator prints: the base URL it listens on.
    fn url(&mut self) -> anyhow::Result<String> {
        let stdout = self.child.stdout.take().context("the emulator's stdout")?;
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
            let _ = sender.send(read);
        });
        let line = receiver
            .recv_timeout(START_TIMEOUT)
            .context("the emulator printed no URL in time")??;
        let url = line.trim().to_owned();
        if !url.starts_with("http://127.0.0.1:") {
            bail!("the emulator's first line is not its URL: {url:?}");
        }
        Ok(url)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}
