//! The `plan_delegations` table: a delegation plan's planned delegations and
//! the activity each was matched to (migration 56).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_delegations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    /// outgoing_delegation | incoming_delegation
    pub direction: String,
    pub partner_id: Uuid,
    pub head_level: Option<String>,
    /// The first day of the planned month.
    pub month: Date,
    pub lead_agency_id: Uuid,
    pub purpose: Option<String>,
    /// The activity an officer confirmed carried it out.
    pub activity_id: Option<Uuid>,
    pub matched_by: Option<Uuid>,
    pub matched_at: Option<DateTimeUtc>,
    pub dropped: bool,
    pub drop_reason: Option<String>,
    pub classification: i16,
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
