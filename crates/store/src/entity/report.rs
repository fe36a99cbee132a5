//! The `reports` table: review reports (migration 51).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_agency_id: Uuid,
    pub title: String,
    #[serde(skip)]
    pub title_fold: String,
    pub period_kind: String,
    pub period_from: Date,
    pub period_to: Date,
    pub scope_kind: String,
    pub scope_ref: Option<String>,
    /// "Kính gửi", one per line.
    pub recipients: String,
    pub signer_position: String,
    pub signer_name: Option<String>,
    /// "Nơi nhận", one per line.
    pub copies_to: String,
    /// The urgency mark: khan, thuong_khan, hoa_toc; none when not urgent.
    pub urgency: Option<String>,
    pub status: String,
    pub status_note: Option<String>,
    /// The frozen figures and parts it was submitted (and approved) with.
    pub snapshot_id: Option<Uuid>,
    pub number_year: Option<i32>,
    pub number_seq: Option<i32>,
    pub number_symbol: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    pub approved_by: Option<Uuid>,
    pub classification: i16,
    pub secret_item_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
