//! Any text as a rule file: an error or rules, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let _ = moat_sast::parse_rules(std::path::Path::new("fuzz.yaml"), data);
});
