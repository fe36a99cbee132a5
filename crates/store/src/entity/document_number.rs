//! The `document_numbers` table: the register of numbers an agency issues
//! in a year.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "document_numbers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub symbol: String,
    pub record_kind: String,
    pub record_id: Uuid,
    pub title: String,
    pub issued_on: Date,
    pub classification: i16,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
