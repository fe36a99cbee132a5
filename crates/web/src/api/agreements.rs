//! Agreements over JSON: list, record, edit, the status history and the
//! provincial steps.

use super::agreement_dto as dto;
use super::dto::{AuditEntry, ErrorBody};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_store::agreements::{AgreementFilter, StatusForm, StepForm};

/// Agreements the reader may see (owner or a Vietnamese party in scope, within
/// clearance), newest signing first; `expiring=true` keeps the live ones
/// expiring within the watch window (or past their date), nearest expiry first.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements",
    params(("q" = Option<String>, Query), ("kind" = Option<String>, Query), ("status" = Option<String>, Query),
        ("partner" = Option<uuid::Uuid>, Query), ("expiring" = Option<bool>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::AgreementPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AgreementFilter>,
) -> WebResult<Json<dto::AgreementPage>> {
    let p = state.store.agreement_list(&me.ctx, &f).await?;
    Ok(Json(dto::AgreementPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Record an agreement; its status history starts from `signed_on` / `in_force_on`.
#[utoipa::path(post, path = "/api/v1/agreements", tag = "agreements", request_body = dto::AgreementInput,
    responses((status = 201, body = dto::AgreementDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::AgreementInput>,
) -> WebResult<(StatusCode, Json<dto::AgreementDetail>)> {
    let a = state.store.agreement_create(&me.ctx, &b.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.agreement_get(&me.ctx, a.id).await?.into()),
    ))
}

/// One agreement with its parties, status history and provincial steps.
#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "agreements", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::AgreementDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::AgreementDetail>> {
    Ok(Json(
        state
            .store
            .agreement_get(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Change an agreement's particulars (not its history); send the `version` read.
#[utoipa::path(put, path = "/api/v1/agreements/{id}", tag = "agreements", params(("id" = uuid::Uuid, Path)), request_body = dto::AgreementInput,
    responses((status = 200, body = dto::AgreementDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::AgreementInput>,
) -> WebResult<Json<dto::AgreementDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    state
        .store
        .agreement_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(state.store.agreement_get(&me.ctx, id).await?.into()))
}

/// Add a dated status: it must follow from the last one (nothing in force before
/// signed), on or after its date and not in the future.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/statuses", tag = "agreements", params(("id" = uuid::Uuid, Path)), request_body = dto::StatusInput,
    responses((status = 200, body = dto::AgreementDetail), (status = 422, body = ErrorBody)))]
pub async fn add_status(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::StatusInput>,
) -> WebResult<Json<dto::AgreementDetail>> {
    let id = ids.uuid(0)?;
    let f = StatusForm {
        status: b.status,
        on_date: b.on_date,
        note: b.note,
        expires_on: b.expires_on,
    };
    state.store.agreement_status_add(&me.ctx, id, &f).await?;
    Ok(Json(state.store.agreement_get(&me.ctx, id).await?.into()))
}

/// Record a step of a provincial agreement (opinion, decision to sign, report).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/steps", tag = "agreements", params(("id" = uuid::Uuid, Path)), request_body = dto::StepInput,
    responses((status = 200, body = dto::AgreementDetail), (status = 422, body = ErrorBody)))]
pub async fn add_step(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::StepInput>,
) -> WebResult<Json<dto::AgreementDetail>> {
    let id = ids.uuid(0)?;
    let f = StepForm {
        kind: b.kind,
        body: b.body,
        requested_on: b.requested_on,
        done_on: b.done_on,
        reference: b.reference,
    };
    state.store.agreement_step_add(&me.ctx, id, &f).await?;
    Ok(Json(state.store.agreement_get(&me.ctx, id).await?.into()))
}

/// Every audited change of the agreement, newest first.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/history", tag = "agreements", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<AuditEntry>>> {
    let rows = state
        .store
        .record_history(&me.ctx, kieng_store::agreements::ENTITY, ids.uuid(0)?)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
