//! The `protection_fund` table: the fund's entries on a protection case (migration 60).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "protection_fund")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    /// Ten-thousandths of `currency`.
    pub amount_e4: i64,
    pub currency: String,
    /// Ten-thousandths of a đồng.
    pub amount_vnd_e4: i64,
    pub purpose: String,
    pub refundable: bool,
    pub approved_by: Option<Uuid>,
    /// "mission" or "consular": the limit that applied.
    pub approval: Option<String>,
    pub rule: String,
    pub on_date: Date,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
