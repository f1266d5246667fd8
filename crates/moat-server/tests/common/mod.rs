//! A real server on a loopback port, on SQLite or PostgreSQL, and a blocking HTTP client.
//!
//! Every test runs on both databases: `on_both!` makes a `sqlite` and a `postgres` test of
//! each function. The PostgreSQL ones need `MOAT_TEST_DATABASE_URL` (a role that may
//! create databases; `scripts/test` starts a throwaway cluster and sets it) and skip with a
//! notice without it. Each test gets its own fresh database.

#![allow(dead_code, reason = "each test file uses part of the harness")]

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use moat_server::{Database, Server, ServerConfig};
use serde_json::{Value, json};
use sqlx::Connection;

/// The admin's password in every test server.
pub(crate) const ADMIN_PASSWORD: &str = "admin-password-1";

/// The fields every listed vulnerability has (the interface).
pub(crate) const LISTED_FIELDS: [&str; 10] = [
    "id",
    "kind",
    "rule_id",
    "severity",
    "status",
    "title",
    "path",
    "line",
    "first_seen",
    "last_seen",
];

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite,
    /// The URL of a role that may create databases.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL, when `MOAT_TEST_DATABASE_URL` is set.
    pub(crate) fn postgres() -> Option<Backend> {
        std::env::var("MOAT_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(Backend::Postgres)
    }
}

/// Makes `sqlite` and `postgres` tests of each named function `fn(&Backend)`.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&$crate::common::Backend::Sqlite);
                }

                #[test]
                fn postgres() {
                    match $crate::common::Backend::postgres() {
                        Some(backend) => super::$name(&backend),
                        None => eprintln!(
                            "skipped {}: MOAT_TEST_DATABASE_URL is not set (scripts/test sets it)",
                            stringify!($name)
                        ),
                    }
                }
            }
        )*
    };
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other test uses at the same time.
pub(crate) fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh database on `backend`: a SQLite file in `dir`, or a new PostgreSQL database
/// (with the URL of the role to drop it later).
pub(crate) fn fresh_database(
    backend: &Backend,
    dir: &std::path::Path,
) -> (Database, Option<(String, String)>) {
    match backend {
        Backend::Sqlite => (Database::Sqlite(dir.join("moat.db")), None),
        Backend::Postgres(url) => {
            let name = unique("moat_test");
            block_on(async {
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(url)
                    .await
                    .expect("connect to MOAT_TEST_DATABASE_URL");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create a test database");
            });
            let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
            (
                Database::Postgres(format!("{base}/{name}")),
                Some((url.clone(), name)),
            )
        }
    }
}

/// Drops a test database made by [`fresh_database`].
pub(crate) fn drop_database(admin_url: &str, name: &str) {
    block_on(async {
        if let Ok(mut conn) = sqlx::AnyConnection::connect(admin_url).await {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await;
        }
    });
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// A server running on its own thread until dropped.
pub(crate) struct TestServer {
    pub(crate) url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    database: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub(crate) fn start(backend: &Backend) -> TestServer {
        TestServer::start_with(backend, |_| {})
    }

    /// Starts a server whose config `adjust` may change; `admin` exists.
    pub(crate) fn start_with(
        backend: &Backend,
        adjust: impl FnOnce(&mut ServerConfig),
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database, cleanup) = fresh_database(backend, dir.path());
        let mut config = ServerConfig::new(database);
        config.spool_dir = Some(dir.path().to_owned());
        adjust(&mut config);
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let server = Server::open(config).await.expect("open the server");
                server
                    .ensure_admin(Some(ADMIN_PASSWORD), false)
                    .await
                    .expect("create admin");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let addr = listener.local_addr().expect("address");
                ready_tx
                    .send(format!("http://{addr}"))
                    .expect("report the address");
                server
                    .serve(listener, async {
                        let _ = shutdown_rx.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        let url = ready_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server started");
        TestServer {
            url,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
            database: cleanup,
            _dir: dir,
        }
    }

    /// A client with no credentials.
    pub(crate) fn anonymous(&self) -> Client {
        Client {
            agent: agent(),
            base: self.url.clone(),
            auth: Auth::None,
        }
    }

    /// A client logged in as `username`.
    pub(crate) fn login(&self, username: &str, password: &str) -> Client {
        let client = self.anonymous();
        let reply = client.post(
            "/api/v1/login",
            &json!({"username": username, "password": password}),
        );
        assert_eq!(reply.status, 200, "log in as {username}: {}", reply.text);
        let cookie = reply
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_owned();
        Client {
            auth: Auth::Cookie(cookie),
            ..client
        }
    }

    /// A client logged in as `admin`.
    pub(crate) fn admin(&self) -> Client {
        self.login("admin", ADMIN_PASSWORD)
    }

    /// Creates a user with `role` and logs in as them.
    pub(crate) fn user(&self, username: &str, role: &str) -> Client {
        let password = format!("{username}-password");
        let reply = self.admin().post(
            "/api/v1/users",
            &json!({"username": username, "password": password, "role": role}),
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
        self.login(username, &password)
    }

    /// Creates an API key of `scope` and returns a client using it.
    pub(crate) fn key(&self, scope: &str) -> Client {
        let reply = self.admin().post(
            "/api/v1/api-keys",
            &json!({"name": format!("{scope}-key"), "scope": scope}),
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
        let key = reply.json["key"].as_str().expect("the key").to_owned();
        Client {
            auth: Auth::Bearer(key),
            ..self.anonymous()
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Some((url, name)) = &self.database {
            drop_database(url, name);
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // The UI answers forms with 303: tests look at the redirect itself.
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into()
}

#[derive(Debug, Clone)]
pub(crate) enum Auth {
    None,
    Bearer(String),
    /// `moat_session=...`
    Cookie(String),
}

/// A blocking client for one identity.
#[derive(Clone)]
pub(crate) struct Client {
    agent: ureq::Agent,
    pub(crate) base: String,
    pub(crate) auth: Auth,
}

/// A response: status, headers, body as text and (when it parses) JSON.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) json: Value,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("the server answered");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let text = response
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_string()
        .unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

impl Client {
    pub(crate) fn with_auth(&self, auth: Auth) -> Client {
        Client {
            auth,
            ..self.clone()
        }
    }

    fn authorise<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.auth {
            Auth::None => request,
            Auth::Bearer(key) => request.header("Authorization", format!("Bearer {key}")),
            Auth::Cookie(cookie) => request.header("Cookie", cookie.as_str()),
        }
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        reply(
            self.authorise(self.agent.get(format!("{}{path}", self.base)))
                .call(),
        )
    }

    pub(crate) fn delete(&self, path: &str) -> Reply {
        reply(
            self.authorise(self.agent.delete(format!("{}{path}", self.base)))
                .call(),
        )
    }

    pub(crate) fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_bytes(path, "application/json", body.to_string().as_bytes())
    }

    pub(crate) fn post_bytes(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        reply(
            self.authorise(self.agent.post(format!("{}{path}", self.base)))
                .header("Content-Type", content_type)
                .send(body),
        )
    }

    /// Posts a body of unknown length (chunked), read as it is sent.
    pub(crate) fn post_stream(&self, path: &str, body: impl Read + 'static) -> Reply {
        reply(
            self.authorise(self.agent.post(format!("{}{path}", self.base)))
                .header("Content-Type", "application/json")
                .send(ureq::SendBody::from_owned_reader(body)),
        )
    }

    /// Sends any request with extra headers.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Reply {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        builder = match &self.auth {
            Auth::None => builder,
            Auth::Bearer(key) => builder.header("Authorization", format!("Bearer {key}")),
            Auth::Cookie(cookie) => builder.header("Cookie", cookie.as_str()),
        };
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(body.unwrap_or_default().to_vec())
            .expect("a request");
        reply(self.agent.run(request))
    }
}

/// A moat JSON report (the `moat scan --format json` shape) of `findings`.
pub(crate) fn report(findings: &[Value]) -> Value {
    json!({
        "version": 1,
        "tool": {"name": "moat", "version": "0.1.0"},
        "findings": findings,
        "skipped": [],
        "summary": {"findings": findings.len()},
    })
}

/// One finding as moat writes it.
pub(crate) fn finding(
    rule: &str,
    path: &str,
    line: u64,
    severity: &str,
    fingerprint: &str,
) -> Value {
    json!({
        "rule_id": rule,
        "kind": "sast",
        "severity": severity,
        "confidence": "high",
        "cwe": ["CWE-89"],
        "owasp": ["A03:2021"],
        "title": format!("Title of {rule}"),
        "message": format!("Message of {rule} at {path}:{line}"),
        "location": {"path": path, "start": {"line": line, "column": 5}, "end": {"line": line, "column": 20}},
        "snippet": "    cursor.execute(query)",
        "remediation": "Use bound parameters.",
        "evidence": {"$QUERY": "query"},
        "fingerprint": fingerprint,
    })
}

/// A reader of a moat JSON report of `count` generated findings, made as it is read.
pub(crate) struct GeneratedReport {
    count: usize,
    next: usize,
    buffer: Vec<u8>,
    at: usize,
    done: bool,
}

impl GeneratedReport {
    pub(crate) fn new(count: usize) -> GeneratedReport {
        GeneratedReport {
            count,
            next: 0,
            buffer: b"{\"version\": 1, \"tool\": {\"name\": \"moat\", \"version\": \"0\"}, \"findings\": [".to_vec(),
            at: 0,
            done: false,
        }
    }
}

impl Read for GeneratedReport {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.buffer.len() {
            if self.done {
                return Ok(0);
            }
            self.buffer.clear();
            self.at = 0;
            if self.next < self.count {
                let i = self.next;
                self.next += 1;
                if i > 0 {
                    self.buffer.push(b',');
                }
                let value = finding(
                    &format!("rule.{}", i % 50),
                    &format!("src/file{}.py", i % 1000),
                    (i % 500) as u64 + 1,
                    ["critical", "high", "medium", "low", "info"][i % 5],
                    &format!("{i:032x}"),
                );
                self.buffer.extend_from_slice(value.to_string().as_bytes());
            } else {
                self.buffer
                    .extend_from_slice(b"], \"skipped\": [], \"summary\": {}}");
                self.done = true;
            }
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
