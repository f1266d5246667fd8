//! The Vulnerability Explorer server behind `moat serve`: it keeps every finding of every
//! repository and service over time, and lets people triage them through a JSON API.
//!
//! Storage is one implementation over sqlx's `Any` driver that runs on SQLite (a file in
//! the data directory, nothing to set up) and on PostgreSQL (several replicas sharing one
//! database), with the same SQL. Uploads (`moat scan --format json` reports, SARIF 2.1.0
//! from any tool, CycloneDX SBOMs, and the runtime agents' protocol) are streamed through
//! a spool file and applied in one transaction, which also runs the lifecycle: new
//! vulnerabilities are created, those a full scan of a branch no longer reports are fixed,
//! fixed ones that come back are reopened, and every change goes into their history.
//!
//! ```no_run
//! # async fn run() -> Result<(), moat_server::ServerError> {
//! use moat_server::{Database, Server, ServerConfig};
//! let config = ServerConfig::new(Database::Sqlite("moat.db".into()));
//! let server = Server::open(config).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7700").await.map_err(moat_server::ServerError::Listen)?;
//! server.serve(listener, std::future::pending()).await
//! # }
//! ```

mod api;
mod auth;
mod clock;
mod config;
mod error;
mod ingest;
mod server;
mod store;
mod ui;

pub use config::{Database, ServerConfig};
pub use error::ServerError;
pub use server::{AdminSetup, Server};
