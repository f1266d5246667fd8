//! `moat serve`: flags and environment to a [`ServerConfig`], then serve until Ctrl-C or
//! SIGTERM.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use moat_server::{AdminSetup, Database, Server, ServerConfig};

use crate::args::ServeArgs;
use crate::status::ExitStatus;

/// `$XDG_DATA_HOME/moat`, else `~/.local/share/moat`.
fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("moat"));
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".local/share/moat")),
        None => {
            bail!("cannot tell where to keep the database: set --data-dir, XDG_DATA_HOME or HOME")
        }
    }
}

pub(crate) fn run(args: &ServeArgs) -> Result<ExitStatus> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MOAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,moat_server=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();

    let (database, data_dir) = match (&args.database_url, &args.data_dir) {
        (Some(url), _) => (Database::from_url(url)?, None),
        (None, Some(dir)) => (Database::Sqlite(dir.join("moat.db")), Some(dir.clone())),
        (None, None) => {
            let dir = default_data_dir()?;
            (Database::Sqlite(dir.join("moat.db")), Some(dir))
        }
    };
    let described = database.describe();
    let mut config = ServerConfig::new(database);
    config.public_url.clone_from(&args.public_url);
    config.max_upload_bytes = args.max_upload_size;
    // Spool uploads beside the database: the system's temporary directory may be a small
    // tmpfs.
    config.spool_dir = data_dir;
    let admin_password = std::env::var("MOAT_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = Server::open(config).await?;
        match server
            .ensure_admin(admin_password.as_deref(), args.init_admin)
            .await?
        {
            AdminSetup::Created {
                generated: Some(password),
            } => eprintln!(
                "created the user `admin` with the password {password}\n  it is shown only this once; log in with it at /api/v1/login"
            ),
            AdminSetup::Created { generated: None } => {
                eprintln!("created the user `admin` with the password from MOAT_ADMIN_PASSWORD");
            }
            AdminSetup::Exists if args.init_admin => {
                eprintln!("warning: the user `admin` exists already; --init-admin changed nothing");
            }
            AdminSetup::NoUsers => eprintln!(
                "warning: no user can log in yet\n  hint: restart with --init-admin, or with MOAT_ADMIN_PASSWORD set"
            ),
            AdminSetup::Exists | AdminSetup::Unchanged => {}
        }
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        eprintln!("moat serve: listening on http://{addr} ({described})");
        server.serve(listener, shutdown()).await?;
        Ok(ExitStatus::Clean)
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
