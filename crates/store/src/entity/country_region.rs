//! The `country_regions` table: each country in its sub-region and its continent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "country_regions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub alpha2: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub region: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
