//! The one file walker every pillar uses.
//!
//! It honours `.gitignore` (like ripgrep, through the `ignore` crate) and the `ignore` globs
//! of `moat.toml`, never descends into `.git`, and never follows a symbolic link, so a scan
//! of an untrusted repository cannot be led outside its root. Reading a file checks size,
//! binary content and UTF-8; what fails goes into the outcome's skipped list, never an error.

use std::io::Read;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use crate::{ScanSettings, SkipReason, Skipped};

/// A file the walker chose to scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Path to open.
    pub path: PathBuf,
    /// Path relative to the scan root with `/` separators, as shown to users.
    pub rel_path: String,
}

/// A file read into memory, ready for an engine.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the scan root.
    pub rel_path: String,
    /// The whole text.
    pub text: String,
}

/// The result of walking: files to scan and files left out.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to scan, sorted.
    pub files: Vec<Candidate>,
    /// Paths skipped while walking (symlinks).
    pub skipped: Vec<Skipped>,
}

/// The scan root cannot be walked at all.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// The root does not exist or cannot be opened.
    #[error("{path}: no such file or directory; pass an existing path to scan")]
    MissingRoot {
        /// The root.
        path: PathBuf,
    },
    /// An `ignore` glob from the config is not a valid glob.
    #[error("invalid ignore glob `{glob}`: {message}")]
    BadGlob {
        /// The glob as written.
        glob: String,
        /// Why it is invalid.
        message: String,
    },
}

/// Lists the files under `settings.root` that a scan should read.
pub fn files(settings: &ScanSettings) -> Result<Walk, WalkError> {
    let root = &settings.root;
    let meta = std::fs::symlink_metadata(root)
        .map_err(|_| WalkError::MissingRoot { path: root.clone() })?;
    let mut walk = Walk::default();
    if meta.is_file() {
        let rel_path = root.file_name().map_or_else(
            || root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        walk.files.push(Candidate {
            path: root.clone(),
            rel_path,
        });
        return Ok(walk);
    }

    let mut overrides = OverrideBuilder::new(root);
    for glob in settings.ignore.iter().map(String::as_str).chain([".git/"]) {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| WalkError::BadGlob {
                glob: glob.to_owned(),
                message: e.to_string(),
            })?;
    }
    let overrides = overrides.build().map_err(|e| WalkError::BadGlob {
        glob: settings.ignore.join(", "),
        message: e.to_string(),
    })?;

    let walker = WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .git_ignore(settings.respect_gitignore)
        .git_global(settings.respect_gitignore)
        .git_exclude(settings.respect_gitignore)
        .ignore(settings.respect_gitignore)
        .require_git(false)
        .overrides(overrides)
        .build();
    for entry in walker {
        let Ok(entry) = entry else { continue };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        let rel_path = relative(root, entry.path());
        if file_type.is_symlink() {
            walk.skipped.push(Skipped {
                path: rel_path,
                reason: SkipReason::Symlink,
            });
        } else if file_type.is_file() {
            walk.files.push(Candidate {
                path: entry.into_path(),
                rel_path,
            });
        }
    }
    walk.files.sort();
    Ok(walk)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// Reads a candidate, or says why it is skipped: too large, binary, not UTF-8, unreadable.
pub fn read(candidate: &Candidate, max_size: u64) -> Result<SourceFile, SkipReason> {
    let file =
        std::fs::File::open(&candidate.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let len = file
        .metadata()
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?
        .len();
    if len > max_size {
        return Err(SkipReason::TooLarge(max_size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Read one byte past the limit so a file that grew since `metadata` is still caught.
    file.take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > max_size {
        return Err(SkipReason::TooLarge(max_size));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    let text = String::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)?;
    Ok(SourceFile {
        rel_path: candidate.rel_path.clone(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn rels(walk: &Walk) -> Vec<&str> {
        walk.files.iter().map(|c| c.rel_path.as_str()).collect()
    }

    #[test]
    fn honours_gitignore_and_config_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("src")).unwrap();
        fs::create_dir_all(root.join("vendor/lib")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join(".gitignore"), "build/\n*.log\n").unwrap();
        fs::create_dir_all(root.join("build")).unwrap();
        fs::write(root.join("build/out.py"), "x").unwrap();
        fs::write(root.join("debug.log"), "x").unwrap();
        fs::write(root.join("src/app.py"), "x").unwrap();
        fs::write(root.join("vendor/lib/x.py"), "x").unwrap();
        fs::write(root.join(".git/config"), "x").unwrap();
        let mut settings = ScanSettings::new(root);
        settings.ignore = vec!["vendor/**".into()];
        let walk = files(&settings).unwrap();
        assert_eq!(rels(&walk), [".gitignore", "src/app.py"]);

        settings.respect_gitignore = false;
        let walk = files(&settings).unwrap();
        assert_eq!(
            rels(&walk),
            [".gitignore", "build/out.py", "debug.log", "src/app.py"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn skips_symlink_leaving_root() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.py"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("escape")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.py"), dir.path().join("link.py"))
            .unwrap();
        fs::write(dir.path().join("a.py"), "x").unwrap();
        let walk = files(&ScanSettings::new(dir.path())).unwrap();
        assert_eq!(rels(&walk), ["a.py"]);
        let skipped: Vec<_> = walk
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), &s.reason))
            .collect();
        assert!(skipped.contains(&("escape", &SkipReason::Symlink)));
        assert!(skipped.contains(&("link.py", &SkipReason::Symlink)));
    }

    #[test]
    fn reading_reports_binary_large_and_non_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let cand = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            Candidate {
                path,
                rel_path: name.into(),
            }
        };
        assert_eq!(
            read(&cand("b.py", b"a\0b"), 100).unwrap_err(),
            SkipReason::Binary
        );
        assert_eq!(
            read(&cand("l.py", &[b'a'; 101]), 100).unwrap_err(),
            SkipReason::TooLarge(100)
        );
        assert_eq!(
            read(&cand("u.py", b"\xff\xfe x"), 100).unwrap_err(),
            SkipReason::NotUtf8
        );
        assert_eq!(
            read(&cand("ok.py", b"print(1)\n"), 100).unwrap().text,
            "print(1)\n"
        );
        assert_eq!(read(&cand("e.py", b""), 100).unwrap().text, "");
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = files(&ScanSettings::new("/definitely/not/here")).unwrap_err();
        assert!(err.to_string().contains("/definitely/not/here"));
    }
}
