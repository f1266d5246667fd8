//! Access control over real HTTP: the role × endpoint matrix (401 / 403 / allowed),
//! sessions and their cookie, API keys, CSRF, CORS preflights and security headers.

#![allow(
    clippy::unwrap_used,
    reason = "helpers of the tests; a failed unwrap is a failed test"
)]

mod common;

use std::collections::BTreeSet;

use common::{Auth, Backend, Client, TestServer, finding, report};
use serde_json::{Value, json};

/// One call of the matrix.
struct Call {
    method: &'static str,
    /// As in the OpenAPI document.
    route: &'static str,
    /// With ids filled in.
    path: String,
    body: Option<Value>,
    /// Who may: `None` for anyone authenticated.
    permission: Option<&'static str>,
}

#[expect(clippy::too_many_lines, reason = "one line per endpoint")]
fn calls(vulnerability: i64, key_id: i64) -> Vec<Call> {
    let v = |suffix: &str| format!("/api/v1/vulnerabilities/{vulnerability}{suffix}");
    let call = |method, route, path: String, body: Option<Value>, permission| Call {
        method,
        route,
        path,
        body,
        permission,
    };
    let runtime = json!({"version": 1, "service": "svc", "vulnerabilities": []});
    let sbom = json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []});
    let sarif = json!({"version": "2.1.0", "runs": []});
    vec![
        call("GET", "/api/v1/me", "/api/v1/me".into(), None, None),
        call(
            "POST",
            "/api/v1/logout",
            "/api/v1/logout".into(),
            Some(json!({})),
            None,
        ),
        call(
            "GET",
            "/api/v1/vulnerabilities",
            "/api/v1/vulnerabilities".into(),
            None,
            Some("read"),
        ),
        call(
            "GET",
            "/api/v1/vulnerabilities/{id}",
            v(""),
            None,
            Some("read"),
        ),
        call(
            "GET",
            "/api/v1/repositories",
            "/api/v1/repositories".into(),
            None,
            Some("read"),
        ),
        call(
            "GET",
            "/api/v1/components",
            "/api/v1/components".into(),
            None,
            Some("read"),
        ),
        call(
            "POST",
            "/api/v1/vulnerabilities/{id}/status",
            v("/status"),
            Some(json!({"status": "in_progress"})),
            Some("triage"),
        ),
        call(
            "POST",
            "/api/v1/vulnerabilities/{id}/assignee",
            v("/assignee"),
            Some(json!({"assignee": null})),
            Some("triage"),
        ),
        call(
            "POST",
            "/api/v1/vulnerabilities/{id}/comments",
            v("/comments"),
            Some(json!({"body": "seen"})),
            Some("triage"),
        ),
        call(
            "POST",
            "/api/v1/scans",
            "/api/v1/scans?repository=matrix".into(),
            Some(report(&[])),
            Some("upload"),
        ),
        call(
            "POST",
            "/api/v1/sarif",
            "/api/v1/sarif?repository=matrix".into(),
            Some(sarif),
            Some("upload"),
        ),
        call(
            "POST",
            "/api/v1/sbom",
            "/api/v1/sbom?repository=matrix".into(),
            Some(sbom),
            Some("upload"),
        ),
        call(
            "POST",
            "/api/v1/runtime",
            "/api/v1/runtime".into(),
            Some(runtime),
            Some("upload"),
        ),
        call(
            "GET",
            "/api/v1/users",
            "/api/v1/users".into(),
            None,
            Some("admin"),
        ),
        call(
            "POST",
            "/api/v1/users",
            "/api/v1/users".into(),
            Some(json!({"username": "u", "password": "long enough", "role": "viewer"})),
            Some("admin"),
        ),
        call(
            "GET",
            "/api/v1/api-keys",
            "/api/v1/api-keys".into(),
            None,
            Some("admin"),
        ),
        call(
            "POST",
            "/api/v1/api-keys",
            "/api/v1/api-keys".into(),
            Some(json!({"name": "k", "scope": "read"})),
            Some("admin"),
        ),
        call(
            "DELETE",
            "/api/v1/api-keys/{id}",
            format!("/api/v1/api-keys/{key_id}"),
            None,
            Some("admin"),
        ),
    ]
}

/// Endpoints anyone may call.
const PUBLIC: [(&str, &str); 2] = [("POST", "/api/v1/login"), ("GET", "/api/v1/health")];

fn send(client: &Client, call: &Call) -> common::Reply {
    let body = call.body.as_ref().map(|b| b.to_string().into_bytes());
    client.request(
        call.method,
        &call.path,
        &[("Content-Type", "application/json")],
        body.as_deref(),
    )
}

/// Who calls, how to make a client for them, and their permissions.
type Principal<'a> = (
    &'static str,
    Box<dyn Fn() -> Client + 'a>,
    &'static [&'static str],
);

#[expect(
    clippy::too_many_lines,
    reason = "the matrix, then its coverage of the document"
)]
fn role_by_endpoint_matrix(backend: &Backend) {
    let server = TestServer::start(backend);
    let ci = server.key("upload");
    let seeded = ci.post(
        "/api/v1/scans?repository=shop&branch=main",
        &report(&[finding("py.sqli", "app/db.py", 1, "high", "aaaa")]),
    );
    assert_eq!(seeded.status, 201, "{}", seeded.text);
    let id = server.key("read").get("/api/v1/vulnerabilities").json["items"][0]["id"]
        .as_i64()
        .unwrap();

    // Each principal and its permissions; sessions are made fresh for each call, as
    // logout ends them.
    let principals: Vec<Principal<'_>> = vec![
        (
            "admin session",
            Box::new(|| server.admin()),
            &["read", "triage", "upload", "admin"],
        ),
        (
            "member session",
            Box::new(|| server.login("mia", "mia-password")),
            &["read", "triage", "upload"],
        ),
        (
            "viewer session",
            Box::new(|| server.login("vic", "vic-password")),
            &["read"],
        ),
        (
            "admin key",
            Box::new(|| server.key("admin")),
            &["read", "triage", "upload", "admin"],
        ),
        ("read key", Box::new(|| server.key("read")), &["read"]),
        ("upload key", Box::new(|| server.key("upload")), &["upload"]),
    ];
    server.user("mia", "member");
    server.user("vic", "viewer");
    let anonymous = server.anonymous();
    let forged = [
        Auth::Bearer(
            "moat_0000000000000000000000000000000000000000000000000000000000000000".into(),
        ),
        Auth::Bearer(String::new()),
        Auth::Cookie("moat_session=forged".into()),
    ];

    // One client per principal; a session is made anew only after logging out ends it.
    let mut clients: Vec<Client> = principals.iter().map(|(_, make, _)| make()).collect();
    let admin = server.key("admin");
    let mut covered = BTreeSet::new();
    for call in calls(id, 1) {
        covered.insert((call.method.to_owned(), call.route.to_owned()));
        for auth in std::iter::once(Auth::None).chain(forged.iter().cloned()) {
            let reply = send(&anonymous.with_auth(auth.clone()), &call);
            assert_eq!(
                reply.status, 401,
                "{} {} as {auth:?}: {}",
                call.method, call.path, reply.text
            );
            assert!(reply.json["error"].is_string());
            assert!(reply.header("www-authenticate").is_some());
        }
        for ((who, make, permissions), client) in principals.iter().zip(&mut clients) {
            // A fresh key to revoke each time, so that DELETE has something to act on.
            let call = if call.method == "DELETE" {
                let key_id = admin
                    .post(
                        "/api/v1/api-keys",
                        &json!({"name": "doomed", "scope": "read"}),
                    )
                    .json["id"]
                    .as_i64()
                    .unwrap();
                Call {
                    path: format!("/api/v1/api-keys/{key_id}"),
                    ..call_clone(&call)
                }
            } else if call.route == "/api/v1/users" && call.method == "POST" {
                let name = common::unique("u").replace('_', "-");
                Call {
                    body: Some(
                        json!({"username": name, "password": "long enough", "role": "viewer"}),
                    ),
                    ..call_clone(&call)
                }
            } else {
                call_clone(&call)
            };
            let reply = send(client, &call);
            if call.route == "/api/v1/logout" {
                *client = make();
            }
            let allowed = call.permission.is_none_or(|p| permissions.contains(&p));
            if allowed {
                assert!(
                    (200..300).contains(&reply.status),
                    "{who} may {} {}: got {} {}",
                    call.method,
                    call.path,
                    reply.status,
                    reply.text
                );
            } else {
                assert_eq!(
                    reply.status, 403,
                    "{who} may not {} {}: {}",
                    call.method, call.path, reply.text
                );
                assert!(
                    reply.json["error"]
                        .as_str()
                        .unwrap()
                        .contains(call.permission.unwrap())
                );
            }
        }
    }

    // Every documented endpoint is in the matrix or public.
    let document = anonymous.get("/api/openapi.json");
    assert_eq!(document.status, 200);
    for (route, item) in document.json["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            if PUBLIC.contains(&(method.as_str(), route.as_str())) {
                continue;
            }
            assert!(
                covered.contains(&(method.clone(), route.clone())),
                "{method} {route} is documented but not in the access matrix"
            );
        }
    }
}

/// The Explorer's pages by role: anonymous visitors are sent to log in, readers see
/// pages, the triage forms need the permission and the session's CSRF token.
#[expect(
    clippy::too_many_lines,
    reason = "anonymous, then each role, on every page and form"
)]
fn pages_by_role(backend: &Backend) {
    let server = TestServer::start(backend);
    let seeded = server.key("upload").post(
        "/api/v1/scans?repository=shop&branch=main",
        &report(&[finding("py.sqli", "app/db.py", 1, "high", "aaaa")]),
    );
    assert_eq!(seeded.status, 201, "{}", seeded.text);
    let id = server.key("read").get("/api/v1/vulnerabilities").json["items"][0]["id"]
        .as_i64()
        .unwrap();
    server.user("mia", "member");
    server.user("vic", "viewer");
    let form = "application/x-www-form-urlencoded";
    let pages = ["/".to_owned(), format!("/vulnerabilities/{id}")];

    let anonymous = server.anonymous();
    for page in &pages {
        let reply = anonymous.get(page);
        assert_eq!(reply.status, 303, "{page}: {}", reply.text);
        assert!(
            reply
                .header("location")
                .unwrap()
                .starts_with("/login?next=%2F"),
            "{page}: {:?}",
            reply.header("location")
        );
    }
    let posted = anonymous.post_bytes(&format!("/vulnerabilities/{id}/comments"), form, b"body=hi");
    assert_eq!(posted.status, 303);
    assert_eq!(
        posted.header("location"),
        Some(format!("/login?next=%2Fvulnerabilities%2F{id}").as_str()),
        "after logging in, back to the page of the form"
    );
    let login = anonymous.get("/login");
    assert_eq!(login.status, 200);
    assert!(login.text.contains("name=\"password\""));
    assert_eq!(anonymous.get("/static/moat.css").status, 200);

    for (who, client, triage) in [
        ("admin", server.admin(), true),
        ("member", server.login("mia", "mia-password"), true),
        ("viewer", server.login("vic", "vic-password"), false),
    ] {
        for page in &pages {
            let reply = client.get(page);
            assert_eq!(reply.status, 200, "{who} sees {page}");
            assert!(reply.text.contains("Title of py.sqli"), "{who}: {page}");
            assert_eq!(reply.header("cache-control"), Some("no-store"));
            assert!(reply.header("content-security-policy").is_some());
        }
        let token = client.get("/api/v1/me").json["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let comment = |body: String| {
            client.post_bytes(
                &format!("/vulnerabilities/{id}/comments"),
                form,
                body.as_bytes(),
            )
        };
        // Without the token, with another's, or marked cross-site: refused.
        assert_eq!(comment("body=hi".into()).status, 403, "{who}");
        assert_eq!(
            comment("body=hi&csrf_token=0000".into()).status,
            403,
            "{who}"
        );
        let cross = client.request(
            "POST",
            &format!("/vulnerabilities/{id}/comments"),
            &[("Content-Type", form), ("Sec-Fetch-Site", "cross-site")],
            Some(format!("body=hi&csrf_token={token}").as_bytes()),
        );
        assert_eq!(cross.status, 403, "{who}");
        let reply = comment(format!("body=from+{who}&csrf_token={token}"));
        if triage {
            assert_eq!(reply.status, 303, "{who}: {}", reply.text);
            assert_eq!(
                reply.header("location"),
                Some(format!("/vulnerabilities/{id}").as_str())
            );
        } else {
            assert_eq!(reply.status, 403, "{who}");
            assert!(reply.text.contains("triage"), "{}", reply.text);
        }
    }
    let comments = server
        .key("read")
        .get(&format!("/api/v1/vulnerabilities/{id}"))
        .json["comments"]
        .clone();
    let bodies: Vec<&str> = comments
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["from admin", "from member"]);

    // API keys are for programs: an upload key may not read pages.
    let upload = server.key("upload");
    assert_eq!(upload.get("/").status, 403);
    // Unknown ids and bad filters are clear pages, not crashes.
    let admin = server.admin();
    assert_eq!(admin.get("/vulnerabilities/999999").status, 404);
    assert_eq!(admin.get("/vulnerabilities/abc").status, 404);
    let bad = admin.get("/?severity=urgent");
    assert_eq!(bad.status, 400);
    assert!(bad.text.contains("not a valid severity"), "{}", bad.text);
}

/// Password guessing is cut off per user after ten failures, by the API and the form.
fn logins_are_throttled_per_user(backend: &Backend) {
    let server = TestServer::start(backend);
    server.user("mia", "member");
    let anonymous = server.anonymous();
    let login = |username: &str, password: &str| {
        anonymous.post(
            "/api/v1/login",
            &json!({"username": username, "password": password}),
        )
    };
    for _ in 0..10 {
        assert_eq!(login("mia", "guess").status, 401);
    }
    let locked = login("mia", "mia-password");
    assert_eq!(locked.status, 429, "{}", locked.text);
    assert!(locked.json["error"].as_str().unwrap().contains("try again"));
    let form = anonymous.post_bytes(
        "/login",
        "application/x-www-form-urlencoded",
        b"username=mia&password=mia-password",
    );
    assert_eq!(form.status, 429);
    assert!(
        form.text.contains("too many failed logins"),
        "{}",
        form.text
    );
    // Others are not affected.
    assert_eq!(login("admin", common::ADMIN_PASSWORD).status, 200);
}

fn call_clone(call: &Call) -> Call {
    Call {
        method: call.method,
        route: call.route,
        path: call.path.clone(),
        body: call.body.clone(),
        permission: call.permission,
    }
}

fn sessions_use_a_hardened_cookie(backend: &Backend) {
    let server = TestServer::start(backend);
    let anonymous = server.anonymous();
    let wrong = anonymous.post(
        "/api/v1/login",
        &json!({"username": "admin", "password": "nope"}),
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("set-cookie").is_none());
    let nobody = anonymous.post(
        "/api/v1/login",
        &json!({"username": "ghost", "password": "nope"}),
    );
    assert_eq!(
        (nobody.status, &nobody.json),
        (401, &wrong.json),
        "the same answer for a missing user"
    );
    assert_eq!(
        anonymous
            .post("/api/v1/login", &json!({"username": "admin"}))
            .status,
        422
    );

    let login = anonymous.post(
        "/api/v1/login",
        &json!({"username": "admin", "password": common::ADMIN_PASSWORD}),
    );
    assert_eq!(login.status, 200, "{}", login.text);
    let cookie = login.header("set-cookie").unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    assert!(login.header("strict-transport-security").is_none());
    assert_eq!(login.json["role"], "admin");
    assert!(login.json["csrf_token"].as_str().unwrap().len() >= 32);

    let admin = anonymous.with_auth(Auth::Cookie(cookie.split(';').next().unwrap().to_owned()));
    assert_eq!(admin.get("/api/v1/me").json["name"], "admin");
    let logout = admin.post("/api/v1/logout", &json!({}));
    assert_eq!(logout.status, 204, "{}", logout.text);
    assert_eq!(admin.get("/api/v1/me").status, 401, "the session ended");

    // Keys: shown once, listed by prefix, revoked at once.
    let created = server
        .admin()
        .post("/api/v1/api-keys", &json!({"name": "ci", "scope": "read"}));
    let key = created.json["key"].as_str().unwrap().to_owned();
    let listed = server.admin().get("/api/v1/api-keys");
    assert!(!listed.text.contains(&key), "a key is never shown again");
    assert!(key.starts_with(listed.json[0]["prefix"].as_str().unwrap()));
    let reader = anonymous.with_auth(Auth::Bearer(key));
    assert_eq!(reader.get("/api/v1/me").json["scope"], "read");
    let admin_key = server.key("admin");
    let revoked = admin_key.delete(&format!("/api/v1/api-keys/{}", created.json["id"]));
    assert_eq!(revoked.status, 204);
    assert_eq!(reader.get("/api/v1/me").status, 401);
    assert_eq!(admin_key.delete("/api/v1/api-keys/424242").status, 404);
    assert_eq!(admin_key.delete("/api/v1/api-keys/abc").status, 404);
    assert_eq!(
        server
            .admin()
            .post("/api/v1/api-keys", &json!({"name": "x", "scope": "root"}))
            .status,
        422
    );

    // Users.
    let admin = server.admin();
    assert_eq!(
        admin
            .post(
                "/api/v1/users",
                &json!({"username": "bo", "password": "short", "role": "member"})
            )
            .status,
        422
    );
    assert_eq!(
        admin
            .post(
                "/api/v1/users",
                &json!({"username": "b o", "password": "long enough", "role": "member"})
            )
            .status,
        422
    );
    assert_eq!(
        admin
            .post(
                "/api/v1/users",
                &json!({"username": "bo", "password": "long enough", "role": "member"})
            )
            .status,
        201
    );
    assert_eq!(
        admin
            .post(
                "/api/v1/users",
                &json!({"username": "bo", "password": "long enough", "role": "member"})
            )
            .status,
        409
    );
}

fn cookies_are_secure_and_hsts_on_behind_tls(backend: &Backend) {
    let server = TestServer::start_with(backend, |config| {
        config.public_url = Some("https://moat.example.com".to_owned());
    });
    let login = server.anonymous().post(
        "/api/v1/login",
        &json!({"username": "admin", "password": common::ADMIN_PASSWORD}),
    );
    assert!(login.header("set-cookie").unwrap().contains("; Secure"));
    assert!(
        login
            .header("strict-transport-security")
            .unwrap()
            .contains("max-age=")
    );
}

fn csrf_cors_and_security_headers(backend: &Backend) {
    let server = TestServer::start(backend);
    let admin = server.admin();
    let make_key = br#"{"name": "k", "scope": "read"}"#;
    // A cross-site form can post text/plain or form data with the cookie: refused.
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let reply = admin.request(
            "POST",
            "/api/v1/api-keys",
            &[("Content-Type", content_type)],
            Some(make_key),
        );
        assert_eq!(reply.status, 403, "{content_type}: {}", reply.text);
        assert!(
            reply.json["error"]
                .as_str()
                .unwrap()
                .contains("X-CSRF-Token")
        );
    }
    let cross_site = admin.request(
        "POST",
        "/api/v1/api-keys",
        &[
            ("Content-Type", "application/json"),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        Some(make_key),
    );
    assert_eq!(cross_site.status, 403);
    // A DELETE has no body: it needs the session's token.
    let created = admin.post("/api/v1/api-keys", &json!({"name": "k", "scope": "read"}));
    let path = format!("/api/v1/api-keys/{}", created.json["id"]);
    assert_eq!(admin.delete(&path).status, 403);
    let token = admin.get("/api/v1/me").json["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        admin
            .request("DELETE", &path, &[("X-CSRF-Token", "wrong")], None)
            .status,
        403
    );
    assert_eq!(
        admin
            .request("DELETE", &path, &[("X-CSRF-Token", &token)], None)
            .status,
        204
    );
    // API keys are not sent by browsers on their own: no CSRF rule.
    let key = server.key("admin");
    let reply = key.request(
        "POST",
        "/api/v1/api-keys",
        &[("Content-Type", "text/plain")],
        Some(make_key),
    );
    assert_eq!(
        reply.status, 415,
        "a key passes the CSRF rule, then fails JSON's: {}",
        reply.text
    );

    // CORS preflights are refused and no response allows other origins.
    let preflight = server.anonymous().request(
        "OPTIONS",
        "/api/v1/vulnerabilities",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.status, 403);
    for reply in [
        &preflight,
        &admin.get("/api/v1/me"),
        &admin.get("/api/v1/nothing-here"),
        &server.anonymous().get("/api/v1/health"),
    ] {
        assert!(reply.header("access-control-allow-origin").is_none());
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"));
    }
    let missing = admin.get("/api/v1/nothing-here");
    assert_eq!(missing.status, 404);
    assert!(missing.json["error"].is_string());
}

on_both!(
    role_by_endpoint_matrix,
    sessions_use_a_hardened_cookie,
    cookies_are_secure_and_hsts_on_behind_tls,
    csrf_cors_and_security_headers,
    pages_by_role,
    logins_are_throttled_per_user,
);
