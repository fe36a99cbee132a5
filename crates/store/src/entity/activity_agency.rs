//! The `activity_agencies` table: participating agencies.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: Uuid,
    /// The activity's start, owner, classification, pillar and deletion (kept
    /// with every write of the activity; the trash sets and clears the last).
    pub starts_at: DateTimeUtc,
    pub owner_agency_id: Uuid,
    pub classification: i16,
    pub pillar: String,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
