//! The audit trail and the trash over JSON.

use super::dto;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::QueryArgs;
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use kieng_store::audit::AuditFilter;

/// Audit entries within the administrator's scope and clearance, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit",
    params(("entity_type" = Option<String>, Query), ("entity_id" = Option<String>, Query), ("action" = Option<String>, Query), ("actor" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::AuditPage), (status = 403, body = dto::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AuditFilter>,
) -> WebResult<Json<dto::AuditPage>> {
    let p = state.store.audit_list(&me.ctx, &f).await?;
    Ok(Json(dto::AuditPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Deleted records the administrator may restore.
#[utoipa::path(get, path = "/api/v1/trash", tag = "audit", responses((status = 200, body = dto::Trash)))]
pub async fn trash(State(state): State<AppState>, me: Me) -> WebResult<Json<dto::Trash>> {
    Ok(Json(dto::Trash {
        agencies: state
            .store
            .agency_trash(&me.ctx)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}
