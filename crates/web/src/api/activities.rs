//! Activities over JSON: list, record, edit, move through the workflow, and the
//! coordination warnings.

use super::activity_dto as dto;
use super::dto::{AuditEntry, ErrorBody};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::{FieldErrors, Msg};
use kieng_store::StoreError;
use kieng_store::activities::{ActivityFilter, TransitionForm};

/// Activities the reader may see (lead or participating agency in scope, within
/// clearance), newest start first; filter by text, pillar, agency, partner, type, status, start date.
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities",
    params(("q" = Option<String>, Query), ("pillar" = Option<String>, Query), ("agency" = Option<uuid::Uuid>, Query),
        ("partner" = Option<uuid::Uuid>, Query), ("type_code" = Option<String>, Query), ("status" = Option<String>, Query),
        ("from" = Option<chrono::NaiveDate>, Query), ("year" = Option<i32>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::ActivityPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<ActivityFilter>,
) -> WebResult<Json<dto::ActivityPage>> {
    let p = state.store.activity_list(&me.ctx, &f).await?;
    Ok(Json(dto::ActivityPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Record an activity (as a draft). The answer carries its coordination warnings.
#[utoipa::path(post, path = "/api/v1/activities", tag = "activities", request_body = dto::ActivityInput,
    responses((status = 201, body = dto::ActivityDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::ActivityInput>,
) -> WebResult<(StatusCode, Json<dto::ActivityDetail>)> {
    let a = state.store.activity_create(&me.ctx, &b.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.activity_view(&me.ctx, a).await?.into()),
    ))
}

/// One activity with its agencies, partners, people, workflow history and warnings.
#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::ActivityDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::ActivityDetail>> {
    Ok(Json(
        state
            .store
            .activity_get(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Change an activity; send the `version` read (a stale one answers 409 with the current record).
#[utoipa::path(put, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = uuid::Uuid, Path)), request_body = dto::ActivityInput,
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::ActivityInput>,
) -> WebResult<Json<dto::ActivityDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    let a = state
        .store
        .activity_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(state.store.activity_view(&me.ctx, a).await?.into()))
}

/// Move the activity in its workflow. Approve and return: a leader whose scope
/// covers the lead agency. Return and cancel need a `note` (the reason); report carries the outcome.
#[utoipa::path(post, path = "/api/v1/activities/{id}/transitions", tag = "activities", params(("id" = uuid::Uuid, Path)), request_body = dto::TransitionInput,
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::TransitionInput>,
) -> WebResult<Json<dto::ActivityDetail>> {
    let id = ids.uuid(0)?;
    let f = TransitionForm {
        transition: b.transition,
        note: b.note,
        version: b.version,
    };
    let a = state.store.activity_transition(&me.ctx, id, &f).await?;
    Ok(Json(state.store.activity_view(&me.ctx, a).await?.into()))
}

/// Acknowledge one coordination warning with a note (coordinators and leaders).
#[utoipa::path(post, path = "/api/v1/activities/{id}/acknowledgements", tag = "activities", params(("id" = uuid::Uuid, Path)), request_body = dto::AckInput,
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::AckInput>,
) -> WebResult<Json<dto::ActivityDetail>> {
    let id = ids.uuid(0)?;
    state
        .store
        .activity_ack_warning(&me.ctx, id, &b.key, &b.note)
        .await?;
    Ok(Json(state.store.activity_get(&me.ctx, id).await?.into()))
}

/// Record a body consulted on a hosted conference (Decision 06/2020/QĐ-TTg, Art. 5).
#[utoipa::path(post, path = "/api/v1/activities/{id}/consultations", tag = "activities", params(("id" = uuid::Uuid, Path)), request_body = dto::ConsultationInput,
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consultation_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::ConsultationInput>,
) -> WebResult<Json<dto::ActivityDetail>> {
    let id = ids.uuid(0)?;
    state
        .store
        .activity_consultation_add(&me.ctx, id, &b.into())
        .await?;
    Ok(Json(state.store.activity_get(&me.ctx, id).await?.into()))
}

/// Correct a consultation or record its answer (the whole consultation is sent).
#[utoipa::path(put, path = "/api/v1/activities/{id}/consultations/{c}", tag = "activities", params(("id" = uuid::Uuid, Path), ("c" = uuid::Uuid, Path)), request_body = dto::ConsultationInput,
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consultation_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::ConsultationInput>,
) -> WebResult<Json<dto::ActivityDetail>> {
    let (id, c) = (ids.uuid(0)?, ids.uuid(1)?);
    state
        .store
        .activity_consultation_update(&me.ctx, id, c, &b.into())
        .await?;
    Ok(Json(state.store.activity_get(&me.ctx, id).await?.into()))
}

/// Remove a consultation recorded by mistake (the audit log keeps it).
#[utoipa::path(delete, path = "/api/v1/activities/{id}/consultations/{c}", tag = "activities", params(("id" = uuid::Uuid, Path), ("c" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn consultation_remove(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::ActivityDetail>> {
    let (id, c) = (ids.uuid(0)?, ids.uuid(1)?);
    state
        .store
        .activity_consultation_remove(&me.ctx, id, c)
        .await?;
    Ok(Json(state.store.activity_get(&me.ctx, id).await?.into()))
}

/// Every audited change of the activity, newest first.
#[utoipa::path(get, path = "/api/v1/activities/{id}/history", tag = "activities", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<AuditEntry>>> {
    let rows = state
        .store
        .record_history(&me.ctx, kieng_store::activities::ENTITY, ids.uuid(0)?)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The activity types (built-in first).
#[utoipa::path(get, path = "/api/v1/activity-types", tag = "activities", responses((status = 200, body = Vec<dto::ActivityType>)))]
pub async fn types(
    State(state): State<AppState>,
    _me: Me,
) -> WebResult<Json<Vec<dto::ActivityType>>> {
    Ok(Json(
        state
            .store
            .activity_types()
            .await?
            .into_iter()
            .map(|t| dto::ActivityType {
                code: t.code,
                name_vi: t.name_vi,
                name_en: t.name_en,
                builtin: t.builtin,
            })
            .collect(),
    ))
}

/// The coordination board: one entry per clashing pair and per overdue report, of the open and recent activities in the reader's scope.
#[utoipa::path(get, path = "/api/v1/coordination", tag = "activities", responses((status = 200, body = Vec<dto::BoardEntry>)))]
pub async fn board(State(state): State<AppState>, me: Me) -> WebResult<Json<Vec<dto::BoardEntry>>> {
    Ok(Json(
        state
            .store
            .coordination_board(&me.ctx, 500)
            .await?
            .into_iter()
            .map(|e| dto::BoardEntry {
                activity: e.activity.into(),
                warning: e.warning.into(),
            })
            .collect(),
    ))
}

#[derive(serde::Deserialize)]
pub struct CalendarQuery {
    /// First day (yyyy-mm-dd), Vietnam's time.
    from: chrono::NaiveDate,
    /// Last day, included.
    to: chrono::NaiveDate,
    #[serde(flatten)]
    filter: kieng_store::activities::CalendarFilter,
}

/// Activities overlapping the days `from`..=`to` (at most 2,000, earliest first), cancelled ones left out.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "activities",
    params(("from" = chrono::NaiveDate, Query), ("to" = chrono::NaiveDate, Query), ("pillar" = Option<String>, Query),
        ("agency" = Option<uuid::Uuid>, Query), ("partner" = Option<uuid::Uuid>, Query), ("type_code" = Option<String>, Query)),
    responses((status = 200, body = Vec<dto::ActivityListRow>), (status = 400, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<CalendarQuery>,
) -> WebResult<Json<Vec<dto::ActivityListRow>>> {
    use kieng_store::activities::vn_midnight;
    if q.to < q.from || (q.to - q.from).num_days() > 400 {
        return Err(StoreError::from(FieldErrors::single(
            "to",
            Msg::new(
                "Khoảng thời gian phải từ 1 đến 400 ngày.",
                "The span must be 1 to 400 days.",
            ),
        ))
        .into());
    }
    let rows = state
        .store
        .calendar_range(
            &me.ctx,
            &q.filter,
            vn_midnight(q.from),
            vn_midnight(q.to + chrono::Duration::days(1)),
            false,
        )
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The caller's calendar as iCalendar (RFC 5545), 90 days back to 400 ahead,
/// read with the caller's own scope and clearance (a bearer token in a calendar
/// client). For a link without a token, create a revocable feed on /calendar.
#[utoipa::path(get, path = "/api/v1/calendar.ics", tag = "activities",
    params(("pillar" = Option<String>, Query), ("agency" = Option<uuid::Uuid>, Query),
        ("partner" = Option<uuid::Uuid>, Query), ("type_code" = Option<String>, Query)),
    responses((status = 200, content_type = "text/calendar", body = String)))]
pub async fn calendar_ics(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<kieng_store::activities::CalendarFilter>,
) -> WebResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let text = state.store.calendar_ics(&me.ctx, &f, "Kiềng").await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "private, max-age=60"),
        ],
        text,
    )
        .into_response())
}

/// The coordination warnings of the open and recent activities in the reader's
/// scope (the same as `/api/v1/coordination`, under the name clients look for).
#[utoipa::path(get, path = "/api/v1/coordination/warnings", tag = "activities", responses((status = 200, body = Vec<dto::BoardEntry>)))]
pub async fn warnings(state: State<AppState>, me: Me) -> WebResult<Json<Vec<dto::BoardEntry>>> {
    board(state, me).await
}

/// Move an activity to the trash: a draft, a returned proposal or a cancelled
/// activity, by a writer whose scope covers the lead agency (others are
/// cancelled instead, with a reason). Its partner links leave the partner's lists.
#[utoipa::path(delete, path = "/api/v1/activities/{id}", tag = "activities",
    params(("id" = uuid::Uuid, Path), ("version" = i32, Query)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(v): QueryArgs<super::agencies::VersionQuery>,
) -> WebResult<StatusCode> {
    let version = v.version.ok_or_else(super::version_required)?;
    state
        .store
        .activity_delete(&me.ctx, ids.uuid(0)?, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take an activity out of the trash, with its partner links.
#[utoipa::path(post, path = "/api/v1/activities/{id}/restore", tag = "activities",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = dto::ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::ActivityDetail>> {
    let id = ids.uuid(0)?;
    state.store.activity_restore(&me.ctx, id).await?;
    Ok(Json(state.store.activity_get(&me.ctx, id).await?.into()))
}
