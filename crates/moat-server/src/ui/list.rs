//! The list: filters as facets with counts, free text, sorting and pages. Its query
//! string is the API's (`GET /api/v1/vulnerabilities` takes the same parameters), so a
//! view of the list can be shared as a link or scripted as it is.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::{PageError, Viewer, html_response, layout, list_url};
use crate::api::vulnerabilities::{ListParams, SEVERITIES, STATUSES};
use crate::api::{ApiError, AppState};
use crate::clock::now_ms;
use crate::store::ListedVulnerability;

/// The facets shown, in order, with their headings.
const FACETS: [(&str, &str); 8] = [
    ("severity", "Severity"),
    ("status", "Status"),
    ("kind", "Kind"),
    ("repository", "Repository / service"),
    ("environment", "Environment"),
    ("rule", "Rule"),
    ("cwe", "CWE"),
    ("assignee", "Assignee"),
];

/// Values shown per facet, most frequent first (chosen ones are always shown).
const FACET_VALUES: usize = 12;

/// Column headings that sort: the heading, and the order it sorts by (ascending first).
const SORTABLE: [(&str, &str, &str); 5] = [
    ("Severity", "-severity", "severity"),
    ("Vulnerability", "rule", "rule"),
    ("Location", "path", "path"),
    ("First seen", "-first_seen", "first_seen"),
    ("Last seen", "-last_seen", "last_seen"),
];

fn filter_mut<'a>(params: &'a mut ListParams, name: &str) -> Option<&'a mut Option<String>> {
    Some(match name {
        "kind" => &mut params.kind,
        "severity" => &mut params.severity,
        "status" => &mut params.status,
        "repository" => &mut params.repository,
        "environment" => &mut params.environment,
        "rule" => &mut params.rule,
        "cwe" => &mut params.cwe,
        "assignee" => &mut params.assignee,
        _ => return None,
    })
}

fn chosen(params: &ListParams, name: &str) -> Vec<String> {
    let mut params = params.clone();
    filter_mut(&mut params, name)
        .and_then(Option::take)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The list's URL with `value` of facet `name` chosen or, when it was, no longer chosen.
fn toggled(params: &ListParams, name: &str, value: &str) -> String {
    let mut values = chosen(params, name);
    if let Some(at) = values.iter().position(|v| v == value) {
        values.remove(at);
    } else {
        values.push(value.to_owned());
    }
    let mut params = params.clone();
    if let Some(filter) = filter_mut(&mut params, name) {
        *filter = (!values.is_empty()).then(|| values.join(","));
    }
    params.page = None;
    list_url(&params)
}

/// The list's URL sorted by `sort`, from the first page.
fn sorted(params: &ListParams, sort: &str) -> String {
    let mut params = params.clone();
    params.sort = (sort != "-severity").then(|| sort.to_owned());
    params.page = None;
    list_url(&params)
}

fn paged(params: &ListParams, page: i64) -> String {
    let mut params = params.clone();
    params.page = (page > 1).then_some(page);
    list_url(&params)
}

/// A facet's values in the order shown: severities and statuses in their own order,
/// others most frequent first.
fn facet_order(
    name: &str,
    counts: &BTreeMap<String, i64>,
    chosen: &[String],
) -> Vec<(String, i64)> {
    let fixed: Option<&[&str]> = match name {
        "severity" => Some(&SEVERITIES),
        "status" => Some(&STATUSES),
        _ => None,
    };
    if let Some(order) = fixed {
        return order
            .iter()
            .map(|v| ((*v).to_owned(), counts.get(*v).copied().unwrap_or(0)))
            .filter(|(v, n)| *n > 0 || chosen.contains(v))
            .collect();
    }
    let mut values: Vec<(String, i64)> = counts.iter().map(|(v, n)| (v.clone(), *n)).collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut shown: Vec<(String, i64)> = values.iter().take(FACET_VALUES).cloned().collect();
    for value in chosen {
        if !shown.iter().any(|(v, _)| v == value) {
            shown.push((value.clone(), counts.get(value).copied().unwrap_or(0)));
        }
    }
    shown
}

fn facets(params: &ListParams, counts: &BTreeMap<&'static str, BTreeMap<String, i64>>) -> Markup {
    html! {
        aside.facets aria-label="Filters" {
            @for (name, heading) in FACETS {
                @let chosen = chosen(params, name);
                @let empty = BTreeMap::new();
                @let values = facet_order(name, counts.get(name).unwrap_or(&empty), &chosen);
                @if !values.is_empty() {
                    section.facet data-facet=(name) {
                        h2 { (heading) }
                        ul {
                            @for (value, count) in &values {
                                @let on = chosen.contains(value);
                                li {
                                    a.on[on] href=(toggled(params, name, value))
                                        data-value=(value) aria-pressed=(on) {
                                        span.value { (value) }
                                        span.count { (count) }
                                    }
                                }
                            }
                        }
                        @if counts.get(name).is_some_and(|c| c.len() > values.len()) {
                            p.more { (counts[name].len() - values.len()) " more; search for them above" }
                        }
                    }
                }
            }
        }
    }
}

fn chosen_filters(params: &ListParams) -> Markup {
    let any = FACETS
        .iter()
        .any(|(name, _)| !chosen(params, name).is_empty());
    html! {
        @if any {
            p.chosen {
                @for (name, heading) in FACETS {
                    @for value in chosen(params, name) {
                        a.chip href=(toggled(params, name, &value)) title="Remove this filter" {
                            (heading) ": " (value) " ×"
                        }
                    }
                }
                a href="/" { "Clear all" }
            }
        }
    }
}

fn search(params: &ListParams) -> Markup {
    html! {
        form.search method="get" action="/" role="search" {
            // The facets chosen stay chosen when the words change.
            @for (name, _) in FACETS {
                @let values = chosen(params, name);
                @if !values.is_empty() {
                    input type="hidden" name=(name) value=(values.join(","));
                }
            }
            input type="search" name="q" value=(params.q.as_deref().unwrap_or_default())
                placeholder="Search titles, messages, paths, rules" aria-label="Search";
            label { "Sort"
                select name="sort" data-autosubmit {
                    @for (value, label) in [("-severity", "Severity, worst first"), ("severity", "Severity, least first"),
                        ("-last_seen", "Last seen, newest first"), ("last_seen", "Last seen, oldest first"),
                        ("-first_seen", "First seen, newest first"), ("first_seen", "First seen, oldest first"),
                        ("path", "Location"), ("rule", "Rule")] {
                        option value=(value) selected[params.sort.as_deref().unwrap_or("-severity") == value] { (label) }
                    }
                }
            }
            button type="submit" { "Search" }
        }
    }
}

fn date(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

fn row(item: &ListedVulnerability) -> Markup {
    html! {
        tr data-id=(item.id) {
            td { span class={ "sev sev-" (item.severity) } { (item.severity) } }
            td.title {
                a href={ "/vulnerabilities/" (item.id) } { (item.title) }
                div.sub { span.kind { (item.kind) } " " code { (item.rule_id) }
                    @for cwe in &item.cwe { " " span.cwe { (cwe) } } }
            }
            td { (item.repository)
                @if let Some(env) = &item.environment { div.sub { (env) } } }
            td.location { code { (item.path) ":" (item.line) } }
            td { span class={ "status status-" (item.status) } { (item.status.replace('_', " ")) } }
            td { (item.assignee.as_deref().unwrap_or("—")) }
            td { time datetime=(item.first_seen) { (date(&item.first_seen)) } }
            td { time datetime=(item.last_seen) { (date(&item.last_seen)) } }
        }
    }
}

fn header_cell(params: &ListParams, heading: &str) -> Markup {
    let current = params.sort.as_deref().unwrap_or("-severity");
    let Some((_, first, second)) = SORTABLE.iter().find(|(h, ..)| *h == heading) else {
        return html! { th { (heading) } };
    };
    let arrow = |order: &str| {
        if order.starts_with('-') {
            " ▼"
        } else {
            " ▲"
        }
    };
    let (next, mark) = if current == *first {
        (*second, arrow(first))
    } else if current == *second {
        (*first, arrow(second))
    } else {
        (*first, "")
    };
    html! { th { a href=(sorted(params, next)) { (heading) (mark) } } }
}

/// The list page.
pub(super) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let started = std::time::Instant::now();
    let Query(params) = query.map_err(|e| viewer.fail(ApiError::bad_request(e.body_text())))?;
    viewer
        .0
        .require(crate::auth::Permission::Read)
        .map_err(|e| viewer.fail(e))?;
    let mut query = params.query().map_err(|e| viewer.fail(e))?;
    query.facets = true;
    state
        .store
        .expire_mutes(now_ms())
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let page = state
        .store
        .list(&query)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let pages = ((page.total + query.per_page - 1) / query.per_page).max(1);
    let first = (query.page - 1) * query.per_page + 1;
    let last = first + i64::try_from(page.items.len()).unwrap_or(0) - 1;
    let counts = page.facets.unwrap_or_default();
    let content = html! {
        div.explorer {
            (facets(&params, &counts))
            section.results {
                (search(&params))
                (chosen_filters(&params))
                p.summary {
                    @if page.total == 0 {
                        "No vulnerabilities match."
                    } @else {
                        "Showing " (first) "–" (last) " of " strong.total { (page.total) } " vulnerabilities"
                    }
                }
                @if !page.items.is_empty() {
                    table.vulns {
                        thead { tr {
                            @for heading in ["Severity", "Vulnerability", "Repository", "Location", "Status", "Assignee", "First seen", "Last seen"] {
                                (header_cell(&params, heading))
                            }
                        } }
                        tbody {
                            @for item in &page.items { (row(item)) }
                        }
                    }
                }
                @if pages > 1 {
                    nav.pages aria-label="Pages" {
                        @if query.page > 1 { a rel="prev" href=(paged(&params, query.page - 1)) { "← Previous" } }
                        span { "Page " (query.page) " of " (pages) }
                        @if query.page < pages { a rel="next" href=(paged(&params, query.page + 1)) { "Next →" } }
                    }
                }
            }
        }
    };
    tracing::debug!(elapsed = ?started.elapsed(), "list page");
    Ok(html_response(
        StatusCode::OK,
        layout("Vulnerabilities", Some(&viewer.0), &content),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_links_toggle_one_value_and_keep_the_rest() {
        let params = ListParams {
            severity: Some("high".to_owned()),
            q: Some("sql".to_owned()),
            page: Some(3),
            ..ListParams::default()
        };
        assert_eq!(
            toggled(&params, "severity", "critical"),
            "/?severity=high%2Ccritical&q=sql"
        );
        assert_eq!(toggled(&params, "severity", "high"), "/?q=sql");
        assert_eq!(
            toggled(&params, "assignee", "none"),
            "/?severity=high&assignee=none&q=sql"
        );
        assert_eq!(sorted(&params, "-severity"), "/?severity=high&q=sql");
        assert_eq!(paged(&params, 4), "/?severity=high&q=sql&page=4");
    }
}
