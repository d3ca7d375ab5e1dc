//! `cargo +nightly fuzz run spec`: see logzio_hostile_input::spec for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logzio_hostile_input::spec::check(data));
