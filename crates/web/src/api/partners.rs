//! Partners and their framework history over JSON.

use super::dto;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_store::partners::PartnerFilter;

/// Partners within the reader's clearance: filter by name (diacritics ignored), kind, current framework level.
#[utoipa::path(get, path = "/api/v1/partners", tag = "partners",
    params(("q" = Option<String>, Query), ("kind" = Option<String>, Query), ("level" = Option<String>, Query),
        ("region" = Option<String>, Query, description = "UN M.49 continent or sub-region code: 142 Asia, 035 South-Eastern Asia…"),
        ("sort" = Option<String>, Query, description = "name (default) | level (closest framework first) | since (latest upgrade first) | kind"), ("page" = Option<u64>, Query)),
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

/// The partner's engagements the reader may see: activities per year (in
/// Vietnam) and pillar, oldest year first — the dossier's chart.
#[utoipa::path(get, path = "/api/v1/partners/{id}/engagements", tag = "partners", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<dto::Engagements>), (status = 404, body = dto::ErrorBody)))]
pub async fn engagements(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<dto::Engagements>>> {
    let id = ids.uuid(0)?;
    // The partner itself within clearance first: no tallies of an unseen partner.
    state.store.partner_get_quiet(&me.ctx, id).await?;
    let t = state.store.partner_engagements_by_year(&me.ctx, id).await?;
    Ok(Json(
        t.into_iter()
            .map(|(year, pillar, activities)| dto::Engagements {
                year,
                pillar,
                activities,
            })
            .collect(),
    ))
}

/// Change a partner's names, aliases, flags, notes or classification. Send the
/// `version` read: a stale one answers 409 `conflict` with the record as it is now.
#[utoipa::path(put, path = "/api/v1/partners/{id}", tag = "partners", params(("id" = uuid::Uuid, Path)), request_body = dto::PartnerInput,
    responses((status = 200, body = dto::Partner), (status = 403, body = dto::ErrorBody), (status = 409, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::PartnerInput>,
) -> WebResult<Json<dto::Partner>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    let p = state
        .store
        .partner_update(
            &me.ctx,
            id,
            version,
            &b.form(),
            b.allow_duplicate.unwrap_or(false),
        )
        .await?;
    Ok(Json(p.into()))
}

/// Every audited change of the partner, newest first.
#[utoipa::path(get, path = "/api/v1/partners/{id}/history", tag = "partners", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<dto::AuditEntry>), (status = 404, body = dto::ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<dto::AuditEntry>>> {
    let rows = state
        .store
        .record_history(&me.ctx, kieng_store::partners::ENTITY, ids.uuid(0)?)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Accredit a Vietnamese mission abroad (agency of level `mission`) to the partner.
#[utoipa::path(put, path = "/api/v1/partners/{id}/missions/{agency}", tag = "partners",
    params(("id" = uuid::Uuid, Path), ("agency" = uuid::Uuid, Path)), request_body = dto::MissionInput,
    responses((status = 200, body = dto::PartnerDossier), (status = 403, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn set_mission(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::MissionInput>,
) -> WebResult<Json<dto::PartnerDossier>> {
    let id = ids.uuid(0)?;
    state
        .store
        .partner_mission_set(&me.ctx, id, ids.uuid(1)?, b.resident)
        .await?;
    Ok(Json(state.store.partner_get(&me.ctx, id).await?.into()))
}

/// Remove a mission's accreditation.
#[utoipa::path(delete, path = "/api/v1/partners/{id}/missions/{agency}", tag = "partners",
    params(("id" = uuid::Uuid, Path), ("agency" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = dto::ErrorBody)))]
pub async fn remove_mission(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<StatusCode> {
    state
        .store
        .partner_mission_remove(&me.ctx, ids.uuid(0)?, ids.uuid(1)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
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
    let form = b.form();
    state
        .store
        .partner_framework_add(&me.ctx, id, &form)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.partner_get(&me.ctx, id).await?.into()),
    ))
}

/// Correct a step of the framework history: the corrected step replaces it
/// (the old one kept as removed, both in the audit trail).
#[utoipa::path(put, path = "/api/v1/partners/{id}/frameworks/{step}", tag = "partners",
    params(("id" = uuid::Uuid, Path), ("step" = uuid::Uuid, Path)), request_body = dto::FrameworkInput,
    responses((status = 200, body = dto::PartnerDossier), (status = 403, body = dto::ErrorBody), (status = 404, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn correct_framework(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::FrameworkInput>,
) -> WebResult<Json<dto::PartnerDossier>> {
    let (id, step) = (ids.uuid(0)?, ids.uuid(1)?);
    let form = b.form();
    state
        .store
        .partner_framework_correct(&me.ctx, id, step, &form)
        .await?;
    Ok(Json(state.store.partner_get(&me.ctx, id).await?.into()))
}

/// Remove a step of the framework history recorded in error.
#[utoipa::path(delete, path = "/api/v1/partners/{id}/frameworks/{step}", tag = "partners",
    params(("id" = uuid::Uuid, Path), ("step" = uuid::Uuid, Path)),
    responses((status = 204), (status = 403, body = dto::ErrorBody), (status = 404, body = dto::ErrorBody)))]
pub async fn remove_framework(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<StatusCode> {
    state
        .store
        .partner_framework_remove(&me.ctx, ids.uuid(0)?, ids.uuid(1)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
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
            .map(Into::into)
            .collect(),
    ))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct MergeInput {
    /// The partner that stays.
    pub into: uuid::Uuid,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MergeResult {
    pub names: u64,
    pub frameworks: u64,
    pub missions: u64,
    pub activities: u64,
    pub agreements: u64,
    pub commitments: u64,
    pub positions: u64,
}

/// Merge this partner (a duplicate) into `into`: names, framework steps, missions,
/// activities, agreements and commitments move to it; this record stays, marked merged, out of lists and searches.
#[utoipa::path(post, path = "/api/v1/partners/{id}/merge", tag = "partners", params(("id" = uuid::Uuid, Path)), request_body = MergeInput,
    responses((status = 200, body = MergeResult), (status = 403, body = dto::ErrorBody), (status = 404, body = dto::ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<MergeInput>,
) -> WebResult<Json<MergeResult>> {
    let r = state
        .store
        .partner_merge(&me.ctx, ids.uuid(0)?, b.into)
        .await?;
    Ok(Json(MergeResult {
        names: r.names,
        frameworks: r.frameworks,
        missions: r.missions,
        activities: r.activities,
        agreements: r.agreements,
        commitments: r.commitments,
        positions: r.positions,
    }))
}
