//! The vulnerability list, one vulnerability, and triage: status, assignee, comments.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, AppState, ErrorBody, Id, JsonBody, QueryParams};
use crate::auth::{Permission, Principal};
use crate::clock::{now_ms, parse_rfc3339};
use crate::store::{CommentRow, Detail, ListQuery, ListedVulnerability, Sort};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show))
        .routes(routes!(set_status))
        .routes(routes!(assign))
        .routes(routes!(comment))
}

/// Every kind of finding.
pub(crate) const KINDS: [&str; 6] = ["sast", "sca", "secret", "iac", "iast", "runtime-sca"];
/// Every severity, worst first.
pub(crate) const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];
/// Every status a vulnerability can have.
pub(crate) const STATUSES: [&str; 6] = [
    "open",
    "in_progress",
    "muted",
    "false_positive",
    "risk_accepted",
    "fixed",
];

/// Filters, order and page. Each filter takes one value or several separated by commas.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// `sast`, `sca`, `secret`, `iac`, `iast`, `runtime-sca`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    /// `critical`, `high`, `medium`, `low`, `info`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) severity: Option<String>,
    /// `open`, `in_progress`, `muted`, `false_positive`, `risk_accepted`, `fixed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<String>,
    /// Repository or service names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) repository: Option<String>,
    /// Same as `repository`, for services.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) service: Option<String>,
    /// Runtime environments (`production`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<String>,
    /// Rule ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rule: Option<String>,
    /// CWE ids (`CWE-89` or `89`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cwe: Option<String>,
    /// Usernames; `none` for unassigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) assignee: Option<String>,
    /// Words that must all appear in the title, message, path or rule id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) q: Option<String>,
    /// `-severity` (default: worst first, then latest seen), `severity`, `-first_seen`,
    /// `first_seen`, `-last_seen`, `last_seen`, `path`, `rule`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sort: Option<String>,
    /// From 1 (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) page: Option<i64>,
    /// 1 to 500 (default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) per_page: Option<i64>,
    /// `true` to add counts per kind, severity, status, repository, environment, rule,
    /// CWE and assignee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) facets: Option<bool>,
}

fn values(
    name: &str,
    value: Option<&String>,
    allowed: Option<&[&str]>,
) -> Result<Vec<String>, ApiError> {
    let values: Vec<String> = value
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(allowed) = allowed
        && let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str()))
    {
        return Err(ApiError::bad_request(format!(
            "`{bad}` is not a valid {name}; use {}",
            allowed.join(", ")
        )));
    }
    Ok(values)
}

impl ListParams {
    /// The store's query, or a 400 naming the bad parameter.
    pub(crate) fn query(&self) -> Result<ListQuery, ApiError> {
        let mut projects = values("repository", self.repository.as_ref(), None)?;
        projects.extend(values("service", self.service.as_ref(), None)?);
        let sort = match self.sort.as_deref() {
            None => Sort::default(),
            Some(name) => Sort::parse(name).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`{name}` is not a sort order; use {}",
                    Sort::NAMES.join(", ")
                ))
            })?,
        };
        let (page, per_page) = super::page_window(self.page, self.per_page, 50, 500)?;
        Ok(ListQuery {
            kinds: values("kind", self.kind.as_ref(), Some(&KINDS))?,
            severities: values("severity", self.severity.as_ref(), Some(&SEVERITIES))?,
            statuses: values("status", self.status.as_ref(), Some(&STATUSES))?,
            projects,
            environments: values("environment", self.environment.as_ref(), None)?,
            rules: values("rule", self.rule.as_ref(), None)?,
            cwes: values("cwe", self.cwe.as_ref(), None)?,
            assignees: values("assignee", self.assignee.as_ref(), None)?,
            text: self.q.clone(),
            sort,
            page,
            per_page,
            facets: self.facets.unwrap_or(false),
        })
    }
}

/// A page of the list.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct VulnerabilityPage {
    items: Vec<ListedVulnerability>,
    /// Vulnerabilities matching the filters, on all pages.
    total: i64,
    page: i64,
    per_page: i64,
    /// With `facets=true`: per dimension (`kind`, `severity`, `status`, `repository`,
    /// `environment`, `rule`, `cwe`, `assignee`), the count for each value, counted with
    /// every filter but that dimension's own. Unassigned ones count as `none`; a
    /// vulnerability counts once for each of its CWEs.
    #[schema(value_type = Option<Object>)]
    facets: Option<BTreeMap<&'static str, BTreeMap<String, i64>>>,
}

/// Lists vulnerabilities: filtered, sorted, paginated, with facet counts on request.
#[utoipa::path(get, path = "/api/v1/vulnerabilities", tag = "vulnerabilities", params(ListParams),
    responses((status = 200, body = VulnerabilityPage), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<VulnerabilityPage>, ApiError> {
    principal.require(Permission::Read)?;
    let query = params.query()?;
    state.store.expire_mutes(now_ms()).await?;
    let page = state.store.list(&query).await?;
    Ok(Json(VulnerabilityPage {
        items: page.items,
        total: page.total,
        page: query.page,
        per_page: query.per_page,
        facets: page.facets,
    }))
}

async fn detail(state: &AppState, id: i64) -> Result<Json<Detail>, ApiError> {
    state
        .store
        .detail(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no vulnerability {id}")))
}

/// One vulnerability with its evidence, first detection, branches, history and comments.
#[utoipa::path(get, path = "/api/v1/vulnerabilities/{id}", tag = "vulnerabilities",
    params(("id" = i64, Path, description = "The vulnerability's id")),
    responses((status = 200, body = Detail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
) -> Result<Json<Detail>, ApiError> {
    principal.require(Permission::Read)?;
    state.store.expire_mutes(now_ms()).await?;
    detail(&state, id).await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct StatusChange {
    /// `open`, `in_progress`, `muted`, `false_positive`, `risk_accepted` or `fixed`.
    pub(crate) status: String,
    /// Why; required to mute.
    pub(crate) reason: Option<String>,
    /// For `muted`: when the mute ends (RFC 3339, in the future); it is then open again.
    pub(crate) until: Option<String>,
}

/// Longest reason or comment.
const MAX_TEXT: usize = 10_000;

/// Changes the status (triage).
#[utoipa::path(post, path = "/api/v1/vulnerabilities/{id}/status", tag = "vulnerabilities",
    params(("id" = i64, Path, description = "The vulnerability's id")), request_body = StatusChange,
    responses((status = 200, body = Detail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_status(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
    JsonBody(change): JsonBody<StatusChange>,
) -> Result<Json<Detail>, ApiError> {
    change_status(&state, &principal, id, change).await?;
    detail(&state, id).await
}

/// Checks and applies a status change: the API's and the UI's.
pub(crate) async fn change_status(
    state: &AppState,
    principal: &Principal,
    id: i64,
    change: StatusChange,
) -> Result<(), ApiError> {
    principal.require(Permission::Triage)?;
    let Some(status) = STATUSES.iter().find(|s| **s == change.status) else {
        return Err(ApiError::unprocessable(format!(
            "`{}` is not a status; use {}",
            change.status,
            STATUSES.join(", ")
        )));
    };
    let reason = change
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.len() > MAX_TEXT) {
        return Err(ApiError::unprocessable(
            "the reason is longer than 10000 bytes",
        ));
    }
    if *status == "muted" && reason.is_none() {
        return Err(ApiError::unprocessable("muting needs a `reason`"));
    }
    let now = now_ms();
    let until = match change.until.as_deref().filter(|u| !u.is_empty()) {
        None => None,
        Some(_) if *status != "muted" => {
            return Err(ApiError::unprocessable("`until` only goes with `muted`"));
        }
        Some(text) => match parse_rfc3339(text) {
            Some(until) if until > now => Some(until),
            Some(_) => return Err(ApiError::unprocessable("`until` must be in the future")),
            None => {
                return Err(ApiError::unprocessable(format!(
                    "`until` must be an RFC 3339 time (2026-12-31T00:00:00Z), not `{text}`"
                )));
            }
        },
    };
    if state
        .store
        .set_status(
            id,
            status,
            reason.as_deref(),
            until,
            &principal.actor(),
            now,
        )
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("no vulnerability {id}")))
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct Assignment {
    /// A username, or null to unassign.
    assignee: Option<String>,
}

/// Assigns a vulnerability to a user, or unassigns it (triage).
#[utoipa::path(post, path = "/api/v1/vulnerabilities/{id}/assignee", tag = "vulnerabilities",
    params(("id" = i64, Path, description = "The vulnerability's id")), request_body = Assignment,
    responses((status = 200, body = Detail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "No such user", body = ErrorBody)))]
async fn assign(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
    JsonBody(assignment): JsonBody<Assignment>,
) -> Result<Json<Detail>, ApiError> {
    change_assignee(&state, &principal, id, assignment.assignee).await?;
    detail(&state, id).await
}

/// Checks and applies an assignment (`None` or empty unassigns): the API's and the UI's.
pub(crate) async fn change_assignee(
    state: &AppState,
    principal: &Principal,
    id: i64,
    assignee: Option<String>,
) -> Result<(), ApiError> {
    principal.require(Permission::Triage)?;
    let assignee = assignee.filter(|a| !a.is_empty());
    if let Some(name) = &assignee
        && !state.store.user_exists(name).await?
    {
        return Err(ApiError::unprocessable(format!("no user `{name}`")));
    }
    if state
        .store
        .assign(id, assignee.as_deref(), &principal.actor(), now_ms())
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("no vulnerability {id}")))
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct NewComment {
    /// 1 to 10000 bytes.
    body: String,
}

/// Comments on a vulnerability (triage).
#[utoipa::path(post, path = "/api/v1/vulnerabilities/{id}/comments", tag = "vulnerabilities",
    params(("id" = i64, Path, description = "The vulnerability's id")), request_body = NewComment,
    responses((status = 201, body = CommentRow), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn comment(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
    JsonBody(comment): JsonBody<NewComment>,
) -> Result<(StatusCode, Json<CommentRow>), ApiError> {
    let comment = add_comment(&state, &principal, id, &comment.body).await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// Checks and adds a comment: the API's and the UI's.
pub(crate) async fn add_comment(
    state: &AppState,
    principal: &Principal,
    id: i64,
    body: &str,
) -> Result<CommentRow, ApiError> {
    principal.require(Permission::Triage)?;
    let body = body.trim();
    if body.is_empty() || body.len() > MAX_TEXT {
        return Err(ApiError::unprocessable("a comment is 1 to 10000 bytes"));
    }
    state
        .store
        .comment(id, body, &principal.actor(), now_ms())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no vulnerability {id}")))
}
