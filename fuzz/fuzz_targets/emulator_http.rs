//! `cargo +nightly fuzz run emulator_http`: see logzio_hostile_input::emulator_http for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logzio_hostile_input::emulator_http::check(data));
