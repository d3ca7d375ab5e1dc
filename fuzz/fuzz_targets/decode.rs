//! `cargo +nightly fuzz run decode`: see logzio_hostile_input::decode for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logzio_hostile_input::decode::check(data));
