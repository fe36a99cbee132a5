//! People (partners of kind `person`) over JSON: the list with positions held
//! now, one person with every position, and recording or removing a position.
//! A person is created and edited like any partner (`/api/v1/partners`, kind `person`).

use super::dto;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::person::PositionForm;
use kieng_store::partners::{PartnerFilter, PersonRow, PositionView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct Position {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub title: String,
    pub organisation_id: Option<Uuid>,
    /// None when none was recorded or it is above the reader's clearance.
    pub organisation_name: Option<String>,
    /// As known: "2016", "05/2008" or "07/10/2024"; empty when unknown.
    pub from: String,
    pub to: String,
    /// Held today.
    pub current: bool,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl From<PositionView> for Position {
    fn from(v: PositionView) -> Self {
        let p = v.position;
        Self {
            id: p.id,
            person_id: p.person_id,
            person_name: v.person_name,
            title: p.title,
            organisation_id: p.organisation_id,
            organisation_name: v.organisation_name,
            from: v.from,
            to: v.to,
            current: v.current,
            source: p.source,
            note: p.note,
        }
    }
}

/// A person in the people list, with the positions they hold today (named
/// apart from an activity's `Person`, a member of a delegation).
#[derive(Serialize, ToSchema)]
#[schema(as = PersonEntry)]
pub struct Person {
    pub partner: dto::Partner,
    /// Positions held today.
    pub current: Vec<Position>,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        Self {
            partner: r.person.into(),
            current: r.current.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<Person>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct PositionInput {
    pub title: String,
    /// Where the position is held: a partner's id, name, alias or code.
    pub organisation: Option<String>,
    /// "2016", "05/2008", "2008-05", "07/10/2024" or "2024-10-07".
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// People within the reader's clearance (names and aliases, diacritics ignored), with the positions they hold now.
#[utoipa::path(get, path = "/api/v1/people", tag = "partners",
    params(("q" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = PeoplePage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PartnerFilter>,
) -> WebResult<Json<PeoplePage>> {
    let p = state.store.people_list(&me.ctx, &f).await?;
    Ok(Json(PeoplePage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// One person's positions over time, held now first.
#[utoipa::path(get, path = "/api/v1/people/{id}/positions", tag = "partners", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Position>), (status = 404, body = dto::ErrorBody)))]
pub async fn positions(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<Position>>> {
    let id = ids.uuid(0)?;
    state.store.partner_get_quiet(&me.ctx, id).await?;
    let v = state.store.person_positions(&me.ctx, id).await?;
    Ok(Json(v.into_iter().map(Into::into).collect()))
}

/// Record a position the person holds or held.
#[utoipa::path(post, path = "/api/v1/people/{id}/positions", tag = "partners", params(("id" = Uuid, Path)),
    request_body = PositionInput,
    responses((status = 201, body = Vec<Position>), (status = 403, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn add_position(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<PositionInput>,
) -> WebResult<(StatusCode, Json<Vec<Position>>)> {
    let id = ids.uuid(0)?;
    let form = PositionForm {
        title: b.title,
        organisation: b.organisation,
        from: b.from,
        to: b.to,
        source: b.source,
        note: b.note,
    };
    state.store.person_position_add(&me.ctx, id, &form).await?;
    let v = state.store.person_positions(&me.ctx, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(v.into_iter().map(Into::into).collect()),
    ))
}

/// Remove a position recorded in error (kept in the audit log).
#[utoipa::path(delete, path = "/api/v1/people/{id}/positions/{position}", tag = "partners",
    params(("id" = Uuid, Path), ("position" = Uuid, Path)),
    responses((status = 204), (status = 403, body = dto::ErrorBody), (status = 404, body = dto::ErrorBody)))]
pub async fn remove_position(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<StatusCode> {
    state
        .store
        .person_position_remove(&me.ctx, ids.uuid(0)?, ids.uuid(1)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
