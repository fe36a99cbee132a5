//! The `agreement_steps` table: the steps of a provincial agreement (Law on International Agreements 2020).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "agreement_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub kind: String,
    pub body: Option<String>,
    pub requested_on: Option<Date>,
    pub done_on: Option<Date>,
    pub reference: Option<String>,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
