use std::fmt::Write as _;
use std::io::{self, Write};

use super::Report;
use crate::{Finding, ScanOutcome, Severity};

/// Longest code frame shown; longer matches end with `...`.
const MAX_FRAME: usize = 6;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const CYAN: &str = "\x1b[36m";

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "\x1b[1;35m",
        Severity::High => "\x1b[1;31m",
        Severity::Medium => "\x1b[1;33m",
        Severity::Low => "\x1b[1;34m",
        Severity::Info => "\x1b[1;37m",
    }
}

struct Paint(bool);

impl Paint {
    fn on(&self, style: &'static str, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}

/// Writes findings for people: `path:line:col severity rule-id message`, the code frame,
/// and the fix. The summary is separate ([`summary_line`]) because it goes to stderr.
pub fn write_text(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(color);
    for finding in &report.outcome.findings {
        let mut block = String::new();
        frame(&mut block, finding, &paint);
        out.write_all(block.as_bytes())?;
    }
    Ok(())
}

fn frame(out: &mut String, finding: &Finding, paint: &Paint) {
    let loc = &finding.location;
    let _ = writeln!(
        out,
        "{}:{}:{} {} {} {}",
        paint.on(BOLD, &loc.path),
        loc.start.line,
        loc.start.column,
        paint.on(severity_color(finding.severity), finding.severity.as_str()),
        paint.on(CYAN, &finding.rule_id),
        finding.message
    );
    let lines: Vec<&str> = finding.snippet.lines().collect();
    let last = loc.start.line + lines.len().saturating_sub(1);
    let width = last.to_string().len();
    for (i, line) in lines.iter().enumerate().take(MAX_FRAME) {
        let number = loc.start.line + i;
        let _ = writeln!(
            out,
            "  {} {line}",
            paint.on(DIM, &format!("{number:>width$} |"))
        );
        if lines.len() == 1 && loc.end.line == loc.start.line {
            let start = loc.start.column.saturating_sub(1);
            let len = loc.end.column.saturating_sub(loc.start.column).max(1);
            let _ = writeln!(
                out,
                "  {} {}{}",
                paint.on(DIM, &format!("{:>width$} |", "")),
                " ".repeat(start),
                paint.on(severity_color(finding.severity), &"^".repeat(len))
            );
        }
    }
    if lines.len() > MAX_FRAME {
        let _ = writeln!(out, "  {} ...", paint.on(DIM, &format!("{:>width$} |", "")));
    }
    if let Some(fix) = finding.fixes.first()
        && let Some(edit) = fix.edits.first()
    {
        let _ = writeln!(out, "  {} {}", paint.on(BOLD, "autofix:"), edit.replacement);
    }
    let mut remediation = finding.remediation.lines();
    if let Some(first) = remediation.next() {
        let _ = writeln!(out, "  {} {first}", paint.on(BOLD, "fix:"));
        for line in remediation {
            if line.trim().is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out.push('\n');
}

/// The closing summary: files, rules, findings by severity, suppressed, skipped, time.
pub fn summary_line(outcome: &ScanOutcome) -> String {
    let stats = &outcome.stats;
    let mut line = format!(
        "Scanned {} {} ({} lines) with {} {} in {:.2}s: ",
        stats.files,
        plural(stats.files, "file", "files"),
        stats.lines,
        stats.rules,
        plural(stats.rules, "rule", "rules"),
        stats.duration.as_secs_f64()
    );
    let total = outcome.findings.len();
    let _ = write!(line, "{total} {}", plural(total, "finding", "findings"));
    let parts: Vec<String> = outcome
        .by_severity()
        .iter()
        .rev()
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    if !parts.is_empty() {
        let _ = write!(line, " ({})", parts.join(", "));
    }
    let suppressed = stats.suppressed_inline + stats.suppressed_baseline;
    if suppressed > 0 {
        let _ = write!(
            line,
            "; {suppressed} suppressed ({} inline, {} baseline)",
            stats.suppressed_inline, stats.suppressed_baseline
        );
    }
    if stats.below_threshold > 0 {
        let _ = write!(
            line,
            "; {} below the severity threshold",
            stats.below_threshold
        );
    }
    if !outcome.skipped.is_empty() {
        let mut reasons: Vec<(&str, usize)> = Vec::new();
        for skipped in &outcome.skipped {
            match reasons
                .iter_mut()
                .find(|(l, _)| *l == skipped.reason.label())
            {
                Some((_, n)) => *n += 1,
                None => reasons.push((skipped.reason.label(), 1)),
            }
        }
        let reasons: Vec<String> = reasons.iter().map(|(l, n)| format!("{n} {l}")).collect();
        let _ = write!(
            line,
            "; {} skipped ({})",
            outcome.skipped.len(),
            reasons.join(", ")
        );
    }
    line
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
