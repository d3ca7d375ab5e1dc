//! `logzio-shared-tokens`: see the library crate (`logzio_shared_tokens_cli`).

fn main() -> std::process::ExitCode {
    logzio_shared_tokens_cli::run(std::env::args_os())
}
