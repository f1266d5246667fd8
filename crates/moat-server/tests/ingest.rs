//! Ingestion over real HTTP: SARIF from other tools and from moat, CycloneDX SBOMs, the
//! runtime protocol, and bad input of every kind answered with a clear 4xx.

#![allow(
    clippy::unwrap_used,
    reason = "helpers of the tests; a failed unwrap is a failed test"
)]

mod common;

use common::{Backend, TestServer, finding, report};
use moat_core::output::{Report, RuleInfo};
use moat_core::{Finding, Kind, Location, Position, ScanOutcome, Severity, assign_fingerprints};
use serde_json::{Value, json};

/// SARIF as a third-party tool (Semgrep-like) writes it: rules with CWE tags and
/// `security-severity`, results without fingerprints.
fn third_party_sarif(lines: &[u64]) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "Semgrep OSS", "version": "1.70.0", "rules": [{
                "id": "python.lang.security.audit.formatted-sql-query",
                "name": "formatted-sql-query",
                "shortDescription": {"text": "SQL built with string formatting"},
                "fullDescription": {"text": "Detected SQL built with string formatting."},
                "help": {"text": "Use parameterized queries."},
                "helpUri": "https://semgrep.dev/r/formatted-sql-query",
                "defaultConfiguration": {"level": "warning"},
                "properties": {"tags": ["CWE-89: Improper Neutralization of Special Elements used in an SQL Command", "security"], "security-severity": "9.1"}
            }]}},
            "results": lines.iter().map(|line| json!({
                "ruleId": "python.lang.security.audit.formatted-sql-query",
                "ruleIndex": 0,
                "level": "warning",
                "message": {"text": format!("SQL injection at line {line}")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "src/my%20app/db.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": line, "startColumn": 3, "endLine": line, "endColumn": 30,
                               "snippet": {"text": format!("cursor.execute(f\"... {line}\")")}}
                }}],
                "codeFlows": [{"threadFlows": [{"locations": [
                    {"location": {"physicalLocation": {"artifactLocation": {"uri": "src/my%20app/views.py"}, "region": {"startLine": 4}}}},
                    {"location": {"physicalLocation": {"artifactLocation": {"uri": "src/my%20app/db.py"}, "region": {"startLine": line}}}}
                ]}]}]
            })).collect::<Vec<_>>()
        }]
    })
}

#[expect(clippy::too_many_lines, reason = "a third-party log, then moat's own")]
fn sarif_from_any_tool(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let first = ci.post_bytes(
        "/api/v1/sarif?repository=web&branch=main&commit=abc&scan_id=sarif-1",
        "application/sarif+json",
        third_party_sarif(&[12, 40]).to_string().as_bytes(),
    );
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.json["created"], 2);
    let items = reader
        .get("/api/v1/vulnerabilities?repository=web&sort=path")
        .json["items"]
        .clone();
    let item = &items[0];
    assert_eq!(
        item["rule_id"],
        "python.lang.security.audit.formatted-sql-query"
    );
    assert_eq!(item["severity"], "critical", "from security-severity 9.1");
    assert_eq!(item["kind"], "sast");
    assert_eq!(item["title"], "SQL built with string formatting");
    assert_eq!(item["path"], "src/my app/db.py");
    assert_eq!(item["cwe"], json!(["CWE-89"]));
    let detail = reader.get(&format!("/api/v1/vulnerabilities/{}", item["id"]));
    assert_eq!(detail.json["remediation"], "Use parameterized queries.");
    assert_eq!(
        detail.json["details"]["references"][0],
        "https://semgrep.dev/r/formatted-sql-query"
    );
    assert_eq!(
        detail.json["details"]["code_flows"][0]["steps"][0]["path"],
        "src/my app/views.py"
    );
    assert_eq!(detail.json["first_scan"]["commit"], "abc");

    // The same findings, moved down by edits above them: the same vulnerabilities.
    let moved = ci.post_bytes(
        "/api/v1/sarif?repository=web&branch=main&scan_id=sarif-2",
        "application/json",
        third_party_sarif(&[12, 40]).to_string().as_bytes(),
    );
    assert_eq!(
        (moved.json["created"].as_i64(), moved.json["fixed"].as_i64()),
        (Some(0), Some(0))
    );
    let fewer = ci.post_bytes(
        "/api/v1/sarif?repository=web&branch=main&scan_id=sarif-3",
        "application/json",
        third_party_sarif(&[12]).to_string().as_bytes(),
    );
    assert_eq!(fewer.json["fixed"], 1, "{}", fewer.text);

    // Moat's own SARIF keeps moat's fingerprint, so it and the JSON report agree.
    let mut found = Finding::new(
        "python.flask.debug",
        Kind::Sast,
        Severity::High,
        "Flask debug",
        "debug=True",
    )
    .at(Location::new(
        "app.py",
        Position::new(7, 5),
        Position::new(7, 24),
    ));
    found.snippet = "app.run(debug=True)".into();
    found.cwe = vec!["CWE-489".into()];
    let mut outcome = ScanOutcome {
        findings: vec![found],
        ..ScanOutcome::default()
    };
    assign_fingerprints(&mut outcome.findings);
    let rules = [RuleInfo {
        id: "python.flask.debug".into(),
        title: "Flask debug".into(),
        description: "d".into(),
        remediation: "r".into(),
        severity: Severity::High,
        cwe: vec!["CWE-489".into()],
        owasp: vec![],
        references: vec![],
        confidence: None,
    }];
    let sarif = moat_core::output::sarif_value(&Report {
        outcome: &outcome,
        rules: &rules,
        tool_version: "0.1.0",
    });
    let reply = ci.post("/api/v1/sarif?repository=flask&branch=main", &sarif);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let mut native = outcome.findings[0].clone();
    native.message = "changed".into();
    let as_json = ci.post(
        "/api/v1/scans?repository=flask&branch=main",
        &report(&[serde_json::to_value(&native).unwrap()]),
    );
    assert_eq!(
        (
            as_json.json["created"].as_i64(),
            as_json.json["fixed"].as_i64()
        ),
        (Some(0), Some(0))
    );
    let listed = reader.get("/api/v1/vulnerabilities?repository=flask").json;
    assert_eq!(listed["total"], 1);
    assert_eq!(
        listed["items"][0]["fingerprint"],
        outcome.findings[0].fingerprint.as_str()
    );
    assert_eq!(listed["items"][0]["severity"], "high");
}

fn cyclonedx_sboms_record_components(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let bom = |components: Value| json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": components});
    let first = ci.post(
        "/api/v1/sbom?repository=shop&branch=main",
        &bom(json!([
            {"type": "library", "name": "flask", "version": "2.0.1", "purl": "pkg:pypi/flask@2.0.1",
             "licenses": [{"license": {"id": "BSD-3-Clause"}}]},
            {"type": "library", "name": "jinja2", "version": "3.0.0"}
        ])),
    );
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.json["components"], 2);
    let listed = reader.get("/api/v1/components?repository=shop");
    assert_eq!(listed.json["total"], 2);
    assert_eq!(listed.json["items"][0]["name"], "flask");
    assert_eq!(listed.json["items"][0]["licenses"], json!(["BSD-3-Clause"]));
    assert_eq!(listed.json["items"][0]["context"], "branch:main");
    // A newer SBOM of the branch replaces the set.
    ci.post(
        "/api/v1/sbom?repository=shop&branch=main",
        &bom(json!([{"type": "library", "name": "flask", "version": "3.0.0"}])),
    );
    let listed = reader.get("/api/v1/components?repository=shop");
    assert_eq!(listed.json["total"], 1);
    assert_eq!(listed.json["items"][0]["version"], "3.0.0");

    let spdx = ci.post(
        "/api/v1/sbom?repository=shop",
        &json!({"spdxVersion": "SPDX-2.3"}),
    );
    assert_eq!(spdx.status, 422);
    assert!(
        spdx.json["error"].as_str().unwrap().contains("CycloneDX"),
        "{}",
        spdx.text
    );
}

fn runtime_batch() -> Value {
    json!({
        "version": 1,
        "batch_id": "agent-1-batch-1",
        "service": "shop-api",
        "env": "production",
        "agent": {"name": "moat-iast", "version": "0.1.0", "language": "python", "runtime": "cpython 3.12.1"},
        "vulnerabilities": [
            {"type": "SQL_INJECTION",
             "location": {"path": "app.py", "line": 23},
             "request": {"method": "GET", "path": "/users"},
             "evidence": {"value": "SELECT name FROM users WHERE id = 1 OR 1=1",
                          "parts": [{"value": "SELECT name FROM users WHERE id = "},
                                    {"value": "1 OR 1=1", "source": {"origin": "parameter", "name": "id"}}]},
             "source": {"origin": "parameter", "name": "id"},
             "hash": "3f1c0e9a7b2d4c51"},
            {"type": "WEAK_HASH",
             "location": {"path": "auth/tokens.py", "line": 8},
             "evidence": {"value": "md5", "parts": [{"value": "md5"}]},
             "hash": "0123456789abcdef"}
        ],
        "libraries": [{"name": "Flask", "version": "3.0.0"}, {"name": "requests", "version": "2.31.0"}]
    })
}

fn runtime_protocol_batches(backend: &Backend) {
    let server = TestServer::start(backend);
    let agent = server.key("upload");
    let reader = server.key("read");
    let reply = agent.post("/api/v1/runtime", &runtime_batch());
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(
        (
            reply.json["created"].as_i64(),
            reply.json["components"].as_i64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(reply.json["project_kind"], "service");
    let again = agent.post("/api/v1/runtime", &runtime_batch());
    assert_eq!(
        (again.status, again.json["duplicate"].as_bool()),
        (200, Some(true))
    );

    let list = reader.get(
        "/api/v1/vulnerabilities?service=shop-api&environment=production&kind=iast&facets=true",
    );
    assert_eq!(list.json["total"], 2, "{}", list.text);
    assert_eq!(list.json["facets"]["environment"], json!({"production": 2}));
    let sqli = &list.json["items"][0];
    assert_eq!(sqli["rule_id"], "iast.sql-injection");
    assert_eq!(sqli["severity"], "critical");
    assert_eq!(sqli["cwe"], json!(["CWE-89"]));
    assert_eq!(
        (sqli["path"].as_str(), sqli["line"].as_i64()),
        (Some("app.py"), Some(23))
    );
    let detail = reader.get(&format!("/api/v1/vulnerabilities/{}", sqli["id"]));
    assert_eq!(detail.json["evidence"]["parts"][1]["source"]["name"], "id");
    assert_eq!(detail.json["evidence"]["request"]["path"], "/users");
    assert!(
        detail.json["message"]
            .as_str()
            .unwrap()
            .contains("GET /users")
    );
    assert!(!detail.json["remediation"].as_str().unwrap().is_empty());

    let components = reader.get("/api/v1/components?repository=shop-api");
    assert_eq!(components.json["items"][0]["purl"], "pkg:pypi/flask@3.0.0");
    assert_eq!(components.json["items"][0]["context"], "env:production");

    // The same vulnerability seen again in a later batch is the same one; a batch
    // without `libraries` leaves the recorded set alone.
    let mut later = runtime_batch();
    later["batch_id"] = json!("agent-1-batch-2");
    later["vulnerabilities"] = json!([later["vulnerabilities"][0].clone()]);
    later.as_object_mut().unwrap().remove("libraries");
    let reply = agent.post("/api/v1/runtime", &later);
    assert_eq!(
        (
            reply.json["created"].as_i64(),
            reply.json["findings"].as_i64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(
        reader.get("/api/v1/components?repository=shop-api").json["total"],
        2
    );
    assert_eq!(
        reader.get("/api/v1/vulnerabilities?status=open").json["total"],
        2,
        "runtime batches fix nothing"
    );

    let mut unknown = runtime_batch();
    unknown["batch_id"] = json!("x");
    unknown["vulnerabilities"][0]["type"] = json!("TELEPATHY");
    let reply = agent.post("/api/v1/runtime", &unknown);
    assert_eq!(reply.status, 422);
    assert!(
        reply.json["error"].as_str().unwrap().contains("TELEPATHY"),
        "{}",
        reply.text
    );
    let reply = agent.post("/api/v1/runtime", &json!({"version": 2, "service": "s"}));
    assert_eq!(reply.status, 422);
    assert!(reply.json["error"].as_str().unwrap().contains("version 2"));
    assert_eq!(
        agent
            .post("/api/v1/runtime", &json!({"version": 1, "service": ""}))
            .status,
        422
    );
    assert_eq!(
        agent.post("/api/v1/runtime", &json!({"version": 1})).status,
        422
    );
}

/// The schema in docs/server.md is the file the tests check batches against, and it
/// accepts what the server accepts.
#[test]
fn runtime_schema_is_documented_and_describes_the_protocol() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("schemas/runtime-v1.schema.json")).unwrap();
    let docs = std::fs::read_to_string(root.join("../../docs/server.md")).unwrap();
    assert!(
        docs.contains(text.trim()),
        "docs/server.md must hold schemas/runtime-v1.schema.json as is"
    );
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    assert!(validator.is_valid(&runtime_batch()));
    let mut bad = runtime_batch();
    bad["vulnerabilities"][0]["type"] = json!("TELEPATHY");
    assert!(!validator.is_valid(&bad));
    assert!(!validator.is_valid(&json!({"version": 2, "service": "s"})));
    // Every type the agent knows is in the schema.
    let types = &schema["$defs"]["vulnerability"]["properties"]["type"]["enum"];
    for kind in moat_iast::VulnType::ALL {
        assert!(
            types.as_array().unwrap().contains(&json!(kind.name())),
            "{}",
            kind.name()
        );
    }
}

#[expect(clippy::too_many_lines, reason = "one line per bad input")]
fn bad_input_gets_a_clear_4xx(backend: &Backend) {
    let server = TestServer::start_with(backend, |config| {
        config.max_upload_bytes = 64 * 1024;
    });
    let ci = server.key("upload");
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        (
            "/api/v1/scans?repository=r",
            "not json",
            b"{\"version\": 1, \"findings\": [".to_vec(),
            400,
            "EOF",
        ),
        (
            "/api/v1/scans?repository=r",
            "garbage",
            b"<html>".to_vec(),
            400,
            "moat JSON report",
        ),
        (
            "/api/v1/scans?repository=r",
            "an array",
            b"[]".to_vec(),
            422,
            "findings",
        ),
        (
            "/api/v1/scans?repository=r",
            "no findings",
            br#"{"version": 1}"#.to_vec(),
            422,
            "findings",
        ),
        (
            "/api/v1/scans?repository=r",
            "findings not a list",
            br#"{"version": 1, "findings": {}}"#.to_vec(),
            422,
            "array",
        ),
        (
            "/api/v1/scans?repository=r",
            "a later version",
            br#"{"version": 9, "findings": []}"#.to_vec(),
            422,
            "version 9",
        ),
        (
            "/api/v1/scans?repository=r",
            "a bad finding",
            br#"{"version": 1, "findings": [{"rule_id": "x"}]}"#.to_vec(),
            422,
            "missing field",
        ),
        (
            "/api/v1/scans?repository=r",
            "a bad severity",
            report(&[{
                let mut f = finding("r", "a.py", 1, "high", "f");
                f["severity"] = json!("urgent");
                f
            }])
            .to_string()
            .into_bytes(),
            422,
            "urgent",
        ),
        (
            "/api/v1/scans?repository=r",
            "an empty rule id",
            report(&[finding("", "a.py", 1, "high", "f")])
                .to_string()
                .into_bytes(),
            422,
            "rule_id",
        ),
        (
            "/api/v1/scans?repository=r",
            "trailing data",
            br#"{"version": 1, "findings": []} {}"#.to_vec(),
            400,
            "trailing",
        ),
        (
            "/api/v1/scans?repository=r",
            "empty",
            Vec::new(),
            400,
            "empty",
        ),
        (
            "/api/v1/scans",
            "no repository",
            report(&[]).to_string().into_bytes(),
            400,
            "repository",
        ),
        (
            "/api/v1/scans?repository=r&kind=half",
            "a bad kind",
            report(&[]).to_string().into_bytes(),
            400,
            "partial",
        ),
        (
            "/api/v1/sarif?repository=r",
            "SARIF 2.0",
            br#"{"version": "2.0.0", "runs": []}"#.to_vec(),
            422,
            "2.1.0",
        ),
        (
            "/api/v1/sarif?repository=r",
            "SARIF without runs",
            br#"{"version": "2.1.0"}"#.to_vec(),
            422,
            "runs",
        ),
        (
            "/api/v1/sarif?repository=r",
            "SARIF cut off",
            br#"{"version": "2.1.0", "runs": [{"results": [{"ruleId": "#.to_vec(),
            400,
            "SARIF",
        ),
        (
            "/api/v1/sarif?repository=r",
            "results not a list",
            br#"{"version": "2.1.0", "runs": [{"results": 3}]}"#.to_vec(),
            422,
            "results",
        ),
        (
            "/api/v1/sbom?repository=r",
            "SBOM cut off",
            br#"{"bomFormat": "Cyclone"#.to_vec(),
            400,
            "CycloneDX",
        ),
        (
            "/api/v1/runtime",
            "runtime not json",
            b"hello".to_vec(),
            400,
            "runtime",
        ),
    ];
    for (path, what, body, status, message) in &cases {
        let reply = ci.post_bytes(path, "application/json", body);
        assert_eq!(reply.status, *status, "{what}: {}", reply.text);
        let error = reply.json["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(message),
            "{what}: `{error}` should say `{message}`"
        );
    }

    // Past the upload limit, whether the length is announced or not.
    let big = report(
        &(0..400)
            .map(|i| finding("r", "a.py", i, "low", &format!("{i}")))
            .collect::<Vec<_>>(),
    )
    .to_string();
    assert!(big.len() > 64 * 1024);
    let reply = ci.post_bytes(
        "/api/v1/scans?repository=r",
        "application/json",
        big.as_bytes(),
    );
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert!(reply.json["error"].as_str().unwrap().contains("limit"));
    let reply = ci.post_stream(
        "/api/v1/scans?repository=r",
        std::io::Cursor::new(big.clone().into_bytes()),
    );
    assert_eq!(reply.status, 413, "{}", reply.text);
    // JSON API bodies have their own, smaller limit.
    let admin = server.key("admin");
    let huge_name = json!({"name": "x".repeat(2 << 20), "scope": "read"});
    assert_eq!(admin.post("/api/v1/api-keys", &huge_name).status, 413);
    assert_eq!(
        admin
            .post_bytes("/api/v1/api-keys", "application/json", b"{\"name\": ")
            .status,
        400
    );

    // Nothing of the refused uploads was kept, and the server still works.
    let reader = server.key("read");
    assert_eq!(reader.get("/api/v1/vulnerabilities").json["total"], 0);
    assert_eq!(reader.get("/api/v1/repositories").json, json!([]));
    assert_eq!(
        server.anonymous().get("/api/v1/health").json["status"],
        "ok"
    );
    let fine = ci.post(
        "/api/v1/scans?repository=r",
        &report(&[finding("r", "a.py", 1, "low", "f")]),
    );
    assert_eq!(fine.status, 201, "{}", fine.text);
}

fn openapi_documents_the_interface(backend: &Backend) {
    let server = TestServer::start(backend);
    let reply = server.anonymous().get("/api/openapi.json");
    assert_eq!(reply.status, 200);
    assert!(reply.json["openapi"].as_str().unwrap().starts_with("3."));
    let paths = reply.json["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/login", "post"),
        ("/api/v1/api-keys", "post"),
        ("/api/v1/sarif", "post"),
        ("/api/v1/scans", "post"),
        ("/api/v1/runtime", "post"),
        ("/api/v1/vulnerabilities", "get"),
        ("/api/v1/vulnerabilities/{id}", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path}"
        );
    }
    let params: Vec<&str> = paths["/api/v1/vulnerabilities"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "kind",
        "severity",
        "status",
        "repository",
        "environment",
        "rule",
        "cwe",
        "assignee",
        "q",
        "sort",
        "page",
        "per_page",
        "facets",
    ] {
        assert!(params.contains(&name), "list parameter {name}");
    }
    let listed = &reply.json["components"]["schemas"]["ListedVulnerability"]["properties"];
    for field in common::LISTED_FIELDS {
        assert!(!listed[field].is_null(), "documented field {field}");
    }
    assert_eq!(
        moat_server::Server::openapi_json()
            .parse::<Value>()
            .unwrap()["paths"],
        reply.json["paths"]
    );
}

on_both!(
    sarif_from_any_tool,
    cyclonedx_sboms_record_components,
    runtime_protocol_batches,
    bad_input_gets_a_clear_4xx,
    openapi_documents_the_interface,
);
