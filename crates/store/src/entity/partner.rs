//! The `partners` table.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub code: Option<String>,
    pub country_code: Option<String>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub name_fold: String,
    pub neighbour: bool,
    pub traditional_friend: bool,
    pub notes: Option<String>,
    pub merged_into_id: Option<Uuid>,
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
