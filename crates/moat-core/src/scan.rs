//! The scan driver every pillar shares: walk, read in parallel, run the engines, then
//! apply inline suppressions, fingerprints, the baseline and the severity threshold.

use std::time::Instant;

use rayon::prelude::*;

use crate::suppress::{Baseline, inline_suppressed};
use crate::walk::{self, SourceFile, WalkError};
use crate::{Finding, ScanOutcome, ScanSettings, SkipReason, Skipped, assign_fingerprints};

/// What an engine found in one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// Findings, in any order.
    pub findings: Vec<Finding>,
    /// Set when the file was only partly understood (a syntax error the parser recovered from).
    pub partial: Option<String>,
    /// Whether the engine looked at the file at all (false: not a language it knows).
    pub scanned: bool,
}

/// A pillar that scans files one at a time; shared across threads.
pub trait FileScanner: Sync {
    /// Scans one file.
    fn scan_file(&self, file: &SourceFile) -> FileReport;
    /// How many rules the engine runs, for the summary.
    fn rule_count(&self) -> usize;
    /// Whether the engine would look at this file; files no engine wants are not read.
    fn wants(&self, rel_path: &str) -> bool {
        let _ = rel_path;
        true
    }
}

/// What one file gave: a skip, findings, suppressed count, lines, whether scanned.
type PerFile = (Option<Skipped>, Vec<Finding>, usize, usize, bool);

/// Runs `scanners` over every file under the settings' root.
///
/// `progress` is told the number of files to read, then called once per file done.
pub fn run(
    settings: &ScanSettings,
    scanners: &[&dyn FileScanner],
    baseline: Option<&Baseline>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ScanOutcome, WalkError> {
    let started = Instant::now();
    let mut walk = walk::files(settings)?;
    walk.files
        .retain(|c| scanners.iter().any(|s| s.wants(&c.rel_path)));
    progress(Progress::Start(walk.files.len() as u64));
    let per_file: Vec<PerFile> = walk
        .files
        .par_iter()
        .map(|candidate| {
            let result = match walk::read(candidate, settings.max_file_size) {
                Err(reason) => (
                    Some(Skipped {
                        path: candidate.rel_path.clone(),
                        reason,
                    }),
                    Vec::new(),
                    0,
                    0,
                    false,
                ),
                Ok(file) => {
                    let mut findings = Vec::new();
                    let mut partial = None;
                    let mut scanned = false;
                    for scanner in scanners {
                        let report = scanner.scan_file(&file);
                        scanned |= report.scanned;
                        partial = partial.or(report.partial);
                        findings.extend(report.findings);
                    }
                    let before = findings.len();
                    findings.retain(|f| {
                        !inline_suppressed(&file.text, f.location.start.line, &f.rule_id)
                    });
                    let suppressed = before - findings.len();
                    let skipped = partial.map(|p| Skipped {
                        path: file.rel_path.clone(),
                        reason: SkipReason::PartiallyParsed(p),
                    });
                    let lines = if scanned {
                        file.text.bytes().filter(|b| *b == b'\n').count()
                            + usize::from(!file.text.is_empty() && !file.text.ends_with('\n'))
                    } else {
                        0
                    };
                    (skipped, findings, suppressed, lines, scanned)
                }
            };
            progress(Progress::Advance);
            result
        })
        .collect();

    let mut outcome = ScanOutcome {
        skipped: walk.skipped,
        ..ScanOutcome::default()
    };
    for (skipped, findings, suppressed, lines, scanned) in per_file {
        outcome.skipped.extend(skipped);
        outcome.findings.extend(findings);
        outcome.stats.suppressed_inline += suppressed;
        outcome.stats.lines += lines;
        outcome.stats.files += usize::from(scanned);
    }
    outcome.stats.rules = scanners.iter().map(|s| s.rule_count()).sum();
    outcome.sort();
    assign_fingerprints(&mut outcome.findings);
    if let Some(baseline) = baseline {
        let before = outcome.findings.len();
        outcome.findings.retain(|f| !baseline.contains(f));
        outcome.stats.suppressed_baseline = before - outcome.findings.len();
    }
    let before = outcome.findings.len();
    outcome
        .findings
        .retain(|f| f.severity >= settings.min_severity);
    outcome.stats.below_threshold = before - outcome.findings.len();
    outcome.stats.duration = started.elapsed();
    progress(Progress::Finish);
    Ok(outcome)
}

/// Progress events for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The number of files that will be read.
    Start(u64),
    /// One more file done.
    Advance,
    /// All done.
    Finish,
}
