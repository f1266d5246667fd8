use std::io::{self, Write};

use anyhow::Result;
use moat_sast::{RuleSet, testing};

use crate::args::{RulesListArgs, RulesPathArgs};
use crate::status::ExitStatus;

pub(crate) fn test(args: &RulesPathArgs) -> Result<ExitStatus> {
    let report = testing::run(&args.path);
    let mut err = io::stderr().lock();
    for failure in &report.failures {
        writeln!(err, "{failure}")?;
    }
    let failed = report.failures.len();
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "tested {} rules in {} files, {} annotated cases",
        report.rules, report.rule_files, report.cases
    )?;
    // The closing line counts cases: every annotation that held passed.
    let passed = report.cases.saturating_sub(
        report
            .failures
            .iter()
            .filter(|f| f.kind == testing::FailureKind::Missed)
            .count(),
    );
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(if report.passed() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

pub(crate) fn list(args: &RulesListArgs) -> Result<ExitStatus> {
    let rules = if args.config.is_empty() {
        RuleSet::bundled()?
    } else {
        RuleSet::load(&args.config)?
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rules.infos())?;
        writeln!(out)?;
    } else {
        for rule in rules.rules() {
            let languages: Vec<&str> = rule.languages.iter().map(|l| l.name()).collect();
            writeln!(
                out,
                "{:<8} {:<60} {:<24} {}",
                rule.info.severity.as_str(),
                rule.id(),
                languages.join(","),
                rule.info.title
            )?;
        }
    }
    Ok(ExitStatus::Clean)
}

pub(crate) fn validate(args: &RulesPathArgs) -> Result<ExitStatus> {
    let files = moat_sast::rule_files(&args.path)?;
    if files.is_empty() {
        anyhow::bail!(
            "{}: no rule files (.yaml or .yml) found",
            args.path.display()
        );
    }
    let mut errors = 0;
    let mut rules = 0;
    let mut err = io::stderr().lock();
    for file in &files {
        match RuleSet::load(std::slice::from_ref(file)) {
            Ok(set) => rules += set.rules().len(),
            Err(e) => {
                errors += 1;
                writeln!(err, "error: {e}")?;
            }
        }
    }
    writeln!(
        io::stdout().lock(),
        "{rules} rules in {} files valid, {errors} files with errors",
        files.len()
    )?;
    Ok(if errors == 0 {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}
