//! Storage: one implementation over sqlx's `Any` driver for SQLite and PostgreSQL.
//!
//! Every statement is written once, in the SQL both databases accept: `$1` placeholders
//! (SQLite reads `$N` as the N-th parameter), `INTEGER`/`BIGINT` ids and unix-millisecond
//! times, `ON CONFLICT`, `RETURNING` and `UPDATE ... FROM`. What differs lives in the two
//! migration folders (id types) and in [`Store::begin_write`] (SQLite's `BEGIN IMMEDIATE`).

mod accounts;
mod components;
mod upload;
mod vulnerabilities;

use std::fmt::Write as _;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, AssertSqlSafe, Transaction};

use crate::{Database, ServerError};

pub(crate) use components::{ComponentRow, ListedComponent};
pub(crate) use upload::{STAGE_BATCH, ScanRef, Staged, UploadMeta, UploadOutcome, UploadSummary};
pub(crate) use vulnerabilities::{
    CommentRow, Detail, EventRow, ListQuery, ListedVulnerability, ProjectRow, Sort,
};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a pool and which backend it is.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects, creating a SQLite file and its directory when missing, and applies the
    /// migrations of the backend.
    pub(crate) async fn open(database: &Database) -> Result<Store, ServerError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = match database {
            Database::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|source| ServerError::DataDir {
                        path: dir.to_owned(),
                        source,
                    })?;
                }
                (sqlite_url(path), Backend::Sqlite)
            }
            Database::Postgres(url) => (url.clone(), Backend::Postgres),
        };
        let connect_error = |source| ServerError::Connect {
            target: database.describe(),
            source,
        };
        let options = AnyConnectOptions::from_str(&url).map_err(connect_error)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time anyway; a few readers alongside it in WAL mode.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work during an upload; FULL makes every
                        // acknowledged upload survive a power cut, not only a crash.
                        sqlx::raw_sql(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;",
                        )
                        .execute(&mut *conn)
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    /// The pool, for reads.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. SQLite takes the write lock at once: a deferred
    /// transaction that reads first and writes later fails with `SQLITE_BUSY` instead of
    /// waiting when another writer got in between.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Closes every connection; SQLite checkpoints its WAL.
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_url(path: &Path) -> String {
    let mut url = String::from("sqlite://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            let _ = write!(url, "%{byte:02X}");
        }
    }
    url.push_str("?mode=rwc");
    url
}

/// A value bound to a statement built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    OptText(Option<String>),
}

/// A statement built at run time (filters, multi-row inserts) with its arguments, numbered
/// `$1`, `$2`... in the order they are pushed.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `arg`.
    pub(crate) fn bind(&mut self, arg: Arg) -> &mut Sql {
        self.args.push(arg);
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// The statement, ready to run. Only placeholders carry values, so the text is safe.
    pub(crate) fn query(&self) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments> {
        let mut query = sqlx::query(AssertSqlSafe(self.text.clone()));
        for arg in &self.args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
                Arg::OptText(v) => query.bind(v.clone()),
            };
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind(Arg::Int(1))
            .push(" AND b = ")
            .bind(Arg::Text("x".into()));
        assert_eq!(sql.text, "SELECT 1 WHERE a = $1 AND b = $2");
    }

    #[test]
    fn sqlite_paths_are_percent_encoded() {
        assert_eq!(
            sqlite_url(Path::new("/data/my moat/moat.db")),
            "sqlite:///data/my%20moat/moat.db?mode=rwc"
        );
    }
}
