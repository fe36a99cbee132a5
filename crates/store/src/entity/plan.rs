//! The `plans` table: strategies, programmes, đề án and plans (migration 53).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    #[serde(skip)]
    pub title_fold: String,
    /// The issuing agency.
    pub owner_agency_id: Uuid,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub period_from: Date,
    pub period_to: Date,
    pub summary: Option<String>,
    pub status: String,
    pub status_note: Option<String>,
    /// The template it was copied from.
    pub template_id: Option<Uuid>,
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
