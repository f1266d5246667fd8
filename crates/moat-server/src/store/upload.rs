//! Applying an upload: one transaction that records the scan, stages its findings, then
//! runs the lifecycle with a handful of set-based statements (created, reopened,
//! refreshed, seen on the branch, fixed) whatever the number of findings.

use std::fmt::Write as _;

use moat_core::{Finding, Severity};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use super::{Arg, Sql, Store};

/// Findings handed from the parser to the database side at a time.
pub(crate) const STAGE_BATCH: usize = 500;

/// Rows per multi-row `INSERT`. Small on purpose: SQLite finds a `$N` parameter's number
/// by walking a list (`sqlite3_bind_parameter_name`), so binding a statement costs the
/// square of its parameters; at 16 rows (240 parameters) a 100k-finding upload stages
/// four times faster than at 500.
const ROWS_PER_INSERT: usize = 16;

/// What an upload is about, from its query parameters or body.
#[derive(Debug, Clone)]
pub(crate) struct UploadMeta {
    /// `repository` or `service`.
    pub(crate) project_kind: &'static str,
    pub(crate) project: String,
    /// Chosen by the client so that sending the same upload twice is harmless.
    pub(crate) client_id: String,
    /// `full`, `partial`, `runtime` or `sbom`.
    pub(crate) kind: &'static str,
    /// `moat`, `sarif`, `cyclonedx` or `runtime`.
    pub(crate) format: &'static str,
    pub(crate) branch: Option<String>,
    pub(crate) commit: Option<String>,
    pub(crate) environment: Option<String>,
    /// Who sent it (`api-key:NAME` or a username), recorded in the history.
    pub(crate) actor: String,
}

/// The result of an upload, as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct UploadSummary {
    /// The scan id (the client's, or one the server chose).
    pub(crate) scan_id: String,
    /// `repository` or `service`.
    pub(crate) project_kind: String,
    /// The repository or service name.
    pub(crate) project: String,
    /// `full`, `partial`, `runtime` or `sbom`.
    pub(crate) kind: String,
    pub(crate) branch: Option<String>,
    pub(crate) commit: Option<String>,
    pub(crate) environment: Option<String>,
    /// When the server received it (RFC 3339).
    pub(crate) received_at: String,
    /// Distinct findings in the upload.
    pub(crate) findings: i64,
    /// Vulnerabilities seen for the first time.
    pub(crate) created: i64,
    /// Fixed vulnerabilities that came back.
    pub(crate) reopened: i64,
    /// Vulnerabilities this full scan no longer reports.
    pub(crate) fixed: i64,
    /// Components recorded (SBOMs and runtime libraries).
    pub(crate) components: i64,
    /// True when this scan id was already uploaded: nothing was changed.
    pub(crate) duplicate: bool,
}

/// A scan as shown with a vulnerability: its id, branch, commit and time.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ScanRef {
    /// The client's scan id.
    pub(crate) id: String,
    pub(crate) branch: Option<String>,
    pub(crate) commit: Option<String>,
    /// RFC 3339.
    pub(crate) time: String,
}

/// One finding as stored: the columns the list filters on, and the rest as JSON.
#[derive(Debug, Clone)]
pub(crate) struct Staged {
    pub(crate) fingerprint: String,
    pub(crate) kind: String,
    pub(crate) rule_id: String,
    pub(crate) severity: Severity,
    pub(crate) cwe: String,
    pub(crate) title: String,
    pub(crate) message: String,
    pub(crate) path: String,
    pub(crate) line: i64,
    pub(crate) snippet: String,
    pub(crate) remediation: String,
    pub(crate) evidence: serde_json::Value,
    pub(crate) details: serde_json::Value,
}

/// The parts of a finding with no column of their own.
#[derive(Serialize)]
struct Details<'a> {
    start: moat_core::Position,
    end: moat_core::Position,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'a str>,
    owasp: &'a [String],
    references: &'a [String],
    fixes: &'a [moat_core::Fix],
    code_flows: &'a [moat_core::CodeFlow],
}

impl Staged {
    pub(crate) fn of(finding: &Finding) -> Staged {
        let details = Details {
            start: finding.location.start,
            end: finding.location.end,
            confidence: finding.confidence.as_deref(),
            owasp: &finding.owasp,
            references: &finding.references,
            fixes: &finding.fixes,
            code_flows: &finding.code_flows,
        };
        Staged {
            fingerprint: finding.fingerprint.clone(),
            kind: finding.kind.as_str().to_owned(),
            rule_id: finding.rule_id.clone(),
            severity: finding.severity,
            cwe: cwe_column(&finding.cwe),
            title: finding.title.clone(),
            message: finding.message.clone(),
            path: finding.location.path.clone(),
            line: i64::try_from(finding.location.start.line).unwrap_or(i64::MAX),
            snippet: finding.snippet.clone(),
            remediation: finding.remediation.clone(),
            evidence: serde_json::to_value(&finding.evidence).unwrap_or_default(),
            details: serde_json::to_value(details).unwrap_or_default(),
        }
    }
}

/// `,CWE-89,CWE-564,`: one CWE is then found with `LIKE '%,CWE-89,%'`.
fn cwe_column(cwes: &[String]) -> String {
    if cwes.is_empty() {
        return String::new();
    }
    let mut column = String::from(",");
    for cwe in cwes {
        let _ = write!(column, "{},", cwe.trim().to_ascii_uppercase());
    }
    column
}

/// The CWE list back from its column.
pub(crate) fn cwe_list(column: &str) -> Vec<String> {
    column
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The sort key of a severity: higher is worse.
pub(crate) fn severity_rank(severity: Severity) -> i64 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// A started upload, or the answer of the earlier one with the same scan id.
pub(crate) enum UploadOutcome {
    Started(Upload),
    Duplicate(UploadSummary),
}

/// An upload in progress: everything happens in `tx`, committed by [`Upload::finish`];
/// dropped, it rolls back.
pub(crate) struct Upload {
    tx: Transaction<'static, Any>,
    scan: i64,
    project_id: i64,
    meta: UploadMeta,
    now: i64,
    findings: i64,
    components: i64,
}

impl Store {
    /// The summary of the scan the client named `client_id`, if it was uploaded.
    pub(crate) async fn scan_summary(
        &self,
        client_id: &str,
    ) -> Result<Option<UploadSummary>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT s.client_id, p.kind AS project_kind, p.name, s.kind, s.branch, s.commit_sha, \
             s.environment, s.created_at, s.findings, s.created_count, s.reopened_count, s.fixed_count, \
             (SELECT COUNT(*) FROM components c WHERE c.scan_id = s.id) AS components \
             FROM scans s JOIN projects p ON p.id = s.project_id WHERE s.client_id = $1",
        )
        .bind(client_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(UploadSummary {
                scan_id: row.try_get("client_id")?,
                project_kind: row.try_get("project_kind")?,
                project: row.try_get("name")?,
                kind: row.try_get("kind")?,
                branch: row.try_get("branch")?,
                commit: row.try_get("commit_sha")?,
                environment: row.try_get("environment")?,
                received_at: crate::clock::rfc3339(row.try_get("created_at")?),
                findings: row.try_get("findings")?,
                created: row.try_get("created_count")?,
                reopened: row.try_get("reopened_count")?,
                fixed: row.try_get("fixed_count")?,
                components: row.try_get("components")?,
                duplicate: true,
            })
        })
        .transpose()
    }

    /// Opens the upload's transaction and records its scan, unless a scan with the same
    /// client id exists (then nothing is written and its summary is returned).
    pub(crate) async fn begin_upload(
        &self,
        meta: UploadMeta,
        now: i64,
    ) -> Result<UploadOutcome, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO projects (kind, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (kind, name) DO NOTHING",
        )
        .bind(meta.project_kind)
        .bind(meta.project.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let project_id: i64 = sqlx::query("SELECT id FROM projects WHERE kind = $1 AND name = $2")
            .bind(meta.project_kind)
            .bind(meta.project.as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        // On PostgreSQL a concurrent upload of the same id waits here for the first to
        // commit or roll back, then sees the conflict (or takes over): never two scans.
        let scan = sqlx::query(
            "INSERT INTO scans (client_id, project_id, kind, format, branch, commit_sha, environment, \
             uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (client_id) DO NOTHING RETURNING id",
        )
        .bind(meta.client_id.as_str())
        .bind(project_id)
        .bind(meta.kind)
        .bind(meta.format)
        .bind(meta.branch.clone())
        .bind(meta.commit.clone())
        .bind(meta.environment.clone())
        .bind(meta.actor.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(scan) = scan else {
            tx.rollback().await?;
            return match self.scan_summary(&meta.client_id).await? {
                Some(summary) => Ok(UploadOutcome::Duplicate(summary)),
                None => Err(sqlx::Error::RowNotFound),
            };
        };
        Ok(UploadOutcome::Started(Upload {
            tx,
            scan: scan.try_get("id")?,
            project_id,
            meta,
            now,
            findings: 0,
            components: 0,
        }))
    }
}

impl Upload {
    /// Stages findings; a fingerprint already staged in this upload is kept once.
    pub(crate) async fn stage(&mut self, rows: &[Staged]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut sql = Sql::new(
                "INSERT INTO upload_staging (scan_id, fingerprint, kind, rule_id, severity, \
                 severity_rank, cwe, title, message, path, line, snippet, remediation, evidence, \
                 details) VALUES ",
            );
            for (i, row) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" });
                let args = [
                    Arg::Int(self.scan),
                    Arg::Text(row.fingerprint.clone()),
                    Arg::Text(row.kind.clone()),
                    Arg::Text(row.rule_id.clone()),
                    Arg::Text(row.severity.as_str().to_owned()),
                    Arg::Int(severity_rank(row.severity)),
                    Arg::Text(row.cwe.clone()),
                    Arg::Text(row.title.clone()),
                    Arg::Text(row.message.clone()),
                    Arg::Text(row.path.clone()),
                    Arg::Int(row.line),
                    Arg::Text(row.snippet.clone()),
                    Arg::Text(row.remediation.clone()),
                    Arg::Text(row.evidence.to_string()),
                    Arg::Text(row.details.to_string()),
                ];
                for (j, arg) in args.into_iter().enumerate() {
                    if j > 0 {
                        sql.push(", ");
                    }
                    sql.bind(arg);
                }
                sql.push(")");
            }
            sql.push(" ON CONFLICT (scan_id, fingerprint) DO NOTHING");
            let done = sql.query().execute(&mut *self.tx).await?;
            self.findings += i64::try_from(done.rows_affected()).unwrap_or(i64::MAX);
        }
        Ok(())
    }

    /// Replaces the components recorded for `context` (`branch:main`, `env:production`).
    pub(crate) async fn replace_components(
        &mut self,
        context: &str,
        components: &[super::ComponentRow],
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM components WHERE project_id = $1 AND context = $2")
            .bind(self.project_id)
            .bind(context)
            .execute(&mut *self.tx)
            .await?;
        for chunk in components.chunks(ROWS_PER_INSERT) {
            let mut sql = Sql::new(
                "INSERT INTO components (project_id, context, name, version, purl, component_type, \
                 licenses, scan_id, seen_at) VALUES ",
            );
            for (i, c) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" });
                let args = [
                    Arg::Int(self.project_id),
                    Arg::Text(context.to_owned()),
                    Arg::Text(c.name.clone()),
                    Arg::Text(c.version.clone()),
                    Arg::OptText(c.purl.clone()),
                    Arg::OptText(c.component_type.clone()),
                    Arg::Text(c.licenses.join(", ")),
                    Arg::Int(self.scan),
                    Arg::Int(self.now),
                ];
                for (j, arg) in args.into_iter().enumerate() {
                    if j > 0 {
                        sql.push(", ");
                    }
                    sql.bind(arg);
                }
                sql.push(")");
            }
            sql.query().execute(&mut *self.tx).await?;
        }
        self.components += i64::try_from(components.len()).unwrap_or(i64::MAX);
        Ok(())
    }

    /// Runs the lifecycle over the staged findings and commits.
    #[expect(
        clippy::too_many_lines,
        reason = "the lifecycle's statements, in order"
    )]
    pub(crate) async fn finish(
        mut self,
        tool: Option<String>,
    ) -> Result<UploadSummary, sqlx::Error> {
        let (scan, project, now) = (self.scan, self.project_id, self.now);
        let actor = self.meta.actor.clone();
        let tx = &mut self.tx;

        let created = sqlx::query(
            "INSERT INTO vulnerabilities (project_id, fingerprint, kind, rule_id, severity, \
             severity_rank, cwe, title, message, path, line, snippet, remediation, evidence, details, \
             environment, status, first_seen, first_scan_id, last_seen, last_scan_id, updated_at) \
             SELECT $1, s.fingerprint, s.kind, s.rule_id, s.severity, s.severity_rank, s.cwe, s.title, \
             s.message, s.path, s.line, s.snippet, s.remediation, s.evidence, s.details, $2, 'open', \
             $3, $4, $3, $4, $3 FROM upload_staging s WHERE s.scan_id = $4 AND NOT EXISTS \
             (SELECT 1 FROM vulnerabilities v WHERE v.project_id = $1 AND v.fingerprint = s.fingerprint)",
        )
        .bind(project)
        .bind(self.meta.environment.clone())
        .bind(now)
        .bind(scan)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO vulnerability_events (vulnerability_id, time, actor, kind, to_status, scan_id) \
             SELECT id, $1, $2, 'created', 'open', $3 FROM vulnerabilities WHERE first_scan_id = $3",
        )
        .bind(now)
        .bind(actor.as_str())
        .bind(scan)
        .execute(&mut **tx)
        .await?;

        // Back from fixed: whether the code regressed or someone closed it too early.
        sqlx::query(
            "INSERT INTO vulnerability_events (vulnerability_id, time, actor, kind, from_status, \
             to_status, scan_id) SELECT v.id, $1, $2, 'reopened', v.status, 'open', $3 \
             FROM vulnerabilities v WHERE v.project_id = $4 AND v.status = 'fixed' AND v.fingerprint IN \
             (SELECT s.fingerprint FROM upload_staging s WHERE s.scan_id = $3)",
        )
        .bind(now)
        .bind(actor.as_str())
        .bind(scan)
        .bind(project)
        .execute(&mut **tx)
        .await?;
        let reopened = sqlx::query(
            "UPDATE vulnerabilities SET status = 'open', status_reason = NULL, mute_until = NULL, \
             updated_at = $1 WHERE project_id = $2 AND status = 'fixed' AND fingerprint IN \
             (SELECT s.fingerprint FROM upload_staging s WHERE s.scan_id = $3)",
        )
        .bind(now)
        .bind(project)
        .bind(scan)
        .execute(&mut **tx)
        .await?
        .rows_affected();

        // A rule's wording or severity may change between versions: the latest scan wins
        // (rows created just above are already up to date).
        sqlx::query(
            "UPDATE vulnerabilities SET kind = s.kind, rule_id = s.rule_id, severity = s.severity, \
             severity_rank = s.severity_rank, cwe = s.cwe, title = s.title, message = s.message, \
             path = s.path, line = s.line, snippet = s.snippet, remediation = s.remediation, \
             evidence = s.evidence, details = s.details, \
             environment = COALESCE($1, vulnerabilities.environment), last_seen = $2, \
             last_scan_id = $3 FROM upload_staging s WHERE s.scan_id = $3 \
             AND vulnerabilities.project_id = $4 AND vulnerabilities.fingerprint = s.fingerprint \
             AND vulnerabilities.first_scan_id <> $3",
        )
        .bind(self.meta.environment.clone())
        .bind(now)
        .bind(scan)
        .bind(project)
        .execute(&mut **tx)
        .await?;

        let mut fixed = 0;
        if matches!(self.meta.kind, "full" | "partial") {
            let branch = self.meta.branch.clone().unwrap_or_default();
            sqlx::query(
                "INSERT INTO vulnerability_branches (vulnerability_id, project_id, branch, last_scan_id) \
                 SELECT v.id, $1, $2, $3 FROM upload_staging s JOIN vulnerabilities v \
                 ON v.project_id = $1 AND v.fingerprint = s.fingerprint WHERE s.scan_id = $3 \
                 ON CONFLICT (vulnerability_id, branch) DO UPDATE SET last_scan_id = excluded.last_scan_id",
            )
            .bind(project)
            .bind(branch.as_str())
            .bind(scan)
            .execute(&mut **tx)
            .await?;
            if self.meta.kind == "full" {
                // Fixed: reported on this branch before, not by this scan, and by no
                // other branch. Triage decisions (muted, false positive, accepted risk)
                // stand: those vulnerabilities only lose the branch.
                // One grouped pass over the project's branch rows, whatever the planner
                // knows of tables filled by this very transaction: correlated subqueries
                // here made PostgreSQL loop over one table for each row of the other.
                let gone = "SELECT b.vulnerability_id FROM vulnerability_branches b \
                     WHERE b.project_id = $2 GROUP BY b.vulnerability_id HAVING \
                     SUM(CASE WHEN b.branch = $3 AND b.last_scan_id <> $1 THEN 1 ELSE 0 END) > 0 \
                     AND SUM(CASE WHEN b.branch <> $3 OR b.last_scan_id = $1 THEN 1 ELSE 0 END) = 0";
                let args = [
                    Arg::Int(scan),
                    Arg::Int(project),
                    Arg::Text(branch.clone()),
                    Arg::Int(now),
                ];
                let mut events = Sql::new(&format!(
                    "INSERT INTO vulnerability_events (vulnerability_id, time, actor, kind, \
                     from_status, to_status, scan_id) SELECT v.id, $4, $5, 'fixed', v.status, \
                     'fixed', $1 FROM vulnerabilities v WHERE v.status IN ('open', 'in_progress') \
                     AND v.id IN ({gone})"
                ));
                events.args.extend(args.iter().cloned());
                events.args.push(Arg::Text(actor.clone()));
                events.query().execute(&mut **tx).await?;
                let mut update = Sql::new(&format!(
                    "UPDATE vulnerabilities SET status = 'fixed', status_reason = NULL, \
                     mute_until = NULL, updated_at = $4 WHERE status IN ('open', 'in_progress') \
                     AND id IN ({gone})"
                ));
                update.args.extend(args);
                fixed = update.query().execute(&mut **tx).await?.rows_affected();
                sqlx::query(
                    "DELETE FROM vulnerability_branches WHERE project_id = $1 AND branch = $2 \
                     AND last_scan_id <> $3",
                )
                .bind(project)
                .bind(branch.as_str())
                .bind(scan)
                .execute(&mut **tx)
                .await?;
            }
        }

        sqlx::query("DELETE FROM upload_staging WHERE scan_id = $1")
            .bind(scan)
            .execute(&mut **tx)
            .await?;
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE scans SET findings = $1, created_count = $2, reopened_count = $3, \
             fixed_count = $4, tool = $5 WHERE id = $6",
        )
        .bind(self.findings)
        .bind(count(created))
        .bind(count(reopened))
        .bind(count(fixed))
        .bind(tool)
        .bind(scan)
        .execute(&mut **tx)
        .await?;
        self.tx.commit().await?;
        let meta = self.meta;
        Ok(UploadSummary {
            scan_id: meta.client_id,
            project_kind: meta.project_kind.to_owned(),
            project: meta.project,
            kind: meta.kind.to_owned(),
            branch: meta.branch,
            commit: meta.commit,
            environment: meta.environment,
            received_at: crate::clock::rfc3339(now),
            findings: self.findings,
            created: count(created),
            reopened: count(reopened),
            fixed: count(fixed),
            components: self.components,
            duplicate: false,
        })
    }
}
