//! The `record_imports` table: a record brought in from a spreadsheet, with the
//! file and row it came from and its date's precision (migration 67).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "record_imports")]
pub struct Model {
    /// "activity" (later agreements and commitments).
    #[sea_orm(primary_key, auto_increment = false)]
    pub record_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub record_id: Uuid,
    pub file_name: String,
    pub row_number: i32,
    /// day, month or year.
    pub date_precision: String,
    pub imported_at: DateTimeUtc,
    pub imported_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
