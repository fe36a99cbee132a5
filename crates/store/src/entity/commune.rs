//! The `communes` table: commune-level units since 1 July 2025 (migration 44).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "communes")]
pub struct Model {
    /// The General Statistics Office's code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    /// "Xã Sì Lở Lầu", "Phường Ba Đình", "Đặc khu Phú Quốc".
    pub full_name: String,
    pub name_en: Option<String>,
    /// xa | phuong | dac_khu
    pub kind: String,
    pub province_code: String,
    #[serde(skip)]
    pub name_fold: String,
    /// When an administrator last corrected it; reference migrations leave
    /// corrected rows alone.
    pub corrected_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
