//! `moat scan --upload`: the JSON report sent to a Moat server, with the repository,
//! branch and commit read from the CI's variables or the `.git` directory.
//!
//! Git metadata is read from files, never by running `git`: a repository's own config
//! can make git run programs (`core.fsmonitor`), and a scan runs none of the scanned
//! repository's code.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use serde_json::Value;

use crate::args::UploadArgs;

/// Where and as what a scan is uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) server: String,
    pub(crate) api_key: String,
    pub(crate) repository: String,
    pub(crate) branch: Option<String>,
    pub(crate) commit: Option<String>,
    pub(crate) scan_id: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The `.git` directory of the repository holding `path`.
fn git_dir(path: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(path).ok()?;
    let mut dir = if start.is_dir() {
        start
    } else {
        start.parent()?.to_owned()
    };
    loop {
        let git = dir.join(".git");
        if git.is_dir() {
            return Some(git);
        }
        // A worktree or submodule: `.git` is a file that points at the real directory.
        if let Ok(text) = std::fs::read_to_string(&git)
            && let Some(target) = text.trim().strip_prefix("gitdir:")
        {
            return Some(dir.join(target.trim()));
        }
        dir = dir.parent()?.to_owned();
    }
}

/// The branch and commit `HEAD` points at.
fn git_head(git: &Path) -> (Option<String>, Option<String>) {
    let Ok(head) = std::fs::read_to_string(git.join("HEAD")) else {
        return (None, None);
    };
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref:").map(str::trim) else {
        return (None, Some(head.to_owned()));
    };
    let branch = reference.strip_prefix("refs/heads/").map(str::to_owned);
    // Worktrees keep refs in the common directory.
    let common = std::fs::read_to_string(git.join("commondir"))
        .map_or_else(|_| git.to_owned(), |c| git.join(c.trim()));
    let commit = std::fs::read_to_string(common.join(reference))
        .ok()
        .map(|c| c.trim().to_owned())
        .or_else(|| {
            let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
            packed.lines().find_map(|line| {
                let (sha, name) = line.split_once(' ')?;
                (name == reference).then(|| sha.to_owned())
            })
        });
    (branch, commit)
}

/// `org/app` from the `origin` remote's URL in `.git/config`.
fn git_remote_name(git: &Path) -> Option<String> {
    let config = std::fs::read_to_string(git.join("config")).ok()?;
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "url"
        {
            return repository_from_url(value.trim());
        }
    }
    None
}

/// `git@host:org/app.git`, `https://host/org/app.git` → `org/app`.
pub(crate) fn repository_from_url(url: &str) -> Option<String> {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/')?.1,
        None => url.split_once(':')?.1,
    };
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    (!path.is_empty()).then(|| path.to_owned())
}

fn new_scan_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{:x}", std::process::id())
}

impl Target {
    /// Flags first, then CI variables (GitHub Actions, GitLab CI), then `.git`.
    pub(crate) fn resolve(args: &UploadArgs, scanned: &Path) -> Result<Target> {
        let server = args.server.clone().ok_or_else(|| {
            anyhow!("--upload needs the server: pass --server URL or set MOAT_SERVER")
        })?;
        let api_key = args.api_key.clone().ok_or_else(|| {
            anyhow!("--upload needs an API key: pass --api-key KEY or set MOAT_API_KEY")
        })?;
        let git = git_dir(scanned);
        let (git_branch, git_commit) = git.as_deref().map(git_head).unwrap_or_default();
        let repository = args
            .repository
            .clone()
            .or_else(|| env("GITHUB_REPOSITORY"))
            .or_else(|| env("CI_PROJECT_PATH"))
            .or_else(|| git.as_deref().and_then(git_remote_name))
            .or_else(|| {
                let dir = std::fs::canonicalize(scanned).ok()?;
                let dir = git
                    .as_deref()
                    .and_then(Path::parent)
                    .map_or(dir, Path::to_owned);
                dir.file_name().map(|n| n.to_string_lossy().into_owned())
            })
            .ok_or_else(|| anyhow!("cannot tell the repository's name; pass --repository NAME"))?;
        let branch = args
            .branch
            .clone()
            .or_else(|| env("GITHUB_HEAD_REF"))
            .or_else(|| env("GITHUB_REF_NAME"))
            .or_else(|| env("CI_COMMIT_REF_NAME"))
            .or(git_branch);
        let commit = args
            .commit
            .clone()
            .or_else(|| env("GITHUB_SHA"))
            .or_else(|| env("CI_COMMIT_SHA"))
            .or(git_commit);
        Ok(Target {
            server: server.trim_end_matches('/').to_owned(),
            api_key,
            repository,
            branch,
            commit,
            scan_id: args.scan_id.clone().unwrap_or_else(new_scan_id),
        })
    }
}

/// Sends the JSON report; retries (with the same scan id, so the server applies it once)
/// when the server cannot be reached or answers 5xx. Returns the server's summary line.
pub(crate) fn send(target: &Target, report: &[u8]) -> Result<String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_global(Some(Duration::from_secs(1800)))
        .build()
        .into();
    let url = format!("{}/api/v1/scans", target.server);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut request = agent
            .post(&url)
            .header("Authorization", format!("Bearer {}", target.api_key))
            .header("Content-Type", "application/json")
            .query("repository", &target.repository)
            .query("scan_id", &target.scan_id)
            .query("kind", "full");
        if let Some(branch) = &target.branch {
            request = request.query("branch", branch);
        }
        if let Some(commit) = &target.commit {
            request = request.query("commit", commit);
        }
        let retry = match request.send(report) {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let text = response.body_mut().read_to_string().unwrap_or_default();
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if (200..300).contains(&status) {
                    return Ok(summary(target, &body));
                }
                let message = body["error"].as_str().unwrap_or(text.trim()).to_owned();
                if status < 500 {
                    let hint = match status {
                        401 => "\n  hint: check the API key (--api-key or MOAT_API_KEY)",
                        403 => "\n  hint: the key needs the `upload` scope",
                        413 => {
                            "\n  hint: the server's --max-upload-size is too small for this report"
                        }
                        _ => "",
                    };
                    bail!("the server refused the upload ({status}): {message}{hint}");
                }
                anyhow!("the server failed ({status}): {message}")
            }
            Err(error) => anyhow!(error).context(format!("cannot reach {url}")),
        };
        if attempt == 3 {
            return Err(retry);
        }
        thread::sleep(Duration::from_secs(attempt));
    }
}

fn summary(target: &Target, body: &Value) -> String {
    let count = |key: &str| body[key].as_i64().unwrap_or(0);
    let mut line = format!(
        "Uploaded to {} as {}: {} findings, {} new, {} reopened, {} fixed",
        target.server,
        target.repository,
        count("findings"),
        count("created"),
        count("reopened"),
        count("fixed"),
    );
    if body["duplicate"].as_bool() == Some(true) {
        line.push_str(" (scan id already uploaded: nothing changed)");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_repositories_from_remote_urls() {
        assert_eq!(
            repository_from_url("git@github.com:org/app.git").as_deref(),
            Some("org/app")
        );
        assert_eq!(
            repository_from_url("https://gitlab.example.com/group/sub/app.git").as_deref(),
            Some("group/sub/app")
        );
        assert_eq!(repository_from_url("https://host/").as_deref(), None);
    }

    #[test]
    fn reads_branch_and_commit_from_git_files() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(
            git.join("packed-refs"),
            "# pack-refs\nabc123 refs/heads/main\n",
        )
        .unwrap();
        std::fs::write(
            git.join("config"),
            "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@host:team/shop.git\n",
        )
        .unwrap();
        assert_eq!(
            git_dir(dir.path()).as_deref(),
            Some(git.as_path())
                .map(|g| g.canonicalize().unwrap())
                .as_deref()
        );
        let (branch, commit) = git_head(&git);
        assert_eq!(branch.as_deref(), Some("main"));
        assert_eq!(commit.as_deref(), Some("abc123"));
        std::fs::write(git.join("refs/heads/main"), "def456\n").unwrap();
        assert_eq!(git_head(&git).1.as_deref(), Some("def456"));
        assert_eq!(git_remote_name(&git).as_deref(), Some("team/shop"));
    }
}
