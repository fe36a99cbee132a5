//! Commitments over JSON: list, record, edit, progress notes and the board.

use super::agreement_dto as dto;
use super::dto::{AuditEntry, ErrorBody};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_store::commitments::{CommitmentFilter, CommitmentNoteForm};

/// Commitments the reader may see, open ones by nearest deadline first;
/// `due=overdue|soon` keeps open ones past or near their deadline.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "commitments",
    params(("q" = Option<String>, Query), ("status" = Option<String>, Query), ("due" = Option<String>, Query),
        ("agency" = Option<uuid::Uuid>, Query), ("partner" = Option<uuid::Uuid>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::CommitmentPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CommitmentFilter>,
) -> WebResult<Json<dto::CommitmentPage>> {
    let p = state.store.commitment_list(&me.ctx, &f).await?;
    Ok(Json(dto::CommitmentPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Record a commitment from an activity, an agreement or a plan.
#[utoipa::path(post, path = "/api/v1/commitments", tag = "commitments", request_body = dto::CommitmentInput,
    responses((status = 201, body = dto::CommitmentDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::CommitmentInput>,
) -> WebResult<(StatusCode, Json<dto::CommitmentDetail>)> {
    let c = state.store.commitment_create(&me.ctx, &b.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.commitment_get(&me.ctx, c.id).await?.into()),
    ))
}

/// One commitment with its progress notes.
#[utoipa::path(get, path = "/api/v1/commitments/{id}", tag = "commitments", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::CommitmentDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::CommitmentDetail>> {
    Ok(Json(
        state
            .store
            .commitment_get(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Change a commitment's particulars; send the `version` read.
#[utoipa::path(put, path = "/api/v1/commitments/{id}", tag = "commitments", params(("id" = uuid::Uuid, Path)), request_body = dto::CommitmentInput,
    responses((status = 200, body = dto::CommitmentDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::CommitmentInput>,
) -> WebResult<Json<dto::CommitmentDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    state
        .store
        .commitment_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(state.store.commitment_get(&me.ctx, id).await?.into()))
}

/// Add a progress note, optionally moving the status.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/notes", tag = "commitments", params(("id" = uuid::Uuid, Path)), request_body = dto::NoteInput,
    responses((status = 200, body = dto::CommitmentDetail), (status = 422, body = ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::NoteInput>,
) -> WebResult<Json<dto::CommitmentDetail>> {
    let id = ids.uuid(0)?;
    let f = CommitmentNoteForm {
        note: b.note,
        status: b.status,
    };
    state.store.commitment_note_add(&me.ctx, id, &f).await?;
    Ok(Json(state.store.commitment_get(&me.ctx, id).await?.into()))
}

/// Every audited change of the commitment, newest first.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/history", tag = "commitments", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<AuditEntry>>> {
    let rows = state
        .store
        .record_history(&me.ctx, kieng_store::commitments::ENTITY, ids.uuid(0)?)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The coordinator's board: overdue and due-soon commitments across the agencies
/// in scope, by owner and by partner, and agreements expiring soon.
#[utoipa::path(get, path = "/api/v1/commitments/board", tag = "commitments",
    responses((status = 200, body = dto::CommitmentBoard)))]
pub async fn board(State(state): State<AppState>, me: Me) -> WebResult<Json<dto::CommitmentBoard>> {
    Ok(Json(state.store.commitment_board(&me.ctx).await?.into()))
}
