//! `moat serve` and `moat scan --upload` as users run them: the real binary, a real
//! database (SQLite in a temporary data directory, and PostgreSQL when
//! `MOAT_TEST_DATABASE_URL` is set, as `scripts/test` does), real HTTP.
//!
//! Also what only a real process can show: a server killed with SIGKILL in the middle of
//! a large upload keeps every upload it acknowledged and nothing of the killed one, and a
//! 100,000-finding upload goes through in bounded memory.

#![allow(
    clippy::unwrap_used,
    reason = "helpers of the tests; a failed unwrap is a failed test"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PASSWORD: &str = "admin-password-1";

/// A database for one test.
enum Db {
    Sqlite,
    Postgres { admin_url: String, name: String },
}

impl Db {
    fn postgres(test: &str) -> Option<Db> {
        let admin_url = std::env::var("MOAT_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let Some(admin_url) = admin_url else {
            eprintln!(
                "skipped {test} on PostgreSQL: MOAT_TEST_DATABASE_URL is not set (scripts/test sets it)"
            );
            return None;
        };
        let name = format!("moat_cli_{test}_{}", std::process::id());
        psql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
        psql(&admin_url, &format!("CREATE DATABASE {name}"));
        Some(Db::Postgres { admin_url, name })
    }

    fn args(&self, data_dir: &Path) -> Vec<String> {
        match self {
            Db::Sqlite => vec!["--data-dir".into(), data_dir.display().to_string()],
            Db::Postgres { admin_url, name } => {
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                vec!["--database-url".into(), format!("{base}/{name}")]
            }
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Db::Postgres { admin_url, name } = self {
            psql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        .status()
        .expect("psql runs (Debian's postgresql-client)");
    assert!(status.success(), "psql: {sql}");
}

fn psql_value(url: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args(["-qtA", url, "-c", sql])
        .output()
        .expect("psql runs");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A running `moat serve`.
struct Served {
    child: Child,
    url: String,
    stderr: String,
}

#[expect(
    clippy::zombie_processes,
    reason = "the Drop of `Served` waits for the child"
)]
fn serve(data_dir: &Path, db: &Db, extra: &[&str], env: &[(&str, &str)]) -> Served {
    let mut command = Command::new(env!("CARGO_BIN_EXE_moat"));
    command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(db.args(data_dir))
        .args(extra)
        .env_remove("MOAT_ADMIN_PASSWORD")
        .env_remove("MOAT_DATABASE_URL")
        .env(
            "MOAT_LOG",
            std::env::var("MOAT_TEST_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("moat serve starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("moat serve stopped before listening:\n{seen}");
        }
        seen.push_str(&line);
        if let Some(rest) = line.split("listening on ").nth(1) {
            let url = rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
            // Keep draining stderr so the server never blocks on a full pipe.
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut stderr, &mut std::io::stderr());
            });
            return Served {
                child,
                url,
                stderr: seen,
            };
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into()
}

fn call(method: &str, url: &str, auth: &str, body: Option<&Value>) -> (u16, Value, Option<String>) {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("Content-Type", "application/json");
    if let Some(key) = auth.strip_prefix("key:") {
        request = request.header("Authorization", format!("Bearer {key}"));
    } else if !auth.is_empty() {
        request = request.header("Cookie", auth);
    }
    let request = request
        .body(body.map(Value::to_string).unwrap_or_default().into_bytes())
        .expect("a request");
    let mut response = agent().run(request).expect("the server answers");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .map(str::to_owned);
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (
        response.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(Value::Null),
        cookie,
    )
}

/// Logs in as admin and makes an API key of `scope`; returns `key:<key>`.
fn key(url: &str, scope: &str) -> String {
    let login = json!({"username": "admin", "password": PASSWORD});
    let (status, _, cookie) = call("POST", &format!("{url}/api/v1/login"), "", Some(&login));
    assert_eq!(status, 200);
    let (status, body, _) = call(
        "POST",
        &format!("{url}/api/v1/api-keys"),
        &cookie.expect("a session"),
        Some(&json!({"name": scope, "scope": scope})),
    );
    assert_eq!(status, 201, "{body}");
    format!("key:{}", body["key"].as_str().expect("a key"))
}

fn moat(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(dir)
        .env_remove("MOAT_SERVER")
        .env_remove("MOAT_API_KEY")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_REF_NAME")
        .env_remove("GITHUB_HEAD_REF")
        .env_remove("GITHUB_SHA")
        .env_remove("CI_PROJECT_PATH")
        .env_remove("CI_COMMIT_REF_NAME")
        .env_remove("CI_COMMIT_SHA")
        .output()
        .expect("moat runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `moat scan . --upload` to `url` with `key`, then `extra` arguments.
fn upload(dir: &Path, url: &str, key: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["scan", ".", "--upload", "--server", url, "--api-key", key];
    args.extend_from_slice(extra);
    moat(dir, &args)
}

const FLASK_APP: &str = "from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == \"__main__\":\n    app.run(debug=True)\n";

fn scan_upload_and_triage(db: &Db) {
    let data = tempfile::tempdir().unwrap();
    let server = serve(data.path(), db, &[], &[("MOAT_ADMIN_PASSWORD", PASSWORD)]);
    assert!(
        server.stderr.contains("created the user `admin`"),
        "{}",
        server.stderr
    );
    let upload_key = key(&server.url, "upload");
    let read_key = key(&server.url, "read");

    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("app.py"), FLASK_APP).unwrap();
    std::fs::create_dir_all(repo.path().join(".git/refs/heads")).unwrap();
    std::fs::write(repo.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(repo.path().join(".git/refs/heads/main"), "c0ffee\n").unwrap();
    std::fs::write(
        repo.path().join(".git/config"),
        "[remote \"origin\"]\n\turl = git@example.com:team/flask-app.git\n",
    )
    .unwrap();

    let api_key = upload_key.trim_start_matches("key:");
    let (code, stdout, stderr) = upload(repo.path(), &server.url, api_key, &[]);
    assert_eq!(code, 1, "findings still set the exit code: {stderr}");
    assert!(
        stdout.contains("app.py:6"),
        "results still printed: {stdout}"
    );
    assert!(
        stderr.contains("Uploaded to")
            && stderr.contains("team/flask-app")
            && stderr.contains("1 new"),
        "{stderr}"
    );

    let (_, list, _) = call(
        "GET",
        &format!(
            "{}/api/v1/vulnerabilities?repository=team/flask-app",
            server.url
        ),
        &read_key,
        None,
    );
    assert_eq!(list["total"], 1, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["rule_id"], "python.flask.flask-debug-enabled");
    assert_eq!(item["path"], "app.py");
    let (_, detail, _) = call(
        "GET",
        &format!("{}/api/v1/vulnerabilities/{}", server.url, item["id"]),
        &read_key,
        None,
    );
    assert_eq!(detail["first_scan"]["branch"], "main");
    assert_eq!(detail["first_scan"]["commit"], "c0ffee");

    // Fixed in the code: the next upload says so, and so does the server.
    std::fs::write(repo.path().join("app.py"), "print('hello')\n").unwrap();
    let (code, _, stderr) = upload(repo.path(), &server.url, api_key, &["--scan-id", "fixed-1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 fixed"), "{stderr}");
    let (code, _, stderr) = upload(repo.path(), &server.url, api_key, &["--scan-id", "fixed-1"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("already uploaded"), "{stderr}");
    let (_, list, _) = call(
        "GET",
        &format!("{}/api/v1/vulnerabilities?status=fixed", server.url),
        &read_key,
        None,
    );
    assert_eq!(list["total"], 1);

    // Upload mistakes are one clear error and exit 2.
    let (code, _, stderr) = moat(repo.path(), &["scan", ".", "--upload"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: --upload needs the server"),
        "{stderr}"
    );
    let (code, _, stderr) = upload(repo.path(), &server.url, "moat_wrong", &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("refused the upload (401)") && stderr.contains("hint:"),
        "{stderr}"
    );
    let reader = read_key.trim_start_matches("key:");
    let (code, _, stderr) = upload(repo.path(), &server.url, reader, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("(403)"), "{stderr}");
}

#[test]
fn scan_upload_and_triage_on_sqlite() {
    scan_upload_and_triage(&Db::Sqlite);
}

#[test]
fn scan_upload_and_triage_on_postgres() {
    if let Some(db) = Db::postgres("upload") {
        scan_upload_and_triage(&db);
    }
}

#[test]
fn init_admin_prints_a_password_once_and_serve_starts_with_no_setup() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("nested/data");
    let without = serve(&dir, &Db::Sqlite, &[], &[]);
    assert!(
        without.stderr.contains("no user can log in yet"),
        "{}",
        without.stderr
    );
    assert!(
        dir.join("moat.db").is_file(),
        "the data directory and database are created"
    );
    drop(without);
    let first = serve(&dir, &Db::Sqlite, &["--init-admin"], &[]);
    let password = first
        .stderr
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a generated password")
        .to_owned();
    let login = json!({"username": "admin", "password": password});
    assert_eq!(
        call(
            "POST",
            &format!("{}/api/v1/login", first.url),
            "",
            Some(&login)
        )
        .0,
        200
    );
    drop(first);
    let again = serve(&dir, &Db::Sqlite, &["--init-admin"], &[]);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    let (status, health, _) = call("GET", &format!("{}/api/v1/health", again.url), "", None);
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
}

/// A moat JSON report of `count` findings, each `pad` bytes of message longer.
fn big_report(count: usize, pad: usize) -> Vec<u8> {
    let padding = "x".repeat(pad);
    let mut out = Vec::with_capacity(count * (700 + pad));
    out.extend_from_slice(
        br#"{"version": 1, "tool": {"name": "moat", "version": "0"}, "findings": ["#,
    );
    for i in 0..count {
        if i > 0 {
            out.push(b',');
        }
        let severity = ["critical", "high", "medium", "low", "info"][i % 5];
        let finding = json!({
            "rule_id": format!("rule.{}", i % 40), "kind": "sast",
            "severity": severity,
            "cwe": ["CWE-79"], "owasp": [], "title": "A title",
            "message": format!("Finding {i} {padding}"),
            "location": {"path": format!("src/f{}.py", i % 2000), "start": {"line": i % 700 + 1, "column": 1}, "end": {"line": i % 700 + 1, "column": 9}},
            "snippet": "eval(request.args['x'])", "fingerprint": format!("{i:032x}"),
        });
        out.extend_from_slice(finding.to_string().as_bytes());
    }
    out.extend_from_slice(br#"], "skipped": [], "summary": {}}"#);
    out
}

fn total(url: &str, key: &str, repository: &str) -> i64 {
    let (status, body, _) = call(
        "GET",
        &format!("{url}/api/v1/vulnerabilities?repository={repository}&per_page=1"),
        key,
        None,
    );
    assert_eq!(status, 200, "{body}");
    body["total"].as_i64().expect("a total")
}

/// Sends the headers and as much of `body` as `send` says on a raw connection, leaving
/// the request unfinished or unanswered.
fn start_upload(url: &str, key: &str, query: &str, body: &[u8], send: usize) -> TcpStream {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    let head = format!(
        "POST /api/v1/scans?{query} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        key.trim_start_matches("key:"),
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("send headers");
    stream.write_all(&body[..send]).expect("send the body");
    stream.flush().expect("flush");
    stream
}

fn wal_size(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("moat.db-wal")).map_or(0, |m| m.len())
}

#[expect(clippy::too_many_lines, reason = "two kills and the checks after each")]
fn survives_sigkill_mid_upload(db: &Db) {
    let data = tempfile::tempdir().unwrap();
    let env = [("MOAT_ADMIN_PASSWORD", PASSWORD)];
    let mut server = serve(data.path(), db, &[], &env);
    let ci = key(&server.url, "upload");
    let reader = key(&server.url, "read");

    // Acknowledged uploads.
    let small = |i: usize| serde_json::from_slice::<Value>(&big_report(3 + i, 0)).unwrap();
    for i in 0..3 {
        let (status, body, _) = call(
            "POST",
            &format!(
                "{}/api/v1/scans?repository=acked-{i}&branch=main&scan_id=acked-{i}",
                server.url
            ),
            &ci,
            Some(&small(i)),
        );
        assert_eq!(status, 201, "{body}");
    }

    // Killed while the body is still arriving.
    let big = big_report(25_000, 0);
    let stream = start_upload(
        &server.url,
        &ci,
        "repository=big&branch=main&scan_id=big",
        &big,
        big.len() / 2,
    );
    std::thread::sleep(Duration::from_millis(300));
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");
    drop(stream);

    // Killed while the upload's transaction is being written.
    let mut server = serve(data.path(), db, &[], &env);
    let before = wal_size(data.path());
    let mut stream = start_upload(
        &server.url,
        &ci,
        "repository=big&branch=main&scan_id=big",
        &big,
        big.len(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    match db {
        // Uncommitted pages reach the WAL as the transaction outgrows SQLite's cache:
        // once it has grown by megabytes, the transaction is under way.
        Db::Sqlite => {
            while wal_size(data.path()) < before + (4 << 20) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        // A connection holds a transaction id from the upload's first write until its
        // commit; nothing else writes meanwhile. (Polling for an active INSERT missed the
        // short moments each batch's statement runs.)
        Db::Postgres { admin_url, name } => {
            let staging = format!(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}' \
                 AND backend_xid IS NOT NULL"
            );
            while psql_value(admin_url, &staging) == "0" && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
    assert!(
        Instant::now() < deadline,
        "the upload's transaction was never seen under way"
    );
    stream.set_nonblocking(true).expect("non-blocking");
    let mut answer = [0u8; 64];
    let answered = matches!(stream.read(&mut answer), Ok(n) if n > 0);
    eprintln!(
        "killed {} the upload was answered",
        if answered { "after" } else { "before" }
    );
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");

    let server = serve(data.path(), db, &[], &env);
    for i in 0..3 {
        assert_eq!(
            total(&server.url, &reader, &format!("acked-{i}")),
            3 + i64::from(i),
            "acknowledged upload {i}"
        );
    }
    // All or nothing: an answer had come back only if the whole upload was committed.
    let kept = total(&server.url, &reader, "big");
    if answered {
        assert_eq!(kept, 25_000);
    } else {
        assert_eq!(kept, 0, "nothing of the killed upload is kept");
        let (status, body, _) = call(
            "GET",
            &format!("{}/api/v1/repositories", server.url),
            &reader,
            None,
        );
        assert_eq!(status, 200);
        assert!(
            body.as_array().unwrap().iter().all(|p| p["name"] != "big"),
            "{body}"
        );
    }
    // The killed upload's id is free to be sent again, and then it is all there.
    let (status, body, _) = call(
        "POST",
        &format!(
            "{}/api/v1/scans?repository=big&branch=main&scan_id=big",
            server.url
        ),
        &ci,
        Some(&serde_json::from_slice(&big).unwrap()),
    );
    assert!(
        status == 201 || (answered && status == 200),
        "{status} {body}"
    );
    assert_eq!(total(&server.url, &reader, "big"), 25_000);
}

#[test]
fn survives_sigkill_mid_upload_on_sqlite() {
    survives_sigkill_mid_upload(&Db::Sqlite);
}

#[test]
fn survives_sigkill_mid_upload_on_postgres() {
    if let Some(db) = Db::postgres("sigkill") {
        survives_sigkill_mid_upload(&db);
    }
}

/// Peak resident memory of a process, from /proc, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn a_100k_finding_upload_stays_within_bounded_memory() {
    let data = tempfile::tempdir().unwrap();
    let server = serve(
        data.path(),
        &Db::Sqlite,
        &[],
        &[("MOAT_ADMIN_PASSWORD", PASSWORD)],
    );
    let ci = key(&server.url, "upload");
    let reader = key(&server.url, "read");
    let started = Instant::now();
    let body = big_report(100_000, 800);
    eprintln!("generated in {:?}", started.elapsed());
    let started = Instant::now();
    let idle = peak_rss(server.child.id());
    let mut stream = start_upload(
        &server.url,
        &ci,
        "repository=huge&branch=main&scan_id=huge",
        &body,
        body.len(),
    );
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok();
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "{}",
        answer.lines().next().unwrap_or_default()
    );
    eprintln!("uploaded in {:?}", started.elapsed());
    assert_eq!(total(&server.url, &reader, "huge"), 100_000);
    let peak = peak_rss(server.child.id());
    eprintln!(
        "100k findings, {} MB of JSON: peak server memory {} MB (idle {} MB)",
        body.len() >> 20,
        peak >> 20,
        idle >> 20
    );
    // Logging in (argon2 takes 19 MiB a hash) and SQLite's caches make the idle peak;
    // what the upload adds must not grow with its size.
    let added = peak.saturating_sub(idle);
    assert!(
        added < body.len() as u64 / 3,
        "the upload added {} MB to the server for {} MB of JSON: it should stream it",
        added >> 20,
        body.len() >> 20
    );
}
