//! Prints the spec text a `spec` fuzz input stands for:
//! `cargo run -p logzio-hostile-input --example show_spec_input -- FILE`.
fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: show_spec_input FILE");
        std::process::exit(2);
    };
    match std::fs::read(&path) {
        Ok(bytes) => match logzio_hostile_input::spec::spec_text(&bytes) {
            Some(text) => println!("{text}"),
            None => eprintln!(
                "{}: not UTF-8, so the file is refused when read",
                path.display()
            ),
        },
        Err(error) => {
            eprintln!(
                "cannot read {}: {error}",
                std::path::Path::new(&path).display()
            );
            std::process::exit(1);
        }
    }
}
