//! Any text as `moat.toml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let _ = moat_core::Config::parse(data);
});
