//! Logging in and out with a form.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::{FormBody, PageError, Viewer, check_form, cross_site, html_response, layout};
use crate::api::accounts::{close_session, open_session};
use crate::api::{ApiError, AppState};

#[derive(Deserialize)]
pub(super) struct Next {
    next: Option<String>,
}

/// Where to go after logging in: a path of this server, never another site.
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/",
    }
}

fn form(next: &str, username: &str, problem: Option<&str>) -> maud::Markup {
    html! {
        section.login {
            h1 { "Log in" }
            @if let Some(problem) = problem {
                p.problem role="alert" { (problem) }
            }
            form method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                label { "Username"
                    input name="username" value=(username) autocomplete="username" required autofocus;
                }
                label { "Password"
                    input type="password" name="password" autocomplete="current-password" required;
                }
                button type="submit" { "Log in" }
            }
        }
    }
}

/// The login form.
pub(super) async fn page(Query(next): Query<Next>) -> Response {
    let next = local_path(next.next.as_deref());
    html_response(
        StatusCode::OK,
        layout("Log in", None, &form(next, "", None)),
    )
}

#[derive(Deserialize)]
pub(super) struct Credentials {
    username: String,
    password: String,
    next: Option<String>,
}

/// Checks the password (the API's login: same throttle, same session), then goes back to
/// the page that asked for it.
pub(super) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    FormBody(credentials): FormBody<Credentials>,
) -> Response {
    let next = local_path(credentials.next.as_deref()).to_owned();
    // No session yet, so no CSRF token: a login posted from another site is refused by
    // origin, or it could log a victim into the attacker's account.
    if cross_site(&headers) {
        return super::error_page(
            None,
            ApiError::Forbidden("log in from this server's own page".to_owned()),
        );
    }
    match open_session(&state, &credentials.username, credentials.password).await {
        Ok((cookie, _)) => ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response(),
        Err(error) => {
            let status = match &error {
                ApiError::Status(status, _) => *status,
                ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
                _ => return super::error_page(None, error),
            };
            let problem = match &error {
                ApiError::Status(_, message) => message.clone(),
                _ => "Wrong username or password.".to_owned(),
            };
            html_response(
                status,
                layout(
                    "Log in",
                    None,
                    &form(&next, &credentials.username, Some(&problem)),
                ),
            )
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Token {
    #[serde(default)]
    csrf_token: String,
}

/// Ends the session and shows the login form.
pub(super) async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    FormBody(token): FormBody<Token>,
) -> Result<Response, PageError> {
    check_form(&viewer, &headers, &token.csrf_token)?;
    let cookie = close_session(&state, &viewer.0, &headers)
        .await
        .map_err(|e| viewer.fail(e))?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn goes_back_only_to_this_server() {
        assert_eq!(
            local_path(Some("/vulnerabilities/3?x=1")),
            "/vulnerabilities/3?x=1"
        );
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(None), "/");
    }
}
