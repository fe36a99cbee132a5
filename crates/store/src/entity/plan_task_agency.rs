//! The `plan_task_agencies` table: the agencies a task is seen through (its
//! lead and its coordinating agencies), with copies of the task's columns
//! that "my agency's tasks" filters and orders on (migration 53).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_task_agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub task_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: Uuid,
    /// lead or coordinating.
    pub role: String,
    pub plan_id: Uuid,
    pub due_on: Date,
    pub progress: i16,
    pub cancelled: bool,
    pub classification: i16,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
