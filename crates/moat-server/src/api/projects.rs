//! Repositories and services, their components, and the health check.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, AppState, ErrorBody, QueryParams};
use crate::auth::{Permission, Principal};
use crate::store::{ListedComponent, ProjectRow};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(repositories))
        .routes(routes!(components))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Health {
    /// `ok` when the database answers.
    status: &'static str,
}

/// Liveness and database check, for load balancers (no authentication).
#[utoipa::path(get, path = "/api/v1/health", tag = "projects", security(()),
    responses((status = 200, body = Health), (status = 500, body = ErrorBody)))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    sqlx::query("SELECT 1 AS one")
        .execute(state.store.pool())
        .await?;
    Ok(Json(Health { status: "ok" }))
}

/// Every repository and service with its open and total vulnerabilities.
#[utoipa::path(get, path = "/api/v1/repositories", tag = "projects",
    responses((status = 200, body = Vec<ProjectRow>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn repositories(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<ProjectRow>>, ApiError> {
    principal.require(Permission::Read)?;
    Ok(Json(state.store.projects().await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ComponentParams {
    /// A repository or service name (default: all).
    repository: Option<String>,
    /// From 1 (default 1).
    page: Option<i64>,
    /// 1 to 1000 (default 100).
    per_page: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ComponentPage {
    items: Vec<ListedComponent>,
    total: i64,
}

/// Components from SBOMs and from the libraries runtime agents saw loaded.
#[utoipa::path(get, path = "/api/v1/components", tag = "projects", params(ComponentParams),
    responses((status = 200, body = ComponentPage), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn components(
    State(state): State<AppState>,
    principal: Principal,
    QueryParams(params): QueryParams<ComponentParams>,
) -> Result<Json<ComponentPage>, ApiError> {
    principal.require(Permission::Read)?;
    let (page, per_page) = super::page_window(params.page, params.per_page, 100, 1000)?;
    let (items, total) = state
        .store
        .components(
            params.repository.as_deref(),
            per_page,
            (page - 1) * per_page,
        )
        .await?;
    Ok(Json(ComponentPage { items, total }))
}
