//! The pieces every Moat pillar shares: the [`Finding`] model, [`ScanSettings`] and the
//! `moat.toml` [`Config`], the file [`walk`]er, [`suppress`]ions, and the [`output`] writers.
//!
//! A pillar turns source files into findings; this crate decides what a finding is, which
//! files are looked at, which findings are hidden, and how they are shown:
//!
//! ```
//! use moat_core::{Finding, Kind, Location, Position, Severity};
//! let finding = Finding::new("python.demo", Kind::Sast, Severity::High, "demo", "it is bad")
//!     .at(Location::new("app.py", Position::new(1, 1), Position::new(1, 5)));
//! assert_eq!(finding.location.path, "app.py");
//! ```

mod config;
mod finding;
mod fingerprint;
mod outcome;
pub mod output;
pub mod scan;
mod settings;
pub mod suppress;
pub mod walk;

pub use config::{Config, ConfigError, SastConfig, ScanConfig};
pub use finding::{
    CodeFlow, Edit, Finding, Fix, Kind, Location, Position, Severity, SeverityParseError,
};
pub use fingerprint::{Fingerprints, assign_fingerprints};
pub use outcome::{ScanOutcome, ScanStats, SkipReason, Skipped};
pub use settings::ScanSettings;
