//! Liveness and readiness for load balancers and supervisors; the system
//! state for administrators.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Alive: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "meta", security(()), responses((status = 200, description = "alive")))]
pub async fn healthz() -> Response {
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({ "status": "ok" })),
    )
        .into_response()
}

/// Ready: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "meta", security(()), responses((status = 200, description = "ready"), (status = 503, description = "database unreachable")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ready" })),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "database unreachable" })),
        )
            .into_response()
    }
}

/// The last backup taken of the database.
#[derive(Serialize, ToSchema)]
pub struct LastBackup {
    pub at: chrono::DateTime<chrono::Utc>,
    pub path: String,
    pub bytes: i64,
    pub took_ms: i64,
    pub rows: i64,
}

/// The state of this deployment as this server sees it (administrators).
#[derive(Serialize, ToSchema)]
pub struct SystemInfo {
    pub version: String,
    /// sqlite | postgres
    pub database: String,
    pub database_ok: bool,
    /// The latest migration applied to the database.
    pub schema: i64,
    /// The latest this build knows.
    pub schema_latest: i64,
    /// This server's search index position and the change log's head.
    pub search_position: Option<i64>,
    pub search_head: Option<i64>,
    pub last_backup: Option<LastBackup>,
    pub backup_schedule: Option<crate::BackupSchedule>,
    pub disk_free_bytes: Option<u64>,
    pub disk_total_bytes: Option<u64>,
}

/// Version, schema, database, search lag, last backup, disk space.
#[utoipa::path(get, path = "/api/v1/system", tag = "meta",
    responses((status = 200, body = SystemInfo), (status = 403, body = super::dto::ErrorBody)))]
pub async fn system(
    State(state): State<AppState>,
    _me: crate::middleware::Me,
) -> crate::error::WebResult<axum::Json<SystemInfo>> {
    let s = crate::ui::system::system(&state).await?;
    Ok(axum::Json(SystemInfo {
        version: s.version.into(),
        database: match s.status.backend {
            kieng_store::Backend::Sqlite => "sqlite".into(),
            kieng_store::Backend::Postgres => "postgres".into(),
        },
        database_ok: s.status.database_ok,
        schema: s.status.schema,
        schema_latest: s.status.schema_latest,
        search_position: s.status.search.map(|x| x.0),
        search_head: s.status.search.map(|x| x.1),
        last_backup: s.status.last_backup.map(|b| LastBackup {
            at: b.at,
            path: b.path,
            bytes: b.bytes,
            took_ms: b.took_ms,
            rows: b.rows_copied,
        }),
        backup_schedule: s.backup_schedule,
        disk_free_bytes: s.disk_free_bytes,
        disk_total_bytes: s.disk_total_bytes,
    }))
}
