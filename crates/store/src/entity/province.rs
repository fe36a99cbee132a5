//! The `provinces` table.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "provinces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub kind: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub successor_code: Option<String>,
    pub iso_code: Option<String>,
    #[serde(skip)]
    pub name_fold: String,
    /// When an administrator last corrected it; reference migrations leave
    /// corrected rows alone.
    pub corrected_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
