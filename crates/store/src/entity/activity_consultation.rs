//! The `activity_consultations` table: the bodies consulted before a hosted
//! conference is approved (Decision 06/2020/QĐ-TTg, Art. 5).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub body: String,
    pub requested_on: Date,
    pub received_on: Option<Date>,
    pub answered_on: Option<Date>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
