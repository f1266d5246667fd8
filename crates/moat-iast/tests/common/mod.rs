//! Helpers shared by the analyser tests: locate the tainted text and check a verdict.

use std::ops::Range;

/// A sink analyser: text plus tainted byte ranges → injected or not.
pub(crate) type Analyser = fn(&str, &[Range<usize>]) -> bool;

/// Byte range of the first occurrence of `tainted` in `text`.
pub(crate) fn span(text: &str, tainted: &str) -> Range<usize> {
    let start = text
        .find(tainted)
        .unwrap_or_else(|| panic!("`{tainted}` is not in `{text}`"));
    start..start + tainted.len()
}

/// Asserts that tainted `tainted` changes the structure of `text`.
pub(crate) fn assert_injected(analyser: Analyser, text: &str, tainted: &str) {
    assert!(
        analyser(text, &[span(text, tainted)]),
        "expected injection: `{tainted}` in `{text}`"
    );
}

/// Asserts that tainted `tainted` stays a value in `text`.
pub(crate) fn assert_safe(analyser: Analyser, text: &str, tainted: &str) {
    assert!(
        !analyser(text, &[span(text, tainted)]),
        "expected safe: `{tainted}` in `{text}`"
    );
}
