//! Any text as Python, JavaScript and TypeScript source under the bundled rules.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use moat_sast::{Language, RuleSet};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().expect("bundled rules load"))
}

fuzz_target!(|data: &str| {
    for language in Language::ALL {
        let _ = rules().scan_text(language, "fuzz", data);
    }
});
