//! The `protection_actions` table: an action on a protection case's timeline (migration 60).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "protection_actions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub at: DateTimeUtc,
    pub note: String,
    pub first_contact: bool,
    /// The workflow move this entry records, if any.
    #[sea_orm(column_name = "move")]
    pub move_code: Option<String>,
    pub by_user: Option<Uuid>,
    pub by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
