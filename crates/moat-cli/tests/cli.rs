//! `moat` as users run it: a real binary on real files in a temporary repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

struct TestRepo {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr, with timings made stable for snapshots.
    fn snapshot(&self) -> String {
        let time = regex_lite(&self.stderr);
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, time
        )
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// Replaces the scan time (`in 0.01s`) and the number of bundled rules, which grows, so
/// snapshots do not change run to run.
fn regex_lite(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut line = line.to_owned();
        if let (Some(at), Some(end)) = (line.find(" with "), line.find(" rules in "))
            && at + 6 <= end
        {
            line.replace_range(at + 6..end, "[N]");
        }
        if let Some(at) = line.find(" in ")
            && let Some(end) = line[at + 4..].find("s:")
        {
            line.replace_range(at + 4..at + 4 + end, "[TIME]");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

impl TestRepo {
    fn with_files<const N: usize>(files: [(&str, &str); N]) -> TestRepo {
        let repo = TestRepo {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for (path, text) in files {
            repo.write(path, text);
        }
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }

    fn moat<const N: usize>(&self, args: [&str; N]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_moat"))
            .args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .output()
            .expect("moat runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

const FLASK_APP: &str = "from flask import Flask\n\napp = Flask(__name__)\n\n\nif __name__ == \"__main__\":\n    app.run(debug=True)\n";

#[test]
fn scan_reports_flask_debug() {
    let repo = TestRepo::with_files([("app.py", FLASK_APP)]);
    insta::assert_snapshot!(repo.moat(["scan", "."]).snapshot());
}

#[test]
fn clean_repository_exits_zero() {
    let repo = TestRepo::with_files([
        ("app.py", "print('hello')\n"),
        ("web/a.js", "console.log(1);\n"),
    ]);
    let run = repo.moat(["scan", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("Scanned 2 files"), "{}", run.stderr);
}

#[test]
fn fail_on_sets_the_exit_code() {
    let repo = TestRepo::with_files([("app.py", FLASK_APP)]);
    assert_eq!(repo.moat(["scan", ".", "--fail-on", "critical"]).code, 0);
    assert_eq!(repo.moat(["scan", ".", "--fail-on", "high"]).code, 1);
    let run = repo.moat(["scan", ".", "--severity", "critical"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("below the severity threshold"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_and_scan_errors_exit_two_with_one_clear_line() {
    let repo = TestRepo::with_files([("app.py", FLASK_APP)]);
    let run = repo.moat(["scan", "missing-dir"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: missing-dir: no such file"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.moat(["scan", "--format", "xml"]).code, 2);

    repo.write("rules/bad.yaml", "rules:\n  - id: my.rule\n    message: m\n    severity: high\n    languages: [python]\n    patern: eval($X)\n");
    let run = repo.moat(["scan", ".", "--config", "rules/bad.yaml"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn json_output_is_sorted_and_documented_shape() {
    let repo = TestRepo::with_files([
        ("b.py", "import hashlib\nhashlib.md5(b'x')\n"),
        (
            "a.js",
            "const c = require('child_process');\nc.exec('ls ' + dir);\n",
        ),
        ("app.py", FLASK_APP),
    ]);
    let run = repo.moat(["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["version"], 1);
    let findings = json["findings"].as_array().expect("findings");
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    assert!(
        paths.contains(&"a.js") && paths.contains(&"b.py") && paths.contains(&"app.py"),
        "{paths:?}"
    );
    for f in findings {
        assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
        assert!(f["cwe"][0].as_str().unwrap().starts_with("CWE-"));
        assert!(!f["remediation"].as_str().unwrap().is_empty());
    }
    assert_eq!(json["summary"]["files"], 3);
    let mut stable = json.clone();
    stable["summary"]["duration"] = Value::from(0);
    stable["tool"]["version"] = Value::from("[VERSION]");
    let again = repo.moat(["scan", ".", "--format", "json"]).json();
    assert_eq!(json["findings"], again["findings"]);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let repo = TestRepo::with_files([
        ("app.py", FLASK_APP),
        ("lib.js", "el.innerHTML = userInput;\n"),
        (
            "broken.py",
            "def f(:\n    pass\nimport yaml\nyaml.load(data)\n",
        ),
    ]);
    std::fs::write(repo.path().join("image.py"), b"\x00\x01binary").unwrap();
    let run = repo.moat(["scan", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif = run.json();

    let schema_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path).expect("the SARIF schema in ../shared"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 80);
    let debug = rules
        .iter()
        .find(|r| r["id"] == "python.flask.flask-debug-enabled")
        .expect("rule is described");
    assert!(debug["help"]["markdown"].as_str().unwrap().contains("Fix"));
    assert!(
        debug["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "external/cwe/cwe-489")
    );
    assert_eq!(debug["properties"]["security-severity"], "8.0");
    let results = run0["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r["partialFingerprints"]["moat/v1"].is_string())
    );
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let texts: Vec<&str> = notes
        .iter()
        .map(|n| n["message"]["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.starts_with("image.py: binary")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("broken.py: partially parsed")),
        "{texts:?}"
    );
    // The partially parsed file is still scanned.
    assert!(
        results.iter().any(
            |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"
        )
    );
}

#[test]
fn inline_comments_and_baselines_suppress_and_are_counted() {
    let repo = TestRepo::with_files([(
        "app.py",
        "import hashlib\nhashlib.md5(b'a')  # moat-ignore\n# nosemgrep: python.crypto.insecure-hash-md5\nhashlib.md5(b'b')\nhashlib.md5(b'c')\n",
    )]);
    let run = repo.moat(["scan", ".", "--format", "json"]);
    let json = run.json();
    let lines: Vec<u64> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert!(!lines.contains(&2), "{lines:?}");
    assert!(lines.contains(&5), "{lines:?}");
    assert!(json["summary"]["suppressed_inline"].as_u64().unwrap() >= 1);

    let run = repo.moat(["scan", ".", "--write-baseline", "baseline.json"]);
    assert_eq!(run.code, 1);
    let run = repo.moat(["scan", ".", "--baseline", "baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("baseline)"), "{}", run.stderr);

    // Lines added above keep the fingerprints: still suppressed. New code is not.
    repo.write(
        "app.py",
        "import hashlib\n\n\n# a comment\nhashlib.md5(b'a')  # moat-ignore\n# nosemgrep: python.crypto.insecure-hash-md5\nhashlib.md5(b'b')\nhashlib.md5(b'c')\nhashlib.sha1(b'new')\n",
    );
    let run = repo.moat([
        "scan",
        ".",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
    ]);
    let findings = run.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["location"]["start"]["line"], 9);
}

#[test]
fn moat_toml_ignores_paths_and_reports_unknown_keys() {
    let repo = TestRepo::with_files([
        ("app.py", FLASK_APP),
        ("vendor/lib.py", FLASK_APP),
        ("moat.toml", "[scan]\nignore = [\"vendor/\"]\n"),
    ]);
    let json = repo.moat(["scan", ".", "--format", "json"]).json();
    assert_eq!(json["summary"]["files"], 1);

    repo.write("moat.toml", "[scan]\nignroe = [\"vendor/\"]\n");
    let run = repo.moat(["scan", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("moat.toml") && run.stderr.contains("ignroe"),
        "{}",
        run.stderr
    );
}

#[test]
fn gitignored_binary_and_non_utf8_files_are_skipped_and_counted() {
    let repo = TestRepo::with_files([
        (".gitignore", "build/\n"),
        ("build/gen.py", FLASK_APP),
        ("ok.py", "x = 1\n"),
    ]);
    std::fs::write(repo.path().join("latin1.py"), b"x = '\xe9'\n").unwrap();
    // No engine reads images: they are neither read nor counted.
    std::fs::write(repo.path().join("logo.png"), b"\x89PNG\x00\x00").unwrap();
    let run = repo.moat(["scan", ".", "-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("latin1.py: not valid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 skipped (1 not UTF-8)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        repo.moat(["scan", ".", "--no-gitignore", "--fail-on", "high"])
            .code,
        1
    );
}

#[test]
fn color_follows_flags_and_no_color() {
    let repo = TestRepo::with_files([("app.py", FLASK_APP)]);
    assert!(
        repo.moat(["scan", ".", "--color", "always"])
            .stdout
            .contains("\x1b[")
    );
    assert!(!repo.moat(["scan", "."]).stdout.contains("\x1b["));
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(["scan", ".", "--color", "auto"])
        .current_dir(repo.path())
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b["));
}

#[test]
fn rules_test_list_and_validate() {
    let repo = TestRepo::with_files([
        (
            "r/eval.yaml",
            "rules:\n  - id: demo.eval\n    message: eval of $X\n    severity: high\n    languages: [python]\n    metadata: {cwe: [CWE-95], owasp: [A03:2021]}\n    pattern: eval($X)\n",
        ),
        (
            "r/eval.py",
            "# ruleid: demo.eval\neval(a)\n# ok: demo.eval\nprint(a)\n",
        ),
    ]);
    let run = repo.moat(["rules", "test", "r"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("2 passed, 0 failed"), "{}", run.stdout);

    repo.write(
        "r/eval.py",
        "# ruleid: demo.eval\nprint(a)\n# ok: demo.eval\neval(a)\n",
    );
    let run = repo.moat(["rules", "test", "r"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(
        run.stderr
            .replace(&repo.path().display().to_string(), "[REPO]")
    );

    let run = repo.moat(["rules", "validate", "r"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = repo.moat(["rules", "list"]);
    assert!(run.stdout.lines().count() >= 80);
    assert!(run.stdout.contains("python.flask.flask-debug-enabled"));
}

#[test]
fn fix_is_interpolated_and_offered() {
    let repo = TestRepo::with_files([
        (
            "r.yaml",
            "rules:\n  - id: demo.yaml-load\n    message: unsafe\n    severity: high\n    languages: [python]\n    pattern: yaml.load($X)\n    fix: yaml.safe_load($X)\n",
        ),
        ("a.py", "import yaml\nyaml.load(open('f'))\n"),
    ]);
    let json = repo
        .moat(["scan", "a.py", "--config", "r.yaml", "--format", "json"])
        .json();
    assert_eq!(
        json["findings"][0]["fixes"][0]["edits"][0]["replacement"],
        "yaml.safe_load(open('f'))"
    );
}

const RUNTIME_APP: &str = "from flask import request\n\n\ndef view(db):\n    user_id = request.args.get(\"id\")\n    return db.execute(\"SELECT name FROM users WHERE id = \" + user_id)\n\n\ndef other(db):\n    return db.execute(\"SELECT 1\")  # moat-ignore\n";

fn runtime_line(path: &str, line: u32, kind: &str) -> String {
    format!(
        "{{\"type\":\"{kind}\",\"location\":{{\"path\":\"{path}\",\"line\":{line}}},\"request\":{{\"method\":\"GET\",\"path\":\"/users\"}},\"evidence\":{{\"value\":\"SELECT name FROM users WHERE id = 1 OR 1=1\",\"parts\":[{{\"value\":\"SELECT name FROM users WHERE id = \"}},{{\"value\":\"1 OR 1=1\",\"source\":{{\"origin\":\"parameter\",\"name\":\"id\"}}}}]}},\"source\":{{\"origin\":\"parameter\",\"name\":\"id\"}},\"hash\":\"{:016x}\"}}\n",
        u64::from(line) * 7919 + path.len() as u64
    )
}

#[test]
fn runtime_reports_become_findings_in_every_format() {
    let repo = TestRepo::with_files([("service/app.py", RUNTIME_APP)]);
    let report = [
        runtime_line("app.py", 6, "SQL_INJECTION"),
        // The same vulnerability seen again: one finding.
        runtime_line("app.py", 6, "SQL_INJECTION"),
        runtime_line("app.py", 10, "SQL_INJECTION"),
        runtime_line("gone.py", 3, "XSS"),
        "{\"kind\":\"libraries\",\"libraries\":[]}\n".to_owned(),
    ]
    .concat();
    repo.write("iast.jsonl", &report);

    let run = repo.moat([
        "scan",
        ".",
        "--runtime-report",
        "iast.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let findings: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "iast")
        .collect();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = findings[0];
    assert_eq!(finding["rule_id"], "iast.sql-injection");
    assert_eq!(finding["severity"], "critical");
    assert_eq!(finding["location"]["path"], "service/app.py");
    assert_eq!(finding["location"]["start"]["line"], 6);
    assert_eq!(finding["cwe"][0], "CWE-89");
    assert!(finding["snippet"].as_str().unwrap().contains("db.execute"));
    assert_eq!(finding["evidence"]["request"], "GET /users");
    assert_eq!(finding["evidence"]["source"], "parameter id");
    assert_eq!(
        json["summary"]["suppressed_inline"], 1,
        "{}",
        json["summary"]
    );
    assert!(
        run.stderr
            .contains("1 runtime finding(s) in gone.py left out"),
        "{}",
        run.stderr
    );

    let sarif = repo
        .moat([
            "scan",
            ".",
            "--runtime-report",
            "iast.jsonl",
            "--format",
            "sarif",
        ])
        .json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "iast.sql-injection")
        .expect("the runtime type is described in the rule table");
    assert!(
        rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "external/cwe/cwe-89")
    );
    let text = repo.moat([
        "scan",
        ".",
        "--runtime-report",
        "iast.jsonl",
        "--color",
        "never",
    ]);
    assert!(
        text.stdout.contains("iast.sql-injection"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_bad_runtime_report_is_one_clear_error() {
    let repo = TestRepo::with_files([("app.py", RUNTIME_APP)]);
    repo.write(
        "iast.jsonl",
        &format!(
            "{}{{\"type\": 3}}\n",
            runtime_line("app.py", 6, "SQL_INJECTION")
        ),
    );
    let run = repo.moat(["scan", ".", "--runtime-report", "iast.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: iast.jsonl: not a runtime report written by moat-iast"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    let missing = repo.moat(["scan", ".", "--runtime-report", "nope.jsonl"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("nope.jsonl: cannot read the runtime report")
    );
}
