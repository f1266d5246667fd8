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

pub mod shell;
pub mod sql;
mod taint;

pub use taint::{Origin, SourceKind, Taint, TaintRange};
