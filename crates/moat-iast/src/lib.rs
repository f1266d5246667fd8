//! The runtime agent's logic, in plain Rust so it is tested without Python: taint ranges
//! with their origin, how string operations carry them, and sink analysers that report
//! only when tainted text changes the structure of a query or command.
//!
//! ```
//! use moat_iast::{Origin, SourceKind, Taint};
//! let taint = Taint::whole("1 OR 1=1", Origin::new(SourceKind::Parameter, "id"));
//! let query = Taint::untainted("SELECT * FROM t WHERE id = ").concat(&taint);
//! assert!(moat_iast::sql::injected(query.text(), &query.byte_ranges()));
//! ```

mod catalog;
#[cfg(feature = "findings")]
mod finding;
pub mod markup;
pub mod path;
mod report;
pub mod shell;
pub mod sql;
mod taint;
pub mod url;

pub use catalog::TypeInfo;
pub use report::{
    Analyser, CodeLocation, Evidence, EvidencePart, ParseError, REDACTED, Report, RequestInfo,
    VulnType,
};
pub use taint::{Origin, SourceKind, Taint, TaintRange};

use std::ops::Range;

/// The non-empty tainted ranges clamped to a string of `len` bytes: the analysers accept
/// whatever offsets the agent hands them, never panicking on one past the end.
pub(crate) fn clamped(
    tainted: &[Range<usize>],
    len: usize,
) -> impl Iterator<Item = Range<usize>> + '_ {
    tainted
        .iter()
        .map(move |range| range.start.min(len)..range.end.min(len))
        .filter(|range| !range.is_empty())
}
