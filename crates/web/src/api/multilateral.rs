//! Multilateral diplomacy over JSON: mechanisms and the roles held in them,
//! candidacies with their workflow, and the campaign board computed from the
//! pledges the reader may see.

use super::dto::ErrorBody;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use kieng_domain::multilateral::{CandidacyForm, Certainty, MechanismForm, PledgeForm, RoleForm};
use kieng_store::multilateral::{
    CandidacyFilter, CandidacyRow, CandidacyView, MechanismEdit, MechanismNode, MoveForm,
    PledgeRow, RoleFilter, RoleRow, partial,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A mechanism and Vietnam's standing in it.
#[derive(Serialize, ToSchema)]
pub struct Mechanism {
    pub id: Uuid,
    pub code: String,
    pub parent_id: Option<Uuid>,
    /// organisation, organ, body, fund_programme, specialised_agency, forum,
    /// grouping, parliamentary or party_forum.
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub abbreviation: String,
    /// member, founding_member, member_by_election, observer, partner_country, …
    pub standing: String,
    /// Since when, as precisely as known: "1995", "07/1995", "28/07/1995".
    pub since: Option<String>,
    pub source: String,
    pub partner_id: Option<Uuid>,
    /// Depth in the tree (lists only).
    pub depth: usize,
    pub version: i32,
}

fn mechanism(m: kieng_store::entity::mechanism::Model, depth: usize) -> Mechanism {
    Mechanism {
        since: partial(m.since_on, m.since_precision.as_deref()).map(|d| d.display()),
        id: m.id,
        code: m.code,
        parent_id: m.parent_id,
        kind: m.kind,
        name_vi: m.name_vi,
        name_en: m.name_en,
        abbreviation: m.abbreviation,
        standing: m.standing,
        source: m.source,
        partner_id: m.partner_id,
        depth,
        version: m.version,
    }
}

impl From<MechanismNode> for Mechanism {
    fn from(n: MechanismNode) -> Self {
        mechanism(n.m, n.depth)
    }
}

/// A role held.
#[derive(Serialize, ToSchema)]
pub struct MechanismRole {
    pub id: Uuid,
    pub mechanism_id: Uuid,
    pub mechanism_code: String,
    /// chair, host, council_seat, committee_chair, secretariat_post or judicial_post.
    pub kind: String,
    pub title_vi: String,
    pub title_en: String,
    pub starts: String,
    pub ends: Option<String>,
    pub holder: Option<String>,
    pub source: String,
}

impl From<RoleRow> for MechanismRole {
    fn from(r: RoleRow) -> Self {
        let ends = Some(r.ends()).filter(|e| !e.is_empty());
        Self {
            starts: r.starts(),
            ends,
            id: r.r.id,
            mechanism_id: r.r.mechanism_id,
            mechanism_code: r.mechanism_code,
            kind: r.r.kind,
            title_vi: r.r.title_vi,
            title_en: r.r.title_en,
            holder: r.r.holder,
            source: r.r.source,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RolePage {
    pub items: Vec<MechanismRole>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A candidacy as lists show it.
#[derive(Serialize, ToSchema)]
pub struct Candidacy {
    pub id: Uuid,
    pub mechanism_id: Uuid,
    pub mechanism_code: String,
    pub post: String,
    pub term: Option<String>,
    pub election_on: Option<NaiveDate>,
    pub method: Option<String>,
    /// "un" or "other".
    pub electorate: String,
    pub electorate_size: i32,
    pub votes_needed: i32,
    pub competitors: Vec<String>,
    /// considered, decided, announced, campaigning, elected, not_elected or withdrawn.
    pub status: String,
    pub status_note: Option<String>,
    pub owner_agency_id: Uuid,
    pub agency_name: String,
    pub classification: String,
    pub version: i32,
}

impl From<CandidacyRow> for Candidacy {
    fn from(r: CandidacyRow) -> Self {
        let c = r.c;
        Self {
            id: c.id,
            mechanism_id: c.mechanism_id,
            mechanism_code: r.mechanism_code,
            post: c.post,
            term: c.term,
            election_on: c.election_on,
            method: c.method,
            electorate: c.electorate,
            electorate_size: c.electorate_size,
            votes_needed: c.votes_needed,
            competitors: r.competitors,
            status: c.status,
            status_note: c.status_note,
            owner_agency_id: c.owner_agency_id,
            agency_name: r.agency_name,
            classification: kieng_store::audit::from_rank(c.classification)
                .as_str()
                .into(),
            version: c.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CandidacyPage {
    pub items: Vec<Candidacy>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// How many countries' latest word has one certainty.
#[derive(Serialize, ToSchema)]
pub struct CertaintyCount {
    /// firm, likely, uncertain, against or unasked.
    pub certainty: String,
    pub countries: u64,
}

fn by_certainty(v: &[u64]) -> Vec<CertaintyCount> {
    Certainty::ALL
        .iter()
        .zip(v)
        .map(|(c, n)| CertaintyCount {
            certainty: c.as_str().into(),
            countries: *n,
        })
        .collect()
}

/// A region's line of the board.
#[derive(Serialize, ToSchema)]
pub struct RegionCount {
    /// The M49 continent code.
    pub region: String,
    pub name: String,
    pub voters: u64,
    pub by_certainty: Vec<CertaintyCount>,
}

/// What a competing candidate has been pledged.
#[derive(Serialize, ToSchema)]
pub struct CompetitorCount {
    pub name: String,
    pub pledged: u64,
    /// Of those, also pledged to Vietnam's candidate.
    pub also_ours: u64,
}

/// One country's latest word.
#[derive(Serialize, ToSchema)]
pub struct CountryWord {
    pub country: String,
    pub name: String,
    pub support: Option<String>,
    pub given_on: Option<NaiveDate>,
    pub channel: Option<String>,
    pub also_to: Vec<String>,
}

/// The campaign board: each country once, by its latest word, within the
/// reader's clearance.
#[derive(Serialize, ToSchema)]
pub struct CampaignBoard {
    pub votes_needed: u64,
    pub voters: u64,
    /// Firm and likely.
    pub pledged: u64,
    pub firm: u64,
    pub missing: u64,
    pub by_certainty: Vec<CertaintyCount>,
    pub by_region: Vec<RegionCount>,
    /// The electorate's countries with no word yet.
    pub to_ask: Vec<String>,
    pub competitors: Vec<CompetitorCount>,
    pub countries: Vec<CountryWord>,
}

/// One candidacy with its board.
#[derive(Serialize, ToSchema)]
pub struct CandidacyDetail {
    #[serde(flatten)]
    pub candidacy: Candidacy,
    pub board: CampaignBoard,
    pub can_write: bool,
    /// The statuses it may move to.
    pub moves: Vec<String>,
}

impl From<CandidacyView> for CandidacyDetail {
    fn from(v: CandidacyView) -> Self {
        let b = v.board;
        let names: std::collections::HashMap<String, String> = v.regions.into_iter().collect();
        Self {
            candidacy: v.row.into(),
            board: CampaignBoard {
                votes_needed: b.votes_needed,
                voters: b.voters,
                pledged: b.pledged,
                firm: b.firm,
                missing: b.missing,
                by_certainty: by_certainty(&b.by_certainty),
                by_region: b
                    .by_region
                    .into_iter()
                    .map(|r| RegionCount {
                        name: names.get(&r.region).cloned().unwrap_or_default(),
                        region: r.region,
                        voters: r.voters,
                        by_certainty: by_certainty(&r.by_certainty),
                    })
                    .collect(),
                to_ask: b.to_ask,
                competitors: b
                    .competitors
                    .into_iter()
                    .map(|c| CompetitorCount {
                        name: c.name,
                        pledged: c.pledged,
                        also_ours: c.also_ours,
                    })
                    .collect(),
                countries: v
                    .countries
                    .into_iter()
                    .map(|c| CountryWord {
                        country: c.code,
                        name: c.name,
                        support: c.support.map(|s| s.as_str().into()),
                        given_on: c.given_on,
                        channel: c.channel,
                        also_to: c.also_to,
                    })
                    .collect(),
            },
            can_write: v.can_write,
            moves: v.moves.iter().map(|s| s.as_str().into()).collect(),
        }
    }
}

/// A pledge.
#[derive(Serialize, ToSchema)]
pub struct Pledge {
    pub id: Uuid,
    pub candidacy_id: Uuid,
    pub country: String,
    pub country_name: String,
    /// written, reciprocal, oral, conditional, declined or unknown.
    pub support: String,
    pub given_on: NaiveDate,
    pub channel: Option<String>,
    /// The activity where it was given, when the reader may see it.
    pub activity_id: Option<Uuid>,
    /// Empty: to Vietnam's candidate.
    pub competitor: String,
    /// The commitment Vietnam made in return, when the reader may see it.
    pub commitment_id: Option<Uuid>,
    pub note: Option<String>,
    pub classification: String,
}

impl From<PledgeRow> for Pledge {
    fn from(r: PledgeRow) -> Self {
        let p = r.p;
        Self {
            id: p.id,
            candidacy_id: p.candidacy_id,
            country: p.country_code,
            country_name: r.country_name,
            support: p.support,
            given_on: p.given_on,
            channel: p.channel,
            activity_id: r.activity.map(|a| a.0),
            competitor: p.competitor,
            commitment_id: r.commitment.map(|c| c.0),
            note: p.note,
            classification: kieng_store::audit::from_rank(p.classification)
                .as_str()
                .into(),
        }
    }
}

/// A mechanism as written.
#[derive(Deserialize, ToSchema)]
pub struct MechanismBody {
    #[serde(default)]
    pub code: String,
    /// The parent's code.
    pub parent: Option<String>,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    #[serde(default)]
    pub standing: String,
    /// A year, month/year or day; needs `source`.
    pub since: Option<String>,
    pub source: Option<String>,
    /// The organisation's partner record (name, alias or code).
    pub partner: Option<String>,
    pub note: Option<String>,
    /// Required on PUT: the version read.
    pub version: Option<i32>,
}

impl From<MechanismBody> for MechanismEdit {
    fn from(b: MechanismBody) -> Self {
        Self {
            form: MechanismForm {
                code: b.code,
                parent: b.parent,
                kind: b.kind,
                name_vi: b.name_vi,
                name_en: b.name_en,
                abbreviation: b.abbreviation,
                standing: b.standing,
                since: b.since,
                source: b.source,
                partner: b.partner,
                note: b.note,
            },
            version: b.version,
        }
    }
}

/// A role as recorded.
#[derive(Deserialize, ToSchema)]
pub struct RoleBody {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title_vi: String,
    pub title_en: Option<String>,
    #[serde(default)]
    pub starts: String,
    pub ends: Option<String>,
    pub holder: Option<String>,
    #[serde(default)]
    pub source: String,
    /// A hosted event's national organising committee (an agency's code or id).
    pub agency: Option<String>,
    /// A hosted event's programme (a plan's id).
    pub plan: Option<Uuid>,
}

impl From<RoleBody> for RoleForm {
    fn from(b: RoleBody) -> Self {
        Self {
            kind: b.kind,
            title_vi: b.title_vi,
            title_en: b.title_en,
            starts: b.starts,
            ends: b.ends,
            holder: b.holder,
            source: b.source,
            agency: b.agency,
            plan: b.plan.map(|p| p.to_string()),
        }
    }
}

/// A hosted event's organising committee and programme (the programme only
/// when the reader may see it).
#[derive(Serialize, ToSchema)]
pub struct RoleHosting {
    pub role_id: Uuid,
    pub agency_id: Option<Uuid>,
    pub agency_name: Option<String>,
    pub plan_id: Option<Uuid>,
    pub plan_title: Option<String>,
}

/// A candidacy as written.
#[derive(Deserialize, ToSchema)]
pub struct CandidacyBody {
    /// The mechanism's code.
    #[serde(default)]
    pub mechanism: String,
    #[serde(default)]
    pub post: String,
    pub term: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub election_on: Option<String>,
    pub method: Option<String>,
    /// "un" or "other".
    #[serde(default)]
    pub electorate: String,
    pub electorate_size: Option<u32>,
    pub votes_needed: Option<u32>,
    #[serde(default)]
    pub competitors: Vec<String>,
    /// The leading agency's code or id.
    #[serde(default)]
    pub owner_agency: String,
    pub note: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    /// Required on PUT: the version read.
    pub version: Option<i32>,
}

impl From<CandidacyBody> for CandidacyForm {
    fn from(b: CandidacyBody) -> Self {
        Self {
            mechanism: b.mechanism,
            post: b.post,
            term: b.term,
            election_on: b.election_on,
            method: b.method,
            electorate: b.electorate,
            electorate_size: b.electorate_size.map(|n| n.to_string()),
            votes_needed: b.votes_needed.map(|n| n.to_string()),
            competitors: Some(kieng_domain::text::Listed::Items(b.competitors)),
            owner_agency: b.owner_agency,
            note: b.note,
            classification: b.classification,
            secret_item: b.secret_item,
        }
    }
}

/// A move along the workflow.
#[derive(Deserialize, ToSchema)]
pub struct MoveBody {
    pub status: String,
    pub note: Option<String>,
    pub version: i32,
}

/// A country's word as recorded.
#[derive(Deserialize, ToSchema)]
pub struct PledgeBody {
    /// Name, alias or ISO code.
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub support: String,
    #[serde(default)]
    pub given_on: String,
    pub channel: Option<String>,
    pub activity: Option<Uuid>,
    /// A competing candidate named on the candidacy; empty: Vietnam's.
    pub competitor: Option<String>,
    /// What Vietnam promised in return: becomes a commitment.
    pub reciprocal: Option<String>,
    pub reciprocal_due: Option<String>,
    pub note: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

impl From<PledgeBody> for PledgeForm {
    fn from(b: PledgeBody) -> Self {
        Self {
            country: b.country,
            support: b.support,
            given_on: b.given_on,
            channel: b.channel,
            activity: b.activity.map(|a| a.to_string()),
            competitor: b.competitor,
            reciprocal: b.reciprocal,
            reciprocal_due: b.reciprocal_due,
            note: b.note,
            classification: b.classification,
            secret_item: b.secret_item,
        }
    }
}

#[derive(Deserialize)]
pub struct CountryArg {
    pub country: Option<String>,
}

/// Every mechanism as a tree (parents first).
#[utoipa::path(get, path = "/api/v1/multilateral/mechanisms", tag = "multilateral",
    responses((status = 200, body = Vec<Mechanism>)))]
pub async fn mechanisms(State(state): State<AppState>, _me: Me) -> WebResult<Json<Vec<Mechanism>>> {
    Ok(Json(
        state
            .store
            .mechanism_tree()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// One mechanism with its roles.
#[derive(Serialize, ToSchema)]
pub struct MechanismDetail {
    #[serde(flatten)]
    pub mechanism: Mechanism,
    pub roles: Vec<MechanismRole>,
    pub candidacies: Vec<Candidacy>,
    /// Meetings to come (its own and its bodies'), the soonest first.
    pub upcoming: Vec<MechanismMeeting>,
    /// Meetings held, the latest first.
    pub meetings: Vec<MechanismMeeting>,
    /// Documents adopted and Vietnam's initiatives, the latest first.
    pub outcomes: Vec<MechanismOutcome>,
    /// Commitments made in the forum (at its meetings, or in return for a
    /// pledge), the latest deadline first.
    pub commitments: Vec<ForumCommitment>,
    /// The hosting roles' organising committees and programmes.
    pub hosting: Vec<RoleHosting>,
}

/// An activity held as a meeting of a mechanism.
#[derive(Serialize, ToSchema)]
pub struct MechanismMeeting {
    pub activity_id: Uuid,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: String,
    /// The mechanism (this one or a body under it) it is a meeting of.
    pub mechanism_id: Uuid,
}

impl From<kieng_store::multilateral::Meeting> for MechanismMeeting {
    fn from(m: kieng_store::multilateral::Meeting) -> Self {
        Self {
            activity_id: m.id,
            title: m.title,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            status: m.status,
            mechanism_id: m.mechanism_id,
        }
    }
}

/// A document adopted or an initiative of Vietnam's.
#[derive(Serialize, ToSchema)]
pub struct MechanismOutcome {
    pub id: Uuid,
    pub mechanism_id: Uuid,
    /// "document" or "initiative".
    pub kind: String,
    pub title: String,
    pub adopted_on: NaiveDate,
    /// The meeting it was adopted at, if the reader may see it.
    pub activity_id: Option<Uuid>,
    pub note: Option<String>,
    pub owner_agency_id: Uuid,
    pub classification: String,
}

impl From<kieng_store::multilateral::OutcomeRow> for MechanismOutcome {
    fn from(r: kieng_store::multilateral::OutcomeRow) -> Self {
        let o = r.o;
        Self {
            id: o.id,
            mechanism_id: o.mechanism_id,
            kind: o.kind,
            title: o.title,
            adopted_on: o.adopted_on,
            activity_id: r.activity.map(|a| a.0),
            note: o.note,
            owner_agency_id: o.owner_agency_id,
            classification: kieng_store::audit::from_rank(o.classification)
                .as_str()
                .into(),
        }
    }
}

/// A commitment made in a forum.
#[derive(Serialize, ToSchema)]
pub struct ForumCommitment {
    pub id: Uuid,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: String,
}

/// An activity to record as a meeting of the mechanism.
#[derive(Deserialize, ToSchema)]
pub struct MeetingBody {
    pub activity: Uuid,
}

/// An outcome as recorded.
#[derive(Deserialize, ToSchema)]
pub struct OutcomeBody {
    /// "document" or "initiative".
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    #[serde(default)]
    pub adopted_on: String,
    /// The meeting it was adopted at.
    pub activity: Option<Uuid>,
    /// The agency recording it (code or id); the writer's own when absent.
    pub owner_agency: Option<String>,
    pub note: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

impl From<OutcomeBody> for kieng_domain::multilateral::OutcomeForm {
    fn from(b: OutcomeBody) -> Self {
        Self {
            kind: b.kind,
            title: b.title,
            adopted_on: b.adopted_on,
            activity: b.activity.map(|a| a.to_string()),
            owner_agency: b.owner_agency,
            note: b.note,
            classification: b.classification,
            secret_item: b.secret_item,
        }
    }
}

async fn detail(state: &AppState, me: &Me, id: Uuid) -> WebResult<MechanismDetail> {
    let v = state.store.mechanism_get(&me.ctx, id).await?;
    let code = v.m.code.clone();
    let name = v.m.name_vi.clone();
    Ok(MechanismDetail {
        mechanism: mechanism(v.m, 0),
        roles: v
            .roles
            .into_iter()
            .map(|r| {
                RoleRow {
                    r,
                    mechanism_code: code.clone(),
                    mechanism_name: name.clone(),
                }
                .into()
            })
            .collect(),
        candidacies: v.candidacies.into_iter().map(Into::into).collect(),
        hosting: {
            let mut h: Vec<RoleHosting> = v
                .hosting
                .into_iter()
                .map(|(role_id, h)| RoleHosting {
                    role_id,
                    agency_id: h.agency.as_ref().map(|a| a.0),
                    agency_name: h.agency.map(|a| a.1),
                    plan_id: h.plan.as_ref().map(|p| p.0),
                    plan_title: h.plan.map(|p| p.1),
                })
                .collect();
            h.sort_by_key(|x| x.role_id);
            h
        },
        upcoming: v.work.upcoming.into_iter().map(Into::into).collect(),
        meetings: v.work.past.into_iter().map(Into::into).collect(),
        outcomes: v.work.outcomes.into_iter().map(Into::into).collect(),
        commitments: v
            .work
            .commitments
            .into_iter()
            .map(|c| ForumCommitment {
                id: c.id,
                title: c.title,
                due_on: c.due_on,
                status: c.status,
            })
            .collect(),
    })
}

/// Record an activity as a meeting of the mechanism (a writer of the
/// activity's lead agency); once is enough, again changes nothing.
#[utoipa::path(post, path = "/api/v1/multilateral/mechanisms/{id}/meetings", tag = "multilateral", params(("id" = Uuid, Path)), request_body = MeetingBody,
    responses((status = 201, body = MechanismDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn meeting_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<MeetingBody>,
) -> WebResult<(StatusCode, Json<MechanismDetail>)> {
    let id = ids.uuid(0)?;
    state
        .store
        .meeting_link(&me.ctx, &id.to_string(), b.activity, true)
        .await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &me, id).await?)))
}

/// Undo an activity's link to the mechanism.
#[utoipa::path(delete, path = "/api/v1/multilateral/mechanisms/{id}/meetings/{activity}", tag = "multilateral",
    params(("id" = Uuid, Path), ("activity" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn meeting_remove(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<StatusCode> {
    state
        .store
        .meeting_link(&me.ctx, &ids.uuid(0)?.to_string(), ids.uuid(1)?, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record a document adopted or an initiative of Vietnam's in the mechanism.
#[utoipa::path(post, path = "/api/v1/multilateral/mechanisms/{id}/outcomes", tag = "multilateral", params(("id" = Uuid, Path)), request_body = OutcomeBody,
    responses((status = 201, body = MechanismDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn outcome_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<OutcomeBody>,
) -> WebResult<(StatusCode, Json<MechanismDetail>)> {
    let id = ids.uuid(0)?;
    state.store.outcome_create(&me.ctx, id, &b.into()).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &me, id).await?)))
}

/// Remove an outcome recorded in error.
#[utoipa::path(delete, path = "/api/v1/multilateral/outcomes/{id}", tag = "multilateral", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn outcome_remove(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<StatusCode> {
    state.store.outcome_delete(&me.ctx, ids.uuid(0)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One mechanism.
#[utoipa::path(get, path = "/api/v1/multilateral/mechanisms/{id}", tag = "multilateral", params(("id" = Uuid, Path)),
    responses((status = 200, body = MechanismDetail), (status = 404, body = ErrorBody)))]
pub async fn mechanism_get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<MechanismDetail>> {
    Ok(Json(detail(&state, &me, ids.uuid(0)?).await?))
}

/// Add a mechanism (administrators).
#[utoipa::path(post, path = "/api/v1/multilateral/mechanisms", tag = "multilateral", request_body = MechanismBody,
    responses((status = 201, body = MechanismDetail), (status = 422, body = ErrorBody)))]
pub async fn mechanism_create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<MechanismBody>,
) -> WebResult<(StatusCode, Json<MechanismDetail>)> {
    let edit: MechanismEdit = b.into();
    let m = state.store.mechanism_create(&me.ctx, &edit.form).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &me, m.id).await?)))
}

/// Correct a mechanism (administrators), at the version read.
#[utoipa::path(put, path = "/api/v1/multilateral/mechanisms/{id}", tag = "multilateral", params(("id" = Uuid, Path)), request_body = MechanismBody,
    responses((status = 200, body = MechanismDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mechanism_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<MechanismBody>,
) -> WebResult<Json<MechanismDetail>> {
    let id = ids.uuid(0)?;
    if b.version.is_none() {
        return Err(super::version_required().into());
    }
    state.store.mechanism_update(&me.ctx, id, &b.into()).await?;
    Ok(Json(detail(&state, &me, id).await?))
}

/// Record a role held in the mechanism (administrators and coordinators).
#[utoipa::path(post, path = "/api/v1/multilateral/mechanisms/{id}/roles", tag = "multilateral", params(("id" = Uuid, Path)), request_body = RoleBody,
    responses((status = 201, body = MechanismDetail), (status = 422, body = ErrorBody)))]
pub async fn role_create(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<RoleBody>,
) -> WebResult<(StatusCode, Json<MechanismDetail>)> {
    let id = ids.uuid(0)?;
    state.store.role_create(&me.ctx, id, &b.into()).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &me, id).await?)))
}

/// Roles held across mechanisms, newest first.
#[utoipa::path(get, path = "/api/v1/multilateral/roles", tag = "multilateral",
    params(("kind" = Option<String>, Query), ("mechanism" = Option<String>, Query, description = "a mechanism's code"), ("page" = Option<u64>, Query)),
    responses((status = 200, body = RolePage)))]
pub async fn roles(
    State(state): State<AppState>,
    _me: Me,
    QueryArgs(f): QueryArgs<RoleFilter>,
) -> WebResult<Json<RolePage>> {
    let p = state.store.role_list(&f).await?;
    Ok(Json(RolePage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Candidacies the reader may see, the latest election first.
#[utoipa::path(get, path = "/api/v1/multilateral/candidacies", tag = "multilateral",
    params(("q" = Option<String>, Query), ("status" = Option<String>, Query, description = "a status, or open"), ("mechanism" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = CandidacyPage)))]
pub async fn candidacies(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CandidacyFilter>,
) -> WebResult<Json<CandidacyPage>> {
    let p = state.store.candidacy_list(&me.ctx, &f).await?;
    Ok(Json(CandidacyPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Open a candidacy.
#[utoipa::path(post, path = "/api/v1/multilateral/candidacies", tag = "multilateral", request_body = CandidacyBody,
    responses((status = 201, body = CandidacyDetail), (status = 422, body = ErrorBody)))]
pub async fn candidacy_create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<CandidacyBody>,
) -> WebResult<(StatusCode, Json<CandidacyDetail>)> {
    let c = state.store.candidacy_create(&me.ctx, &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.candidacy_get(&me.ctx, c.id).await?.into()),
    ))
}

/// One candidacy with its campaign board.
#[utoipa::path(get, path = "/api/v1/multilateral/candidacies/{id}", tag = "multilateral", params(("id" = Uuid, Path)),
    responses((status = 200, body = CandidacyDetail), (status = 404, body = ErrorBody)))]
pub async fn candidacy_get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<CandidacyDetail>> {
    Ok(Json(
        state
            .store
            .candidacy_get(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Change a candidacy's particulars, at the version read.
#[utoipa::path(put, path = "/api/v1/multilateral/candidacies/{id}", tag = "multilateral", params(("id" = Uuid, Path)), request_body = CandidacyBody,
    responses((status = 200, body = CandidacyDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn candidacy_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<CandidacyBody>,
) -> WebResult<Json<CandidacyDetail>> {
    let id = ids.uuid(0)?;
    let Some(version) = b.version else {
        return Err(super::version_required().into());
    };
    state
        .store
        .candidacy_update(&me.ctx, id, version, &b.into())
        .await?;
    Ok(Json(state.store.candidacy_get(&me.ctx, id).await?.into()))
}

/// Move a candidacy along its workflow.
#[utoipa::path(post, path = "/api/v1/multilateral/candidacies/{id}/move", tag = "multilateral", params(("id" = Uuid, Path)), request_body = MoveBody,
    responses((status = 200, body = CandidacyDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn candidacy_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<MoveBody>,
) -> WebResult<Json<CandidacyDetail>> {
    let id = ids.uuid(0)?;
    state
        .store
        .candidacy_move(
            &me.ctx,
            id,
            &MoveForm {
                status: b.status,
                note: b.note,
                version: Some(b.version),
            },
        )
        .await?;
    Ok(Json(state.store.candidacy_get(&me.ctx, id).await?.into()))
}

/// A candidacy's pledges the reader may see, newest first.
#[utoipa::path(get, path = "/api/v1/multilateral/candidacies/{id}/pledges", tag = "multilateral",
    params(("id" = Uuid, Path), ("country" = Option<String>, Query, description = "ISO alpha-2")),
    responses((status = 200, body = Vec<Pledge>), (status = 404, body = ErrorBody)))]
pub async fn pledges(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<CountryArg>,
) -> WebResult<Json<Vec<Pledge>>> {
    Ok(Json(
        state
            .store
            .pledge_list(&me.ctx, ids.uuid(0)?, a.country.as_deref())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Record a country's word; a reciprocal promise becomes a commitment.
#[utoipa::path(post, path = "/api/v1/multilateral/candidacies/{id}/pledges", tag = "multilateral", params(("id" = Uuid, Path)), request_body = PledgeBody,
    responses((status = 201, body = CandidacyDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pledge_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<PledgeBody>,
) -> WebResult<(StatusCode, Json<CandidacyDetail>)> {
    let id = ids.uuid(0)?;
    state.store.pledge_add(&me.ctx, id, &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.candidacy_get(&me.ctx, id).await?.into()),
    ))
}
