//! Fuzz target: `kazsearch_fuzz::query` (the invariants are documented in src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kazsearch_fuzz::query(data));
