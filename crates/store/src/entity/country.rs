//! The `countries` table.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "countries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub name_vi: String,
    pub name_en: String,
    #[serde(skip)]
    pub name_fold: String,
    /// When an administrator last corrected it; reference migrations leave
    /// corrected rows alone.
    pub corrected_at: Option<DateTimeUtc>,
    /// Admitted to the United Nations (migration 65); none for a non-member.
    pub un_admitted: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
