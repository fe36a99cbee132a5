//! The `agreement_agencies` table: the Vietnamese parties of an agreement besides its owner.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "agreement_agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
