//! The `mechanism_activities` table: an activity that is a meeting of a mechanism (migration 64).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mechanism_activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mechanism_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
