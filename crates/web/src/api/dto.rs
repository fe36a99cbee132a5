//! The shapes the API sends and accepts, documented in the OpenAPI document.
//! They are kept apart from the table mappings so the database can change
//! without changing the API.

use chrono::{DateTime, NaiveDate, Utc};
use kieng_domain::Classification;
use kieng_store::agencies::{AgencyRef, AgencyView};
use kieng_store::entity::{agency, api_token, country, province};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub(crate) fn class(rank: i16) -> String {
    Classification::ALL
        .get(rank.clamp(0, 3) as usize)
        .copied()
        .unwrap_or_default()
        .as_str()
        .to_string()
}

#[derive(Serialize, ToSchema)]
pub struct Agency {
    pub id: Uuid,
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    /// party | state | people
    pub pillar: String,
    /// A second pillar it also serves, whose pillar-wide readers see it.
    pub also_pillar: Option<String>,
    /// central | provincial | commune | mission
    pub level: String,
    pub parent_id: Option<Uuid>,
    pub country_code: Option<String>,
    /// A provincial agency's province, or a commune-level agency's commune's.
    pub province_code: Option<String>,
    /// A commune-level agency's commune (the Statistics Office's code).
    pub commune_code: Option<String>,
    /// active | merged | dissolved
    pub status: String,
    pub successor_id: Option<Uuid>,
    /// none | mat | toi_mat | tuyet_mat
    pub classification: String,
    /// The state-secrets catalogue item its classification rests on (`/api/v1/secret-items`).
    pub secret_item_id: Option<Uuid>,
    /// Send it back with an update: a stale one gets 409.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<agency::Model> for Agency {
    fn from(m: agency::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            name_vi: m.name_vi,
            name_en: m.name_en,
            abbreviation: m.abbreviation,
            pillar: m.pillar,
            also_pillar: m.also_pillar,
            level: m.level,
            parent_id: m.parent_id,
            country_code: m.country_code,
            province_code: m.province_code,
            commune_code: m.commune_code,
            status: m.status,
            successor_id: m.successor_id,
            classification: class(m.classification),
            secret_item_id: m.secret_item_id,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            deleted_at: m.deleted_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgencyPage {
    pub items: Vec<Agency>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyLink {
    pub id: Uuid,
    pub code: String,
    pub name_vi: String,
    pub status: String,
}

impl From<AgencyRef> for AgencyLink {
    fn from(r: AgencyRef) -> Self {
        Self {
            id: r.id,
            code: r.code,
            name_vi: r.name_vi,
            status: r.status,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LineageEvent {
    pub id: Uuid,
    pub agency_id: Uuid,
    /// renamed | merged_into | split_from | dissolved
    pub kind: String,
    pub effective_date: NaiveDate,
    pub related_agency_id: Option<Uuid>,
    pub related_name: Option<String>,
    pub old_name_vi: Option<String>,
    pub new_name_vi: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyDetail {
    pub agency: Agency,
    pub parent_name: Option<String>,
    pub successor_name: Option<String>,
    pub country_name: Option<String>,
    pub province_name: Option<String>,
    pub lineage: Vec<LineageEvent>,
    pub children: Vec<AgencyLink>,
    pub predecessors: Vec<AgencyLink>,
}

impl From<AgencyView> for AgencyDetail {
    fn from(v: AgencyView) -> Self {
        Self {
            agency: v.agency.into(),
            parent_name: v.parent_name,
            successor_name: v.successor_name,
            country_name: v.country_name,
            province_name: v.province_name,
            lineage: v
                .lineage
                .into_iter()
                .map(|l| LineageEvent {
                    id: l.event.id,
                    agency_id: l.event.agency_id,
                    kind: l.event.kind,
                    effective_date: l.event.effective_date,
                    related_agency_id: l.event.related_agency_id,
                    related_name: l.related_name,
                    old_name_vi: l.event.old_name_vi,
                    new_name_vi: l.event.new_name_vi,
                    note: l.event.note,
                })
                .collect(),
            children: v.children.into_iter().map(Into::into).collect(),
            predecessors: v.predecessors.into_iter().map(Into::into).collect(),
        }
    }
}

/// An agency to create or the new state of one to update.
#[derive(Deserialize, ToSchema, Default)]
pub struct AgencyInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub pillar: String,
    /// A second pillar it also serves (party | state | people), or none.
    pub also_pillar: Option<String>,
    pub level: String,
    pub parent_id: Option<Uuid>,
    pub country_code: Option<String>,
    pub province_code: Option<String>,
    /// For a commune-level agency: its commune's code (its province follows).
    pub commune_code: Option<String>,
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item it rests on (code or id).
    pub secret_item: Option<String>,
    /// Required on update: the version you read.
    pub version: Option<i32>,
}

impl AgencyInput {
    pub fn form(&self) -> kieng_domain::agency::AgencyForm {
        kieng_domain::agency::AgencyForm {
            code: self.code.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
            abbreviation: self.abbreviation.clone(),
            pillar: self.pillar.clone(),
            also_pillar: self.also_pillar.clone(),
            level: self.level.clone(),
            parent_id: self.parent_id.map(|p| p.to_string()),
            country_code: self.country_code.clone(),
            province_code: self.province_code.clone(),
            commune_code: self.commune_code.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct LineageInput {
    /// renamed | merged_into | split_from | dissolved
    pub kind: String,
    /// yyyy-mm-dd
    pub effective_date: String,
    pub related_agency_id: Option<Uuid>,
    pub new_name_vi: Option<String>,
    pub new_name_en: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct VersionInput {
    pub version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    /// admin | leader | coordinator | officer | viewer
    pub role: String,
    /// agency | pillar | all
    pub scope: String,
    pub clearance: String,
    pub locale: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub version: i32,
}

impl From<kieng_store::users::UserView> for User {
    fn from(v: kieng_store::users::UserView) -> Self {
        let u = v.user;
        Self {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            agency_id: u.agency_id,
            agency_name: v.agency_name,
            role: u.role,
            scope: u.scope,
            clearance: class(u.clearance),
            locale: u.locale,
            disabled: u.disabled_at.is_some(),
            must_change_password: u.must_change_password,
            version: u.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct UserInput {
    pub username: String,
    pub display_name: Option<String>,
    pub agency_id: Uuid,
    pub role: String,
    pub scope: Option<String>,
    pub clearance: Option<String>,
    /// Required on update.
    pub version: Option<i32>,
}

impl UserInput {
    pub fn form(&self) -> kieng_domain::user::UserForm {
        kieng_domain::user::UserForm {
            username: self.username.clone(),
            display_name: self.display_name.clone().unwrap_or_default(),
            agency_id: self.agency_id.to_string(),
            role: self.role.clone(),
            scope: self.scope.clone().unwrap_or_default(),
            clearance: self.clearance.clone().unwrap_or_default(),
            password: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserCreated {
    pub user: User,
    /// Shown once; the user must change it at first sign-in.
    pub one_time_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct OneTimePassword {
    pub one_time_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub action: String,
    pub classification: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl From<kieng_store::audit::AuditEntry> for AuditEntry {
    fn from(e: kieng_store::audit::AuditEntry) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            actor_name: e.actor_name,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            action: e.action,
            classification: e.classification.as_str().to_string(),
            before: e.before,
            after: e.after,
            request_id: e.request_id,
            ip: e.ip,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Trash {
    pub agencies: Vec<Agency>,
}

#[derive(Serialize, ToSchema)]
pub struct Country {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub name_vi: String,
    pub name_en: String,
    /// When an administrator last corrected it.
    pub corrected_at: Option<DateTime<Utc>>,
}

impl From<country::Model> for Country {
    fn from(c: country::Model) -> Self {
        Self {
            alpha2: c.alpha2,
            alpha3: c.alpha3,
            numeric: c.numeric,
            name_vi: c.name_vi,
            name_en: c.name_en,
            corrected_at: c.corrected_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Province {
    pub code: String,
    pub name: String,
    /// city | province
    pub kind: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// For a unit merged on 1 July 2025: the unit it became part of.
    pub successor_code: Option<String>,
    pub iso_code: Option<String>,
    /// When an administrator last corrected it.
    pub corrected_at: Option<DateTime<Utc>>,
}

impl From<province::Model> for Province {
    fn from(p: province::Model) -> Self {
        Self {
            code: p.code,
            name: p.name,
            kind: p.kind,
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            successor_code: p.successor_code,
            iso_code: p.iso_code,
            corrected_at: p.corrected_at,
        }
    }
}

/// A commune-level unit (since 1 July 2025).
#[derive(Serialize, ToSchema)]
pub struct Commune {
    /// The General Statistics Office's code.
    pub code: String,
    pub name: String,
    /// "Xã Sì Lở Lầu"
    pub full_name: String,
    pub name_en: Option<String>,
    /// xa | phuong | dac_khu
    pub kind: String,
    pub province_code: String,
    /// When an administrator last corrected it.
    pub corrected_at: Option<DateTime<Utc>>,
}

impl From<kieng_store::entity::commune::Model> for Commune {
    fn from(c: kieng_store::entity::commune::Model) -> Self {
        Self {
            code: c.code,
            name: c.name,
            full_name: c.full_name,
            name_en: c.name_en,
            kind: c.kind,
            province_code: c.province_code,
            corrected_at: c.corrected_at,
        }
    }
}

/// Communes matching a filter: at most 500, with how many match in all.
#[derive(Serialize, ToSchema)]
pub struct CommunePage {
    pub items: Vec<Commune>,
    pub total: u64,
}

/// A commune-level unit as corrected: its own name, kind and province.
#[derive(Deserialize, ToSchema, Default)]
pub struct CommuneInput {
    /// Its own name, without "Xã", "Phường" or "Đặc khu".
    pub name: String,
    pub name_en: Option<String>,
    /// xa | phuong | dac_khu
    pub kind: String,
    /// A provincial unit in force.
    pub province_code: String,
}

/// A provincial unit as corrected.
#[derive(Deserialize, ToSchema, Default)]
pub struct ProvinceInput {
    pub name: String,
    /// province | city
    pub kind: String,
}

/// A country's names as corrected.
#[derive(Deserialize, ToSchema, Default)]
pub struct CountryInput {
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Serialize, ToSchema)]
pub struct Token {
    pub id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_token::Model> for Token {
    fn from(t: api_token::Model) -> Self {
        Self {
            id: t.id,
            label: t.label,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NewToken {
    pub token: Token,
    /// The bearer secret, shown once.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
pub struct TokenInput {
    pub label: String,
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordInput {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub read_scope_agencies: Option<usize>,
    pub max_classification: String,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// invalid | not_found | forbidden | conflict | throttled | unauthenticated | bad_request | password_change_required | internal
    pub code: String,
    pub message: String,
    /// Field name → what to fix.
    pub fields: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct Partner {
    pub id: Uuid,
    /// country | organisation | party | parliament | locality | ngo | enterprise | other_organisation | person
    pub kind: String,
    pub code: Option<String>,
    pub country_code: Option<String>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub neighbour: bool,
    pub traditional_friend: bool,
    pub classification: String,
    /// The state-secrets catalogue item its classification rests on (`/api/v1/secret-items`).
    pub secret_item_id: Option<Uuid>,
    pub version: i32,
}

impl From<kieng_store::entity::partner::Model> for Partner {
    fn from(p: kieng_store::entity::partner::Model) -> Self {
        Self {
            id: p.id,
            kind: p.kind,
            code: p.code,
            country_code: p.country_code,
            name_vi: p.name_vi,
            name_en: p.name_en,
            abbreviation: p.abbreviation,
            neighbour: p.neighbour,
            traditional_friend: p.traditional_friend,
            classification: class(p.classification),
            secret_item_id: p.secret_item_id,
            version: p.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Framework {
    pub id: Uuid,
    pub level_code: String,
    pub level_vi: String,
    pub level_en: String,
    /// As known: "2016", "05/2008" or "07/10/2024"; empty when undated.
    pub since: String,
    pub since_date: Option<NaiveDate>,
    pub official_name: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl From<kieng_store::partners::FrameworkView> for Framework {
    fn from(f: kieng_store::partners::FrameworkView) -> Self {
        Self {
            id: f.step.id,
            level_code: f.step.level_code,
            level_vi: f.level_vi,
            level_en: f.level_en,
            since: f.since,
            since_date: f.step.since_date,
            official_name: f.step.official_name,
            source: f.step.source,
            note: f.step.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerRow {
    pub partner: Partner,
    pub current: Option<Framework>,
}

impl From<kieng_store::partners::PartnerRow> for PartnerRow {
    fn from(r: kieng_store::partners::PartnerRow) -> Self {
        Self {
            partner: r.partner.into(),
            current: r.current.map(Into::into),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerPage {
    pub items: Vec<PartnerRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Mission {
    pub agency: AgencyLink,
    pub resident: bool,
}

/// How many activities with a partner started in one year (in Vietnam) in one pillar.
#[derive(Serialize, ToSchema)]
pub struct Engagements {
    pub year: i32,
    /// party, state or people.
    pub pillar: String,
    pub activities: u32,
}

#[derive(Serialize, ToSchema)]
pub struct PartnerDossier {
    pub partner: Partner,
    pub country_name: Option<String>,
    pub aliases: Vec<String>,
    pub current: Option<Framework>,
    /// Newest first.
    pub frameworks: Vec<Framework>,
    pub missions: Vec<Mission>,
    pub notes: Option<String>,
    /// For a person: positions over time, held now first.
    pub positions: Vec<super::people::Position>,
    /// For an organisation or country: people holding a position there now.
    pub contacts: Vec<super::people::Position>,
}

impl From<kieng_store::partners::Dossier> for PartnerDossier {
    fn from(d: kieng_store::partners::Dossier) -> Self {
        Self {
            notes: d.partner.notes.clone(),
            partner: d.partner.into(),
            country_name: d.country_name,
            aliases: d.aliases,
            current: d.current.map(Into::into),
            frameworks: d.frameworks.into_iter().map(Into::into).collect(),
            missions: d
                .missions
                .into_iter()
                .map(|(a, resident)| Mission {
                    agency: a.into(),
                    resident,
                })
                .collect(),
            positions: d.positions.into_iter().map(Into::into).collect(),
            contacts: d.contacts.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct PartnerInput {
    pub kind: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub country_code: Option<String>,
    pub notes: Option<String>,
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item it rests on (code or id).
    pub secret_item: Option<String>,
    pub neighbour: Option<bool>,
    pub traditional_friend: Option<bool>,
    /// Save even though another partner answers to one of these names.
    pub allow_duplicate: Option<bool>,
    /// On update: the version read (a stale one answers 409 with the current record).
    pub version: Option<i32>,
}

impl PartnerInput {
    pub fn form(&self) -> kieng_domain::partner::PartnerForm {
        kieng_domain::partner::PartnerForm {
            kind: self.kind.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
            abbreviation: self.abbreviation.clone(),
            aliases: self.aliases.clone().map(kieng_domain::text::Listed::Items),
            country_code: self.country_code.clone(),
            notes: self.notes.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
            neighbour: self.neighbour.filter(|b| *b).map(|_| "1".into()),
            traditional_friend: self.traditional_friend.filter(|b| *b).map(|_| "1".into()),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct MissionInput {
    /// True when the mission resides in the partner country; false when concurrently accredited.
    pub resident: bool,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct FrameworkInput {
    pub level_code: String,
    /// "2016", "2008-05", "2024-10-07" (or dd/mm/yyyy).
    pub since: Option<String>,
    pub official_name: Option<String>,
    /// Required: where this fact was read.
    pub source: Option<String>,
    pub note: Option<String>,
}

impl FrameworkInput {
    pub fn form(self) -> kieng_store::partners::FrameworkForm {
        kieng_store::partners::FrameworkForm {
            level_code: self.level_code,
            since: self.since,
            official_name: self.official_name,
            source: self.source,
            note: self.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FrameworkLevel {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub rank: i32,
}

impl From<kieng_store::entity::framework_level::Model> for FrameworkLevel {
    fn from(l: kieng_store::entity::framework_level::Model) -> Self {
        Self {
            code: l.code,
            name_vi: l.name_vi,
            name_en: l.name_en,
            rank: l.rank,
        }
    }
}
