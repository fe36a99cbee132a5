//! The `report_snapshots` table: the figures and parts a report was
//! submitted with, as JSON, kept for ever.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "report_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub report_id: Uuid,
    /// `kieng_domain::report::Figures` as JSON.
    pub figures: String,
    /// The parts' text as JSON (`[[part, body], …]`).
    pub texts: String,
    pub holds: i16,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
