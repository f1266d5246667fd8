//! The bundled rules and the engine's own case suite, run as `moat rules test` runs them.

use std::path::Path;

use moat_sast::testing::{self, TestReport};
use moat_sast::{Language, RuleSet};

fn run(dir: &str) -> TestReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let report = testing::run(&path);
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "{dir}:\n{}", failures.join("\n"));
    report
}

#[test]
fn bundled_rules_pass_their_tests() {
    let report = run("../../rules");
    assert!(report.rules >= 80, "only {} bundled rules", report.rules);
}

#[test]
fn bundled_rules_cover_both_languages() {
    let rules = RuleSet::bundled().expect("bundled rules load");
    let count = |lang: Language| {
        rules
            .rules()
            .iter()
            .filter(|r| r.languages.contains(&lang))
            .count()
    };
    assert!(
        count(Language::Python) >= 40,
        "python: {}",
        count(Language::Python)
    );
    assert!(
        count(Language::JavaScript) >= 40,
        "javascript: {}",
        count(Language::JavaScript)
    );
    for rule in rules.rules() {
        let info = &rule.info;
        assert!(!info.cwe.is_empty(), "{} has no CWE", info.id);
        assert!(!info.owasp.is_empty(), "{} has no OWASP category", info.id);
        assert!(
            !info.remediation.is_empty(),
            "{} has no remediation",
            info.id
        );
    }
}

#[test]
fn engine_cases_python() {
    let report = run("tests/engine/python");
    assert!(report.cases >= 150, "{} cases", report.cases);
}

#[test]
fn engine_cases_javascript() {
    let report = run("tests/engine/javascript");
    assert!(report.cases >= 150, "{} cases", report.cases);
}

#[test]
fn engine_cases_typescript() {
    let report = run("tests/engine/typescript");
    assert!(report.cases >= 150, "{} cases", report.cases);
}
