use std::collections::HashMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::Finding;

/// Gives every finding a fingerprint made of its rule id, path, the matched code with
/// whitespace collapsed, and its occurrence among identical matches in that file.
///
/// The line number is left out on purpose: adding lines above a finding must not make
/// it a new finding. The occurrence keeps two identical matches in one file apart.
/// Findings must already be sorted by [`Finding::sort_key`] so occurrences are stable.
pub fn assign_fingerprints(findings: &mut [Finding]) {
    let mut fingerprints = Fingerprints::default();
    for finding in findings.iter_mut() {
        fingerprints.assign(finding);
    }
}

/// The fingerprinting of [`assign_fingerprints`] one finding at a time, for findings that
/// arrive as a stream (the server reading a large upload) rather than as one slice.
///
/// It remembers a 16-byte digest per distinct match, not the findings themselves.
#[derive(Debug, Default)]
pub struct Fingerprints {
    seen: HashMap<[u8; 16], usize>,
}

impl Fingerprints {
    /// Sets `finding.fingerprint`, counting it among the identical matches seen so far.
    pub fn assign(&mut self, finding: &mut Finding) {
        let code = normalise(if finding.matched_code.is_empty() {
            &finding.snippet
        } else {
            &finding.matched_code
        });
        let mut key = Sha256::new();
        for part in [
            finding.rule_id.as_str(),
            finding.location.path.as_str(),
            &code,
        ] {
            key.update(part.as_bytes());
            key.update([0]);
        }
        let mut hasher = key.clone();
        let mut digest = [0; 16];
        digest.copy_from_slice(&key.finalize()[..16]);
        let occurrence = self.seen.entry(digest).or_insert(0);
        hasher.update(occurrence.to_le_bytes());
        *occurrence += 1;
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(32);
        for byte in &digest[..16] {
            let _ = write!(hex, "{byte:02x}");
        }
        finding.fingerprint = hex;
    }
}

fn normalise(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Kind, Location, Position, Severity};

    fn finding(line: usize, code: &str) -> Finding {
        let mut f = Finding::new("r", Kind::Sast, Severity::Low, "t", "m").at(Location::new(
            "a.py",
            Position::new(line, 1),
            Position::new(line, 2),
        ));
        f.matched_code = code.into();
        f
    }

    #[test]
    fn survives_moving_and_reformatting() {
        let mut before = [finding(3, "eval(x)")];
        let mut after = [finding(40, "eval( x )".replace("( x )", "(x)").as_str())];
        assign_fingerprints(&mut before);
        assign_fingerprints(&mut after);
        assert_eq!(before[0].fingerprint, after[0].fingerprint);
        let mut spaced = [finding(1, "eval(x)\n   ")];
        assign_fingerprints(&mut spaced);
        assert_eq!(before[0].fingerprint, spaced[0].fingerprint);
    }

    #[test]
    fn identical_matches_in_one_file_differ_by_occurrence() {
        let mut two = [finding(1, "eval(x)"), finding(2, "eval(x)")];
        assign_fingerprints(&mut two);
        assert_ne!(two[0].fingerprint, two[1].fingerprint);
        assert_eq!(two[0].fingerprint.len(), 32);
    }

    #[test]
    fn different_code_differs() {
        let mut a = [finding(1, "eval(x)")];
        let mut b = [finding(1, "eval(y)")];
        assign_fingerprints(&mut a);
        assign_fingerprints(&mut b);
        assert_ne!(a[0].fingerprint, b[0].fingerprint);
    }
}
