use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use moat_core::output::{self, Format, Report};
use moat_core::scan::{self, FileScanner, Progress};
use moat_core::suppress::Baseline;
use moat_core::{Config, ScanSettings, Severity};
use moat_sast::RuleSet;

use crate::args::{ColorArg, FormatArg, OutputArgs, ScanArgs};
use crate::runtime::RuntimeReports;
use crate::status::ExitStatus;
use crate::upload;

/// Whether to colour a stream: `NO_COLOR` wins, then `FORCE_COLOR`, then the terminal test.
pub(crate) fn use_color(choice: ColorArg, is_terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            if set("NO_COLOR") {
                false
            } else if set("FORCE_COLOR") {
                true
            } else {
                is_terminal
            }
        }
    }
}

fn config_dir(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_owned()
    } else {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_owned)
    }
}

fn load_rules(args: &ScanArgs, config: &Config, base: &Path) -> Result<RuleSet> {
    let paths: Vec<PathBuf> = if args.config.is_empty() {
        config.sast.rules.iter().map(|p| base.join(p)).collect()
    } else {
        args.config.clone()
    };
    let rules = if paths.is_empty() {
        RuleSet::bundled().context("the bundled rules do not load; this is a bug in moat")?
    } else {
        RuleSet::load(&paths)?
    };
    let excluded = &config.sast.exclude_rules;
    Ok(if excluded.is_empty() {
        rules
    } else {
        rules.filtered(|r| !excluded.iter().any(|id| id == r.id()))
    })
}

fn progress_bar(output: &OutputArgs) -> Option<ProgressBar> {
    if output.quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} scanning {pos}/{len} files {wide_bar} {elapsed}")
            .expect("the template is valid"),
    );
    Some(bar)
}

#[expect(clippy::too_many_lines, reason = "the steps of a scan, in order")]
pub(crate) fn run(args: &ScanArgs) -> Result<ExitStatus> {
    // Before scanning: a missing server or key should not cost a whole scan.
    let upload_target = if args.upload.upload {
        Some(upload::Target::resolve(&args.upload, &args.path)?)
    } else {
        None
    };
    let base = config_dir(&args.path);
    let config = match &args.config_file {
        Some(path) => Config::load(path)?,
        None => Config::discover(&base)?,
    };

    let mut settings = ScanSettings::new(&args.path);
    settings.ignore.clone_from(&config.scan.ignore);
    settings.ignore.extend(args.exclude.iter().cloned());
    if let Some(size) = args.max_file_size.or(config.scan.max_file_size) {
        settings.max_file_size = size;
    }
    settings.jobs = args.jobs.unwrap_or(0);
    settings.min_severity = args
        .severity
        .map(Severity::from)
        .or(config.scan.severity)
        .unwrap_or(Severity::Info);
    settings.respect_gitignore =
        !args.no_gitignore && config.scan.respect_gitignore.unwrap_or(true);
    let fail_on = args
        .fail_on
        .map(Severity::from)
        .or(config.scan.fail_on)
        .unwrap_or(Severity::Info);

    // Deep trees recurse in the matcher; give workers room. Building the global pool can
    // only fail if it already exists, which leaves a working pool.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs)
        .stack_size(16 << 20)
        .build_global();
    let rules = if config.sast.enabled {
        Some(load_rules(args, &config, &base)?)
    } else {
        None
    };
    let baseline_path = args
        .baseline
        .clone()
        .or_else(|| config.scan.baseline.as_ref().map(|p| base.join(p)));
    let baseline = match (&baseline_path, &args.write_baseline) {
        (Some(path), None) => Some(Baseline::load(path)?),
        _ => None,
    };

    let bar = progress_bar(&args.output_args);
    let on_progress = |event: Progress| {
        if let Some(bar) = &bar {
            match event {
                Progress::Start(n) => bar.set_length(n),
                Progress::Advance => bar.inc(1),
                Progress::Finish => bar.finish_and_clear(),
            }
        }
    };
    let runtime = if args.runtime_reports.is_empty() {
        None
    } else {
        Some(RuntimeReports::load(&args.runtime_reports)?)
    };
    let mut scanners: Vec<&dyn FileScanner> = rules.iter().map(|r| r as &dyn FileScanner).collect();
    scanners.extend(runtime.iter().map(|r| r as &dyn FileScanner));
    let outcome = scan::run(&settings, &scanners, baseline.as_ref(), &on_progress)?;

    if let Some(path) = &args.write_baseline {
        Baseline::of(&outcome.findings).write(path)?;
    }

    let mut infos = rules.as_ref().map(RuleSet::infos).unwrap_or_default();
    infos.extend(runtime.iter().flat_map(RuntimeReports::infos));
    let report = Report {
        outcome: &outcome,
        rules: &infos,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
    };
    if let Some(path) = &args.output {
        let file = File::create(path)
            .with_context(|| format!("{}: cannot create the output file", path.display()))?;
        let mut out = BufWriter::new(file);
        output::write(format, &report, false, &mut out)?;
        out.flush()?;
    } else {
        let stdout = io::stdout();
        let color =
            format == Format::Text && use_color(args.output_args.color, stdout.is_terminal());
        let mut out = BufWriter::new(stdout.lock());
        output::write(format, &report, color, &mut out)?;
        out.flush()?;
    }

    if !args.output_args.quiet {
        let stderr = io::stderr();
        let color = use_color(args.output_args.color, stderr.is_terminal());
        let mut err = stderr.lock();
        for skipped in &outcome.skipped {
            let noisy = matches!(
                skipped.reason,
                moat_core::SkipReason::PartiallyParsed(_) | moat_core::SkipReason::Unreadable(_)
            );
            if noisy || args.output_args.verbose > 0 {
                let label = if color {
                    "\x1b[1;33mwarning\x1b[0m"
                } else {
                    "warning"
                };
                writeln!(err, "{label}: {}: {}", skipped.path, skipped.reason)?;
            }
        }
        for (path, count) in runtime.iter().flat_map(RuntimeReports::unplaced) {
            writeln!(
                err,
                "warning: {count} runtime finding(s) in {path} left out: no such file under {}; scan the application's root",
                args.path.display()
            )?;
        }
        writeln!(err, "{}", output::summary_line(&outcome))?;
    }

    if let Some(target) = &upload_target {
        let mut body = Vec::new();
        output::write_json(&report, &mut body)?;
        let line = upload::send(target, &body)
            .with_context(|| format!("cannot upload the scan to {}", target.server))?;
        if !args.output_args.quiet {
            eprintln!("{line}");
        }
    }

    let failing = outcome.findings.iter().any(|f| f.severity >= fail_on);
    Ok(if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
