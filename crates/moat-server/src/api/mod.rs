//! The HTTP API: one module per resource, each with its routes, handlers and types, put
//! together here with the OpenAPI document and the middleware every response goes through.

pub(crate) mod accounts;
pub(crate) mod body;
pub(crate) mod projects;
mod uploads;
pub(crate) mod vulnerabilities;

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::ServerConfig;
use crate::ingest::IngestError;
use crate::store::Store;

pub(crate) use accounts::dummy_hash;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub(crate) store: Store,
    pub(crate) config: Arc<ServerConfig>,
    /// Failed password logins, to slow down guessing.
    pub(crate) logins: Arc<crate::auth::LoginThrottle>,
}

/// An error answered as `{"error": "..."}` with its status. Internal failures are logged
/// and answered with a bare 500, never with their details.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// 400, 404, 409, 413, 415, 422...: the caller can fix it.
    Status(StatusCode, String),
    /// 401.
    Unauthorized(&'static str),
    /// 403.
    Forbidden(String),
    /// 500.
    Internal(String),
}

impl ApiError {
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::Status(StatusCode::BAD_REQUEST, message.into())
    }

    pub(crate) fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::Status(StatusCode::UNPROCESSABLE_ENTITY, message.into())
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::Status(StatusCode::NOT_FOUND, message.into())
    }

    pub(crate) fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(message.to_string())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        ApiError::Internal(format!("database: {error}"))
    }
}

impl From<IngestError> for ApiError {
    fn from(error: IngestError) -> ApiError {
        match error {
            IngestError::Syntax(message) => ApiError::bad_request(message),
            IngestError::Invalid(message) => ApiError::unprocessable(message),
            IngestError::Cancelled => ApiError::internal("the upload was abandoned"),
        }
    }
}

/// The body of every error.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    /// What went wrong and, when known, what to do.
    pub(crate) error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::Status(status, message) => (status, message),
            ApiError::Unauthorized(message) => {
                let mut response = (
                    StatusCode::UNAUTHORIZED,
                    Json(ErrorBody {
                        error: message.to_owned(),
                    }),
                )
                    .into_response();
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"moat\""),
                );
                return response;
            }
            ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, message),
            ApiError::Internal(message) => {
                tracing::error!(error = %message, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal server error; see the server's log".to_owned(),
                )
            }
        };
        (status, Json(ErrorBody { error: message })).into_response()
    }
}

/// `Json<T>` whose rejections are [`ApiError`]s: `{"error"}` bodies, 400 for broken JSON,
/// 422 for JSON of the wrong shape, 413 past the size limit, 415 without a JSON type.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let req = body::buffered(req, state.config.max_json_bytes).await?;
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::Status(rejection.status(), rejection.body_text())),
        }
    }
}

/// `Query<T>` whose rejections are 400 [`ApiError`]s.
pub(crate) struct QueryParams<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(QueryParams(value)),
            Err(rejection) => Err(ApiError::bad_request(rejection.body_text())),
        }
    }
}

/// The `page` (from 1) and `per_page` (1 to `max`; `default` when absent) a list
/// request asks for; a 400 that names both bounds otherwise.
pub(crate) fn page_window(
    page: Option<i64>,
    per_page: Option<i64>,
    default: i64,
    max: i64,
) -> Result<(i64, i64), ApiError> {
    let (page, per_page) = (page.unwrap_or(1), per_page.unwrap_or(default));
    if page < 1 || !(1..=max).contains(&per_page) {
        return Err(ApiError::bad_request(format!(
            "`page` starts at 1 and `per_page` is between 1 and {max}"
        )));
    }
    Ok((page, per_page))
}

/// A numeric id in the path; anything else is 404, as no such resource exists.
pub(crate) struct Id(pub(crate) i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Id(id)),
            Err(_) => Err(ApiError::not_found("no such id: ids are numbers")),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Moat Vulnerability Explorer",
        description = "Uploads, vulnerabilities, triage and access control of `moat serve`. \
            Authenticate with `Authorization: Bearer <API key>` or the session cookie set by \
            `POST /api/v1/login`; see docs/server.md.",
    ),
    modifiers(&SecuritySchemes),
    security(("api_key" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Logging in, users and API keys"),
        (name = "uploads", description = "Scans, SARIF, SBOMs and runtime reports"),
        (name = "vulnerabilities", description = "The list, details and triage"),
        (name = "projects", description = "Repositories, services and their components"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key created with POST /api/v1/api-keys"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// Every route with its documentation; `utoipa_axum` registers both at once, so no route
/// can be left out of the document.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(accounts::router())
        .merge(uploads::router())
        .merge(vulnerabilities::router())
        .merge(projects::router())
}

/// The OpenAPI document served at `/api/openapi.json`.
pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    routes().split_for_parts().1
}

/// The whole application.
pub(crate) fn app(state: AppState) -> Router {
    let (router, api) = routes().split_for_parts();
    let document = Arc::new(api.to_json().unwrap_or_default());
    let max_json = state.config.max_json_bytes;
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let document = Arc::clone(&document);
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        document.as_str().to_owned(),
                    )
                }
            }),
        )
        .merge(crate::ui::router())
        .fallback(|| async { ApiError::not_found("no such endpoint; see /api/openapi.json") })
        .layer(axum::extract::DefaultBodyLimit::max(max_json))
        .layer(middleware::from_fn_with_state(state.clone(), protect))
        .with_state(state)
}

/// Refuses CORS preflights and sets the security headers on every response.
async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        ApiError::Forbidden("cross-origin requests are not allowed".to_owned()).into_response()
    } else {
        next.run(request).await
    };
    // A refused body may be left unread, and then the connection cannot carry another
    // request: say so, or a client reuses it and fails.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "same-origin");
    set(headers, "cross-origin-opener-policy", "same-origin");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
    if state.config.behind_tls() {
        set(
            headers,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}
