//! The `plan_tasks` table: the tree of a plan's tasks (migration 53).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub parent_id: Option<Uuid>,
    /// Its place among its siblings, from 1.
    pub position: i32,
    pub title: String,
    #[serde(skip)]
    pub title_fold: String,
    pub output: Option<String>,
    /// The sentence of the source document it carries out.
    pub source_quote: Option<String>,
    pub lead_agency_id: Uuid,
    /// A copy of the plan's issuing agency, through which the task is seen.
    pub plan_owner_id: Uuid,
    pub deadline_kind: String,
    pub due_on: Date,
    pub weight: i32,
    /// The latest progress its lead agency reported, in percent.
    pub progress: i16,
    pub reported_at: Option<DateTimeUtc>,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
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
