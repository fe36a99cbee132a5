//! The `crisis_people` table: a citizen in a crisis's area, their personal data sealed (migration 62).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "crisis_people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub crisis_id: Uuid,
    pub status: String,
    pub place: String,
    pub transport: String,
    /// `seal::Sealer::seal` of their `PersonData`; "" once retention removed it.
    #[serde(skip_serializing)]
    pub sealed: String,
    #[serde(skip_serializing)]
    pub passport_key: Option<String>,
    #[serde(skip_serializing)]
    pub name_key: Option<String>,
    pub merged: bool,
    pub merged_into: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub source: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
