//! Partners and their framework history over JSON.

use super::dto;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_store::partners::{FrameworkForm, PartnerFilter};

/// Partners within the reader's clearance: filter by name (diacritics ignored), kind, current framework level.
#[utoipa::path(get, path = "/api/v1/partners", tag = "partners",
    params(("q" = Option<String>, Query), ("kind" = Option<String>, Query), ("level" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::PartnerPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PartnerFilter>,
) -> WebResult<Json<dto::PartnerPage>> {
    let p = state.store.partner_list(&me.ctx, &f).await?;
    Ok(Json(dto::PartnerPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Create a partner. A name or alias matching an existing partner answers 409
/// `duplicate` with the candidates in `error.current`; send `allow_duplicate: true` to create it anyway.
#[utoipa::path(post, path = "/api/v1/partners", tag = "partners", request_body = dto::PartnerInput,
    responses((status = 201, body = dto::Partner), (status = 409, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::PartnerInput>,
) -> WebResult<(StatusCode, Json<dto::Partner>)> {
    let p = state
        .store
        .partner_create(&me.ctx, &b.form(), b.allow_duplicate.unwrap_or(false))
        .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// The partner's dossier: names, current framework and its history, accredited missions.
#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "partners", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::PartnerDossier), (status = 404, body = dto::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::PartnerDossier>> {
    Ok(Json(
        state.store.partner_get(&me.ctx, ids.uuid(0)?).await?.into(),
    ))
}

/// Record an establishment or upgrade of the relationship framework (with its source).
#[utoipa::path(post, path = "/api/v1/partners/{id}/frameworks", tag = "partners", params(("id" = uuid::Uuid, Path)), request_body = dto::FrameworkInput,
    responses((status = 201, body = dto::PartnerDossier), (status = 403, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn add_framework(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::FrameworkInput>,
) -> WebResult<(StatusCode, Json<dto::PartnerDossier>)> {
    let id = ids.uuid(0)?;
    let form = FrameworkForm {
        level_code: b.level_code,
        since: b.since,
        official_name: b.official_name,
        source: b.source,
        note: b.note,
    };
    state
        .store
        .partner_framework_add(&me.ctx, id, &form)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.partner_get(&me.ctx, id).await?.into()),
    ))
}

/// The catalogue of framework levels, closest first.
#[utoipa::path(get, path = "/api/v1/framework-levels", tag = "partners", responses((status = 200, body = Vec<dto::FrameworkLevel>)))]
pub async fn levels(
    State(state): State<AppState>,
    _me: Me,
) -> WebResult<Json<Vec<dto::FrameworkLevel>>> {
    Ok(Json(
        state
            .store
            .framework_levels()
            .await?
            .into_iter()
            .map(|l| dto::FrameworkLevel {
                code: l.code,
                name_vi: l.name_vi,
                name_en: l.name_en,
                rank: l.rank,
            })
            .collect(),
    ))
}
