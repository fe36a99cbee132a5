//! The `mechanisms` table: a multilateral mechanism and Vietnam's standing in it (migration 64).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mechanisms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub parent_id: Option<Uuid>,
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub abbreviation: String,
    pub name_fold: String,
    pub standing: String,
    pub since_on: Option<Date>,
    pub since_precision: Option<String>,
    pub source: String,
    pub partner_id: Option<Uuid>,
    pub note: Option<String>,
    pub shipped: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
