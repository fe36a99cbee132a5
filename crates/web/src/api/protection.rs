//! Citizen protection over JSON: cases (intake, the full record, moves,
//! actions, people, team) and the opening of a case's personal data by its
//! team. A case's people come masked unless opened (`POST …/personal`),
//! which is recorded.

use super::dto::{AuditEntry, ErrorBody};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use kieng_domain::protection::person::PersonForm;
use kieng_domain::protection::{ActionForm, CaseForm, Clock, IntakeForm};
use kieng_store::protection::{CaseFilter, CaseRow, CaseView, PersonView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A case as lists show it: nothing personal.
#[derive(Serialize, ToSchema)]
pub struct ProtectionCase {
    pub id: Uuid,
    /// "BH-2026-00042".
    pub number: String,
    pub status: String,
    pub category: String,
    pub severity: String,
    pub source: String,
    pub summary: String,
    pub country: String,
    pub country_name: String,
    pub place: Option<String>,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub intake_agency_id: Uuid,
    pub officer_name: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub first_contact_due: DateTime<Utc>,
    pub first_contact_at: Option<DateTime<Utc>>,
    /// "met", "left" or "overdue".
    pub clock: String,
    /// Minutes left, or late by.
    pub clock_minutes: Option<i64>,
    pub next_action: Option<String>,
    pub next_action_due: Option<NaiveDate>,
    pub classification: String,
    /// The personal data is kept past retention.
    pub legal_hold: bool,
    /// What the next meeting with the country should raise.
    pub talking_point: Option<String>,
    /// When retention removed the people's personal data.
    pub personal_purged_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<CaseRow> for ProtectionCase {
    fn from(r: CaseRow) -> Self {
        let c = r.case;
        let (clock, clock_minutes) = match r.clock {
            Clock::Met => ("met", None),
            Clock::Left(m) => ("left", Some(m)),
            Clock::Overdue(m) => ("overdue", Some(m)),
        };
        Self {
            id: c.id,
            number: c.number,
            status: c.status,
            category: c.category,
            severity: c.severity,
            source: c.source,
            summary: c.summary,
            country: c.country_code,
            country_name: r.country_name,
            place: c.place,
            agency_id: c.agency_id,
            agency_name: r.agency_name,
            intake_agency_id: c.intake_agency_id,
            officer_name: r.officer_name,
            opened_at: c.opened_at,
            first_contact_due: c.first_contact_due,
            first_contact_at: c.first_contact_at,
            clock: clock.into(),
            clock_minutes,
            next_action: c.next_action,
            next_action_due: c.next_action_due,
            classification: super::dto::class(c.classification),
            legal_hold: c.legal_hold,
            talking_point: c.talking_point,
            personal_purged_at: c.personal_purged_at,
            version: c.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProtectionCasePage {
    pub items: Vec<ProtectionCase>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A person on a case. `initials` and the `has_*` flags are all a reader
/// outside the team gets; the rest only in an opened view.
#[derive(Serialize, ToSchema)]
pub struct ProtectionPerson {
    pub id: Uuid,
    /// citizen, caller or relative.
    pub role: String,
    pub initials: String,
    pub has_birth_date: bool,
    pub has_passport: bool,
    pub has_id_number: bool,
    pub has_contact: bool,
    pub has_health: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passport: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<PersonView> for ProtectionPerson {
    fn from(p: PersonView) -> Self {
        let m = p.masked;
        let d = p.data.unwrap_or_default();
        let opened = !d.full_name.is_empty();
        Self {
            id: p.id,
            role: p.role,
            initials: m.initials,
            has_birth_date: m.has_birth_date,
            has_passport: m.has_passport,
            has_id_number: m.has_id_number,
            has_contact: m.has_contact,
            has_health: m.has_health,
            full_name: opened.then_some(d.full_name),
            birth_date: d.birth_date,
            gender: d.gender,
            passport: d.passport,
            id_number: d.id_number,
            contact: d.contact,
            health: d.health,
            note: d.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProtectionAction {
    pub id: Uuid,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub note: String,
    pub first_contact: bool,
    /// The workflow move this entry records, if any.
    #[serde(rename = "move")]
    pub move_code: Option<String>,
    pub by: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProtectionOpening {
    pub user: String,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ProtectionMember {
    pub username: String,
    pub display_name: String,
}

/// One case as the reader may see it.
#[derive(Serialize, ToSchema)]
pub struct ProtectionCaseDetail {
    #[serde(flatten)]
    pub case: ProtectionCase,
    pub intake_agency_name: String,
    pub authority_id: Option<Uuid>,
    pub authority_name: Option<String>,
    pub legal_entity: Option<String>,
    pub officer: Option<String>,
    pub team: Vec<ProtectionMember>,
    pub people: Vec<ProtectionPerson>,
    pub actions: Vec<ProtectionAction>,
    pub openings: Vec<ProtectionOpening>,
    pub on_team: bool,
    pub opened: bool,
    pub can_work: bool,
    pub moves: Vec<String>,
    pub fund: Vec<ProtectionFundEntry>,
    /// The case's fund in VND: advanced, paid, repaid, still owed.
    pub ledger: ProtectionLedger,
}

/// An entry of the citizen protection fund.
#[derive(Serialize, ToSchema)]
pub struct ProtectionFundEntry {
    pub id: Uuid,
    /// advance, payment or repayment.
    pub kind: String,
    /// Exact decimal ("120000", "250.5").
    pub amount: String,
    pub currency: String,
    pub amount_vnd: String,
    pub purpose: String,
    pub refundable: bool,
    pub approved_by: Option<String>,
    /// "mission" or "consular": the limit that applied.
    pub approval: Option<String>,
    pub rule: String,
    pub on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct ProtectionLedger {
    pub advanced: String,
    pub paid: String,
    pub repaid: String,
    pub outstanding: String,
}

impl From<CaseView> for ProtectionCaseDetail {
    fn from(v: CaseView) -> Self {
        let legal_entity = v.row.case.legal_entity.clone();
        Self {
            case: v.row.into(),
            intake_agency_name: v.intake_agency_name,
            authority_id: v.authority.as_ref().map(|a| a.0),
            authority_name: v.authority.map(|a| a.1),
            legal_entity,
            officer: v.officer_username,
            team: v
                .team
                .into_iter()
                .map(|(_, username, display_name)| ProtectionMember {
                    username,
                    display_name,
                })
                .collect(),
            people: v.people.into_iter().map(Into::into).collect(),
            actions: v
                .actions
                .into_iter()
                .map(|a| ProtectionAction {
                    id: a.id,
                    kind: a.kind,
                    at: a.at,
                    note: a.note,
                    first_contact: a.first_contact,
                    move_code: a.move_code,
                    by: a.by_name,
                })
                .collect(),
            openings: v
                .openings
                .into_iter()
                .map(|o| ProtectionOpening {
                    user: o.user_name,
                    at: o.at,
                })
                .collect(),
            on_team: v.on_team,
            opened: v.opened,
            can_work: v.can_work,
            moves: v.moves.iter().map(|m| m.as_str().to_string()).collect(),
            fund: v
                .fund
                .into_iter()
                .map(|f| {
                    use kieng_domain::plan::indicator::Figure;
                    ProtectionFundEntry {
                        id: f.entry.id,
                        kind: f.entry.kind,
                        amount: Figure::from_ten_thousandths(f.entry.amount_e4).canonical(),
                        currency: f.entry.currency,
                        amount_vnd: Figure::from_ten_thousandths(f.entry.amount_vnd_e4).canonical(),
                        purpose: f.entry.purpose,
                        refundable: f.entry.refundable,
                        approved_by: f.approved_by_name,
                        approval: f.entry.approval,
                        rule: f.entry.rule,
                        on: f.entry.on_date,
                    }
                })
                .collect(),
            ledger: ProtectionLedger {
                advanced: v.ledger.advanced.canonical(),
                paid: v.ledger.paid.canonical(),
                repaid: v.ledger.repaid.canonical(),
                outstanding: v.ledger.outstanding.canonical(),
            },
        }
    }
}

/// The intake: what the hotline takes down in under a minute.
#[derive(Deserialize, ToSchema)]
pub struct IntakeBody {
    /// hotline, mission, authority, press or family.
    pub source: String,
    /// critical, high or normal.
    pub severity: String,
    pub category: Option<String>,
    pub summary: String,
    /// ISO alpha-2 or the country's name.
    pub country: String,
    pub place: Option<String>,
    /// The mission (or agency) in charge, by code; default the caller's agency.
    pub agency: Option<String>,
    pub caller_name: Option<String>,
    pub caller_contact: Option<String>,
    pub citizen_name: Option<String>,
}

/// The full record; send the `version` read.
#[derive(Deserialize, ToSchema)]
pub struct CaseBody {
    pub category: String,
    pub severity: String,
    pub summary: String,
    pub country: String,
    pub place: Option<String>,
    pub agency: String,
    pub officer: Option<String>,
    pub authority: Option<String>,
    pub legal_entity: Option<String>,
    pub next_action: Option<String>,
    /// dd/mm/yyyy or ISO.
    pub next_action_due: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    /// Keep the personal data past retention (the team's decision).
    #[serde(default)]
    pub legal_hold: bool,
    /// A line for the next meeting with the country (no personal data).
    pub talking_point: Option<String>,
    pub version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
pub struct CaseMoveBody {
    /// triage, start, wait, resume, resolve, close or reopen.
    #[serde(rename = "move")]
    pub move_code: String,
    /// Needed to reopen.
    pub reason: Option<String>,
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct CaseActionBody {
    /// call, note, visit, hearing, payment, handover or other.
    pub kind: String,
    /// When it happened (ISO 8601 or "05/12/2026 14:30"); default now.
    pub at: Option<String>,
    pub note: String,
    /// This action reached the citizen or the caller: it stops the clock.
    #[serde(default)]
    pub first_contact: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct CasePersonBody {
    /// citizen, caller or relative.
    pub role: String,
    pub full_name: String,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub passport: Option<String>,
    pub id_number: Option<String>,
    pub contact: Option<String>,
    pub health: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct CaseTeamBody {
    pub username: String,
    /// true takes the colleague off the team.
    #[serde(default)]
    pub remove: bool,
}

/// Cases the reader may see, newest first. Nothing personal is listed.
#[utoipa::path(get, path = "/api/v1/protection/cases", tag = "protection",
    params(("q" = Option<String>, Query, description = "a case number or its beginning"), ("status" = Option<String>, Query),
        ("severity" = Option<String>, Query), ("category" = Option<String>, Query), ("country" = Option<String>, Query),
        ("agency" = Option<Uuid>, Query), ("clock" = Option<String>, Query, description = "overdue"), ("mine" = Option<bool>, Query),
        ("page" = Option<u64>, Query)),
    responses((status = 200, body = ProtectionCasePage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CaseFilter>,
) -> WebResult<Json<ProtectionCasePage>> {
    let p = state.store.case_list(&me.ctx, &f).await?;
    Ok(Json(ProtectionCasePage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Take a case in.
#[utoipa::path(post, path = "/api/v1/protection/cases", tag = "protection", request_body = IntakeBody,
    responses((status = 201, body = ProtectionCaseDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<IntakeBody>,
) -> WebResult<(StatusCode, Json<ProtectionCaseDetail>)> {
    let f = IntakeForm {
        source: b.source,
        severity: b.severity,
        category: b.category,
        summary: b.summary,
        country: b.country,
        place: b.place,
        agency: b.agency,
        caller_name: b.caller_name,
        caller_contact: b.caller_contact,
        citizen_name: b.citizen_name,
    };
    let c = state.store.case_intake(&me.ctx, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.case_get(&me.ctx, c.id).await?.into()),
    ))
}

/// One case, its people masked.
#[utoipa::path(get, path = "/api/v1/protection/cases/{id}", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = ProtectionCaseDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<ProtectionCaseDetail>> {
    Ok(Json(
        state.store.case_get(&me.ctx, ids.uuid(0)?).await?.into(),
    ))
}

/// One case with its people's personal data, for its team only; the opening
/// is recorded on the case and in the audit chain.
#[utoipa::path(post, path = "/api/v1/protection/cases/{id}/personal", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn personal(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<ProtectionCaseDetail>> {
    Ok(Json(
        state
            .store
            .case_open_personal(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Complete or correct the record.
#[utoipa::path(put, path = "/api/v1/protection/cases/{id}", tag = "protection", params(("id" = Uuid, Path)), request_body = CaseBody,
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CaseBody>,
) -> WebResult<Json<ProtectionCaseDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    let f = CaseForm {
        category: b.category,
        severity: b.severity,
        summary: b.summary,
        country: b.country,
        place: b.place,
        agency: b.agency,
        officer: b.officer,
        authority: b.authority,
        legal_entity: b.legal_entity,
        next_action: b.next_action,
        next_action_due: b.next_action_due,
        classification: b.classification,
        secret_item: b.secret_item,
        legal_hold: b.legal_hold.then(|| "1".to_string()),
        talking_point: b.talking_point,
    };
    state.store.case_update(&me.ctx, id, version, &f).await?;
    Ok(Json(state.store.case_get(&me.ctx, id).await?.into()))
}

/// Move the case through its workflow.
#[utoipa::path(post, path = "/api/v1/protection/cases/{id}/move", tag = "protection", params(("id" = Uuid, Path)), request_body = CaseMoveBody,
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn do_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CaseMoveBody>,
) -> WebResult<Json<ProtectionCaseDetail>> {
    let id = ids.uuid(0)?;
    let f = kieng_store::protection::CaseMoveForm {
        move_code: b.move_code,
        reason: b.reason,
        version: b.version,
    };
    state.store.case_move(&me.ctx, id, &f).await?;
    Ok(Json(state.store.case_get(&me.ctx, id).await?.into()))
}

/// Record an action on the timeline.
#[utoipa::path(post, path = "/api/v1/protection/cases/{id}/actions", tag = "protection", params(("id" = Uuid, Path)), request_body = CaseActionBody,
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn action(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CaseActionBody>,
) -> WebResult<Json<ProtectionCaseDetail>> {
    let id = ids.uuid(0)?;
    let f = ActionForm {
        kind: b.kind,
        at: b.at,
        note: b.note,
        first_contact: b.first_contact.then(|| "1".to_string()),
    };
    state.store.case_action_add(&me.ctx, id, &f).await?;
    Ok(Json(state.store.case_get(&me.ctx, id).await?.into()))
}

/// Add a person to the case (their personal data sealed at rest).
#[utoipa::path(post, path = "/api/v1/protection/cases/{id}/people", tag = "protection", params(("id" = Uuid, Path)), request_body = CasePersonBody,
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn person(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CasePersonBody>,
) -> WebResult<Json<ProtectionCaseDetail>> {
    let id = ids.uuid(0)?;
    let f = PersonForm {
        role: b.role,
        full_name: b.full_name,
        birth_date: b.birth_date,
        gender: b.gender,
        passport: b.passport,
        id_number: b.id_number,
        contact: b.contact,
        health: b.health,
        note: b.note,
    };
    state.store.case_person_add(&me.ctx, id, &f).await?;
    Ok(Json(state.store.case_get(&me.ctx, id).await?.into()))
}

/// Name a colleague on the case's team, or take one off.
#[utoipa::path(post, path = "/api/v1/protection/cases/{id}/team", tag = "protection", params(("id" = Uuid, Path)), request_body = CaseTeamBody,
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn team(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CaseTeamBody>,
) -> WebResult<Json<ProtectionCaseDetail>> {
    let id = ids.uuid(0)?;
    let f = kieng_store::protection::TeamForm {
        username: b.username,
        action: b.remove.then(|| "remove".to_string()),
    };
    state.store.case_team_change(&me.ctx, id, &f).await?;
    Ok(Json(state.store.case_get(&me.ctx, id).await?.into()))
}

/// Every audited change of the case, newest first (never personal data).
#[utoipa::path(get, path = "/api/v1/protection/cases/{id}/history", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<Vec<AuditEntry>>> {
    let id = ids.uuid(0)?;
    state.store.case_get(&me.ctx, id).await?;
    let rows = state
        .store
        .record_history(&me.ctx, kieng_store::protection::ENTITY, id)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A fund entry; send amounts as decimals ("1500000", "250.50").
#[derive(Deserialize, ToSchema)]
pub struct FundBody {
    /// advance, payment or repayment.
    pub kind: String,
    pub amount: String,
    /// ISO 4217.
    pub currency: String,
    /// Its value in VND, unless the currency is VND.
    pub amount_vnd: Option<String>,
    pub purpose: String,
    #[serde(default)]
    pub refundable: bool,
    /// The approving leader's username (advances and payments).
    pub approved_by: Option<String>,
    /// dd/mm/yyyy or ISO; default today.
    pub on: Option<String>,
}

/// Record an advance, a payment or a repayment from the citizen protection fund.
#[utoipa::path(post, path = "/api/v1/protection/cases/{id}/fund", tag = "protection", params(("id" = Uuid, Path)), request_body = FundBody,
    responses((status = 200, body = ProtectionCaseDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn fund_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<FundBody>,
) -> WebResult<Json<ProtectionCaseDetail>> {
    let id = ids.uuid(0)?;
    let f = kieng_domain::protection::fund::FundForm {
        kind: b.kind,
        amount: b.amount,
        currency: b.currency,
        amount_vnd: b.amount_vnd,
        purpose: b.purpose,
        refundable: b.refundable.then(|| "1".to_string()),
        approved_by: b.approved_by,
        on: b.on,
    };
    state.store.case_fund_add(&me.ctx, id, &f).await?;
    Ok(Json(state.store.case_get(&me.ctx, id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct FundTotalDto {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub cases: u64,
    pub advanced: String,
    pub paid: String,
    pub repaid: String,
    pub outstanding: String,
}

#[derive(Deserialize)]
pub struct FundArgs {
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    pub year: Option<i32>,
}

/// The fund per mission in charge for a year (VND), over the cases the reader sees.
#[utoipa::path(get, path = "/api/v1/protection/fund", tag = "protection", params(("year" = Option<i32>, Query)),
    responses((status = 200, body = Vec<FundTotalDto>)))]
pub async fn fund_totals(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<FundArgs>,
) -> WebResult<Json<Vec<FundTotalDto>>> {
    let year = a
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&kieng_store::today()));
    Ok(Json(
        state
            .store
            .fund_totals(&me.ctx, year)
            .await?
            .into_iter()
            .map(|t| FundTotalDto {
                agency_id: t.agency_id,
                agency_name: t.agency_name,
                cases: t.cases,
                advanced: t.advanced,
                paid: t.paid,
                repaid: t.repaid,
                outstanding: t.outstanding,
            })
            .collect(),
    ))
}
