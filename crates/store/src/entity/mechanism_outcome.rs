//! The `mechanism_outcomes` table: a document adopted or an initiative of Vietnam's (migration 64).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mechanism_outcomes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mechanism_id: Uuid,
    pub activity_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub adopted_on: Date,
    pub note: Option<String>,
    pub owner_agency_id: Uuid,
    pub classification: i16,
    /// The item of the secrets list a classified outcome rests on (migration 66).
    pub secret_item_id: Option<Uuid>,
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
