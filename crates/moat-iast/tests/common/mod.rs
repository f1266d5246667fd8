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

/// A tiny deterministic generator, so the random-input tests fail the same way twice.
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    pub(crate) fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % (1 << 31)).expect("below 2^31, fits in usize")
    }
}

/// About `len` bytes made of random `pieces`.
pub(crate) fn random_text(rng: &mut XorShift, pieces: &[&str], len: usize) -> String {
    let mut text = String::with_capacity(len + 8);
    while text.len() < len {
        text.push_str(pieces[rng.next() % pieces.len()]);
    }
    text
}

/// `count` random ranges, some past the end of a text of `len` bytes.
pub(crate) fn random_ranges(rng: &mut XorShift, len: usize, count: usize) -> Vec<Range<usize>> {
    (0..count)
        .map(|_| {
            let start = rng.next() % (len + 100);
            start..start + rng.next() % 2_000
        })
        .collect()
}
