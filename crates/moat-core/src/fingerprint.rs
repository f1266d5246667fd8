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
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for finding in findings.iter_mut() {
        let code = normalise(if finding.matched_code.is_empty() {
            &finding.snippet
        } else {
            &finding.matched_code
        });
        let key = (finding.rule_id.clone(), finding.location.path.clone(), code);
        let occurrence = seen.entry(key.clone()).or_insert(0);
        let mut hasher = Sha256::new();
        for part in [key.0.as_str(), key.1.as_str(), key.2.as_str()] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
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
