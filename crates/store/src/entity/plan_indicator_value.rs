//! The `plan_indicator_values` table: the actual figure of an indicator a
//! progress report gives for its period (migration 57).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_indicator_values")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub progress_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub indicator_id: Uuid,
    /// A canonical decimal ("1250.75").
    pub actual: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
