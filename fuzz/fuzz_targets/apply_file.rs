//! `cargo +nightly fuzz run apply_file`: see logzio_hostile_input::apply_file for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logzio_hostile_input::apply_file::check(data));
