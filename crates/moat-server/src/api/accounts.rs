//! Logging in and out, the caller's identity, users and API keys.

use std::sync::OnceLock;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, AppState, ErrorBody, Id, JsonBody};
use crate::auth::{
    self, Credential, MIN_PASSWORD_LEN, Permission, Principal, Role, SESSION_COOKIE, Scope,
};
use crate::clock::{now_ms, rfc3339};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_users, create_user))
        .routes(routes!(list_api_keys, create_api_key))
        .routes(routes!(revoke_api_key))
}

/// A hash no password matches, verified when the user does not exist so that a wrong
/// username takes as long as a wrong password.
pub(crate) fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password("no user has this password").unwrap_or_default())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct LoginRequest {
    username: String,
    password: String,
}

/// Who the caller is and what they may do.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Me {
    /// `user` or `api_key`.
    kind: &'static str,
    /// The username or the key's name.
    name: String,
    /// For users.
    role: Option<Role>,
    /// For API keys.
    scope: Option<Scope>,
    /// Among `read`, `triage`, `upload`, `manage_integrations`, `admin`.
    permissions: Vec<&'static str>,
    /// For sessions: send it as `X-CSRF-Token` (or a form's `csrf_token` field) with
    /// requests that have no JSON body.
    csrf_token: Option<String>,
}

fn me_of(principal: &Principal) -> Me {
    let permissions = principal.permissions().iter().map(|p| p.as_str()).collect();
    match &principal.credential {
        Credential::Session {
            username,
            role,
            csrf_token,
        } => Me {
            kind: "user",
            name: username.clone(),
            role: Some(*role),
            scope: None,
            permissions,
            csrf_token: Some(csrf_token.clone()),
        },
        Credential::ApiKey { name, scope } => Me {
            kind: "api_key",
            name: name.clone(),
            role: None,
            scope: Some(*scope),
            permissions,
            csrf_token: None,
        },
    }
}

/// Logs in with a password; sets the session cookie (HttpOnly, SameSite=Lax, Secure when
/// the server is reached over TLS).
#[utoipa::path(post, path = "/api/v1/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the session cookie is set", body = Me),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 429, description = "Too many failed logins for this user", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    let (cookie, principal) = open_session(&state, &request.username, request.password).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(me_of(&principal))).into_response())
}

/// Checks a password and opens a session: the `Set-Cookie` value and who logged in. 401
/// for a wrong username or password (the same time either way), 429 after too many.
pub(crate) async fn open_session(
    state: &AppState,
    username: &str,
    password: String,
) -> Result<(String, Principal), ApiError> {
    if let Some(wait) = state.logins.wait(username) {
        return Err(ApiError::Status(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "too many failed logins for this user; try again in {} minutes",
                wait.as_secs().div_ceil(60)
            ),
        ));
    }
    let found = state.store.password_hash(username).await?;
    let hash = found
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |(_, hash)| hash.clone());
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    let Some((user_id, _)) = found.filter(|_| matches) else {
        state.logins.failed(username);
        return Err(ApiError::Unauthorized("wrong username or password"));
    };
    state.logins.succeeded(username);
    let token = auth::random_token("")?;
    let csrf_token = auth::random_token("")?;
    let now = now_ms();
    let lifetime = state.config.session_lifetime;
    let expires = now.saturating_add(i64::try_from(lifetime.as_millis()).unwrap_or(i64::MAX));
    state
        .store
        .create_session(
            &auth::token_hash(&token),
            user_id,
            &csrf_token,
            now,
            expires,
        )
        .await?;
    let secure = if state.config.behind_tls() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        lifetime.as_secs()
    );
    let principal = state
        .store
        .session_user(&auth::token_hash(&token), now)
        .await?
        .map(|user| Principal {
            credential: Credential::Session {
                username: user.username,
                role: user.role,
                csrf_token: user.csrf_token,
            },
        })
        .ok_or_else(|| ApiError::internal("the new session is missing"))?;
    Ok((cookie, principal))
}

/// Ends the session and clears its cookie.
#[utoipa::path(post, path = "/api/v1/logout", tag = "auth",
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    principal: Principal,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let cookie = close_session(&state, &principal, &headers).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Ends the caller's session, if it has one: the `Set-Cookie` value that clears it.
pub(crate) async fn close_session(
    state: &AppState,
    principal: &Principal,
    headers: &axum::http::HeaderMap,
) -> Result<String, ApiError> {
    if let (Credential::Session { .. }, Some(token)) =
        (&principal.credential, auth::session_cookie(headers))
    {
        state.store.delete_session(&auth::token_hash(token)).await?;
    }
    Ok(format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    ))
}

/// The caller: user or API key, role or scope, permissions.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(principal: Principal) -> Json<Me> {
    Json(me_of(&principal))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserView {
    id: i64,
    username: String,
    role: Role,
    /// RFC 3339.
    created_at: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct NewUser {
    /// Letters, digits, `.`, `_`, `-` and `@`; 1 to 64 characters.
    username: String,
    /// At least 8 characters.
    password: String,
    role: Role,
}

/// Every user (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "auth",
    responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<UserView>>, ApiError> {
    principal.require(Permission::Admin)?;
    let users = state.store.users().await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserView {
                id: u.id,
                username: u.username,
                role: u.role,
                created_at: rfc3339(u.created_at),
            })
            .collect(),
    ))
}

/// Whether a username is acceptable.
pub(crate) fn valid_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Creates a user (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "auth", request_body = NewUser,
    responses((status = 201, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, description = "Bad username or too short a password", body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(user): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    principal.require(Permission::Admin)?;
    if !valid_username(&user.username) {
        return Err(ApiError::unprocessable(
            "a username is 1 to 64 letters, digits, `.`, `_`, `-` or `@`",
        ));
    }
    if user.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ApiError::unprocessable(format!(
            "the password must be at least {MIN_PASSWORD_LEN} characters long"
        )));
    }
    let password = user.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let now = now_ms();
    if !state
        .store
        .create_user(&user.username, &hash, user.role, now)
        .await?
    {
        return Err(ApiError::Status(
            StatusCode::CONFLICT,
            format!("user `{}` already exists", user.username),
        ));
    }
    let id = state
        .store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username == user.username)
        .map_or(0, |u| u.id);
    Ok((
        StatusCode::CREATED,
        Json(UserView {
            id,
            username: user.username,
            role: user.role,
            created_at: rfc3339(now),
        }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct NewApiKey {
    /// What the key is for (`ci`, `agent-shop`); recorded in history as `api-key:NAME`.
    name: String,
    scope: Scope,
}

/// A new key: `key` is shown this once and stored only as a hash.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct CreatedApiKey {
    id: i64,
    name: String,
    scope: Scope,
    key: String,
    /// RFC 3339.
    created_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiKeyView {
    id: i64,
    name: String,
    scope: Scope,
    /// The key's first characters, to recognise it.
    prefix: String,
    /// RFC 3339.
    created_at: String,
    /// RFC 3339, once revoked.
    revoked_at: Option<String>,
}

/// Every API key, without the keys (admin).
#[utoipa::path(get, path = "/api/v1/api-keys", tag = "auth",
    responses((status = 200, body = Vec<ApiKeyView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_api_keys(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<ApiKeyView>>, ApiError> {
    principal.require(Permission::Admin)?;
    Ok(Json(
        state
            .store
            .api_keys()
            .await?
            .into_iter()
            .map(|k| ApiKeyView {
                id: k.id,
                name: k.name,
                scope: k.scope,
                prefix: k.prefix,
                created_at: rfc3339(k.created_at),
                revoked_at: k.revoked_at.map(rfc3339),
            })
            .collect(),
    ))
}

/// Creates an API key (admin); the answer is the only time the key is shown.
#[utoipa::path(post, path = "/api/v1/api-keys", tag = "auth", request_body = NewApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create_api_key(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(request): JsonBody<NewApiKey>,
) -> Result<(StatusCode, Json<CreatedApiKey>), ApiError> {
    principal.require(Permission::Admin)?;
    let name = request.name.trim();
    if name.is_empty() || name.len() > 128 {
        return Err(ApiError::unprocessable(
            "`name` must be 1 to 128 characters",
        ));
    }
    let key = auth::random_token("moat_")?;
    let prefix: String = key.chars().take(12).collect();
    let now = now_ms();
    let creator = match &principal.credential {
        Credential::Session { username, .. } => Some(username.as_str()),
        Credential::ApiKey { .. } => None,
    };
    let id = state
        .store
        .create_api_key(
            name,
            &auth::token_hash(&key),
            &prefix,
            request.scope,
            creator,
            now,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedApiKey {
            id,
            name: name.to_owned(),
            scope: request.scope,
            key,
            created_at: rfc3339(now),
        }),
    ))
}

/// Revokes an API key (admin); it stops working at once.
#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "auth",
    params(("id" = i64, Path, description = "The key's id")),
    responses((status = 204, description = "Revoked"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn revoke_api_key(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    principal.require(Permission::Admin)?;
    if state.store.revoke_api_key(id, now_ms()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no API key {id}")))
    }
}
