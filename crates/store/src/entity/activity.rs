//! The `activities` table.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub type_code: String,
    pub title: String,
    pub text_fold: String,
    pub pillar: String,
    /// defence | public_security | national_assembly; none: the pillar's own.
    pub channel: Option<String>,
    pub lead_agency_id: Uuid,
    pub head_name: Option<String>,
    pub head_level: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub time_zone: String,
    pub country_code: Option<String>,
    pub city: Option<String>,
    pub purpose: Option<String>,
    pub programme: Option<String>,
    pub inviting_party: Option<String>,
    pub funding: Option<String>,
    pub authority: Option<String>,
    /// The day the dossier reached the approver (a hosted conference's lead time).
    pub filed_on: Option<Date>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub approver: Option<String>,
    pub status: String,
    pub status_note: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub outcome: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub sequence: i32,
    pub owner_agency_id: Uuid,
    pub classification: i16,
    /// The state-secrets catalogue item its classification rests on.
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
