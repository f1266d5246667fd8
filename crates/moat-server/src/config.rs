use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Where the server keeps its data.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created with its directory when missing (WAL mode).
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://user:password@host/db`); the database must exist.
    Postgres(String),
}

impl Database {
    /// The database a `--database-url` names: `postgres://`, `postgresql://` or `sqlite:`.
    pub fn from_url(url: &str) -> Result<Database, crate::ServerError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(url.to_owned()))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))
        {
            Ok(Database::Sqlite(PathBuf::from(path)))
        } else {
            Err(crate::ServerError::DatabaseUrl(redact(url)))
        }
    }

    /// A description safe for logs: the file, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("SQLite at {}", path.display()),
            Database::Postgres(url) => format!("PostgreSQL at {}", redact(url)),
        }
    }
}

/// Hides the password of a URL: `postgres://moat:secret@db/moat` → `postgres://moat:***@db/moat`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

// Database passwords never reach logs: Debug shows the redacted form.
impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Everything `moat serve` can be told.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The database.
    pub database: Database,
    /// The address people reach the server at, when a proxy terminates TLS in front of it.
    /// An `https://` URL makes session cookies `Secure` and turns on HSTS.
    pub public_url: Option<String>,
    /// Largest upload body, in bytes; larger ones get 413.
    pub max_upload_bytes: u64,
    /// Largest body of the other JSON requests, in bytes.
    pub max_json_bytes: usize,
    /// Where upload bodies are spooled before they are applied (default: the system's
    /// temporary directory). Spool files are unlinked as soon as they are created.
    pub spool_dir: Option<PathBuf>,
    /// How long a login lasts.
    pub session_lifetime: Duration,
}

impl ServerConfig {
    /// The defaults for `database`: 1 GiB uploads, 1 MiB other requests, 12-hour sessions.
    pub fn new(database: Database) -> ServerConfig {
        ServerConfig {
            database,
            public_url: None,
            max_upload_bytes: 1 << 30,
            max_json_bytes: 1 << 20,
            spool_dir: None,
            session_lifetime: Duration::from_secs(12 * 3600),
        }
    }

    /// Whether people reach the server over TLS.
    pub(crate) fn behind_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend_and_never_show_passwords() {
        let pg = Database::from_url("postgres://moat:s3cret@db:5432/moat").unwrap();
        assert!(matches!(pg, Database::Postgres(_)));
        assert_eq!(
            format!("{pg:?}"),
            "PostgreSQL at postgres://moat:***@db:5432/moat"
        );
        assert_eq!(
            Database::from_url("sqlite:/tmp/m.db").unwrap(),
            Database::Sqlite("/tmp/m.db".into())
        );
        let error = Database::from_url("mysql://root:pw@h/db").unwrap_err();
        assert!(!error.to_string().contains("pw"), "{error}");
    }
}
