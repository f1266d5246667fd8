use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use moat_core::Severity;

/// Find vulnerable code, fast, offline.
#[derive(Debug, Parser)]
#[command(name = "moat", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan a directory or file and report findings.
    Scan(Box<ScanArgs>),
    /// Run the Vulnerability Explorer server: uploads, history, triage, JSON API.
    Serve(ServeArgs),
    /// Write, list and test rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// Run rule test files (`# ruleid:` / `# ok:` annotations), like `semgrep --test`.
    Test(RulesPathArgs),
    /// List rules with their severity, languages and title.
    List(RulesListArgs),
    /// Check that rule files load: YAML, keys, patterns and regexes.
    Validate(RulesPathArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RulesPathArgs {
    /// Rule file or directory.
    pub(crate) path: PathBuf,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RulesListArgs {
    /// Rule files or directories (default: the bundled rules).
    #[arg(long = "config", short = 'c')]
    pub(crate) config: Vec<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Severity names accepted on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Flags every command that prints shares.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// When to colour output: auto honours `NO_COLOR`, `FORCE_COLOR` and whether it is a terminal.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true)]
    pub(crate) color: ColorArg,
    /// Print only results and errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    /// Say more on stderr (-vv for even more).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Directory or file to scan.
    #[arg(default_value = ".")]
    pub(crate) path: PathBuf,
    /// Rule file or directory (repeatable); default: the bundled rules.
    #[arg(long = "config", short = 'c')]
    pub(crate) config: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub(crate) format: FormatArg,
    /// Write results to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub(crate) output: Option<PathBuf>,
    /// Report only findings at or above this severity.
    #[arg(long, value_enum)]
    pub(crate) severity: Option<SeverityArg>,
    /// Exit 1 when a finding is at or above this severity (default: any finding).
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<SeverityArg>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub(crate) jobs: Option<usize>,
    /// Hide findings whose fingerprints this baseline file holds.
    #[arg(long)]
    pub(crate) baseline: Option<PathBuf>,
    /// Write every finding of this scan to a baseline file.
    #[arg(long)]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Skip files bigger than this many bytes (default 1048576).
    #[arg(long)]
    pub(crate) max_file_size: Option<u64>,
    /// Gitignore-style glob of paths to leave out (repeatable).
    #[arg(long = "exclude")]
    pub(crate) exclude: Vec<String>,
    /// Scan files that .gitignore leaves out.
    #[arg(long)]
    pub(crate) no_gitignore: bool,
    /// Include the runtime agent's findings from this JSONL file (its `MOAT_IAST_OUTPUT`),
    /// located in the scanned files (repeatable).
    #[arg(long = "runtime-report", value_name = "FILE")]
    pub(crate) runtime_reports: Vec<PathBuf>,
    /// moat.toml to read (default: moat.toml at the scanned directory, if any).
    #[arg(long = "config-file")]
    pub(crate) config_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) upload: UploadArgs,
    #[command(flatten)]
    pub(crate) output_args: OutputArgs,
}

/// Sending a scan to `moat serve`.
#[derive(Debug, Args)]
pub(crate) struct UploadArgs {
    /// Send the results to a Moat server as well.
    #[arg(long)]
    pub(crate) upload: bool,
    /// The server's URL (`https://moat.example.com`).
    #[arg(long, env = "MOAT_SERVER", value_name = "URL")]
    pub(crate) server: Option<String>,
    /// An API key of scope `upload`.
    #[arg(long, env = "MOAT_API_KEY", value_name = "KEY", hide_env_values = true)]
    pub(crate) api_key: Option<String>,
    /// The repository's name on the server (default: from CI variables or the git remote
    /// `origin`, else the directory's name).
    #[arg(long, value_name = "NAME")]
    pub(crate) repository: Option<String>,
    /// The branch scanned (default: from CI variables or git).
    #[arg(long)]
    pub(crate) branch: Option<String>,
    /// The commit scanned (default: from CI variables or git).
    #[arg(long)]
    pub(crate) commit: Option<String>,
    /// An id for this scan: uploading the same id twice changes nothing (default: new).
    #[arg(long, value_name = "ID")]
    pub(crate) scan_id: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "HOST:PORT")]
    pub(crate) addr: String,
    /// Directory of the SQLite database (default: `$XDG_DATA_HOME/moat`).
    #[arg(long, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// A PostgreSQL database instead (`postgres://USER:PASSWORD@HOST/DB`).
    #[arg(
        long,
        env = "MOAT_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub(crate) database_url: Option<String>,
    /// Create the user `admin`: password from `MOAT_ADMIN_PASSWORD`, or generated and
    /// printed once.
    #[arg(long)]
    pub(crate) init_admin: bool,
    /// The URL people reach the server at; `https://` makes cookies Secure and turns on HSTS.
    #[arg(long, env = "MOAT_PUBLIC_URL", value_name = "URL")]
    pub(crate) public_url: Option<String>,
    /// Largest upload accepted, in bytes.
    #[arg(long, default_value_t = 1 << 30, value_name = "BYTES")]
    pub(crate) max_upload_size: u64,
}
