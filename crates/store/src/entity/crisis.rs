//! The `crises` table: a crisis putting many citizens in one area at risk (migration 62).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "crises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub phase: String,
    pub is_open: bool,
    pub country_code: String,
    pub area: String,
    pub agency_id: Uuid,
    pub officer_id: Option<Uuid>,
    pub started_on: Date,
    pub closed_at: Option<DateTimeUtc>,
    pub note: Option<String>,
    pub personal_purged_at: Option<DateTimeUtc>,
    pub classification: i16,
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
