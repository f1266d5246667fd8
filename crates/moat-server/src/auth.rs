//! Who is calling and what they may do: password hashing (argon2), session cookies, API
//! keys, roles, scopes and permissions, and the CSRF rule for cookie-authenticated calls.
//!
//! Two kinds of callers: people, logged in with a password, who carry a session cookie
//! and a role; and programs (CI, agents), who send `Authorization: Bearer <key>` with a
//! scoped API key. A request with neither, or with one that is not valid, gets 401; a
//! valid one whose role or scope lacks the permission gets 403.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use sha2::{Digest, Sha256};

use crate::api::{ApiError, AppState};
use crate::clock::now_ms;

/// Shortest password accepted for a user.
pub(crate) const MIN_PASSWORD_LEN: usize = 8;

/// The name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "moat_session";

/// A person's role.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Role {
    /// Everything, including users, API keys and integrations.
    Admin,
    /// Reads, triages and uploads.
    Member,
    /// Reads.
    Viewer,
}

/// What an API key may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Scope {
    /// Send scans and runtime reports, nothing else (CI, agents).
    Upload,
    /// Read vulnerabilities (dashboards, scripts).
    Read,
    /// Everything an admin can do.
    Admin,
}

/// One thing a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Permission {
    /// Read vulnerabilities, repositories and components.
    Read,
    /// Change status, assign, comment.
    Triage,
    /// Send scans, SBOMs and runtime reports.
    Upload,
    /// Configure ticket trackers and notifications.
    ManageIntegrations,
    /// Manage users and API keys.
    Admin,
}

impl Permission {
    /// The name used in error messages and docs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "read",
            Permission::Triage => "triage",
            Permission::Upload => "upload",
            Permission::ManageIntegrations => "manage_integrations",
            Permission::Admin => "admin",
        }
    }
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub(crate) fn permissions(self) -> &'static [Permission] {
        match self {
            Role::Admin => &[
                Permission::Read,
                Permission::Triage,
                Permission::Upload,
                Permission::ManageIntegrations,
                Permission::Admin,
            ],
            Role::Member => &[Permission::Read, Permission::Triage, Permission::Upload],
            Role::Viewer => &[Permission::Read],
        }
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Role, ()> {
        match s {
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            "viewer" => Ok(Role::Viewer),
            _ => Err(()),
        }
    }
}

impl Scope {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::Upload => "upload",
            Scope::Read => "read",
            Scope::Admin => "admin",
        }
    }

    pub(crate) fn permissions(self) -> &'static [Permission] {
        match self {
            Scope::Upload => &[Permission::Upload],
            Scope::Read => &[Permission::Read],
            Scope::Admin => Role::Admin.permissions(),
        }
    }
}

impl FromStr for Scope {
    type Err = ();
    fn from_str(s: &str) -> Result<Scope, ()> {
        match s {
            "upload" => Ok(Scope::Upload),
            "read" => Ok(Scope::Read),
            "admin" => Ok(Scope::Admin),
            _ => Err(()),
        }
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub(crate) enum Credential {
    /// A person's session cookie.
    Session {
        username: String,
        role: Role,
        csrf_token: String,
    },
    /// An API key.
    ApiKey { name: String, scope: Scope },
}

/// An authenticated caller. As an extractor it also enforces the CSRF rule: see
/// [`check_csrf`].
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    pub(crate) credential: Credential,
}

impl Principal {
    /// The name recorded in history: the username, or `api-key:NAME`.
    pub(crate) fn actor(&self) -> String {
        match &self.credential {
            Credential::Session { username, .. } => username.clone(),
            Credential::ApiKey { name, .. } => format!("api-key:{name}"),
        }
    }

    pub(crate) fn permissions(&self) -> &'static [Permission] {
        match &self.credential {
            Credential::Session { role, .. } => role.permissions(),
            Credential::ApiKey { scope, .. } => scope.permissions(),
        }
    }

    /// 403 unless the caller has `permission`.
    pub(crate) fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.permissions().contains(&permission) {
            Ok(())
        } else {
            let who = match &self.credential {
                Credential::Session { role, .. } => format!("the {} role", role.as_str()),
                Credential::ApiKey { scope, .. } => {
                    format!("an API key of scope {}", scope.as_str())
                }
            };
            Err(ApiError::Forbidden(format!(
                "this needs the `{}` permission, which {who} does not have",
                permission.as_str()
            )))
        }
    }

    /// The session's CSRF token: HTML forms of the UI carry it in a `csrf_token` field,
    /// checked with [`csrf_token_matches`].
    pub(crate) fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token, .. } => Some(csrf_token),
            Credential::ApiKey { .. } => None,
        }
    }
}

/// Whether `token` (from a form field or header) is the session's CSRF token.
pub(crate) fn csrf_token_matches(principal: &Principal, token: &str) -> bool {
    principal
        .csrf_token()
        .is_some_and(|expected| constant_time_eq(expected.as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// SHA-256 of a token, as stored.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// A random token of 32 bytes as 64 hex digits, with a prefix naming what it is.
pub(crate) fn random_token(prefix: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// Hashes a password with argon2id (a random salt, the crate's recommended parameters).
pub(crate) fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored argon2 hash.
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// The session token from the `Cookie` header, if any.
pub(crate) fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
        })
}

/// Authenticates a request from its headers: the bearer key first, then the cookie.
pub(crate) async fn authenticate(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let key = value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, key) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
            })
            .filter(|k| !k.is_empty())
            .ok_or(ApiError::Unauthorized(
                "the Authorization header must be `Bearer <API key>`",
            ))?;
        let (name, scope) = state
            .store
            .api_key(&token_hash(key))
            .await?
            .ok_or(ApiError::Unauthorized("unknown or revoked API key"))?;
        return Ok(Principal {
            credential: Credential::ApiKey { name, scope },
        });
    }
    if let Some(token) = session_cookie(&parts.headers) {
        let user = state
            .store
            .session_user(&token_hash(token), now_ms())
            .await?
            .ok_or(ApiError::Unauthorized(
                "the session has expired; log in again",
            ))?;
        return Ok(Principal {
            credential: Credential::Session {
                username: user.username,
                role: user.role,
                csrf_token: user.csrf_token,
            },
        });
    }
    Err(ApiError::Unauthorized(
        "log in, or send `Authorization: Bearer <API key>`",
    ))
}

/// The CSRF rule for requests that change something with a session cookie: a browser
/// sends the cookie with cross-site form posts, but a cross-site page cannot send a JSON
/// `Content-Type` without a CORS preflight, which the server refuses. So a JSON body is
/// enough; anything else needs the session's token in `X-CSRF-Token` (or, for the UI's
/// HTML forms, a `csrf_token` field that the form handler checks itself). API keys are
/// not sent by browsers on their own, so they need neither.
pub(crate) fn check_csrf(parts: &Parts, principal: &Principal) -> Result<(), ApiError> {
    if matches!(principal.credential, Credential::ApiKey { .. })
        || matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
    {
        return Ok(());
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return Err(ApiError::Forbidden(
            "cross-site requests with the session cookie are refused".to_owned(),
        ));
    }
    if header(header::CONTENT_TYPE.as_str()).is_some_and(is_json) {
        return Ok(());
    }
    if header("x-csrf-token").is_some_and(|token| csrf_token_matches(principal, token)) {
        return Ok(());
    }
    Err(ApiError::Forbidden(
        "a request with the session cookie must send a JSON body (Content-Type: application/json) \
         or the session's X-CSRF-Token header"
            .to_owned(),
    ))
}

/// `application/json`, or any `application/*+json`, with or without parameters.
pub(crate) fn is_json(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let principal = authenticate(parts, state).await?;
        check_csrf(parts, &principal)?;
        Ok(principal)
    }
}

/// Failed logins counted per username: past [`LoginThrottle::MAX_FAILURES`] within
/// [`LoginThrottle::WINDOW`], that user's password logins are refused until the window
/// ends, so a password cannot be guessed at the speed of the network. Per username rather
/// than per address, because guesses can come from many addresses; API keys are not
/// affected. A successful login clears the count.
#[derive(Debug, Default)]
pub(crate) struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginThrottle {
    /// Failures allowed in one window.
    pub(crate) const MAX_FAILURES: u32 = 10;
    /// How long failures are remembered.
    pub(crate) const WINDOW: Duration = Duration::from_secs(15 * 60);
    /// Usernames remembered at most; past it, expired entries are dropped.
    const MAX_ENTRIES: usize = 100_000;

    fn key(username: &str) -> String {
        username.trim().to_lowercase()
    }

    /// How long `username` must wait before trying again, if it must.
    pub(crate) fn wait(&self, username: &str) -> Option<Duration> {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (count, since) = failures.get(&Self::key(username))?;
        let elapsed = since.elapsed();
        if *count >= Self::MAX_FAILURES {
            Self::WINDOW.checked_sub(elapsed).filter(|w| !w.is_zero())
        } else {
            None
        }
    }

    /// Counts a failed login.
    pub(crate) fn failed(&self, username: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() >= Self::MAX_ENTRIES {
            failures.retain(|_, (_, since)| since.elapsed() < Self::WINDOW);
        }
        let entry = failures
            .entry(Self::key(username))
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= Self::WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets the failures of a user who logged in.
    pub(crate) fn succeeded(&self, username: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(&Self::key(username));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn scopes_grant_only_their_permissions() {
        assert_eq!(Scope::Upload.permissions(), &[Permission::Upload]);
        assert!(!Scope::Read.permissions().contains(&Permission::Upload));
        assert!(
            Scope::Admin
                .permissions()
                .contains(&Permission::ManageIntegrations)
        );
        assert!(!Role::Member.permissions().contains(&Permission::Admin));
        assert!(Role::Member.permissions().contains(&Permission::Triage));
        assert_eq!(Role::Viewer.permissions(), &[Permission::Read]);
    }

    #[test]
    fn logins_are_throttled_per_user_until_one_succeeds() {
        let throttle = LoginThrottle::default();
        for _ in 0..LoginThrottle::MAX_FAILURES - 1 {
            throttle.failed("Mia");
        }
        assert_eq!(throttle.wait("mia"), None);
        throttle.failed("mia ");
        let wait = throttle
            .wait("mia")
            .expect("locked after the tenth failure");
        assert!(wait > Duration::from_secs(14 * 60), "{wait:?}");
        assert_eq!(throttle.wait("admin"), None);
        throttle.succeeded("MIA");
        assert_eq!(throttle.wait("mia"), None);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/sarif+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json("multipart/form-data; boundary=x"));
    }

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; moat_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(session_cookie(&headers), Some("abc"));
        headers.insert(header::COOKIE, "moat_session=".parse().unwrap());
        assert_eq!(session_cookie(&headers), None);
    }
}
