//! Crises over JSON: the crisis, its live counts, its registry (masked, or
//! opened by its team and recorded), entries added by phone, status
//! changes, merges, and a case opened from an entry.

use super::dto::ErrorBody;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use kieng_domain::protection::crisis::{CrisisForm, EntryForm, PersonStatus, StatusForm};
use kieng_store::protection::crisis::{CrisisFilter, CrisisRow, CrisisView, Entry, RegistryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A crisis as lists show it.
#[derive(Serialize, ToSchema)]
pub struct Crisis {
    pub id: Uuid,
    pub name: String,
    /// earthquake, disaster, conflict, epidemic, mass_arrest or other.
    pub kind: String,
    /// precaution, restriction, voluntary_departure, evacuation or closed.
    pub phase: String,
    pub country: String,
    pub country_name: String,
    pub area: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub started_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    /// People in the registry (merged entries not counted).
    pub people: u64,
    pub version: i32,
}

impl From<CrisisRow> for Crisis {
    fn from(r: CrisisRow) -> Self {
        let c = r.crisis;
        Self {
            id: c.id,
            name: c.name,
            kind: c.kind,
            phase: c.phase,
            country: c.country_code,
            country_name: r.country_name,
            area: c.area,
            agency_id: c.agency_id,
            agency_name: r.agency_name,
            started_on: c.started_on,
            closed_at: c.closed_at,
            note: c.note,
            people: r.people,
            version: c.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CrisisPage {
    pub items: Vec<Crisis>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// How many people have one status.
#[derive(Serialize, ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub people: u64,
}

/// One place's counts.
#[derive(Serialize, ToSchema)]
pub struct PlaceCounts {
    /// "" for people whose place is not known.
    pub place: String,
    pub total: u64,
    pub by_status: Vec<StatusCount>,
}

/// A crisis's live counts.
#[derive(Serialize, ToSchema)]
pub struct CrisisCounts {
    pub total: u64,
    pub by_status: Vec<StatusCount>,
    pub places: Vec<PlaceCounts>,
}

fn by_status(v: &[u64]) -> Vec<StatusCount> {
    PersonStatus::ALL
        .iter()
        .zip(v)
        .map(|(s, n)| StatusCount {
            status: s.as_str().into(),
            people: *n,
        })
        .collect()
}

impl From<kieng_domain::protection::crisis::Counts> for CrisisCounts {
    fn from(c: kieng_domain::protection::crisis::Counts) -> Self {
        Self {
            total: c.total,
            by_status: by_status(&c.by_status),
            places: c
                .places
                .into_iter()
                .map(|p| PlaceCounts {
                    by_status: by_status(&p.by_status),
                    place: p.place,
                    total: p.total,
                })
                .collect(),
        }
    }
}

/// A flight or bus and how many it takes.
#[derive(Serialize, ToSchema)]
pub struct CrisisTransport {
    pub transport: String,
    pub people: u64,
}

/// One crisis as its reader may see it.
#[derive(Serialize, ToSchema)]
pub struct CrisisDetail {
    #[serde(flatten)]
    pub crisis: Crisis,
    pub officer_name: Option<String>,
    pub team: Vec<String>,
    pub counts: CrisisCounts,
    pub transports: Vec<CrisisTransport>,
    /// Groups of entries that may be one person (for the crisis's team;
    /// absent for anyone else).
    pub duplicate_groups: Option<u64>,
    pub on_team: bool,
    pub can_work: bool,
}

impl From<CrisisView> for CrisisDetail {
    fn from(v: CrisisView) -> Self {
        Self {
            crisis: v.row.into(),
            officer_name: v.officer_name,
            team: v.team.into_iter().map(|t| t.1).collect(),
            counts: v.counts.into(),
            transports: v
                .transports
                .into_iter()
                .map(|t| CrisisTransport {
                    transport: t.transport,
                    people: t.people,
                })
                .collect(),
            duplicate_groups: v.duplicate_groups,
            on_team: v.on_team,
            can_work: v.can_work,
        }
    }
}

/// A registry entry: `initials` and the `has_*` flags outside the team; the
/// rest only in a page the team opened.
#[derive(Serialize, ToSchema)]
pub struct CrisisEntry {
    pub id: Uuid,
    /// unconfirmed, safe, unreachable, injured, evacuated or deceased.
    pub status: String,
    pub place: String,
    pub transport: String,
    pub initials: String,
    pub has_birth_date: bool,
    pub has_passport: bool,
    pub has_contact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passport: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub case_id: Option<Uuid>,
    /// phone or import.
    pub source: String,
    pub version: i32,
}

impl From<Entry> for CrisisEntry {
    fn from(e: Entry) -> Self {
        let m = e.masked;
        let d = e.data;
        Self {
            id: e.id,
            status: e.status,
            place: e.place,
            transport: e.transport,
            initials: m.initials,
            has_birth_date: m.has_birth_date,
            has_passport: m.has_passport,
            has_contact: m.has_contact,
            full_name: d.as_ref().map(|d| d.full_name.clone()),
            birth_date: d.as_ref().and_then(|d| d.birth_date),
            passport: d.as_ref().and_then(|d| d.passport.clone()),
            id_number: d.as_ref().and_then(|d| d.id_number.clone()),
            contact: d.as_ref().and_then(|d| d.contact.clone()),
            note: d.and_then(|d| d.note),
            case_id: e.case_id,
            source: e.source,
            version: e.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CrisisRegistry {
    pub items: Vec<CrisisEntry>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The personal data is in clear (and the opening was recorded).
    pub opened: bool,
}

impl From<kieng_store::protection::crisis::Registry> for CrisisRegistry {
    fn from(r: kieng_store::protection::crisis::Registry) -> Self {
        Self {
            total: r.entries.total,
            page: r.entries.page,
            per_page: r.entries.per_page,
            items: r.entries.items.into_iter().map(Into::into).collect(),
            opened: r.opened,
        }
    }
}

/// A crisis; send the `version` read to change one.
#[derive(Deserialize, ToSchema)]
pub struct CrisisBody {
    pub name: String,
    pub kind: String,
    pub phase: Option<String>,
    /// ISO alpha-2 or the country's name.
    pub country: String,
    pub area: String,
    /// The mission (or agency) in charge, by code; default the caller's.
    pub agency: Option<String>,
    /// dd/mm/yyyy or ISO; default today.
    pub started_on: Option<String>,
    pub note: Option<String>,
    pub version: Option<i32>,
}

impl From<CrisisBody> for CrisisForm {
    fn from(b: CrisisBody) -> Self {
        Self {
            name: b.name,
            kind: b.kind,
            phase: b.phase,
            country: b.country,
            area: b.area,
            agency: b.agency,
            started_on: b.started_on,
            note: b.note,
            version: b.version,
        }
    }
}

/// A citizen in the area, as taken down by phone.
#[derive(Deserialize, ToSchema)]
pub struct CrisisEntryBody {
    pub full_name: String,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub passport: Option<String>,
    pub id_number: Option<String>,
    pub contact: Option<String>,
    pub note: Option<String>,
    pub status: Option<String>,
    pub place: Option<String>,
    pub transport: Option<String>,
}

/// A change of one entry's status (and, when sent, place or transport).
#[derive(Deserialize, ToSchema)]
pub struct CrisisStatusBody {
    pub status: String,
    pub place: Option<String>,
    pub transport: Option<String>,
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct CrisisMergeBody {
    /// The entry kept.
    pub keep: Uuid,
    /// The entry folded into it.
    pub other: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct CrisisAdded {
    pub id: Uuid,
    /// The passport was registered: merged into that entry (`id`).
    pub merged: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CrisisCase {
    pub case_id: Uuid,
}

#[derive(Deserialize, ToSchema)]
pub struct CrisisTeamBody {
    pub username: String,
    #[serde(default)]
    pub remove: bool,
}

/// Crises the reader may see, latest first.
#[utoipa::path(get, path = "/api/v1/protection/crises", tag = "protection",
    params(("status" = Option<String>, Query, description = "open or closed"), ("page" = Option<u64>, Query)),
    responses((status = 200, body = CrisisPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CrisisFilter>,
) -> WebResult<Json<CrisisPage>> {
    let p = state.store.crisis_list(&me.ctx, &f).await?;
    Ok(Json(CrisisPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Open a crisis.
#[utoipa::path(post, path = "/api/v1/protection/crises", tag = "protection", request_body = CrisisBody,
    responses((status = 201, body = CrisisDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<CrisisBody>,
) -> WebResult<(StatusCode, Json<CrisisDetail>)> {
    let c = state.store.crisis_create(&me.ctx, &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.crisis_get(&me.ctx, c.id).await?.into()),
    ))
}

/// One crisis with its counts.
#[utoipa::path(get, path = "/api/v1/protection/crises/{id}", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = CrisisDetail), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Json<CrisisDetail>> {
    Ok(Json(
        state.store.crisis_get(&me.ctx, ids.uuid(0)?).await?.into(),
    ))
}

/// Change a crisis's record or phase.
#[utoipa::path(put, path = "/api/v1/protection/crises/{id}", tag = "protection", params(("id" = Uuid, Path)), request_body = CrisisBody,
    responses((status = 200, body = CrisisDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CrisisBody>,
) -> WebResult<Json<CrisisDetail>> {
    let id = ids.uuid(0)?;
    if b.version.is_none() {
        return Err(super::version_required().into());
    }
    state.store.crisis_update(&me.ctx, id, &b.into()).await?;
    Ok(Json(state.store.crisis_get(&me.ctx, id).await?.into()))
}

/// The live counts by status and place, read afresh on every request.
#[utoipa::path(get, path = "/api/v1/protection/crises/{id}/counts", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = CrisisCounts), (status = 404, body = ErrorBody)))]
pub async fn counts(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<CrisisCounts>> {
    Ok(Json(
        state
            .store
            .crisis_counts(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// A page of the registry, masked.
#[utoipa::path(get, path = "/api/v1/protection/crises/{id}/people", tag = "protection", params(("id" = Uuid, Path),
        ("status" = Option<String>, Query), ("place" = Option<String>, Query), ("transport" = Option<String>, Query),
        ("passport" = Option<String>, Query, description = "finds an entry for the crisis's team only"), ("page" = Option<u64>, Query)),
    responses((status = 200, body = CrisisRegistry), (status = 404, body = ErrorBody)))]
pub async fn people(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(f): QueryArgs<RegistryFilter>,
) -> WebResult<Json<CrisisRegistry>> {
    Ok(Json(
        state
            .store
            .crisis_registry(&me.ctx, ids.uuid(0)?, &f, false)
            .await?
            .into(),
    ))
}

/// A page of the registry in clear, for the crisis's team only; recorded.
#[utoipa::path(post, path = "/api/v1/protection/crises/{id}/personal", tag = "protection", params(("id" = Uuid, Path),
        ("status" = Option<String>, Query), ("place" = Option<String>, Query), ("transport" = Option<String>, Query),
        ("passport" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = CrisisRegistry), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn personal(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(f): QueryArgs<RegistryFilter>,
) -> WebResult<Json<CrisisRegistry>> {
    Ok(Json(
        state
            .store
            .crisis_registry(&me.ctx, ids.uuid(0)?, &f, true)
            .await?
            .into(),
    ))
}

/// Add a citizen taken down by phone; one whose passport is registered is
/// merged into that entry.
#[utoipa::path(post, path = "/api/v1/protection/crises/{id}/people", tag = "protection", params(("id" = Uuid, Path)), request_body = CrisisEntryBody,
    responses((status = 201, body = CrisisAdded), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CrisisEntryBody>,
) -> WebResult<(StatusCode, Json<CrisisAdded>)> {
    let f = EntryForm {
        full_name: b.full_name,
        birth_date: b.birth_date,
        gender: b.gender,
        passport: b.passport,
        id_number: b.id_number,
        contact: b.contact,
        note: b.note,
        status: b.status,
        place: b.place,
        transport: b.transport,
    };
    let a = state
        .store
        .crisis_entry_add(&me.ctx, ids.uuid(0)?, &f)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CrisisAdded {
            id: a.id,
            merged: a.merged,
        }),
    ))
}

/// Change an entry's status (and place or transport).
#[utoipa::path(post, path = "/api/v1/protection/crises/{id}/people/{entry}", tag = "protection",
    params(("id" = Uuid, Path), ("entry" = Uuid, Path)), request_body = CrisisStatusBody,
    responses((status = 200, body = CrisisEntry), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CrisisStatusBody>,
) -> WebResult<Json<CrisisEntry>> {
    let f = StatusForm {
        status: b.status,
        place: b.place,
        transport: b.transport,
        version: b.version,
    };
    Ok(Json(
        state
            .store
            .crisis_entry_status(&me.ctx, ids.uuid(0)?, ids.uuid(1)?, &f)
            .await?
            .into(),
    ))
}

/// Open a protection case for an entry (or give the one it has).
#[utoipa::path(post, path = "/api/v1/protection/crises/{id}/people/{entry}/case", tag = "protection",
    params(("id" = Uuid, Path), ("entry" = Uuid, Path)),
    responses((status = 200, body = CrisisCase), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Json<CrisisCase>> {
    let case_id = state
        .store
        .crisis_case_from(&me.ctx, ids.uuid(0)?, ids.uuid(1)?)
        .await?;
    Ok(Json(CrisisCase { case_id }))
}

/// Merge two entries of one person (the crisis's team).
#[utoipa::path(post, path = "/api/v1/protection/crises/{id}/merge", tag = "protection", params(("id" = Uuid, Path)), request_body = CrisisMergeBody,
    responses((status = 200, body = CrisisCounts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CrisisMergeBody>,
) -> WebResult<Json<CrisisCounts>> {
    let id = ids.uuid(0)?;
    state
        .store
        .crisis_merge(&me.ctx, id, b.keep, b.other)
        .await?;
    Ok(Json(state.store.crisis_counts(&me.ctx, id).await?.into()))
}

/// Name a colleague on the crisis's team, or take one off.
#[utoipa::path(post, path = "/api/v1/protection/crises/{id}/team", tag = "protection", params(("id" = Uuid, Path)), request_body = CrisisTeamBody,
    responses((status = 200, body = CrisisDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn team(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CrisisTeamBody>,
) -> WebResult<Json<CrisisDetail>> {
    let id = ids.uuid(0)?;
    let f = kieng_store::protection::TeamForm {
        username: b.username,
        action: b.remove.then(|| "remove".to_string()),
    };
    state.store.crisis_team_change(&me.ctx, id, &f).await?;
    Ok(Json(state.store.crisis_get(&me.ctx, id).await?.into()))
}
