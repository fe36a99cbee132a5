//! The `import_batches` table: an uploaded sheet awaiting its user's confirmation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub file_name: String,
    /// The sheet as JSON (`kieng_domain::partner_import::Sheet`).
    pub sheet: String,
    pub classification: Option<String>,
    /// The state-secrets catalogue item the rows will name.
    pub secret_item: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
