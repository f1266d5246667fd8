/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// `--database-url` is neither PostgreSQL nor SQLite.
    #[error("unsupported database URL `{0}`; use postgres://USER:PASSWORD@HOST/DB or sqlite:PATH")]
    DatabaseUrl(String),
    /// The SQLite file's directory could not be created.
    #[error("cannot create the data directory {path}")]
    DataDir {
        /// The directory.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The database could not be reached or opened.
    #[error("cannot open the database ({target}); check that it is running and the URL is right")]
    Connect {
        /// The database, without its password.
        target: String,
        /// Why.
        #[source]
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot apply the database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The listening socket failed.
    #[error("cannot listen for connections")]
    Listen(#[source] std::io::Error),
    /// A password could not be hashed.
    #[error("cannot hash the password: {0}")]
    Password(String),
    /// The admin password given is not acceptable.
    #[error("the admin password must be at least {min} characters long", min = crate::auth::MIN_PASSWORD_LEN)]
    WeakPassword,
}
