//! The `protection_cases` table: a citizen protection case (migration 60).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "protection_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    /// The mission (or agency) in charge: the case's owner.
    pub agency_id: Uuid,
    /// The agency that took it in; the case is seen through it too.
    pub intake_agency_id: Uuid,
    pub source: String,
    pub category: String,
    pub severity: String,
    pub status: String,
    pub is_open: bool,
    pub summary: String,
    pub country_code: String,
    pub place: Option<String>,
    pub authority_partner_id: Option<Uuid>,
    pub legal_entity: Option<String>,
    pub officer_id: Option<Uuid>,
    pub opened_at: DateTimeUtc,
    pub first_contact_due: DateTimeUtc,
    pub first_contact_at: Option<DateTimeUtc>,
    pub next_action: Option<String>,
    pub next_action_due: Option<Date>,
    pub closed_at: Option<DateTimeUtc>,
    pub legal_hold: bool,
    /// What the next meeting with the country should raise (migration 62).
    pub talking_point: Option<String>,
    pub personal_purged_at: Option<DateTimeUtc>,
    pub classification: i16,
    pub secret_item_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
