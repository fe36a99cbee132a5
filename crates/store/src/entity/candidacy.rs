//! The `candidacies` table: a post sought in a mechanism (migration 64).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "candidacies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mechanism_id: Uuid,
    pub post: String,
    pub post_fold: String,
    pub term: Option<String>,
    pub election_on: Option<Date>,
    pub method: Option<String>,
    pub electorate: String,
    pub electorate_size: i32,
    pub votes_needed: i32,
    pub competitors: String,
    pub status: String,
    pub status_note: Option<String>,
    pub owner_agency_id: Uuid,
    pub note: Option<String>,
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
