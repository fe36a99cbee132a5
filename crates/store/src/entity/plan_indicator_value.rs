//! The `plan_indicator_values` table: an indicator's actual value as a
//! progress report gave it (migration 53).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_indicator_values")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub progress_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub indicator_id: Uuid,
    pub actual: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
