//! Uploads and the lifecycle over real HTTP: new, fixed, reopened, with history;
//! idempotent re-uploads; branches; triage; the list's filters, order and facets.

#![allow(
    clippy::unwrap_used,
    reason = "helpers of the tests; a failed unwrap is a failed test"
)]

mod common;

use common::{Backend, TestServer, finding, report};
use serde_json::{Value, json};

fn upload(client: &common::Client, query: &str, findings: &[Value]) -> common::Reply {
    client.post(&format!("/api/v1/scans?{query}"), &report(findings))
}

/// The list's items for a query, by fingerprint.
fn items(client: &common::Client, query: &str) -> Vec<Value> {
    let reply = client.get(&format!("/api/v1/vulnerabilities?{query}"));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["items"].as_array().cloned().unwrap_or_default()
}

fn status_of(client: &common::Client, fingerprint: &str) -> String {
    items(client, "repository=shop&per_page=500")
        .into_iter()
        .find(|v| v["fingerprint"] == fingerprint)
        .map(|v| v["status"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

fn new_fixed_reopened_with_history(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let a = finding("py.sqli", "app/db.py", 10, "high", "aaaa");
    let b = finding("py.xss", "app/views.py", 20, "medium", "bbbb");

    let first = upload(
        &ci,
        "repository=shop&branch=main&commit=c1&scan_id=s1",
        &[a.clone(), b.clone()],
    );
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(
        (
            first.json["findings"].as_i64(),
            first.json["created"].as_i64(),
            first.json["fixed"].as_i64()
        ),
        (Some(2), Some(2), Some(0))
    );
    assert_eq!(status_of(&reader, "aaaa"), "open");

    // `b` is gone from main: fixed.
    let second = upload(
        &ci,
        "repository=shop&branch=main&commit=c2&scan_id=s2",
        std::slice::from_ref(&a),
    );
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(
        (
            second.json["created"].as_i64(),
            second.json["fixed"].as_i64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(status_of(&reader, "bbbb"), "fixed");
    assert_eq!(status_of(&reader, "aaaa"), "open");

    // A partial scan that does not report `a` fixes nothing.
    let partial = upload(
        &ci,
        "repository=shop&branch=main&commit=c3&scan_id=s3&kind=partial",
        &[],
    );
    assert_eq!(partial.status, 201, "{}", partial.text);
    assert_eq!(partial.json["fixed"].as_i64(), Some(0));
    assert_eq!(status_of(&reader, "aaaa"), "open");

    // `b` comes back: reopened.
    let third = upload(
        &ci,
        "repository=shop&branch=main&commit=c4&scan_id=s4",
        &[a.clone(), b.clone()],
    );
    assert_eq!(
        (
            third.json["created"].as_i64(),
            third.json["reopened"].as_i64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(status_of(&reader, "bbbb"), "open");

    let id = items(&reader, "repository=shop")
        .into_iter()
        .find(|v| v["fingerprint"] == "bbbb")
        .and_then(|v| v["id"].as_i64())
        .expect("b is listed");
    let detail = reader.get(&format!("/api/v1/vulnerabilities/{id}"));
    assert_eq!(detail.status, 200, "{}", detail.text);
    let history: Vec<(&str, &str)> = detail.json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["scan_id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        history,
        [("created", "s1"), ("fixed", "s2"), ("reopened", "s4")]
    );
    assert!(
        detail.json["history"][0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("api-key:")
    );
    assert_eq!(detail.json["first_scan"]["id"], "s1");
    assert_eq!(detail.json["first_scan"]["commit"], "c1");
    assert_eq!(detail.json["first_scan"]["branch"], "main");
    assert_eq!(detail.json["last_scan"]["commit"], "c4");
    assert_eq!(detail.json["branches"], json!(["main"]));
    assert_eq!(detail.json["snippet"], "    cursor.execute(query)");
    assert_eq!(detail.json["remediation"], "Use bound parameters.");
    assert_eq!(detail.json["evidence"]["$QUERY"], "query");
    assert_eq!(detail.json["details"]["owasp"], json!(["A03:2021"]));
    assert_eq!(detail.json["cwe"], json!(["CWE-89"]));
}

fn branches_keep_a_vulnerability_open_until_none_reports_it(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let a = finding("py.sqli", "app/db.py", 10, "high", "aaaa");
    upload(
        &ci,
        "repository=shop&branch=main&scan_id=m1",
        std::slice::from_ref(&a),
    );
    upload(
        &ci,
        "repository=shop&branch=feature&scan_id=f1",
        std::slice::from_ref(&a),
    );
    // Fixed on main, still on the feature branch: open.
    let main = upload(&ci, "repository=shop&branch=main&scan_id=m2", &[]);
    assert_eq!(main.json["fixed"].as_i64(), Some(0));
    assert_eq!(status_of(&reader, "aaaa"), "open");
    // Fixed on the feature branch too: fixed.
    let feature = upload(&ci, "repository=shop&branch=feature&scan_id=f2", &[]);
    assert_eq!(feature.json["fixed"].as_i64(), Some(1));
    assert_eq!(status_of(&reader, "aaaa"), "fixed");
    // Another repository's full scan touches nothing of this one.
    upload(
        &ci,
        "repository=other&branch=main&scan_id=o1",
        &[finding("r", "x.py", 1, "low", "aaaa")],
    );
    assert_eq!(status_of(&reader, "aaaa"), "fixed");
}

fn reuploading_a_scan_id_changes_nothing(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let findings = [
        finding("py.sqli", "app/db.py", 10, "high", "aaaa"),
        finding("py.xss", "app/views.py", 20, "medium", "bbbb"),
    ];
    let first = upload(&ci, "repository=shop&branch=main&scan_id=same", &findings);
    assert_eq!(first.status, 201);
    assert_eq!(first.json["duplicate"], false);
    // Sent again (a CI retry), even with other content: the first upload stands.
    let again = upload(
        &ci,
        "repository=shop&branch=main&scan_id=same",
        &findings[..1],
    );
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json["duplicate"], true);
    assert_eq!(again.json["findings"], 2);
    assert_eq!(again.json["created"], 2);
    let listed = items(&reader, "repository=shop");
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|v| v["status"] == "open"));
    let detail = reader.get(&format!("/api/v1/vulnerabilities/{}", listed[0]["id"]));
    assert_eq!(detail.json["history"].as_array().unwrap().len(), 1);
    // The same fingerprint twice in one upload is one vulnerability.
    let doubled = upload(
        &ci,
        "repository=dup&scan_id=d1",
        &[findings[0].clone(), findings[0].clone()],
    );
    assert_eq!(
        (
            doubled.json["findings"].as_i64(),
            doubled.json["created"].as_i64()
        ),
        (Some(1), Some(1))
    );
}

#[expect(clippy::too_many_lines, reason = "one triage session, start to end")]
fn triage_changes_status_assignee_and_comments_with_history(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let alice = server.user("alice", "member");
    upload(
        &ci,
        "repository=shop&branch=main&scan_id=s1",
        &[finding("py.sqli", "app/db.py", 10, "high", "aaaa")],
    );
    let id = items(&alice, "")[0]["id"].as_i64().unwrap();
    let path = |what: &str| format!("/api/v1/vulnerabilities/{id}/{what}");

    let no_reason = alice.post(&path("status"), &json!({"status": "muted"}));
    assert_eq!(no_reason.status, 422, "{}", no_reason.text);
    assert!(no_reason.json["error"].as_str().unwrap().contains("reason"));
    let bad = alice.post(&path("status"), &json!({"status": "closed"}));
    assert_eq!(bad.status, 422);
    let past = alice.post(
        &path("status"),
        &json!({"status": "muted", "reason": "x", "until": "2001-01-01T00:00:00Z"}),
    );
    assert_eq!(past.status, 422);

    let progress = alice.post(&path("status"), &json!({"status": "in_progress"}));
    assert_eq!(progress.status, 200, "{}", progress.text);
    assert_eq!(progress.json["status"], "in_progress");

    let unknown = alice.post(&path("assignee"), &json!({"assignee": "nobody-here"}));
    assert_eq!(unknown.status, 422);
    let assigned = alice.post(&path("assignee"), &json!({"assignee": "alice"}));
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    assert_eq!(assigned.json["assignee"], "alice");
    assert_eq!(items(&alice, "assignee=alice").len(), 1);
    assert_eq!(items(&alice, "assignee=none").len(), 0);

    let comment = alice.post(
        &path("comments"),
        &json!({"body": "Looking at it with the DB team."}),
    );
    assert_eq!(comment.status, 201, "{}", comment.text);
    assert_eq!(
        alice.post(&path("comments"), &json!({"body": "  "})).status,
        422
    );

    // A mute that ends a second from now is open again after it.
    let until = time_in(1200);
    let muted = alice.post(
        &path("status"),
        &json!({"status": "muted", "reason": "fix ships Monday", "until": until}),
    );
    assert_eq!(muted.status, 200, "{}", muted.text);
    assert_eq!(muted.json["status"], "muted");
    assert_eq!(muted.json["status_reason"], "fix ships Monday");
    // A full scan that no longer reports a muted vulnerability leaves the decision alone.
    upload(&ci, "repository=shop&branch=main&scan_id=s2", &[]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let detail = alice.get(&format!("/api/v1/vulnerabilities/{id}"));
    assert_eq!(detail.json["status"], "open", "{}", detail.text);
    let kinds: Vec<&str> = detail.json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "status_changed",
            "assigned",
            "commented",
            "status_changed",
            "mute_expired"
        ]
    );
    let change = &detail.json["history"][4];
    assert_eq!(
        (change["from_status"].as_str(), change["to_status"].as_str()),
        (Some("in_progress"), Some("muted"))
    );
    assert_eq!(change["actor"], "alice");
    assert!(
        change["detail"]
            .as_str()
            .unwrap()
            .starts_with("fix ships Monday")
    );
    assert_eq!(
        detail.json["comments"][0]["body"],
        "Looking at it with the DB team."
    );
    assert_eq!(detail.json["comments"][0]["author"], "alice");

    // Closed by hand while the code still has it: the next full scan reopens it.
    alice.post(&path("status"), &json!({"status": "fixed"}));
    upload(
        &ci,
        "repository=shop&branch=main&scan_id=s3",
        &[finding("py.sqli", "app/db.py", 10, "high", "aaaa")],
    );
    assert_eq!(
        alice.get(&format!("/api/v1/vulnerabilities/{id}")).json["status"],
        "open"
    );
    assert_eq!(alice.get("/api/v1/vulnerabilities/999999").status, 404);
    assert_eq!(
        alice
            .post(
                "/api/v1/vulnerabilities/999999/comments",
                &json!({"body": "x"})
            )
            .status,
        404
    );
}

/// RFC 3339 text `ms` milliseconds from now.
fn time_in(ms: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::milliseconds(ms))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[expect(
    clippy::too_many_lines,
    reason = "every filter, facet, order and page of one list"
)]
fn list_filters_sorts_pages_and_counts_facets(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let mut shop = vec![
        finding("py.sqli", "app/db.py", 10, "critical", "f1"),
        finding("py.xss", "app/views.py", 20, "medium", "f2"),
        finding("py.debug", "app/main.py", 3, "low", "f3"),
    ];
    shop[1]["cwe"] = json!(["CWE-79"]);
    shop[1]["title"] = json!("Reflected XSS in the search page");
    shop[2]["kind"] = json!("secret");
    upload(&ci, "repository=shop&branch=main&scan_id=s1", &shop);
    upload(
        &ci,
        "repository=blog&branch=main&scan_id=b1",
        &[finding("py.sqli", "blog/db.py", 5, "high", "g1")],
    );

    let all = reader.get("/api/v1/vulnerabilities?facets=true");
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.json["total"], 4);
    // Worst first.
    let severities: Vec<&str> = all.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["critical", "high", "medium", "low"]);
    for field in common::LISTED_FIELDS {
        assert!(
            !all.json["items"][0][field].is_null(),
            "items have `{field}`"
        );
    }
    assert_eq!(
        all.json["facets"]["repository"],
        json!({"blog": 1, "shop": 3})
    );
    assert_eq!(all.json["facets"]["kind"], json!({"sast": 3, "secret": 1}));
    assert_eq!(
        all.json["facets"]["cwe"],
        json!({"CWE-79": 1, "CWE-89": 3}),
        "one count per CWE of each vulnerability"
    );
    assert_eq!(
        all.json["facets"]["rule"],
        json!({"py.debug": 1, "py.sqli": 2, "py.xss": 1})
    );
    assert_eq!(all.json["facets"]["assignee"], json!({"none": 4}));

    assert_eq!(items(&reader, "repository=blog").len(), 1);
    assert_eq!(items(&reader, "severity=critical,high").len(), 2);
    assert_eq!(items(&reader, "kind=secret")[0]["rule_id"], "py.debug");
    assert_eq!(items(&reader, "rule=py.sqli").len(), 2);
    assert_eq!(items(&reader, "cwe=79")[0]["rule_id"], "py.xss");
    assert_eq!(items(&reader, "cwe=CWE-89").len(), 3);
    assert_eq!(
        items(&reader, "q=reflected%20SEARCH")[0]["rule_id"],
        "py.xss"
    );
    assert_eq!(items(&reader, "q=blog/db").len(), 1);
    assert_eq!(items(&reader, "q=100%25").len(), 0);
    assert_eq!(items(&reader, "status=fixed").len(), 0);

    // Facets count each dimension without its own filter.
    let high = reader.get("/api/v1/vulnerabilities?severity=critical&facets=true");
    assert_eq!(high.json["total"], 1);
    assert_eq!(
        high.json["facets"]["severity"],
        json!({"critical": 1, "high": 1, "low": 1, "medium": 1})
    );
    assert_eq!(high.json["facets"]["repository"], json!({"shop": 1}));

    let by_path: Vec<String> = items(&reader, "sort=path")
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        by_path,
        ["app/db.py", "app/main.py", "app/views.py", "blog/db.py"]
    );
    let ascending = items(&reader, "sort=severity");
    assert_eq!(ascending[0]["severity"], "low");

    let page2 = reader.get("/api/v1/vulnerabilities?per_page=3&page=2");
    assert_eq!(page2.json["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (page2.json["total"].as_i64(), page2.json["page"].as_i64()),
        (Some(4), Some(2))
    );

    for bad in [
        "severity=urgent",
        "status=closed",
        "kind=dast",
        "sort=colour",
        "page=0",
        "per_page=501",
        "page=abc",
    ] {
        let reply = reader.get(&format!("/api/v1/vulnerabilities?{bad}"));
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
        assert!(reply.json["error"].is_string(), "{bad}");
    }
    let repos = reader.get("/api/v1/repositories");
    assert_eq!(repos.status, 200);
    assert_eq!(repos.json[1]["name"], "shop");
    assert_eq!(repos.json[1]["open"], 3);
}

fn a_large_upload_is_streamed_and_applied_whole(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let reader = server.key("read");
    let reply = ci.post_stream(
        "/api/v1/scans?repository=big&branch=main&scan_id=big1",
        common::GeneratedReport::new(20_000),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json["created"], 20_000);
    let page = reader.get("/api/v1/vulnerabilities?repository=big&per_page=1&facets=true");
    assert_eq!(page.json["total"], 20_000);
    assert_eq!(page.json["facets"]["severity"]["critical"], 4_000);
    // A second full scan with half of them fixes the other half, in one go.
    let reply = ci.post_stream(
        "/api/v1/scans?repository=big&branch=main&scan_id=big2",
        common::GeneratedReport::new(10_000),
    );
    assert_eq!(
        (reply.json["created"].as_i64(), reply.json["fixed"].as_i64()),
        (Some(0), Some(10_000))
    );
}

on_both!(
    new_fixed_reopened_with_history,
    branches_keep_a_vulnerability_open_until_none_reports_it,
    reuploading_a_scan_id_changes_nothing,
    triage_changes_status_assignee_and_comments_with_history,
    list_filters_sorts_pages_and_counts_facets,
    a_large_upload_is_streamed_and_applied_whole,
);
