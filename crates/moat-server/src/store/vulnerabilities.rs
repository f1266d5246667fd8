//! Reading and triaging vulnerabilities: the filtered, sorted, paginated list with facet
//! counts, one vulnerability with its history, and the changes people make.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::upload::cwe_list;
use super::{Arg, Backend, ScanRef, Sql, Store};
use crate::clock::rfc3339;

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Sort {
    /// Worst first, then most recently seen (the default).
    #[default]
    SeverityDesc,
    SeverityAsc,
    FirstSeenDesc,
    FirstSeenAsc,
    LastSeenDesc,
    LastSeenAsc,
    Path,
    Rule,
}

impl Sort {
    /// The names the API takes: a field, `-` in front for descending.
    pub(crate) const NAMES: [&'static str; 8] = [
        "-severity",
        "severity",
        "-first_seen",
        "first_seen",
        "-last_seen",
        "last_seen",
        "path",
        "rule",
    ];

    pub(crate) fn parse(name: &str) -> Option<Sort> {
        Some(match name {
            "-severity" => Sort::SeverityDesc,
            "severity" => Sort::SeverityAsc,
            "-first_seen" => Sort::FirstSeenDesc,
            "first_seen" => Sort::FirstSeenAsc,
            "-last_seen" => Sort::LastSeenDesc,
            "last_seen" => Sort::LastSeenAsc,
            "path" => Sort::Path,
            "rule" => Sort::Rule,
            _ => return None,
        })
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::SeverityDesc => "v.severity_rank DESC, v.last_seen DESC, v.id DESC",
            Sort::SeverityAsc => "v.severity_rank ASC, v.last_seen DESC, v.id DESC",
            Sort::FirstSeenDesc => "v.first_seen DESC, v.id DESC",
            Sort::FirstSeenAsc => "v.first_seen ASC, v.id ASC",
            Sort::LastSeenDesc => "v.last_seen DESC, v.id DESC",
            Sort::LastSeenAsc => "v.last_seen ASC, v.id ASC",
            Sort::Path => "v.path ASC, v.line ASC, v.id ASC",
            Sort::Rule => "v.rule_id ASC, v.severity_rank DESC, v.id ASC",
        }
    }
}

/// The filters, order and page of a list request. Empty lists filter nothing; several
/// values of one filter match any of them.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListQuery {
    pub(crate) kinds: Vec<String>,
    pub(crate) severities: Vec<String>,
    pub(crate) statuses: Vec<String>,
    pub(crate) projects: Vec<String>,
    pub(crate) environments: Vec<String>,
    pub(crate) rules: Vec<String>,
    pub(crate) cwes: Vec<String>,
    /// Usernames; `none` matches unassigned vulnerabilities.
    pub(crate) assignees: Vec<String>,
    /// Words to find in the title, message, path or rule id.
    pub(crate) text: Option<String>,
    pub(crate) sort: Sort,
    pub(crate) page: i64,
    pub(crate) per_page: i64,
    pub(crate) facets: bool,
}

/// A dimension the list filters and counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    Kind,
    Severity,
    Status,
    Project,
    Environment,
    Rule,
    Cwe,
    Assignee,
}

impl Dimension {
    const ALL: [Dimension; 8] = [
        Dimension::Kind,
        Dimension::Severity,
        Dimension::Status,
        Dimension::Project,
        Dimension::Environment,
        Dimension::Rule,
        Dimension::Cwe,
        Dimension::Assignee,
    ];

    /// The name of its filter parameter and facet.
    fn name(self) -> &'static str {
        match self {
            Dimension::Kind => "kind",
            Dimension::Severity => "severity",
            Dimension::Status => "status",
            Dimension::Project => "repository",
            Dimension::Environment => "environment",
            Dimension::Rule => "rule",
            Dimension::Cwe => "cwe",
            Dimension::Assignee => "assignee",
        }
    }

    fn column(self) -> &'static str {
        match self {
            Dimension::Kind => "v.kind",
            Dimension::Severity => "v.severity",
            Dimension::Status => "v.status",
            Dimension::Project => "p.name",
            Dimension::Environment => "v.environment",
            Dimension::Rule => "v.rule_id",
            Dimension::Cwe => "v.cwe",
            Dimension::Assignee => "v.assignee",
        }
    }
}

fn any_of(sql: &mut Sql, column: &str, values: &[String]) {
    sql.push(column).push(" IN (");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Arg::Text(value.clone()));
    }
    sql.push(")");
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `CWE-89` from `89`, `cwe-89` or `CWE-89`.
fn cwe_id(value: &str) -> String {
    let cwe = value.trim().to_ascii_uppercase();
    if cwe.starts_with("CWE-") {
        cwe
    } else {
        format!("CWE-{cwe}")
    }
}

impl ListQuery {
    fn values(&self, dim: Dimension) -> &[String] {
        match dim {
            Dimension::Kind => &self.kinds,
            Dimension::Severity => &self.severities,
            Dimension::Status => &self.statuses,
            Dimension::Project => &self.projects,
            Dimension::Environment => &self.environments,
            Dimension::Rule => &self.rules,
            Dimension::Cwe => &self.cwes,
            Dimension::Assignee => &self.assignees,
        }
    }

    /// `FROM ... WHERE ...` with every filter.
    fn filtered(&self, backend: Backend) -> Sql {
        let mut sql =
            Sql::new(" FROM vulnerabilities v JOIN projects p ON p.id = v.project_id WHERE 1 = 1");
        for dim in Dimension::ALL {
            let values = self.values(dim);
            if values.is_empty() {
                continue;
            }
            sql.push(" AND (");
            match dim {
                Dimension::Cwe => {
                    for (i, cwe) in values.iter().enumerate() {
                        if i > 0 {
                            sql.push(" OR ");
                        }
                        sql.push("v.cwe LIKE ")
                            .bind(Arg::Text(format!("%,{},%", like_escape(&cwe_id(cwe)))))
                            .push(" ESCAPE '\\'");
                    }
                }
                Dimension::Assignee => {
                    let named: Vec<String> =
                        values.iter().filter(|a| *a != "none").cloned().collect();
                    let unassigned = named.len() < values.len();
                    if unassigned {
                        sql.push("v.assignee IS NULL");
                    }
                    if !named.is_empty() {
                        if unassigned {
                            sql.push(" OR ");
                        }
                        any_of(&mut sql, dim.column(), &named);
                    }
                }
                _ => any_of(&mut sql, dim.column(), values),
            }
            sql.push(")");
        }
        self.text_filter(&mut sql, backend);
        sql
    }

    /// `AND (...)` for each word of the free text: it must appear in the title, message,
    /// path or rule id.
    fn text_filter(&self, sql: &mut Sql, backend: Backend) {
        if let Some(text) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // SQLite's LIKE ignores ASCII case (as its LOWER folds only ASCII);
            // PostgreSQL's does not, ILIKE does. Either beats LOWER() on every row.
            let like = match backend {
                Backend::Sqlite => " LIKE ",
                Backend::Postgres => " ILIKE ",
            };
            for word in text.split_whitespace() {
                let pattern = format!("%{}%", like_escape(&word.to_lowercase()));
                sql.push(" AND (");
                for (i, column) in ["v.title", "v.message", "v.path", "v.rule_id"]
                    .iter()
                    .enumerate()
                {
                    if i > 0 {
                        sql.push(" OR ");
                    }
                    sql.push(column)
                        .push(like)
                        .bind(Arg::Text(pattern.clone()))
                        .push(" ESCAPE '\\'");
                }
                sql.push(")");
            }
        }
    }

    /// Whether a value of `dim` passes that dimension's filter, as the SQL of
    /// [`ListQuery::filtered`] decides it.
    fn admits(&self, dim: Dimension, value: Option<&str>) -> bool {
        let wanted = self.values(dim);
        if wanted.is_empty() {
            return true;
        }
        match (dim, value) {
            (Dimension::Cwe, value) => {
                let cwes = cwe_list(value.unwrap_or_default());
                wanted.iter().any(|w| cwes.contains(&cwe_id(w)))
            }
            (Dimension::Assignee, None) => wanted.iter().any(|w| w == "none"),
            (Dimension::Assignee, Some(name)) => wanted.iter().any(|w| w != "none" && w == name),
            (_, Some(value)) => wanted.iter().any(|w| w == value),
            (_, None) => false,
        }
    }

    /// The total and the facets from the grouped counts: a combination that passes every
    /// filter counts in the total and in every facet; one that fails a single filter
    /// counts only in that filter's facet (a facet shows what choosing each of its values
    /// would give, whatever is chosen now).
    fn count(&self, combinations: &[Combination]) -> (i64, Facets) {
        let mut total = 0;
        let mut facets: Facets = Dimension::ALL
            .iter()
            .map(|dim| (dim.name(), BTreeMap::new()))
            .collect();
        for combination in combinations {
            let mut failed = Dimension::ALL
                .iter()
                .zip(&combination.values)
                .filter(|(dim, value)| !self.admits(**dim, value.as_deref()))
                .map(|(dim, _)| *dim);
            let counted: Vec<Dimension> = match (failed.next(), failed.next()) {
                (None, _) => {
                    total += combination.n;
                    Dimension::ALL.to_vec()
                }
                (Some(dim), None) => vec![dim],
                (Some(_), Some(_)) => continue,
            };
            for dim in counted {
                let value = combination.values[dim as usize].as_deref();
                let counts = facets.entry(dim.name()).or_default();
                match (dim, value) {
                    (Dimension::Cwe, value) => {
                        for cwe in cwe_list(value.unwrap_or_default()) {
                            *counts.entry(cwe).or_insert(0) += combination.n;
                        }
                    }
                    (Dimension::Assignee, None) => {
                        *counts.entry("none".to_owned()).or_insert(0) += combination.n;
                    }
                    (_, Some(value)) => {
                        *counts.entry(value.to_owned()).or_insert(0) += combination.n;
                    }
                    (_, None) => {}
                }
            }
        }
        (total, facets)
    }
}

/// A vulnerability as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ListedVulnerability {
    pub(crate) id: i64,
    /// `sast`, `sca`, `secret`, `iac`, `iast` or `runtime-sca`.
    pub(crate) kind: String,
    pub(crate) rule_id: String,
    /// `critical`, `high`, `medium`, `low` or `info`.
    pub(crate) severity: String,
    /// `open`, `in_progress`, `muted`, `false_positive`, `risk_accepted` or `fixed`.
    pub(crate) status: String,
    pub(crate) title: String,
    pub(crate) path: String,
    pub(crate) line: i64,
    pub(crate) cwe: Vec<String>,
    /// The repository or service.
    pub(crate) repository: String,
    /// `repository` or `service`.
    pub(crate) project_kind: String,
    /// Where a runtime agent saw it (`production`...), for runtime findings.
    pub(crate) environment: Option<String>,
    pub(crate) assignee: Option<String>,
    /// First detection (RFC 3339).
    pub(crate) first_seen: String,
    /// Latest upload that reported it (RFC 3339).
    pub(crate) last_seen: String,
    pub(crate) fingerprint: String,
}

const LIST_COLUMNS: &str = "SELECT v.id, v.kind, v.rule_id, v.severity, v.status, v.title, v.path, \
     v.line, v.cwe, p.name AS project, p.kind AS project_kind, v.environment, v.assignee, \
     v.first_seen, v.last_seen, v.fingerprint";

fn listed(row: &AnyRow) -> Result<ListedVulnerability, sqlx::Error> {
    Ok(ListedVulnerability {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        rule_id: row.try_get("rule_id")?,
        severity: row.try_get("severity")?,
        status: row.try_get("status")?,
        title: row.try_get("title")?,
        path: row.try_get("path")?,
        line: row.try_get("line")?,
        cwe: cwe_list(&row.try_get::<String, _>("cwe")?),
        repository: row.try_get("project")?,
        project_kind: row.try_get("project_kind")?,
        environment: row.try_get("environment")?,
        assignee: row.try_get("assignee")?,
        first_seen: rfc3339(row.try_get("first_seen")?),
        last_seen: rfc3339(row.try_get("last_seen")?),
        fingerprint: row.try_get("fingerprint")?,
    })
}

/// Values of the filterable columns (in the order of [`Dimension::ALL`]) shared by `n`
/// vulnerabilities.
struct Combination {
    values: [Option<String>; 8],
    n: i64,
}

/// Counts per value of each facet.
pub(crate) type Facets = BTreeMap<&'static str, BTreeMap<String, i64>>;

/// One page of the list.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) items: Vec<ListedVulnerability>,
    pub(crate) total: i64,
    pub(crate) facets: Option<Facets>,
}

/// One event of a vulnerability's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct EventRow {
    /// `created`, `fixed`, `reopened`, `status_changed`, `assigned`, `commented` or
    /// `mute_expired`.
    pub(crate) kind: String,
    /// RFC 3339.
    pub(crate) time: String,
    /// A username, `api-key:NAME`, or `moat` for the server itself.
    pub(crate) actor: String,
    pub(crate) from_status: Option<String>,
    pub(crate) to_status: Option<String>,
    /// The reason of a status change, the assignee, or the comment.
    pub(crate) detail: Option<String>,
    /// The scan that caused it, for lifecycle events.
    pub(crate) scan_id: Option<String>,
}

/// A comment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct CommentRow {
    pub(crate) id: i64,
    pub(crate) author: String,
    /// RFC 3339.
    pub(crate) time: String,
    pub(crate) body: String,
}

/// Everything about one vulnerability.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct Detail {
    #[serde(flatten)]
    pub(crate) summary: ListedVulnerability,
    pub(crate) message: String,
    /// The source lines of the finding.
    pub(crate) snippet: String,
    pub(crate) remediation: String,
    /// Facts that support it: bound metavariables, the package version, or for runtime
    /// findings the (redacted) value that reached the sink, the request and the source.
    #[schema(value_type = Object)]
    pub(crate) evidence: serde_json::Value,
    /// `start`/`end` positions, `confidence`, `owasp`, `references`, `fixes` and
    /// `code_flows` (the source-to-sink path of taint findings).
    #[schema(value_type = Object)]
    pub(crate) details: serde_json::Value,
    /// Why the status was set (mute reason, false positive justification...).
    pub(crate) status_reason: Option<String>,
    /// When a mute ends (RFC 3339).
    pub(crate) mute_until: Option<String>,
    /// Branches whose latest scan reports it.
    pub(crate) branches: Vec<String>,
    /// The scan that first reported it.
    pub(crate) first_scan: ScanRef,
    /// The latest scan that reported it.
    pub(crate) last_scan: ScanRef,
    /// Oldest first.
    pub(crate) history: Vec<EventRow>,
    /// Oldest first.
    pub(crate) comments: Vec<CommentRow>,
}

/// A repository or service with its open vulnerabilities.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ProjectRow {
    pub(crate) name: String,
    /// `repository` or `service`.
    pub(crate) kind: String,
    /// Vulnerabilities not fixed, muted or dismissed.
    pub(crate) open: i64,
    /// All vulnerabilities ever recorded.
    pub(crate) total: i64,
    /// The latest upload (RFC 3339).
    pub(crate) last_upload: Option<String>,
}

fn scan_ref(row: &AnyRow, prefix: &str) -> Result<ScanRef, sqlx::Error> {
    Ok(ScanRef {
        id: row.try_get(format!("{prefix}_id").as_str())?,
        branch: row.try_get(format!("{prefix}_branch").as_str())?,
        commit: row.try_get(format!("{prefix}_commit").as_str())?,
        time: rfc3339(row.try_get(format!("{prefix}_time").as_str())?),
    })
}

fn json_column(row: &AnyRow, column: &str) -> Result<serde_json::Value, sqlx::Error> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

async fn record_event(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    now: i64,
    actor: &str,
    kind: &str,
    statuses: (Option<&str>, Option<&str>),
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO vulnerability_events (vulnerability_id, time, actor, kind, from_status, \
         to_status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(now)
    .bind(actor)
    .bind(kind)
    .bind(statuses.0.map(str::to_owned))
    .bind(statuses.1.map(str::to_owned))
    .bind(detail.map(str::to_owned))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// One page of vulnerabilities, with the total and, when asked, facet counts.
    pub(crate) async fn list(&self, query: &ListQuery) -> Result<Page, sqlx::Error> {
        let filter = query.filtered(self.backend);
        // With facets, the grouped counts give the total too: one pass instead of two.
        let (total, facets) = if query.facets {
            let (total, facets) = query.count(&self.combinations(query).await?);
            (total, Some(facets))
        } else {
            let mut count = Sql::new("SELECT COUNT(*) AS n");
            count.push(&filter.text);
            count.args.clone_from(&filter.args);
            let total: i64 = count.query().fetch_one(self.pool()).await?.try_get("n")?;
            (total, None)
        };

        let mut page = Sql::new(LIST_COLUMNS);
        page.push(&filter.text);
        page.args.clone_from(&filter.args);
        page.push(" ORDER BY ")
            .push(query.sort.order_by())
            .push(" LIMIT ")
            .bind(Arg::Int(query.per_page))
            .push(" OFFSET ")
            .bind(Arg::Int((query.page - 1).saturating_mul(query.per_page)));
        let items = page
            .query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(listed)
            .collect::<Result<Vec<_>, _>>()?;

        Ok(Page {
            items,
            total,
            facets,
        })
    }

    /// Every combination of the filterable columns among the vulnerabilities that match
    /// the free text, with how many have it: one grouped pass over a covering index
    /// (`vulnerabilities_facets`). Far fewer rows than vulnerabilities (repositories ×
    /// rules × statuses, mostly), and every facet and the total can be counted from them.
    async fn combinations(&self, query: &ListQuery) -> Result<Vec<Combination>, sqlx::Error> {
        let mut sql = Sql::new(
            "SELECT p.name AS project, g.kind, g.severity, g.status, g.environment, g.rule_id, \
             g.cwe, g.assignee, g.n FROM (SELECT v.project_id, v.kind, v.severity, v.status, \
             v.environment, v.rule_id, v.cwe, v.assignee, COUNT(*) AS n \
             FROM vulnerabilities v WHERE 1 = 1",
        );
        query.text_filter(&mut sql, self.backend);
        sql.push(
            " GROUP BY v.project_id, v.kind, v.severity, v.status, v.environment, v.rule_id, \
             v.cwe, v.assignee) g JOIN projects p ON p.id = g.project_id",
        );
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(Combination {
                    values: [
                        row.try_get("kind")?,
                        row.try_get("severity")?,
                        row.try_get("status")?,
                        row.try_get("project")?,
                        row.try_get("environment")?,
                        row.try_get("rule_id")?,
                        row.try_get("cwe")?,
                        row.try_get("assignee")?,
                    ],
                    n: row.try_get("n")?,
                })
            })
            .collect()
    }

    /// One vulnerability with its branches, first and last scans, history and comments.
    pub(crate) async fn detail(&self, id: i64) -> Result<Option<Detail>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT v.id, v.kind, v.rule_id, v.severity, v.status, v.title, v.path, v.line, v.cwe, \
             p.name AS project, p.kind AS project_kind, v.environment, v.assignee, v.first_seen, \
             v.last_seen, v.fingerprint, v.message, v.snippet, v.remediation, v.evidence, v.details, \
             v.status_reason, v.mute_until, \
             f.client_id AS first_id, f.branch AS first_branch, f.commit_sha AS first_commit, \
             f.created_at AS first_time, l.client_id AS last_id, l.branch AS last_branch, \
             l.commit_sha AS last_commit, l.created_at AS last_time \
             FROM vulnerabilities v JOIN projects p ON p.id = v.project_id \
             JOIN scans f ON f.id = v.first_scan_id JOIN scans l ON l.id = v.last_scan_id \
             WHERE v.id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let branches = sqlx::query(
            "SELECT branch FROM vulnerability_branches WHERE vulnerability_id = $1 ORDER BY branch",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| r.try_get("branch"))
        .collect::<Result<Vec<String>, _>>()?;
        let history = sqlx::query(
            "SELECT e.kind, e.time, e.actor, e.from_status, e.to_status, e.detail, s.client_id \
             FROM vulnerability_events e LEFT JOIN scans s ON s.id = e.scan_id \
             WHERE e.vulnerability_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(EventRow {
                kind: r.try_get("kind")?,
                time: rfc3339(r.try_get("time")?),
                actor: r.try_get("actor")?,
                from_status: r.try_get("from_status")?,
                to_status: r.try_get("to_status")?,
                detail: r.try_get("detail")?,
                scan_id: r.try_get("client_id")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let comments = sqlx::query(
            "SELECT id, author, time, body FROM comments WHERE vulnerability_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(CommentRow {
                id: r.try_get("id")?,
                author: r.try_get("author")?,
                time: rfc3339(r.try_get("time")?),
                body: r.try_get("body")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some(Detail {
            summary: listed(&row)?,
            message: row.try_get("message")?,
            snippet: row.try_get("snippet")?,
            remediation: row.try_get("remediation")?,
            evidence: json_column(&row, "evidence")?,
            details: json_column(&row, "details")?,
            status_reason: row.try_get("status_reason")?,
            mute_until: row.try_get::<Option<i64>, _>("mute_until")?.map(rfc3339),
            branches,
            first_scan: scan_ref(&row, "first")?,
            last_scan: scan_ref(&row, "last")?,
            history,
            comments,
        }))
    }

    /// Sets the status; `Ok(false)` when there is no such vulnerability.
    pub(crate) async fn set_status(
        &self,
        id: i64,
        status: &str,
        reason: Option<&str>,
        mute_until: Option<i64>,
        actor: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query("SELECT status FROM vulnerabilities WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let from: String = row.try_get("status")?;
        sqlx::query(
            "UPDATE vulnerabilities SET status = $1, status_reason = $2, mute_until = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(status)
        .bind(reason.map(str::to_owned))
        .bind(mute_until)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let detail = match (reason, mute_until) {
            (Some(reason), Some(until)) => Some(format!("{reason} (until {})", rfc3339(until))),
            (Some(reason), None) => Some(reason.to_owned()),
            (None, Some(until)) => Some(format!("until {}", rfc3339(until))),
            (None, None) => None,
        };
        record_event(
            &mut tx,
            id,
            now,
            actor,
            "status_changed",
            (Some(&from), Some(status)),
            detail.as_deref(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Assigns (or unassigns, with `None`); `Ok(false)` when there is no such vulnerability.
    pub(crate) async fn assign(
        &self,
        id: i64,
        assignee: Option<&str>,
        actor: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE vulnerabilities SET assignee = $1, updated_at = $2 WHERE id = $3")
                .bind(assignee.map(str::to_owned))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        record_event(
            &mut tx,
            id,
            now,
            actor,
            "assigned",
            (None, None),
            Some(assignee.unwrap_or("nobody")),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds a comment; `None` when there is no such vulnerability.
    pub(crate) async fn comment(
        &self,
        id: i64,
        body: &str,
        author: &str,
        now: i64,
    ) -> Result<Option<CommentRow>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if sqlx::query("SELECT id FROM vulnerabilities WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let comment_id: i64 = sqlx::query(
            "INSERT INTO comments (vulnerability_id, author, time, body) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(id)
        .bind(author)
        .bind(now)
        .bind(body)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record_event(
            &mut tx,
            id,
            now,
            author,
            "commented",
            (None, None),
            Some(body),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(CommentRow {
            id: comment_id,
            author: author.to_owned(),
            time: rfc3339(now),
            body: body.to_owned(),
        }))
    }

    /// Reopens muted vulnerabilities whose mute has ended, recording it in their history.
    pub(crate) async fn expire_mutes(&self, now: i64) -> Result<u64, sqlx::Error> {
        // Cheap when nothing expired (an index range scan), so reads can call it first.
        let due = sqlx::query(
            "SELECT 1 AS one FROM vulnerabilities WHERE status = 'muted' AND mute_until <= $1 LIMIT 1",
        )
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        if due.is_none() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO vulnerability_events (vulnerability_id, time, actor, kind, from_status, \
             to_status, detail) SELECT id, $1, 'moat', 'mute_expired', 'muted', 'open', status_reason \
             FROM vulnerabilities WHERE status = 'muted' AND mute_until <= $1",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query(
            "UPDATE vulnerabilities SET status = 'open', status_reason = NULL, mute_until = NULL, \
             updated_at = $1 WHERE status = 'muted' AND mute_until <= $1",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Every repository and service with its counts.
    pub(crate) async fn projects(&self) -> Result<Vec<ProjectRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT p.name, p.kind, \
             (SELECT COUNT(*) FROM vulnerabilities v WHERE v.project_id = p.id \
              AND v.status IN ('open', 'in_progress')) AS open, \
             (SELECT COUNT(*) FROM vulnerabilities v WHERE v.project_id = p.id) AS total, \
             (SELECT MAX(s.created_at) FROM scans s WHERE s.project_id = p.id) AS last_upload \
             FROM projects p ORDER BY p.name, p.kind",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ProjectRow {
                    name: row.try_get("name")?,
                    kind: row.try_get("kind")?,
                    open: row.try_get("open")?,
                    total: row.try_get("total")?,
                    last_upload: row.try_get::<Option<i64>, _>("last_upload")?.map(rfc3339),
                })
            })
            .collect()
    }
}
