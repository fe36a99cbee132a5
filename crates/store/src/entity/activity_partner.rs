//! The `activity_partners` table. Beside the link it copies the activity's span
//! (range scans for coordination warnings) and the columns a reader's visibility
//! and the dossier's tallies need (pillar, owner, classification, start year in
//! Vietnam), so one partner's activities are read from the partner's side (see
//! `activities::by_partner`). Every write of an activity rewrites its links.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub partner_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub pillar: String,
    pub owner_agency_id: Uuid,
    pub classification: i16,
    /// The calendar year of `starts_at` in Vietnam.
    pub vn_year: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
