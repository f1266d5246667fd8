//! The Explorer's web pages: server-rendered HTML (maud templates, compiled in), one
//! stylesheet and a little JavaScript that only adds conveniences, so every page works
//! without it. The pages call the same functions as the JSON API: one set of checks, one
//! store, one access-control rule.
//!
//! Forms post `application/x-www-form-urlencoded` with the session's CSRF token in a
//! `csrf_token` field; after a change the browser is redirected (303) to the page that
//! shows it, so reloading never posts twice.

mod detail;
mod list;
mod login;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{DOCTYPE, Markup, html};
use serde::de::DeserializeOwned;

use crate::api::{ApiError, AppState, body};
use crate::auth::{self, Credential, Permission, Principal};

/// The pages, merged into the application beside the API.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list::page))
        .route("/login", get(login::page).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/vulnerabilities/{id}", get(detail::page))
        .route("/vulnerabilities/{id}/status", post(detail::set_status))
        .route("/vulnerabilities/{id}/assignee", post(detail::assign))
        .route("/vulnerabilities/{id}/comments", post(detail::comment))
        .route("/static/moat.css", get(stylesheet))
        .route("/static/moat.js", get(script))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
}

async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", include_str!("static/moat.css"))
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("static/moat.js"),
    )
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        text,
    )
        .into_response()
}

/// A page as the response: HTML, never cached (it shows live, access-controlled data).
pub(crate) fn html_response(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        markup.into_string(),
    )
        .into_response()
}

/// The frame every page shares: head, the bar with navigation and the user, the content.
pub(crate) fn layout(title: &str, viewer: Option<&Principal>, content: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Moat" }
                link rel="stylesheet" href="/static/moat.css";
                script src="/static/moat.js" defer {}
            }
            body {
                header.bar {
                    a.brand href="/" { "Moat" span.product { "Vulnerability Explorer" } }
                    @if let Some(viewer) = viewer {
                        nav {
                            a href="/" { "Vulnerabilities" }
                        }
                        div.who {
                            span.user { (viewer.actor()) }
                            @if let Credential::Session { role, .. } = &viewer.credential {
                                span.role { (role.as_str()) }
                            }
                            form method="post" action="/logout" {
                                (csrf_field(viewer))
                                button.link type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main { (content) }
            }
        }
    }
}

/// The hidden field that carries the session's CSRF token in a form.
pub(crate) fn csrf_field(viewer: &Principal) -> Markup {
    html! {
        input type="hidden" name="csrf_token" value=(viewer.csrf_token().unwrap_or_default());
    }
}

/// An error as a page, with the API's message when the caller can fix the problem.
pub(crate) fn error_page(viewer: Option<&Principal>, error: ApiError) -> Response {
    let (status, message) = match error {
        ApiError::Status(status, message) => (status, message),
        ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, message),
        ApiError::Unauthorized(message) => (StatusCode::UNAUTHORIZED, message.to_owned()),
        ApiError::Internal(message) => {
            tracing::error!(error = %message, "page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The server failed; its log says why.".to_owned(),
            )
        }
    };
    let heading = status.canonical_reason().unwrap_or("Error");
    let content = html! {
        section.error {
            h1 { (heading) }
            p.message { (message) }
            p { a href="/" { "Back to the vulnerabilities" } }
        }
    };
    html_response(status, layout(heading, viewer, &content))
}

/// A page's failure: an API error shown as an error page, or a redirect to log in.
pub(crate) enum PageError {
    /// Not logged in: go to the login page, then come back.
    Login(String),
    /// Anything else, shown with the API's message.
    Api(Option<Principal>, ApiError),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login(back) => {
                let query = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
                Redirect::to(&format!("/login?{query}")).into_response()
            }
            PageError::Api(viewer, error) => error_page(viewer.as_ref(), error),
        }
    }
}

/// The logged-in person (or API key) looking at a page; anyone else is sent to log in.
pub(crate) struct Viewer(pub(crate) Principal);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        match auth::authenticate(parts, state).await {
            Ok(principal) => Ok(Viewer(principal)),
            Err(ApiError::Unauthorized(_)) => {
                let back = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                // A form post cannot be replayed after logging in: come back to its page.
                let back = if parts.method == axum::http::Method::GET {
                    back
                } else {
                    parts
                        .uri
                        .path()
                        .rsplit_once('/')
                        .map_or("/", |(page, _)| page)
                        .to_owned()
                };
                Err(PageError::Login(back))
            }
            Err(error) => Err(PageError::Api(None, error)),
        }
    }
}

impl Viewer {
    /// The page's error for `error`, shown to this viewer.
    pub(crate) fn fail(&self, error: ApiError) -> PageError {
        PageError::Api(Some(self.0.clone()), error)
    }

    /// Whether the viewer may do `permission` (to show or hide a form).
    pub(crate) fn may(&self, permission: Permission) -> bool {
        self.0.permissions().contains(&permission)
    }
}

/// A form body, read against the JSON size limit (so an oversized one is drained and
/// refused with 413 rather than cut off), whose bad fields get a 400 page.
pub(crate) struct FormBody<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for FormBody<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let req = body::buffered(req, state.config.max_json_bytes)
            .await
            .map_err(|e| PageError::Api(None, e))?;
        match Form::<T>::from_request(req, state).await {
            Ok(Form(value)) => Ok(FormBody(value)),
            Err(rejection) => Err(PageError::Api(
                None,
                ApiError::Status(rejection.status(), rejection.body_text()),
            )),
        }
    }
}

/// The CSRF rule of the UI's forms: not marked cross-site by the browser, and carrying
/// the session's token.
pub(crate) fn check_form(
    viewer: &Viewer,
    headers: &HeaderMap,
    token: &str,
) -> Result<(), PageError> {
    if cross_site(headers) || !auth::csrf_token_matches(&viewer.0, token) {
        return Err(viewer.fail(ApiError::Forbidden(
            "the form is stale or came from another site; reload the page and try again".to_owned(),
        )));
    }
    Ok(())
}

/// Whether the browser says the request comes from another site (`Sec-Fetch-Site`), or
/// its `Origin` is not this server's `Host`.
pub(crate) fn cross_site(headers: &HeaderMap) -> bool {
    let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    match (header(header::ORIGIN), header(header::HOST)) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            origin.split_once("://").map_or(origin, |(_, rest)| rest) != host
        }
        _ => false,
    }
}

/// `/?…` with `pairs` as the query.
pub(crate) fn list_url<T: serde::Serialize>(pairs: &T) -> String {
    match serde_urlencoded::to_string(pairs) {
        Ok(query) if !query.is_empty() => format!("/?{query}"),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_must_be_this_host() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "moat.example:7700".parse().unwrap());
        assert!(!cross_site(&headers));
        headers.insert(header::ORIGIN, "http://moat.example:7700".parse().unwrap());
        assert!(!cross_site(&headers));
        headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(cross_site(&headers));
        headers.insert(header::ORIGIN, "null".parse().unwrap());
        assert!(cross_site(&headers));
        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(cross_site(&headers));
    }
}
