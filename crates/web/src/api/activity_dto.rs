//! The shapes of activities in the API (kept apart from `dto` to keep files small).

use super::dto::{AgencyLink, class};
use chrono::{DateTime, NaiveDate, Utc};
use kieng_domain::coordination::Reason;
use kieng_store::activities::{ActivityRow, ActivityView, Brief, Warning};
use kieng_store::entity::activity;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub title: String,
    /// A code from /api/v1/activity-types.
    pub type_code: String,
    /// party | state | people
    pub pillar: String,
    pub lead_agency_id: Uuid,
    pub head_name: Option<String>,
    pub head_level: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// IANA zone the times were given in.
    pub time_zone: String,
    pub country_code: Option<String>,
    pub city: Option<String>,
    pub purpose: Option<String>,
    pub programme: Option<String>,
    pub inviting_party: Option<String>,
    pub funding: Option<String>,
    /// prime_minister | other | party_rules (who approves a hosted conference)
    pub authority: Option<String>,
    /// The day the dossier reached the approver (a hosted conference's lead time counts from it).
    pub filed_on: Option<NaiveDate>,
    /// defence | public_security | national_assembly; none: the pillar's own channel.
    pub channel: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub approver: Option<String>,
    /// draft | submitted | approved | returned | done | reported | cancelled
    pub status: String,
    /// Why it was last returned or cancelled.
    pub status_note: Option<String>,
    pub outcome: Option<String>,
    pub classification: String,
    /// The state-secrets catalogue item its classification rests on (`/api/v1/secret-items`).
    pub secret_item_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<activity::Model> for Activity {
    fn from(a: activity::Model) -> Self {
        Self {
            id: a.id,
            title: a.title,
            type_code: a.type_code,
            pillar: a.pillar,
            lead_agency_id: a.lead_agency_id,
            head_name: a.head_name,
            head_level: a.head_level,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            time_zone: a.time_zone,
            country_code: a.country_code,
            city: a.city,
            purpose: a.purpose,
            programme: a.programme,
            inviting_party: a.inviting_party,
            funding: a.funding,
            authority: a.authority,
            filed_on: a.filed_on,
            channel: a.channel,
            decision_number: a.decision_number,
            decision_date: a.decision_date,
            approver: a.approver,
            status: a.status,
            status_note: a.status_note,
            outcome: a.outcome,
            classification: class(a.classification),
            secret_item_id: a.secret_item_id,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActivityListRow {
    pub activity: Activity,
    pub lead: Option<AgencyLink>,
    pub report_overdue: bool,
}

impl From<ActivityRow> for ActivityListRow {
    fn from(r: ActivityRow) -> Self {
        Self {
            activity: r.activity.into(),
            lead: r.lead.map(Into::into),
            report_overdue: r.report_overdue,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActivityPage {
    pub items: Vec<ActivityListRow>,
    /// Counted up to 10,001: 10001 means "more than 10,000".
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityBrief {
    pub id: Uuid,
    pub title: String,
    pub type_code: String,
    pub pillar: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub lead: Option<AgencyLink>,
    /// The reader's scope covers it: `GET /api/v1/activities/{id}` answers.
    pub in_scope: bool,
}

impl From<Brief> for ActivityBrief {
    fn from(b: Brief) -> Self {
        Self {
            id: b.id,
            title: b.title,
            type_code: b.type_code,
            pillar: b.pillar,
            status: b.status,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            lead: b.lead.map(Into::into),
            in_scope: b.open,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CoordinationWarning {
    /// clash (with the `other` activity) | report_overdue
    pub kind: String,
    /// Send it back to acknowledge this warning; for a clash, one
    /// acknowledgement covers the pair from either side.
    pub key: String,
    /// Why the two clash, every reason (empty for an overdue report).
    pub reasons: Vec<ClashReason>,
    /// The reasons in one line, in Vietnamese and in English.
    pub label_vi: String,
    pub label_en: String,
    pub other: Option<ActivityBrief>,
    pub acknowledged_note: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged it (display name).
    pub acknowledged_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClashReason {
    /// same_partner | same_person | incoming_week
    pub kind: String,
    /// The partner(s) or the person both activities share.
    pub subject: String,
    /// Whole days between the two in Vietnam's time (same_partner only; 0 when
    /// they overlap or fall on one day).
    pub days_apart: Option<i64>,
}

impl From<Reason> for ClashReason {
    fn from(r: Reason) -> Self {
        let kind = r.kind().to_string();
        match r {
            Reason::SamePartner {
                partners,
                days_apart,
                ..
            } => Self {
                kind,
                subject: partners,
                days_apart: Some(days_apart),
            },
            Reason::SamePerson { name } => Self {
                kind,
                subject: name,
                days_apart: None,
            },
            Reason::IncomingWeek { partners } => Self {
                kind,
                subject: partners,
                days_apart: None,
            },
        }
    }
}

impl From<Warning> for CoordinationWarning {
    fn from(w: Warning) -> Self {
        let label = w.label();
        let (note, at, by) = match w.ack {
            Some(k) => (Some(k.note), Some(k.at), k.by),
            None => (None, None, None),
        };
        Self {
            kind: w.kind.into(),
            key: w.key,
            reasons: w.reasons.into_iter().map(Into::into).collect(),
            label_vi: label.vi,
            label_en: label.en,
            other: w.other.map(Into::into),
            acknowledged_note: note,
            acknowledged_at: at,
            acknowledged_by: by,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerLink {
    pub id: Uuid,
    pub name_vi: String,
}

#[derive(Serialize, ToSchema)]
pub struct Person {
    pub name: String,
    pub position: Option<String>,
    /// The head of delegation.
    pub head: bool,
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowEvent {
    pub transition: String,
    pub from_status: String,
    pub to_status: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    /// Who made the move (display name).
    pub by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDetail {
    pub activity: Activity,
    pub type_vi: String,
    pub type_en: String,
    pub lead: Option<AgencyLink>,
    pub agencies: Vec<AgencyLink>,
    pub partners: Vec<PartnerLink>,
    pub people: Vec<Person>,
    /// Oldest first.
    pub events: Vec<WorkflowEvent>,
    /// The moves the reader may make now (submit, approve, return, complete, report, cancel).
    pub moves: Vec<String>,
    pub report_overdue: bool,
    /// For a hosted conference filed too late: [days required, days given].
    #[schema(value_type = Option<Vec<i64>>, min_items = 2, max_items = 2)]
    pub filed_late: Option<(i64, i64)>,
    pub warnings: Vec<CoordinationWarning>,
    /// Do the consultations of Decision 06/2020/QĐ-TTg, Art. 5 apply (a hosted
    /// conference outside the Party's rules)?
    pub consults: bool,
    /// The bodies consulted, in the order they were asked.
    pub consultations: Vec<Consultation>,
    /// For a conference the Prime Minister approves: the bodies Art. 5(1)(a)
    /// requires that no consultation names (`mofa`, `mps`).
    pub consult_missing: Vec<String>,
}

/// A body consulted on a hosted conference and its answer.
#[derive(Serialize, ToSchema)]
pub struct Consultation {
    pub id: Uuid,
    pub body: String,
    pub requested_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    /// 15 days after receipt (after sending while the receipt is not recorded).
    pub due: NaiveDate,
    /// answered | answered_late | waiting | overdue
    pub state: String,
    /// Waiting: days left to the due day; overdue: days past it.
    pub days: Option<i64>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

impl From<kieng_store::activities::ConsultationRow> for Consultation {
    fn from(c: kieng_store::activities::ConsultationRow) -> Self {
        use kieng_domain::consultation::Standing;
        let (state, days) = match c.standing {
            Standing::Answered { late: false } => ("answered", None),
            Standing::Answered { late: true } => ("answered_late", None),
            Standing::Waiting { days_left } => ("waiting", Some(days_left)),
            Standing::Overdue { days } => ("overdue", Some(days)),
        };
        let r = c.row;
        Self {
            id: r.id,
            body: r.body,
            requested_on: r.requested_on,
            received_on: r.received_on,
            answered_on: r.answered_on,
            due: c.due,
            state: state.into(),
            days,
            reference: r.reference,
            note: r.note,
        }
    }
}

/// A consultation as sent: whom the approver asked and when; the answer's day
/// once it came. Dates are YYYY-MM-DD or DD/MM/YYYY.
#[derive(Deserialize, ToSchema, Default)]
pub struct ConsultationInput {
    pub body: String,
    pub requested_on: String,
    pub received_on: Option<String>,
    pub answered_on: Option<String>,
    /// The request's or the answer's document number.
    pub reference: Option<String>,
    pub note: Option<String>,
}

impl From<ConsultationInput> for kieng_domain::consultation::ConsultationForm {
    fn from(b: ConsultationInput) -> Self {
        Self {
            body: b.body,
            requested_on: b.requested_on,
            received_on: b.received_on,
            answered_on: b.answered_on,
            reference: b.reference,
            note: b.note,
        }
    }
}

impl From<ActivityView> for ActivityDetail {
    fn from(v: ActivityView) -> Self {
        Self {
            activity: v.activity.into(),
            type_vi: v.type_vi,
            type_en: v.type_en,
            lead: v.lead.map(Into::into),
            agencies: v.agencies.into_iter().map(Into::into).collect(),
            partners: v
                .partners
                .into_iter()
                .map(|(id, name_vi)| PartnerLink { id, name_vi })
                .collect(),
            people: v
                .people
                .into_iter()
                .map(|p| Person {
                    name: p.name,
                    position: p.position,
                    head: p.head,
                })
                .collect(),
            events: v
                .events
                .into_iter()
                .map(|s| WorkflowEvent {
                    transition: s.event.transition,
                    from_status: s.event.from_status,
                    to_status: s.event.to_status,
                    note: s.event.note,
                    at: s.event.at,
                    by: s.by,
                })
                .collect(),
            moves: v.moves.iter().map(|m| m.as_str().to_string()).collect(),
            report_overdue: v.report_overdue,
            filed_late: v.filed_late,
            warnings: v.warnings.into_iter().map(Into::into).collect(),
            consults: v.consults,
            consultations: v.consultations.into_iter().map(Into::into).collect(),
            consult_missing: v
                .consult_missing
                .iter()
                .map(|(code, _, _)| code.to_string())
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct MemberInput {
    pub name: String,
    pub position: Option<String>,
}

/// An activity to create or update. Times are local to `time_zone`
/// ("2026-12-01T09:00"; default Asia/Ho_Chi_Minh).
#[derive(Deserialize, ToSchema, Default)]
pub struct ActivityInput {
    pub title: String,
    pub type_code: String,
    /// Empty: the lead agency's pillar.
    pub pillar: Option<String>,
    /// The lead agency's code or id.
    pub lead_agency: String,
    /// Participating agencies' codes or ids.
    pub agencies: Option<Vec<String>>,
    /// Partners by id or by any of their names.
    pub partners: Option<Vec<String>>,
    pub head_name: Option<String>,
    pub head_level: Option<String>,
    pub members: Option<Vec<MemberInput>>,
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: Option<String>,
    pub country_code: Option<String>,
    pub city: Option<String>,
    pub purpose: Option<String>,
    pub programme: Option<String>,
    pub inviting_party: Option<String>,
    pub funding: Option<String>,
    pub authority: Option<String>,
    /// yyyy-mm-dd or dd/mm/yyyy: the day the dossier reached the approver.
    pub filed_on: Option<String>,
    /// defence | public_security | national_assembly; empty: the pillar's own channel.
    pub channel: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<String>,
    pub approver: Option<String>,
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item it rests on (code or id).
    pub secret_item: Option<String>,
    /// On update: the version read.
    pub version: Option<i32>,
}

use kieng_domain::text::Listed;

impl ActivityInput {
    pub fn form(&self) -> kieng_domain::activity::ActivityForm {
        kieng_domain::activity::ActivityForm {
            title: self.title.clone(),
            type_code: self.type_code.clone(),
            pillar: self.pillar.clone(),
            lead_agency: self.lead_agency.clone(),
            agencies: self.agencies.clone().map(Listed::Items),
            partners: self.partners.clone().map(Listed::Items),
            head_name: self.head_name.clone(),
            head_level: self.head_level.clone(),
            members: self.members.as_ref().map(|m| {
                Listed::Items(
                    m.iter()
                        .map(|m| kieng_domain::activity::Member {
                            name: m.name.clone(),
                            position: m.position.clone(),
                        })
                        .collect(),
                )
            }),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            country_code: self.country_code.clone(),
            city: self.city.clone(),
            purpose: self.purpose.clone(),
            programme: self.programme.clone(),
            inviting_party: self.inviting_party.clone(),
            funding: self.funding.clone(),
            authority: self.authority.clone(),
            filed_on: self.filed_on.clone(),
            channel: self.channel.clone(),
            decision_number: self.decision_number.clone(),
            decision_date: self.decision_date.clone(),
            approver: self.approver.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct TransitionInput {
    /// submit | approve | return | complete | report | cancel
    pub transition: String,
    /// The reason (return, cancel) or the outcome report (report).
    pub note: Option<String>,
    /// The version read.
    pub version: i32,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct AckInput {
    /// The warning's `key`.
    pub key: String,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityType {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub builtin: bool,
}

/// One entry of the coordination board: an activity in the reader's scope and
/// one warning — a clash with another activity (each pair listed once) or its
/// overdue report.
#[derive(Serialize, ToSchema)]
pub struct BoardEntry {
    pub activity: ActivityBrief,
    pub warning: CoordinationWarning,
}
