//! One vulnerability: what and where it is, how data reached it, when it was first seen
//! and in which commit, how to fix it, what was decided, and the forms to triage it.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::{FormBody, PageError, Viewer, check_form, csrf_field, html_response, layout, list_url};
use crate::api::vulnerabilities::{
    STATUSES, StatusChange, add_comment, change_assignee, change_status,
};
use crate::api::{ApiError, AppState, Id};
use crate::auth::Permission;
use crate::clock::now_ms;
use crate::store::{Detail, EventRow};

/// The evidence keys a dependency finding carries, with their labels.
const DEPENDENCY_FIELDS: [(&str, &str); 5] = [
    ("package", "Package"),
    ("ecosystem", "Ecosystem"),
    ("version", "Installed version"),
    ("affected", "Affected versions"),
    ("fixed", "Fixed in"),
];

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn section(heading: &str, body: &Markup) -> Markup {
    html! {
        section.block {
            h2 { (heading) }
            (body)
        }
    }
}

/// `path:line:column` of a location as the finding model serialises it.
fn place(location: &Value) -> String {
    let path = location["path"].as_str().unwrap_or_default();
    match (
        location["start"]["line"].as_u64(),
        location["start"]["column"].as_u64(),
    ) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        (Some(line), None) => format!("{path}:{line}"),
        _ => path.to_owned(),
    }
}

fn data_flow(details: &Value) -> Option<Markup> {
    let flows = details["code_flows"].as_array().filter(|f| !f.is_empty())?;
    Some(section(
        "Data flow",
        &html! {
            @for (i, flow) in flows.iter().enumerate() {
                @if flows.len() > 1 { h3 { "Path " (i + 1) } }
                @let steps = flow["steps"].as_array().cloned().unwrap_or_default();
                ol.flow {
                    @for (n, step) in steps.iter().enumerate() {
                        li {
                            span.step-kind {
                                @if n == 0 { "source" }
                                @else if n + 1 == steps.len() { "sink" }
                                @else { "step" }
                            }
                            " " code { (place(step)) }
                        }
                    }
                }
            }
        },
    ))
}

/// What a runtime agent saw: the request, the source, and the value that reached the
/// sink with the request's characters marked. The agent redacts secrets before sending.
fn runtime_evidence(evidence: &Value) -> Option<Markup> {
    let parts = evidence["parts"].as_array()?;
    Some(section(
        "Runtime evidence",
        &html! {
            dl.facts {
                @if let Some(request) = evidence.get("request").filter(|r| r.is_object()) {
                    dt { "Request" } dd { code { (text(&request["method"])) " " (text(&request["path"])) } }
                }
                @if let Some(source) = evidence.get("source").filter(|s| s.is_object()) {
                    dt { "Source" } dd { (text(&source["origin"])) " " code { (text(&source["name"])) } }
                }
            }
            p { "The value that reached the sink (characters from the request are marked):" }
            pre.evidence { code {
                @for part in parts {
                    @if let Some(source) = part.get("source").filter(|s| s.is_object()) {
                        mark title={ "from " (text(&source["origin"])) " " (text(&source["name"])) } { (text(&part["value"])) }
                    } @else {
                        (text(&part["value"]))
                    }
                }
            } }
        },
    ))
}

fn dependency(evidence: &Value) -> Option<Markup> {
    evidence.get("package")?;
    Some(section(
        "Dependency",
        &html! {
            dl.facts {
                @for (key, label) in DEPENDENCY_FIELDS {
                    @if let Some(value) = evidence.get(key).filter(|v| !v.is_null()) {
                        dt { (label) } dd { code { (text(value)) } }
                    }
                }
            }
        },
    ))
}

/// Evidence of any other shape: its facts as a list.
fn other_evidence(evidence: &Value) -> Option<Markup> {
    let facts = evidence.as_object().filter(|o| !o.is_empty())?;
    Some(section(
        "Evidence",
        &html! {
            dl.facts {
                @for (key, value) in facts {
                    dt { (key) } dd { code { (text(value)) } }
                }
            }
        },
    ))
}

fn evidence(detail: &Detail) -> Option<Markup> {
    let evidence = &detail.evidence;
    runtime_evidence(evidence)
        .or_else(|| dependency(evidence))
        .or_else(|| other_evidence(evidence))
}

fn event_text(event: &EventRow) -> Markup {
    let status = |s: &Option<String>| s.as_deref().unwrap_or("?").replace('_', " ");
    html! {
        @match event.kind.as_str() {
            "created" => { "First detected" @if let Some(scan) = &event.scan_id { " by scan " code { (scan) } } }
            "fixed" => { "Fixed: no longer reported" @if let Some(scan) = &event.scan_id { " by scan " code { (scan) } } }
            "reopened" => { "Reopened: reported again" @if let Some(scan) = &event.scan_id { " by scan " code { (scan) } } }
            "status_changed" => { "Status " (status(&event.from_status)) " → " strong { (status(&event.to_status)) } }
            "assigned" => { @if let Some(who) = &event.detail { "Assigned to " strong { (who) } } @else { "Unassigned" } }
            "commented" => { "Commented" }
            "mute_expired" => { "Mute expired: open again" }
            other => { (other) }
        }
        @if event.kind == "status_changed" {
            @if let Some(reason) = &event.detail { div.reason { (reason) } }
        }
    }
}

fn triage(viewer: &Viewer, detail: &Detail, users: &[String]) -> Markup {
    let id = detail.summary.id;
    html! {
        aside.triage aria-label="Triage" {
            h2 { "Triage" }
            form.status-form method="post" action={ "/vulnerabilities/" (id) "/status" } {
                (csrf_field(&viewer.0))
                label { "Status"
                    select name="status" data-status {
                        @for status in STATUSES {
                            option value=(status) selected[detail.summary.status == status] { (status.replace('_', " ")) }
                        }
                    }
                }
                label { "Reason " span.hint { "(needed to mute)" }
                    textarea name="reason" rows="2" maxlength="10000" {}
                }
                label.until { "Muted until " span.hint { "(optional, UTC)" }
                    input type="date" name="until";
                }
                button type="submit" { "Change status" }
            }
            form.assign method="post" action={ "/vulnerabilities/" (id) "/assignee" } {
                (csrf_field(&viewer.0))
                label { "Assignee"
                    select name="assignee" {
                        option value="" selected[detail.summary.assignee.is_none()] { "— nobody —" }
                        @for user in users {
                            option value=(user) selected[detail.summary.assignee.as_deref() == Some(user.as_str())] { (user) }
                        }
                    }
                }
                button type="submit" { "Assign" }
            }
        }
    }
}

fn scan_line(label: &str, scan: &crate::store::ScanRef) -> Markup {
    html! {
        dt { (label) }
        dd {
            time datetime=(scan.time) { (scan.time) }
            " · scan " code { (scan.id) }
            @if let Some(branch) = &scan.branch { " · branch " code { (branch) } }
            @if let Some(commit) = &scan.commit { " · commit " code.commit { (commit) } }
        }
    }
}

fn content(viewer: &Viewer, detail: &Detail, users: &[String], problem: Option<&str>) -> Markup {
    let v = &detail.summary;
    let details = &detail.details;
    let repository = list_url(&[("repository", v.repository.as_str())]);
    html! {
        p.back { a href="/" { "← All vulnerabilities" } }
        @if let Some(problem) = problem {
            p.problem role="alert" { (problem) }
        }
        div.detail {
            article {
                header.head {
                    h1 { (v.title) }
                    p.tags {
                        span class={ "sev sev-" (v.severity) } { (v.severity) }
                        " " span class={ "status status-" (v.status) } data-current-status=(v.status) { (v.status.replace('_', " ")) }
                        " " span.kind { (v.kind) }
                        " " code.rule { (v.rule_id) }
                        @for cwe in &v.cwe {
                            " " a.cwe href=(list_url(&[("cwe", cwe.as_str())])) { (cwe) }
                        }
                    }
                    dl.facts {
                        dt { (if v.project_kind == "service" { "Service" } else { "Repository" }) }
                        dd { a href=(repository) { (v.repository) } }
                        @if let Some(env) = &v.environment { dt { "Environment" } dd { (env) } }
                        dt { "Assignee" } dd.assignee { (v.assignee.as_deref().unwrap_or("nobody")) }
                        @if let Some(reason) = &detail.status_reason { dt { "Reason" } dd.status-reason { (reason) } }
                        @if let Some(until) = &detail.mute_until { dt { "Muted until" } dd { (until) } }
                        @if let Some(confidence) = details["confidence"].as_str() { dt { "Confidence" } dd { (confidence) } }
                    }
                }
                (section("Description", &html! { p.text { (detail.message) } }))
                (section("Location", &html! {
                    p { code.location { (v.path) ":" (v.line)
                        @if let Some(column) = details["start"]["column"].as_u64() { ":" (column) } } }
                    @if !detail.snippet.is_empty() {
                        pre.snippet { code { (detail.snippet) } }
                    }
                }))
                @if let Some(flow) = data_flow(details) { (flow) }
                @if let Some(evidence) = evidence(detail) { (evidence) }
                @if !detail.remediation.is_empty() || details["references"].as_array().is_some_and(|r| !r.is_empty()) {
                    (section("Remediation", &html! {
                        @if !detail.remediation.is_empty() { p.text { (detail.remediation) } }
                        @if let Some(references) = details["references"].as_array().filter(|r| !r.is_empty()) {
                            ul.references {
                                @for reference in references {
                                    @let url = text(reference);
                                    li { @if url.starts_with("https://") || url.starts_with("http://") {
                                        a href=(url) rel="noreferrer noopener" { (url) }
                                    } @else { (url) } }
                                }
                            }
                        }
                    }))
                }
                (section("Detection", &html! {
                    dl.facts {
                        (scan_line("First detected", &detail.first_scan))
                        (scan_line("Last seen", &detail.last_scan))
                        @if !detail.branches.is_empty() {
                            dt { "Reported on" } dd { @for (i, b) in detail.branches.iter().enumerate() { @if i > 0 { ", " } code { (b) } } }
                        }
                    }
                }))
                (section("History", &html! {
                    ol.history {
                        @for event in &detail.history {
                            li data-kind=(event.kind) {
                                time datetime=(event.time) { (event.time) }
                                " " span.actor { (event.actor) } " "
                                (event_text(event))
                            }
                        }
                    }
                }))
                (section("Comments", &html! {
                    @if detail.comments.is_empty() { p.none { "No comments yet." } }
                    @for comment in &detail.comments {
                        div.comment {
                            p.meta { strong { (comment.author) } " · " time datetime=(comment.time) { (comment.time) } }
                            p.text { (comment.body) }
                        }
                    }
                    @if viewer.may(Permission::Triage) {
                        form.comment method="post" action={ "/vulnerabilities/" (v.id) "/comments" } {
                            (csrf_field(&viewer.0))
                            label { "Add a comment" textarea name="body" rows="3" maxlength="10000" required {} }
                            button type="submit" { "Comment" }
                        }
                    }
                }))
            }
            @if viewer.may(Permission::Triage) { (triage(viewer, detail, users)) }
        }
    }
}

/// Renders the page, with `problem` (a refused change) above it.
async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    problem: Option<(StatusCode, String)>,
) -> Result<Response, PageError> {
    viewer
        .0
        .require(Permission::Read)
        .map_err(|e| viewer.fail(e))?;
    let fail = |e: sqlx::Error| viewer.fail(e.into());
    state.store.expire_mutes(now_ms()).await.map_err(fail)?;
    let detail = state
        .store
        .detail(id)
        .await
        .map_err(fail)?
        .ok_or_else(|| viewer.fail(ApiError::not_found(format!("no vulnerability {id}"))))?;
    let users = if viewer.may(Permission::Triage) {
        state
            .store
            .users()
            .await
            .map_err(fail)?
            .into_iter()
            .map(|u| u.username)
            .collect()
    } else {
        Vec::new()
    };
    let (status, problem) = match problem {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let markup = content(viewer, &detail, &users, problem.as_deref());
    Ok(html_response(
        status,
        layout(&detail.summary.title, Some(&viewer.0), &markup),
    ))
}

/// The detail page.
pub(super) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, PageError> {
    render(&state, &viewer, id, None).await
}

/// After a form: back to the page on success; the page with the problem shown when the
/// change was refused for a reason the person can fix.
async fn done(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    outcome: Result<(), ApiError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/vulnerabilities/{id}")).into_response()),
        Err(ApiError::Status(status, message)) if status != StatusCode::NOT_FOUND => {
            render(state, viewer, id, Some((status, message))).await
        }
        Err(error) => Err(viewer.fail(error)),
    }
}

#[derive(Deserialize)]
pub(super) struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
    reason: Option<String>,
    /// `YYYY-MM-DD` from a date field: the mute ends at the start of that day, UTC.
    until: Option<String>,
}

/// Changes the status.
pub(super) async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    FormBody(form): FormBody<StatusForm>,
) -> Result<Response, PageError> {
    check_form(&viewer, &headers, &form.csrf_token)?;
    let until = form
        .until
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .map(|d| {
            if d.contains('T') {
                d
            } else {
                format!("{d}T00:00:00Z")
            }
        });
    let change = StatusChange {
        status: form.status,
        reason: form.reason,
        until,
    };
    let outcome = change_status(&state, &viewer.0, id, change).await;
    done(&state, &viewer, id, outcome).await
}

#[derive(Deserialize)]
pub(super) struct AssignForm {
    #[serde(default)]
    csrf_token: String,
    /// Empty to unassign.
    #[serde(default)]
    assignee: String,
}

/// Assigns or unassigns.
pub(super) async fn assign(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    FormBody(form): FormBody<AssignForm>,
) -> Result<Response, PageError> {
    check_form(&viewer, &headers, &form.csrf_token)?;
    let outcome = change_assignee(&state, &viewer.0, id, Some(form.assignee)).await;
    done(&state, &viewer, id, outcome).await
}

#[derive(Deserialize)]
pub(super) struct CommentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    body: String,
}

/// Adds a comment.
pub(super) async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    headers: HeaderMap,
    FormBody(form): FormBody<CommentForm>,
) -> Result<Response, PageError> {
    check_form(&viewer, &headers, &form.csrf_token)?;
    let outcome = add_comment(&state, &viewer.0, id, &form.body)
        .await
        .map(|_| ());
    done(&state, &viewer, id, outcome).await
}
