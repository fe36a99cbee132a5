//! The shapes of agreements, commitments and the board in the API.

use super::activity_dto::PartnerLink;
use super::dto::{AgencyLink, class};
use chrono::{DateTime, NaiveDate, Utc};
use kieng_store::agreements::{AgreementRow, AgreementView};
use kieng_store::commitments::{Board, BoardGroup, CommitmentRow, CommitmentView};
use kieng_store::entity::{agreement, commitment};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct Agreement {
    pub id: Uuid,
    /// treaty | international_agreement | memorandum | other
    pub kind: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub owner_agency_id: Uuid,
    /// In whose name it is signed: state | government | central_agency |
    /// provincial_council | provincial_committee | attached_unit | party_or_mass | other.
    pub signed_for: Option<String>,
    /// In the name of a provincial People's Council or Committee: the steps of
    /// the Law on International Agreements 2020, Articles 18–19, apply.
    pub provincial: bool,
    pub signatory: Option<String>,
    pub signatory_level: Option<String>,
    pub place: Option<String>,
    /// negotiating | signed | approved | in_force | suspended | expired | terminated
    pub status: String,
    pub status_on: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub term: Option<String>,
    /// none | automatic | by_agreement
    pub renewal: String,
    pub legal_basis: Option<String>,
    pub notes: Option<String>,
    pub activity_id: Option<Uuid>,
    pub classification: String,
    /// The state-secrets catalogue item its classification rests on (`/api/v1/secret-items`).
    pub secret_item_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Live and expiring within the watch window.
    pub expiring: bool,
}

fn agreement(a: agreement::Model, expiring: bool) -> Agreement {
    Agreement {
        id: a.id,
        kind: a.kind,
        title_vi: a.title_vi,
        title_en: a.title_en,
        owner_agency_id: a.owner_agency_id,
        signed_for: a.signed_for,
        provincial: a.provincial,
        signatory: a.signatory,
        signatory_level: a.signatory_level,
        place: a.place,
        status: a.status,
        status_on: a.status_on,
        signed_on: a.signed_on,
        in_force_on: a.in_force_on,
        expires_on: a.expires_on,
        term: a.term,
        renewal: a.renewal,
        legal_basis: a.legal_basis,
        notes: a.notes,
        activity_id: a.activity_id,
        classification: class(a.classification),
        secret_item_id: a.secret_item_id,
        version: a.version,
        created_at: a.created_at,
        updated_at: a.updated_at,
        expiring,
    }
}

impl From<AgreementRow> for Agreement {
    fn from(r: AgreementRow) -> Self {
        agreement(r.agreement, r.expiring)
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgreementPage {
    pub items: Vec<Agreement>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct StatusEntry {
    pub status: String,
    pub on_date: NaiveDate,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct Step {
    /// opinion | decision | report
    pub kind: String,
    pub body: Option<String>,
    pub requested_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// The deadline: 7 working days after the request (opinion), the signing
    /// (decision), 15 days after it (report).
    pub due: Option<NaiveDate>,
    /// Required by now and never recorded.
    pub missing: bool,
    pub late: bool,
    /// Days past the deadline while still not done.
    pub overdue_days: Option<i64>,
}

impl From<kieng_domain::agreement::StepState> for Step {
    fn from(s: kieng_domain::agreement::StepState) -> Self {
        Self {
            kind: s.kind.as_str().into(),
            body: s.body,
            requested_on: s.requested_on,
            done_on: s.done_on,
            due: s.due,
            missing: s.missing,
            late: s.late,
            overdue_days: s.overdue_days,
        }
    }
}

/// A provincial agreement's legal step past its deadline.
#[derive(Serialize, ToSchema)]
pub struct LateStep {
    pub agreement: Agreement,
    pub step: Step,
}

#[derive(Serialize, ToSchema)]
pub struct AgreementDetail {
    #[serde(flatten)]
    pub agreement: Agreement,
    pub owner: Option<AgencyLink>,
    pub agencies: Vec<AgencyLink>,
    pub partners: Vec<PartnerLink>,
    /// Oldest first.
    pub history: Vec<StatusEntry>,
    pub steps: Vec<Step>,
    pub can_edit: bool,
    /// The statuses it may move to now.
    pub next: Vec<String>,
}

impl From<AgreementView> for AgreementDetail {
    fn from(v: AgreementView) -> Self {
        Self {
            agreement: agreement(v.agreement, v.expiring),
            owner: v.owner.map(Into::into),
            agencies: v.agencies.into_iter().map(Into::into).collect(),
            partners: v
                .partners
                .into_iter()
                .map(|(id, name_vi)| PartnerLink { id, name_vi })
                .collect(),
            history: v
                .history
                .into_iter()
                .map(|h| StatusEntry {
                    status: h.status,
                    on_date: h.on_date,
                    note: h.note,
                    at: h.at,
                })
                .collect(),
            steps: v.steps.into_iter().map(Into::into).collect(),
            can_edit: v.can_edit,
            next: v.next.iter().map(|s| s.as_str().to_string()).collect(),
        }
    }
}

/// An agreement to record or change. Dates as yyyy-mm-dd.
#[derive(Deserialize, ToSchema, Default)]
pub struct AgreementInput {
    pub kind: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    /// The owner agency's code or id.
    pub owner_agency: String,
    /// In whose name it is signed (see `Agreement.signed_for`).
    pub signed_for: Option<String>,
    /// Other Vietnamese parties: codes or ids.
    pub agencies: Option<Vec<String>>,
    /// Foreign parties by id or any of their names.
    pub partners: Option<Vec<String>>,
    pub signatory: Option<String>,
    pub signatory_level: Option<String>,
    pub place: Option<String>,
    /// On create: the history starts "signed" on this date (else "negotiating" today).
    pub signed_on: Option<String>,
    /// On create, with `signed_on`: "in force" from this date.
    pub in_force_on: Option<String>,
    pub expires_on: Option<String>,
    pub term: Option<String>,
    pub renewal: Option<String>,
    pub legal_basis: Option<String>,
    pub notes: Option<String>,
    /// The activity during which it was signed.
    pub activity_id: Option<Uuid>,
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item it rests on (code or id).
    pub secret_item: Option<String>,
    /// On update: the version read.
    pub version: Option<i32>,
}

impl AgreementInput {
    pub fn form(&self) -> kieng_domain::agreement::AgreementForm {
        kieng_domain::agreement::AgreementForm {
            kind: self.kind.clone(),
            title_vi: self.title_vi.clone(),
            title_en: self.title_en.clone(),
            owner_agency: self.owner_agency.clone(),
            signed_for: self.signed_for.clone(),
            agencies: self.agencies.clone().map(kieng_domain::text::Listed::Items),
            partners: self.partners.clone().map(kieng_domain::text::Listed::Items),
            signatory: self.signatory.clone(),
            signatory_level: self.signatory_level.clone(),
            place: self.place.clone(),
            signed_on: self.signed_on.clone(),
            in_force_on: self.in_force_on.clone(),
            expires_on: self.expires_on.clone(),
            term: self.term.clone(),
            renewal: self.renewal.clone(),
            legal_basis: self.legal_basis.clone(),
            notes: self.notes.clone(),
            activity_id: self.activity_id.map(|i| i.to_string()),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
        }
    }
}

/// A new entry of the status history.
#[derive(Deserialize, ToSchema, Default)]
pub struct StatusInput {
    pub status: String,
    /// yyyy-mm-dd, not before the last entry, not in the future.
    pub on_date: String,
    pub note: Option<String>,
    /// A new expiry date, if it changes (a renewal).
    pub expires_on: Option<String>,
}

/// A step of a provincial agreement.
#[derive(Deserialize, ToSchema, Default)]
pub struct StepInput {
    /// opinion | decision | report
    pub kind: String,
    /// The agency consulted (opinion).
    pub body: Option<String>,
    pub requested_on: Option<String>,
    pub done_on: Option<String>,
    pub reference: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Commitment {
    pub id: Uuid,
    pub title: String,
    pub detail: Option<String>,
    /// activity | agreement | plan
    pub source: String,
    pub activity_id: Option<Uuid>,
    pub agreement_id: Option<Uuid>,
    /// The citizen protection case it came from.
    pub protection_case_id: Option<Uuid>,
    pub plan: Option<String>,
    pub partner_id: Option<Uuid>,
    pub partner_name: Option<String>,
    pub owner_agency_id: Uuid,
    pub owner: Option<AgencyLink>,
    pub responsible: Option<String>,
    pub responsible_user_id: Option<Uuid>,
    pub due_on: NaiveDate,
    /// open | in_progress | done | dropped
    pub status: String,
    /// Why it was dropped.
    pub status_note: Option<String>,
    pub done_on: Option<NaiveDate>,
    /// overdue | soon | later | closed
    pub due_state: String,
    /// Days overdue (positive) or left (due soon).
    pub due_days: Option<i64>,
    pub classification: String,
    /// The state-secrets catalogue item its classification rests on (`/api/v1/secret-items`).
    pub secret_item_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CommitmentRow> for Commitment {
    fn from(r: CommitmentRow) -> Self {
        use kieng_domain::commitment::Due;
        let c: commitment::Model = r.commitment;
        let (due_state, due_days) = match r.due_state {
            Due::Overdue(d) => ("overdue", Some(d)),
            Due::Soon(d) => ("soon", Some(d)),
            Due::Later => ("later", None),
            Due::Closed => ("closed", None),
        };
        Self {
            id: c.id,
            title: c.title,
            detail: c.detail,
            source: c.source,
            activity_id: c.activity_id,
            agreement_id: c.agreement_id,
            protection_case_id: c.protection_case_id,
            plan: c.plan,
            partner_id: c.partner_id,
            partner_name: r.partner_name,
            owner_agency_id: c.owner_agency_id,
            owner: r.owner.map(Into::into),
            responsible: c.responsible,
            responsible_user_id: c.responsible_user_id,
            due_on: c.due_on,
            status: c.status,
            status_note: c.status_note,
            done_on: c.done_on,
            due_state: due_state.into(),
            due_days,
            classification: class(c.classification),
            secret_item_id: c.secret_item_id,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentPage {
    pub items: Vec<Commitment>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressNote {
    pub note: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentDetail {
    #[serde(flatten)]
    pub commitment: Commitment,
    /// Oldest first.
    pub notes: Vec<ProgressNote>,
    pub can_edit: bool,
}

impl From<CommitmentView> for CommitmentDetail {
    fn from(v: CommitmentView) -> Self {
        Self {
            commitment: v.row.into(),
            notes: v
                .notes
                .into_iter()
                .map(|n| ProgressNote {
                    note: n.note,
                    from_status: n.from_status,
                    to_status: n.to_status,
                    at: n.at,
                })
                .collect(),
            can_edit: v.can_edit,
        }
    }
}

/// A commitment to record or change. `due_on` as yyyy-mm-dd.
#[derive(Deserialize, ToSchema, Default)]
pub struct CommitmentInput {
    pub title: String,
    pub detail: Option<String>,
    /// activity | agreement | plan
    pub source: String,
    /// The activity's or agreement's id.
    pub source_id: Option<Uuid>,
    /// The plan's name (source "plan").
    pub plan: Option<String>,
    /// The owner agency's code or id.
    pub owner_agency: String,
    /// Partner id or name; empty: the source's first partner.
    pub partner: Option<String>,
    pub responsible: Option<String>,
    /// Username whose home page lists it.
    pub responsible_user: Option<String>,
    pub due_on: String,
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item it rests on (code or id).
    pub secret_item: Option<String>,
    /// On update: the version read.
    pub version: Option<i32>,
}

impl CommitmentInput {
    pub fn form(&self) -> kieng_domain::commitment::CommitmentForm {
        kieng_domain::commitment::CommitmentForm {
            title: self.title.clone(),
            detail: self.detail.clone(),
            source: self.source.clone(),
            source_id: self.source_id.map(|i| i.to_string()),
            plan: self.plan.clone(),
            owner_agency: self.owner_agency.clone(),
            partner: self.partner.clone(),
            responsible: self.responsible.clone(),
            responsible_user: self.responsible_user.clone(),
            due_on: self.due_on.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
        }
    }
}

/// A progress note, optionally moving the status (dropping and reopening need the note).
#[derive(Deserialize, ToSchema, Default)]
pub struct NoteInput {
    #[serde(default)]
    pub note: String,
    /// open | in_progress | done | dropped; absent: unchanged.
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Group {
    pub id: Option<Uuid>,
    pub name: String,
    pub overdue: u64,
    pub soon: u64,
}

impl From<BoardGroup> for Group {
    fn from(g: BoardGroup) -> Self {
        Self {
            id: g.id,
            name: g.name,
            overdue: g.overdue,
            soon: g.soon,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentBoard {
    pub today: NaiveDate,
    pub soon_until: NaiveDate,
    pub watch_until: NaiveDate,
    pub overdue_total: u64,
    pub soon_total: u64,
    /// The first 100, oldest deadline first.
    pub overdue: Vec<Commitment>,
    pub soon: Vec<Commitment>,
    pub by_owner: Vec<Group>,
    pub by_partner: Vec<Group>,
    /// Live agreements expiring within the watch window.
    pub expiring: Vec<Agreement>,
    /// Provincial agreements' legal steps past their deadline, most overdue first.
    pub late_steps: Vec<LateStep>,
}

impl From<Board> for CommitmentBoard {
    fn from(b: Board) -> Self {
        Self {
            today: b.today,
            soon_until: b.soon_until,
            watch_until: b.watch_until,
            overdue_total: b.overdue_total,
            soon_total: b.soon_total,
            overdue: b.overdue.into_iter().map(Into::into).collect(),
            soon: b.soon.into_iter().map(Into::into).collect(),
            by_owner: b.by_owner.into_iter().map(Into::into).collect(),
            by_partner: b.by_partner.into_iter().map(Into::into).collect(),
            expiring: b.expiring.into_iter().map(Into::into).collect(),
            late_steps: b
                .late_steps
                .into_iter()
                .map(|l| LateStep {
                    agreement: l.agreement.into(),
                    step: l.step.into(),
                })
                .collect(),
        }
    }
}
