//! Users, sessions and API keys. Session tokens and API keys are stored as SHA-256
//! digests: they are long random strings, so a fast hash is enough and lets a request be
//! authenticated with one indexed lookup.

use sqlx::Row;

use super::Store;
use crate::auth::{Role, Scope};

/// A user as listed.
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) username: String,
    pub(crate) role: Role,
    pub(crate) created_at: i64,
}

/// The user a session belongs to.
#[derive(Debug, Clone)]
pub(crate) struct SessionUser {
    pub(crate) username: String,
    pub(crate) role: Role,
    pub(crate) csrf_token: String,
}

/// An API key as listed (never the key itself).
#[derive(Debug, Clone)]
pub(crate) struct ApiKeyRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) scope: Scope,
    pub(crate) created_at: i64,
    pub(crate) revoked_at: Option<i64>,
}

fn role_of(text: &str) -> Role {
    text.parse().unwrap_or(Role::Viewer)
}

impl Store {
    pub(crate) async fn user_count(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(self.pool())
            .await?
            .try_get("n")
    }

    /// Creates a user; `Ok(false)` when the name is taken.
    pub(crate) async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query(
            "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub(crate) async fn users(&self) -> Result<Vec<UserRow>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT id, username, role, created_at FROM users ORDER BY username")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|row| {
                Ok(UserRow {
                    id: row.try_get("id")?,
                    username: row.try_get("username")?,
                    role: role_of(&row.try_get::<String, _>("role")?),
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub(crate) async fn user_exists(&self, username: &str) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("SELECT 1 AS one FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(self.pool())
                .await?
                .is_some(),
        )
    }

    /// The id and password hash of a user, for logging in.
    pub(crate) async fn password_hash(
        &self,
        username: &str,
    ) -> Result<Option<(i64, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| Ok((row.try_get("id")?, row.try_get("password_hash")?)))
            .transpose()
    }

    pub(crate) async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        // Logging in is rare: a good moment to forget expired sessions.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub(crate) async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionUser>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT u.username, u.role, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(SessionUser {
                username: row.try_get("username")?,
                role: role_of(&row.try_get::<String, _>("role")?),
                csrf_token: row.try_get("csrf_token")?,
            })
        })
        .transpose()
    }

    pub(crate) async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub(crate) async fn create_api_key(
        &self,
        name: &str,
        key_hash: &str,
        prefix: &str,
        scope: Scope,
        created_by: Option<&str>,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "INSERT INTO api_keys (name, key_hash, prefix, scope, created_by, created_at) \
             VALUES ($1, $2, $3, $4, (SELECT id FROM users WHERE username = $5), $6) RETURNING id",
        )
        .bind(name)
        .bind(key_hash)
        .bind(prefix)
        .bind(scope.as_str())
        .bind(created_by.map(str::to_owned))
        .bind(now)
        .fetch_one(self.pool())
        .await?
        .try_get("id")
    }

    /// The name and scope of a key that is not revoked.
    pub(crate) async fn api_key(
        &self,
        key_hash: &str,
    ) -> Result<Option<(String, Scope)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT name, scope FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let scope: String = row.try_get("scope")?;
            Ok((row.try_get("name")?, scope.parse().unwrap_or(Scope::Read)))
        })
        .transpose()
    }

    pub(crate) async fn api_keys(&self) -> Result<Vec<ApiKeyRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, scope, created_at, revoked_at FROM api_keys ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let scope: String = row.try_get("scope")?;
                Ok(ApiKeyRow {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    prefix: row.try_get("prefix")?,
                    scope: scope.parse().unwrap_or(Scope::Read),
                    created_at: row.try_get("created_at")?,
                    revoked_at: row.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes a key; `Ok(false)` when there is no such key.
    pub(crate) async fn revoke_api_key(&self, id: i64, now: i64) -> Result<bool, sqlx::Error> {
        let result =
            sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(self.pool())
                .await?;
        Ok(result.rows_affected() == 1)
    }
}
