//! Rules and sources that are wrong in every way we could think of: each gives a clear
//! error or a partial result, never a panic.

use std::path::Path;

use moat_sast::{Language, RuleSet, parse_rules};

fn rule_error(yaml: &str) -> String {
    match parse_rules(Path::new("bad.yaml"), yaml) {
        Ok(rules) => panic!("expected an error, got {} rules", rules.len()),
        Err(e) => e.to_string(),
    }
}

fn one_rule(body: &str) -> String {
    format!(
        "rules:\n  - id: demo.rule\n    message: m\n    severity: high\n    languages: [python]\n{body}"
    )
}

#[test]
fn unknown_key_names_file_rule_and_key_with_a_hint() {
    let err = rule_error(&one_rule("    patern: eval($X)\n"));
    assert!(err.contains("bad.yaml"), "{err}");
    assert!(err.contains("demo.rule"), "{err}");
    assert!(err.contains("patern"), "{err}");
    assert!(err.contains("did you mean `pattern`"), "{err}");
}

#[test]
fn unknown_operator_inside_patterns_has_a_hint() {
    let err = rule_error(&one_rule(
        "    patterns:\n      - pattern: eval($X)\n      - pattern-nto: eval(1)\n",
    ));
    assert!(
        err.contains("pattern-nto") && err.contains("pattern-not"),
        "{err}"
    );
}

#[test]
fn pattern_that_does_not_parse_names_pattern_and_language() {
    let err = rule_error(&one_rule("    pattern: eval(((\n"));
    assert!(err.contains("eval((("), "{err}");
    assert!(err.contains("python"), "{err}");
}

#[test]
fn missing_pattern_says_what_to_add() {
    let err = rule_error(&one_rule(""));
    assert!(err.contains("add `pattern`"), "{err}");
}

#[test]
fn invalid_regex_severity_language_and_comparison_are_errors() {
    assert!(rule_error(&one_rule("    pattern-regex: '([a-'\n")).contains("invalid regex"));
    let err = rule_error(
        "rules:\n  - id: r\n    message: m\n    severity: urgent\n    languages: [python]\n    pattern: f()\n",
    );
    assert!(err.contains("urgent"), "{err}");
    let err = rule_error(
        "rules:\n  - id: r\n    message: m\n    severity: high\n    languages: [cobol]\n    pattern: f()\n",
    );
    assert!(err.contains("cobol"), "{err}");
    let err = rule_error(&one_rule(
        "    patterns:\n      - pattern: f($X)\n      - metavariable-comparison:\n          metavariable: $X\n          comparison: $X >\n",
    ));
    assert!(err.contains("comparison"), "{err}");
    assert!(
        rule_error(&one_rule("    mode: taint\n    pattern: f()\n")).contains("not supported yet")
    );
}

#[test]
fn not_yaml_or_no_rules_list() {
    for text in ["", "rules: 3", "- a\n- b", "rules:\n  - [", "\u{0}\u{1}"] {
        let err = rule_error(text);
        assert!(err.contains("bad.yaml"), "{text:?}: {err}");
    }
}

fn eval_rules() -> RuleSet {
    RuleSet::new(
        parse_rules(
            Path::new("r.yaml"),
            "rules:\n  - id: eval\n    message: eval\n    severity: high\n    languages: [python, javascript, typescript]\n    pattern: eval($X)\n",
        )
        .expect("the rule is valid"),
    )
}

#[test]
fn source_with_syntax_errors_is_still_scanned() {
    let rules = eval_rules();
    let source = "def broken(:\n    pass\n\neval(user)\n";
    let report = rules.scan_text(Language::Python, "a.py", source);
    assert!(report.partial.is_some());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].location.start.line, 4);
    let report = rules.scan_text(Language::JavaScript, "a.js", "function (\n\neval(x);\n");
    assert!(report.partial.is_some());
    assert_eq!(report.findings.len(), 1);
}

#[test]
fn empty_deep_and_huge_sources_do_not_crash() {
    let rules = eval_rules();
    for (lang, text) in [
        (Language::Python, String::new()),
        (Language::JavaScript, "// only a comment".to_owned()),
        (
            Language::Python,
            format!("x = {}1{}\neval(y)\n", "(".repeat(5000), ")".repeat(5000)),
        ),
        (
            Language::JavaScript,
            format!("x = {}1{};\neval(y);\n", "[".repeat(5000), "]".repeat(5000)),
        ),
        (Language::TypeScript, "eval(y);\n".repeat(20_000)),
        (Language::Python, "\u{feff}é = '💥'\neval(é)\n".to_owned()),
    ] {
        let report = rules.scan_text(lang, "f", &text);
        assert!(report.scanned);
        let _ = report.findings.len();
    }
    let report = rules.scan_text(Language::TypeScript, "f.ts", &"eval(y);\n".repeat(20_000));
    assert_eq!(report.findings.len(), 20_000);
}

#[test]
fn paths_include_and_exclude_limit_where_a_rule_runs() {
    let rules = RuleSet::new(
        parse_rules(
            Path::new("r.yaml"),
            "rules:\n  - id: eval\n    message: eval\n    severity: high\n    languages: [python]\n    paths:\n      include: [src/]\n      exclude: [\"*_test.py\"]\n    pattern: eval($X)\n",
        )
        .expect("the rule is valid"),
    );
    let count = |path: &str| {
        rules
            .scan_text(Language::Python, path, "eval(x)\n")
            .findings
            .len()
    };
    assert_eq!(count("src/app.py"), 1);
    assert_eq!(count("src/deep/er/app.py"), 1);
    assert_eq!(count("lib/app.py"), 0);
    assert_eq!(count("src/app_test.py"), 0);
}
