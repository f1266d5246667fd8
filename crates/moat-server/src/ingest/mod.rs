//! Reading uploads: each format turns its document into `moat_core::Finding`s (the one
//! finding model) as it reads, without building the document in memory; [`Emitter`]
//! batches them for the database.
//!
//! Parsers are blocking (`serde_json` over `std::io::Read`) and run on a blocking thread,
//! reading the spooled body; batches cross to the async side over a bounded channel, so
//! at most a few batches are in memory whatever the size of the upload.

pub(crate) mod cyclonedx;
pub(crate) mod native;
pub(crate) mod runtime;
pub(crate) mod sarif;

use moat_core::{Finding, Fingerprints};
use tokio::sync::mpsc;

use crate::store::{STAGE_BATCH, Staged};

/// Why an upload's document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum IngestError {
    /// Not JSON, or cut off.
    #[error("{0}")]
    Syntax(String),
    /// JSON, but not the expected document.
    #[error("{0}")]
    Invalid(String),
    /// The database side stopped reading (it failed, or the request went away).
    #[error("the upload was abandoned")]
    Cancelled,
}

impl IngestError {
    /// Sorts a `serde_json` error into syntax (400) or shape (422), prefixed with what
    /// was being read.
    pub(crate) fn from_json(what: &str, error: &serde_json::Error) -> IngestError {
        // Our own visitors stop with this message when the receiver is gone.
        if error.to_string().starts_with(CANCELLED) {
            return IngestError::Cancelled;
        }
        let message = format!("{what}: {error}");
        match error.classify() {
            serde_json::error::Category::Data => IngestError::Invalid(message),
            _ => IngestError::Syntax(message),
        }
    }
}

/// The message a visitor stops with when [`Emitter::emit`] reports cancellation.
pub(crate) const CANCELLED: &str = "upload abandoned";

/// What a parser learnt besides the findings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// The tool that produced the document.
    pub(crate) tool: Option<String>,
}

/// Collects findings into batches and hands each to the database side.
pub(crate) struct Emitter {
    sender: mpsc::Sender<Vec<Staged>>,
    batch: Vec<Staged>,
    fingerprints: Fingerprints,
    count: usize,
}

/// Longest rule id, fingerprint and path accepted: a hint that a document is not what it
/// claims, and a bound on what one row holds.
const MAX_ID: usize = 512;
const MAX_PATH: usize = 4096;

impl Emitter {
    pub(crate) fn new(sender: mpsc::Sender<Vec<Staged>>) -> Emitter {
        Emitter {
            sender,
            batch: Vec::with_capacity(STAGE_BATCH),
            fingerprints: Fingerprints::default(),
            count: 0,
        }
    }

    /// Checks a finding, fingerprints it when it has no fingerprint, and queues it.
    pub(crate) fn emit(&mut self, mut finding: Finding) -> Result<(), IngestError> {
        let index = self.count;
        let invalid = |what: &str| IngestError::Invalid(format!("finding {index}: {what}"));
        if finding.rule_id.trim().is_empty() {
            return Err(invalid("`rule_id` is empty"));
        }
        if finding.rule_id.len() > MAX_ID || finding.fingerprint.len() > MAX_ID {
            return Err(invalid(
                "`rule_id` or `fingerprint` is longer than 512 bytes",
            ));
        }
        if finding.location.path.len() > MAX_PATH {
            return Err(invalid("the path is longer than 4096 bytes"));
        }
        if finding.title.trim().is_empty() {
            finding.title.clone_from(&finding.rule_id);
        }
        if finding.fingerprint.trim().is_empty() {
            self.fingerprints.assign(&mut finding);
        }
        self.push(Staged::of(&finding))
    }

    /// Queues an already stored-shaped finding.
    pub(crate) fn push(&mut self, staged: Staged) -> Result<(), IngestError> {
        self.count += 1;
        self.batch.push(staged);
        if self.batch.len() >= STAGE_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Hands over what is queued.
    pub(crate) fn flush(&mut self) -> Result<(), IngestError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(STAGE_BATCH));
        self.sender
            .blocking_send(batch)
            .map_err(|_| IngestError::Cancelled)
    }
}

/// A serde error that stops a visitor, from an emitter error.
pub(crate) fn stop<E: serde::de::Error>(error: &IngestError) -> E {
    match error {
        IngestError::Cancelled => E::custom(CANCELLED),
        other => E::custom(other),
    }
}
