//! Uploads: `moat scan` reports, SARIF, CycloneDX SBOMs and runtime batches.
//!
//! Every body is first spooled to an unlinked temporary file, counting bytes against the
//! limit, and only then applied in one transaction. So memory stays bounded whatever the
//! upload's size, and a slow client never holds SQLite's write lock while it sends.

use std::io::{BufReader, Read, Seek, SeekFrom};

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::body::LimitedBody;
use super::{ApiError, AppState, ErrorBody, QueryParams};
use crate::auth::{self, Permission, Principal};
use crate::clock::now_ms;
use crate::ingest::{self, Emitter, IngestError, Parsed};
use crate::store::{STAGE_BATCH, UploadMeta, UploadOutcome, UploadSummary};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_scan))
        .routes(routes!(upload_sarif))
        .routes(routes!(upload_sbom))
        .routes(routes!(upload_runtime))
}

/// What a scan upload is about.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ScanParams {
    /// The repository, as you want to see it named (`org/app`). Required.
    repository: Option<String>,
    /// The branch scanned. A full scan marks what the branch no longer reports as fixed.
    branch: Option<String>,
    /// The commit scanned.
    commit: Option<String>,
    /// An id of your choosing (a UUID, `ci-run-1234`): sending the same id again changes
    /// nothing and answers the first upload's summary. Default: a new id.
    scan_id: Option<String>,
    /// `full` (default): the whole branch was scanned. `partial`: only some files (a diff
    /// scan); nothing is marked fixed.
    kind: Option<String>,
}

fn checked(name: &str, value: Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(v) if v.len() > max || v.chars().any(char::is_control) => Err(ApiError::bad_request(
            format!("`{name}` must be at most {max} bytes of printable text"),
        )),
        other => Ok(other),
    }
}

fn new_scan_id() -> Result<String, ApiError> {
    auth::random_token("").map(|t| t[..32].to_owned())
}

impl ScanParams {
    fn meta(self, principal: &Principal, format: &'static str) -> Result<UploadMeta, ApiError> {
        let repository = checked("repository", self.repository, 256)?.ok_or_else(|| {
            ApiError::bad_request(
                "the `repository` query parameter is required (`?repository=org/app`)",
            )
        })?;
        let kind = match self.kind.as_deref() {
            None | Some("full") => "full",
            Some("partial") => "partial",
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "`kind` must be `full` or `partial`, not `{other}`"
                )));
            }
        };
        Ok(UploadMeta {
            project_kind: "repository",
            project: repository,
            client_id: match checked("scan_id", self.scan_id, 128)? {
                Some(id) => id,
                None => new_scan_id()?,
            },
            kind,
            format,
            branch: checked("branch", self.branch, 256)?,
            commit: checked("commit", self.commit, 128)?,
            environment: None,
            actor: principal.actor(),
        })
    }
}

/// Reads the body into an unlinked temporary file, refusing it past `limit` bytes.
async fn spool(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<std::fs::File, ApiError> {
    let mut body = LimitedBody::new(body, headers, state.config.max_upload_bytes, "upload").await?;
    let dir = state
        .config
        .spool_dir
        .clone()
        .unwrap_or_else(std::env::temp_dir);
    let file = tempfile::tempfile_in(&dir).map_err(|e| {
        ApiError::internal(format!(
            "cannot create a spool file in {}: {e}",
            dir.display()
        ))
    })?;
    let mut file = tokio::fs::File::from_std(file);
    let mut total: u64 = 0;
    while let Some(data) = body.next().await? {
        total += data.len() as u64;
        file.write_all(&data).await.map_err(ApiError::internal)?;
    }
    if total == 0 {
        return Err(ApiError::bad_request("the upload is empty"));
    }
    file.flush().await.map_err(ApiError::internal)?;
    let mut file = file.into_std().await;
    file.seek(SeekFrom::Start(0)).map_err(ApiError::internal)?;
    Ok(file)
}

type Parser = fn(&mut dyn Read, &mut Emitter) -> Result<Parsed, IngestError>;

/// Spools, parses and applies a findings upload: the parser runs on a blocking thread
/// and hands batches over a channel of two, staged as they come inside the transaction.
async fn apply_findings(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    meta: UploadMeta,
    parser: Parser,
) -> Result<(StatusCode, Json<UploadSummary>), ApiError> {
    // A retry of an upload already applied need not even be read.
    if let Some(summary) = state.store.scan_summary(&meta.client_id).await? {
        return Ok((StatusCode::OK, Json(summary)));
    }
    let started = std::time::Instant::now();
    let file = spool(state, headers, body).await?;
    let spooled = started.elapsed();
    let client_id = meta.client_id.clone();
    let mut upload = match state.store.begin_upload(meta, now_ms()).await? {
        UploadOutcome::Duplicate(summary) => return Ok((StatusCode::OK, Json(summary))),
        UploadOutcome::Started(upload) => upload,
    };
    let (sender, mut receiver) = mpsc::channel(2);
    let parse = tokio::task::spawn_blocking(move || {
        let mut emitter = Emitter::new(sender);
        let mut reader = BufReader::with_capacity(1 << 16, file);
        parser(&mut reader, &mut emitter)
    });
    // On any error below, `upload` is dropped and its transaction rolled back; dropping
    // `receiver` stops the parser at its next batch.
    while let Some(batch) = receiver.recv().await {
        upload.stage(&batch).await?;
    }
    let parsed = parse.await.map_err(ApiError::internal)??;
    let staged = started.elapsed();
    let summary = upload.finish(parsed.tool).await?;
    tracing::info!(
        scan = %client_id,
        findings = summary.findings,
        created = summary.created,
        fixed = summary.fixed,
        "upload applied (spooled in {spooled:.1?}, parsed and staged by {staged:.1?}, done in {:.1?})",
        started.elapsed()
    );
    Ok((StatusCode::CREATED, Json(summary)))
}

/// Uploads a `moat scan --format json` report.
#[utoipa::path(post, path = "/api/v1/scans", tag = "uploads", params(ScanParams),
    request_body(content = Object, description = "The report `moat scan --format json` writes (docs/output.md)", content_type = "application/json"),
    responses(
        (status = 201, description = "Applied", body = UploadSummary),
        (status = 200, description = "This scan id was already uploaded; nothing changed", body = UploadSummary),
        (status = 400, description = "Not JSON, or bad parameters", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, description = "Larger than the upload limit", body = ErrorBody),
        (status = 422, description = "JSON, but not a moat report", body = ErrorBody),
    ))]
async fn upload_scan(
    State(state): State<AppState>,
    principal: Principal,
    QueryParams(params): QueryParams<ScanParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<UploadSummary>), ApiError> {
    principal.require(Permission::Upload)?;
    let meta = params.meta(&principal, "moat")?;
    apply_findings(&state, &headers, body, meta, ingest::native::parse).await
}

/// Uploads a SARIF 2.1.0 log from any tool.
#[utoipa::path(post, path = "/api/v1/sarif", tag = "uploads", params(ScanParams),
    request_body(content = Object, description = "A SARIF 2.1.0 log", content_type = "application/sarif+json"),
    responses(
        (status = 201, description = "Applied", body = UploadSummary),
        (status = 200, description = "This scan id was already uploaded; nothing changed", body = UploadSummary),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn upload_sarif(
    State(state): State<AppState>,
    principal: Principal,
    QueryParams(params): QueryParams<ScanParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<UploadSummary>), ApiError> {
    principal.require(Permission::Upload)?;
    let meta = params.meta(&principal, "sarif")?;
    apply_findings(&state, &headers, body, meta, ingest::sarif::parse).await
}

/// Uploads a CycloneDX JSON SBOM; its components replace those recorded for the branch.
#[utoipa::path(post, path = "/api/v1/sbom", tag = "uploads", params(ScanParams),
    request_body(content = Object, description = "A CycloneDX 1.2 to 1.6 JSON BOM", content_type = "application/vnd.cyclonedx+json"),
    responses(
        (status = 201, description = "Recorded", body = UploadSummary),
        (status = 200, description = "This scan id was already uploaded; nothing changed", body = UploadSummary),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn upload_sbom(
    State(state): State<AppState>,
    principal: Principal,
    QueryParams(params): QueryParams<ScanParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<UploadSummary>), ApiError> {
    principal.require(Permission::Upload)?;
    let mut meta = params.meta(&principal, "cyclonedx")?;
    meta.kind = "sbom";
    if let Some(summary) = state.store.scan_summary(&meta.client_id).await? {
        return Ok((StatusCode::OK, Json(summary)));
    }
    let file = spool(&state, &headers, body).await?;
    let components = tokio::task::spawn_blocking(move || {
        ingest::cyclonedx::parse(&mut BufReader::with_capacity(1 << 16, file))
    })
    .await
    .map_err(ApiError::internal)??;
    let context = format!("branch:{}", meta.branch.as_deref().unwrap_or("default"));
    let mut upload = match state.store.begin_upload(meta, now_ms()).await? {
        UploadOutcome::Duplicate(summary) => return Ok((StatusCode::OK, Json(summary))),
        UploadOutcome::Started(upload) => upload,
    };
    upload.replace_components(&context, &components).await?;
    Ok((StatusCode::CREATED, Json(upload.finish(None).await?)))
}

/// Uploads a batch from a runtime agent (protocol version 1, docs/server.md).
#[utoipa::path(post, path = "/api/v1/runtime", tag = "uploads",
    request_body(content = ingest::runtime::RuntimeBatch, content_type = "application/json"),
    responses(
        (status = 201, description = "Applied", body = UploadSummary),
        (status = 200, description = "This batch id was already uploaded; nothing changed", body = UploadSummary),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
async fn upload_runtime(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<UploadSummary>), ApiError> {
    principal.require(Permission::Upload)?;
    let file = spool(&state, &headers, body).await?;
    let batch = tokio::task::spawn_blocking(move || {
        ingest::runtime::parse(&mut BufReader::with_capacity(1 << 16, file))
    })
    .await
    .map_err(ApiError::internal)??;
    let meta = UploadMeta {
        project_kind: "service",
        project: batch.service.trim().to_owned(),
        client_id: match checked("batch_id", batch.batch_id.clone(), 128)? {
            Some(id) => id,
            None => new_scan_id()?,
        },
        kind: "runtime",
        format: "runtime",
        branch: None,
        commit: None,
        environment: checked("env", batch.env.clone(), 256)?,
        actor: principal.actor(),
    };
    let context = format!("env:{}", meta.environment.as_deref().unwrap_or("default"));
    let mut upload = match state.store.begin_upload(meta, now_ms()).await? {
        UploadOutcome::Duplicate(summary) => return Ok((StatusCode::OK, Json(summary))),
        UploadOutcome::Started(upload) => upload,
    };
    let staged: Vec<_> = batch
        .vulnerabilities
        .iter()
        .map(ingest::runtime::staged)
        .collect();
    for chunk in staged.chunks(STAGE_BATCH) {
        upload.stage(chunk).await?;
    }
    if batch.libraries.is_some() {
        upload
            .replace_components(&context, &ingest::runtime::components(&batch))
            .await?;
    }
    let tool = batch
        .agent
        .as_ref()
        .and_then(|a| a.get("name"))
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    Ok((StatusCode::CREATED, Json(upload.finish(tool).await?)))
}
