//! The `commitments` table: what was promised, by whom, by when.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub title_fold: String,
    pub detail: Option<String>,
    pub source: String,
    pub activity_id: Option<Uuid>,
    pub agreement_id: Option<Uuid>,
    /// The citizen protection case it came from (migration 62).
    pub protection_case_id: Option<Uuid>,
    /// Made in a multilateral forum (migration 64).
    pub mechanism_id: Option<Uuid>,
    /// Promised in return for a country's pledge (migration 64).
    pub pledge_id: Option<Uuid>,
    pub plan: Option<String>,
    pub partner_id: Option<Uuid>,
    pub owner_agency_id: Uuid,
    pub source_agency_id: Option<Uuid>,
    pub responsible: Option<String>,
    pub responsible_user_id: Option<Uuid>,
    pub due_on: Date,
    pub status: String,
    pub is_open: bool,
    pub status_note: Option<String>,
    pub done_on: Option<Date>,
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
