//! The `person_positions` table: a person's positions over time.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "person_positions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub title: String,
    pub from_date: Option<Date>,
    pub from_precision: Option<String>,
    pub to_date: Option<Date>,
    pub to_precision: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
