use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::{self, AppState};
use crate::auth::{self, MIN_PASSWORD_LEN, Role};
use crate::clock::now_ms;
use crate::store::Store;
use crate::{ServerConfig, ServerError};

/// A server with its database open and migrated, ready to serve.
#[derive(Debug, Clone)]
pub struct Server {
    state: AppState,
}

/// What [`Server::ensure_admin`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminSetup {
    /// The user `admin` was created; `generated` holds its password when the server
    /// chose it (show it once: it is stored only as a hash).
    Created {
        /// The generated password, if one was generated.
        generated: Option<String>,
    },
    /// `admin` exists already; nothing was changed.
    Exists,
    /// The database has users and no admin was asked for.
    Unchanged,
    /// The database has no user at all: nobody can log in until an admin is created.
    NoUsers,
}

impl Server {
    /// Opens (creating when needed) and migrates the database.
    pub async fn open(config: ServerConfig) -> Result<Server, ServerError> {
        let store = Store::open(&config.database).await?;
        Ok(Server {
            state: AppState {
                store,
                config: Arc::new(config),
                logins: Arc::default(),
            },
        })
    }

    /// Creates the first admin. With `init` (`moat serve --init-admin`), the user `admin`
    /// is created unless it exists, with `password` or a generated one. Without it, a
    /// `password` (`MOAT_ADMIN_PASSWORD`) creates `admin` only in a database with no user.
    pub async fn ensure_admin(
        &self,
        password: Option<&str>,
        init: bool,
    ) -> Result<AdminSetup, ServerError> {
        let store = &self.state.store;
        let users = store.user_count().await?;
        if !init && (password.is_none() || users > 0) {
            return Ok(if users == 0 {
                AdminSetup::NoUsers
            } else {
                AdminSetup::Unchanged
            });
        }
        if init && store.user_exists("admin").await? {
            return Ok(AdminSetup::Exists);
        }
        let (password, generated) = match password {
            Some(p) if p.chars().count() < MIN_PASSWORD_LEN => {
                return Err(ServerError::WeakPassword);
            }
            Some(p) => (p.to_owned(), None),
            None => {
                let token = auth::random_token("").map_err(|_| {
                    ServerError::Password("the system gave no randomness".to_owned())
                })?;
                let p = token[..24].to_owned();
                (p.clone(), Some(p))
            }
        };
        let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
            .await
            .map_err(|e| ServerError::Password(e.to_string()))?
            .map_err(ServerError::Password)?;
        if store
            .create_user("admin", &hash, Role::Admin, now_ms())
            .await?
        {
            Ok(AdminSetup::Created { generated })
        } else {
            Ok(AdminSetup::Exists)
        }
    }

    /// The application, for serving it behind other layers or testing it without a socket.
    pub fn router(&self) -> axum::Router {
        api::app(self.state.clone())
    }

    /// The OpenAPI 3 document of the API, as served at `/api/openapi.json`.
    pub fn openapi_json() -> String {
        api::openapi().to_pretty_json().unwrap_or_default()
    }

    /// Serves on `listener` until `shutdown` completes, then finishes the requests in
    /// flight and closes the database.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        // Computed now rather than on the first failed login, which would then be slower
        // than the next ones.
        let _ = tokio::task::spawn_blocking(api::dummy_hash).await;
        let result = axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServerError::Listen);
        self.state.store.close().await;
        result
    }
}
