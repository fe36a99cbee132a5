//! The `mechanism_roles` table: a role Vietnam or a Vietnamese national held (migration 64).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mechanism_roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mechanism_id: Uuid,
    pub kind: String,
    pub title_vi: String,
    pub title_en: String,
    pub starts_on: Date,
    pub starts_precision: String,
    pub ends_on: Option<Date>,
    pub ends_precision: Option<String>,
    pub holder: Option<String>,
    pub source: String,
    pub agency_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub shipped: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
