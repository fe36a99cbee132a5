//! Agencies over JSON.

use super::dto;
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::agency::LineageForm;
use kieng_store::agencies::AgencyFilter;

fn version_required() -> WebError {
    WebError::Store(kieng_store::StoreError::Invalid(
        kieng_domain::FieldErrors::single(
            "version",
            kieng_domain::Msg::new(
                "Gửi kèm số phiên bản đã đọc (version).",
                "Send the version you read (version).",
            ),
        ),
    ))
}

/// Agencies, filtered and paged (50 a page).
#[utoipa::path(get, path = "/api/v1/agencies", tag = "agencies",
    params(("q" = Option<String>, Query, description = "name or code, diacritics ignored"), ("pillar" = Option<String>, Query), ("level" = Option<String>, Query), ("status" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::AgencyPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AgencyFilter>,
) -> WebResult<Json<dto::AgencyPage>> {
    let p = state.store.agency_list(&me.ctx, &f).await?;
    Ok(Json(dto::AgencyPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Create an agency (administrators, under a parent in their scope).
#[utoipa::path(post, path = "/api/v1/agencies", tag = "agencies", request_body = dto::AgencyInput,
    responses((status = 201, body = dto::Agency), (status = 422, body = dto::ErrorBody), (status = 403, body = dto::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::AgencyInput>,
) -> WebResult<(StatusCode, Json<dto::Agency>)> {
    let a = state.store.agency_create(&me.ctx, &b.form()).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// One agency with its lineage, sub-units and predecessors.
#[utoipa::path(get, path = "/api/v1/agencies/{id}", tag = "agencies", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::AgencyDetail), (status = 404, body = dto::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::AgencyDetail>> {
    Ok(Json(
        state.store.agency_get(&me.ctx, ids.uuid(0)?).await?.into(),
    ))
}

/// Update an agency; `version` must be the one you read, else 409 with the current record.
#[utoipa::path(put, path = "/api/v1/agencies/{id}", tag = "agencies", params(("id" = uuid::Uuid, Path)), request_body = dto::AgencyInput,
    responses((status = 200, body = dto::Agency), (status = 409, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::AgencyInput>,
) -> WebResult<Json<dto::Agency>> {
    let version = b.version.ok_or_else(version_required)?;
    Ok(Json(
        state
            .store
            .agency_update(&me.ctx, ids.uuid(0)?, version, &b.form())
            .await?
            .into(),
    ))
}

/// Move an agency to the trash.
#[utoipa::path(delete, path = "/api/v1/agencies/{id}", tag = "agencies", params(("id" = uuid::Uuid, Path), ("version" = i32, Query)),
    responses((status = 204), (status = 409, body = dto::ErrorBody), (status = 403, body = dto::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(v): QueryArgs<VersionQuery>,
) -> WebResult<StatusCode> {
    let version = v.version.ok_or_else(version_required)?;
    state
        .store
        .agency_delete(&me.ctx, ids.uuid(0)?, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
pub struct VersionQuery {
    pub version: Option<i32>,
}

/// Take an agency out of the trash.
#[utoipa::path(post, path = "/api/v1/agencies/{id}/restore", tag = "agencies", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::Agency), (status = 404, body = dto::ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::Agency>> {
    Ok(Json(
        state
            .store
            .agency_restore(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Record a lineage event: renamed, merged into, split from, dissolved.
#[utoipa::path(post, path = "/api/v1/agencies/{id}/lineage", tag = "agencies", params(("id" = uuid::Uuid, Path)), request_body = dto::LineageInput,
    responses((status = 201, body = dto::AgencyDetail), (status = 422, body = dto::ErrorBody)))]
pub async fn lineage(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::LineageInput>,
) -> WebResult<(StatusCode, Json<dto::AgencyDetail>)> {
    let id = ids.uuid(0)?;
    let form = LineageForm {
        kind: b.kind,
        effective_date: b.effective_date,
        related_agency_id: b.related_agency_id.map(|u| u.to_string()),
        new_name_vi: b.new_name_vi,
        new_name_en: b.new_name_en,
        note: b.note,
    };
    state.store.agency_lineage_add(&me.ctx, id, &form).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.agency_get(&me.ctx, id).await?.into()),
    ))
}

/// Every audited change of the agency, newest first.
#[utoipa::path(get, path = "/api/v1/agencies/{id}/history", tag = "agencies", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<dto::AuditEntry>), (status = 404, body = dto::ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<dto::AuditEntry>>> {
    let rows = state
        .store
        .record_history(&me.ctx, kieng_store::agencies::ENTITY, ids.uuid(0)?)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Restore the fields of an earlier version (from the history entry `seq`).
#[utoipa::path(post, path = "/api/v1/agencies/{id}/history/{seq}/restore", tag = "agencies",
    params(("id" = uuid::Uuid, Path), ("seq" = i64, Path)), request_body = dto::VersionInput,
    responses((status = 200, body = dto::Agency), (status = 409, body = dto::ErrorBody)))]
pub async fn restore_version(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::VersionInput>,
) -> WebResult<Json<dto::Agency>> {
    Ok(Json(
        state
            .store
            .agency_restore_version(&me.ctx, ids.uuid(0)?, ids.int(1)?, b.version)
            .await?
            .into(),
    ))
}
