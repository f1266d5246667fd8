use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Severity;

/// The contents of `moat.toml`. Unknown keys are errors, so a typo never silently does
/// nothing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Options for every pillar.
    #[serde(default)]
    pub scan: ScanConfig,
    /// Options for static analysis.
    #[serde(default)]
    pub sast: SastConfig,
}

/// The `[scan]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanConfig {
    /// Gitignore-style globs of paths to leave out.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Drop findings below this severity.
    pub severity: Option<Severity>,
    /// Exit 1 when a finding is at or above this severity.
    pub fail_on: Option<Severity>,
    /// Skip files bigger than this many bytes.
    pub max_file_size: Option<u64>,
    /// Baseline file of fingerprints to hide.
    pub baseline: Option<PathBuf>,
    /// Whether `.gitignore` files are honoured (default true).
    pub respect_gitignore: Option<bool>,
}

/// The `[sast]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SastConfig {
    /// Run static analysis (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Rule files or directories; empty means the bundled rules.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Rule ids to leave out.
    #[serde(default)]
    pub exclude_rules: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for SastConfig {
    fn default() -> Self {
        SastConfig {
            enabled: true,
            rules: Vec::new(),
            exclude_rules: Vec::new(),
        }
    }
}

/// `moat.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("{path}: cannot read the config file")]
    Read {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys or wrong types.
    #[error("{path}: {message}")]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// What is wrong, with line and column, from the TOML parser.
        message: String,
    },
}

impl Config {
    /// Loads `moat.toml` from `dir` if it exists; no file means the defaults.
    pub fn discover(dir: &Path) -> Result<Config, ConfigError> {
        let path = dir.join("moat.toml");
        if path.is_file() {
            Config::load(&path)
        } else {
            Ok(Config::default())
        }
    }

    /// Loads and checks one config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses config text; the error is the parser's message, with position.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().replace('\n', "\n  "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_table() {
        let config = Config::parse(
            "[scan]\nignore = [\"vendor/**\"]\nseverity = \"medium\"\nfail-on = \"high\"\n[sast]\nrules = [\"my-rules\"]\n",
        )
        .unwrap();
        assert_eq!(config.scan.ignore, ["vendor/**"]);
        assert_eq!(config.scan.severity, Some(Severity::Medium));
        assert_eq!(config.scan.fail_on, Some(Severity::High));
        assert_eq!(config.sast.rules, [PathBuf::from("my-rules")]);
        assert!(config.sast.enabled);
    }

    #[test]
    fn unknown_key_is_reported_with_its_name() {
        let err = Config::parse("[scan]\nignored = []\n").unwrap_err();
        assert!(err.contains("ignored"), "{err}");
        assert!(err.contains("ignore"), "{err}");
        let err = Config::parse("[sats]\n").unwrap_err();
        assert!(err.contains("sats"), "{err}");
    }

    #[test]
    fn malformed_toml_is_an_error_not_a_panic() {
        assert!(Config::parse("[scan\n").is_err());
        assert!(Config::parse("scan = 3").is_err());
        assert!(Config::parse("[scan]\nseverity = \"urgent\"").is_err());
        assert!(Config::parse("").is_ok());
    }
}
