//! The `crisis_tallies` table: how many live registry entries of a crisis
//! share a status, place and transport, kept by triggers on `crisis_people`
//! (migration 63). Read only.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "crisis_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub crisis_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub place: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub transport: String,
    pub n: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
