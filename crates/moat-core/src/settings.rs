use std::path::PathBuf;

use crate::Severity;

/// What to scan and how: built once by the CLI from flags and `moat.toml`, read by every
/// engine. Engines never see command-line types.
#[derive(Debug, Clone)]
pub struct ScanSettings {
    /// The directory (or single file) to scan.
    pub root: PathBuf,
    /// Extra gitignore-style globs to leave out, relative to the root.
    pub ignore: Vec<String>,
    /// Files bigger than this many bytes are skipped.
    pub max_file_size: u64,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Findings below this severity are dropped.
    pub min_severity: Severity,
    /// Whether `.gitignore`, `.ignore` and git excludes are honoured.
    pub respect_gitignore: bool,
}

impl ScanSettings {
    /// Defaults for scanning `root`: 1 MiB file limit, all cores, every severity.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ScanSettings {
            root: root.into(),
            ignore: Vec::new(),
            max_file_size: 1024 * 1024,
            jobs: 0,
            min_severity: Severity::Info,
            respect_gitignore: true,
        }
    }
}
