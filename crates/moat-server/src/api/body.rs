//! Reading request bodies against a size limit, the same way for uploads and JSON calls.
//!
//! A body past the limit is refused with 413, but only after the rest of it (up to
//! [`DRAIN`]) has been read and thrown away: a client still sending when the server
//! closes the connection gets a broken pipe or a reset instead of the answer.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::BodyExt;

use super::ApiError;

/// How much of a refused body is read and thrown away before answering 413.
const DRAIN: u64 = 16 << 20;

/// The body's declared `Content-Length`, if it has a valid one.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Reads and discards up to `max` more bytes of `body`.
async fn drain(body: &mut Body, max: u64) {
    let mut read = 0;
    while read <= max {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    read += data.len() as u64;
                }
            }
            _ => return,
        }
    }
}

fn too_large(what: &str, limit: u64) -> ApiError {
    ApiError::Status(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the {what} is larger than the server's limit of {limit} bytes"),
    )
}

/// A body read piece by piece against `limit` bytes: each piece goes to the caller's
/// sink as it arrives, and going over the limit drains the rest and refuses it.
pub(super) struct LimitedBody {
    body: Body,
    limit: u64,
    what: &'static str,
    read: u64,
}

impl LimitedBody {
    /// Refuses at once a body whose declared length is over `limit`; `what` names it in
    /// the error ("upload", "request body").
    pub(super) async fn new(
        mut body: Body,
        headers: &HeaderMap,
        limit: u64,
        what: &'static str,
    ) -> Result<LimitedBody, ApiError> {
        if let Some(declared) = declared_length(headers).filter(|n| *n > limit) {
            if declared - limit <= DRAIN {
                drain(&mut body, declared).await;
            }
            return Err(too_large(what, limit));
        }
        Ok(LimitedBody {
            body,
            limit,
            what,
            read: 0,
        })
    }

    /// The next piece of data, `None` at the end.
    pub(super) async fn next(&mut self) -> Result<Option<Bytes>, ApiError> {
        while let Some(frame) = self.body.frame().await {
            let frame = frame.map_err(|e| {
                ApiError::bad_request(format!("the {} was cut off: {e}", self.what))
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            self.read += data.len() as u64;
            if self.read > self.limit {
                drain(&mut self.body, DRAIN).await;
                return Err(too_large(self.what, self.limit));
            }
            return Ok(Some(data));
        }
        Ok(None)
    }

    /// The whole body in memory.
    pub(super) async fn collect(mut self) -> Result<Bytes, ApiError> {
        let mut all = Vec::new();
        while let Some(data) = self.next().await? {
            all.extend_from_slice(&data);
        }
        Ok(all.into())
    }
}

/// The request with its body read into memory, up to `limit` bytes: for the extractors
/// of small bodies (`Json`, `Form`), which would answer 413 without reading the rest.
pub(crate) async fn buffered(req: Request, limit: usize) -> Result<Request, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = LimitedBody::new(body, &parts.headers, limit as u64, "request body")
        .await?
        .collect()
        .await?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
