//! The `agencies` table.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub name_fold: String,
    pub pillar: String,
    /// A second pillar it also serves: party | state | people.
    pub also_pillar: Option<String>,
    pub level: String,
    pub parent_id: Option<Uuid>,
    pub country_code: Option<String>,
    pub province_code: Option<String>,
    /// A commune-level agency's commune; `province_code` is the commune's province.
    pub commune_code: Option<String>,
    pub status: String,
    pub successor_id: Option<Uuid>,
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
