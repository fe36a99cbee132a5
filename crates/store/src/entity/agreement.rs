//! The `agreements` table: international agreements and their current status.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub title_fold: String,
    pub owner_agency_id: Uuid,
    /// Whether the provincial procedure applies (signed in the name of a
    /// provincial People's Council or Committee: `signed_for`).
    pub provincial: bool,
    pub signatory: Option<String>,
    pub signatory_level: Option<String>,
    pub place: Option<String>,
    pub status: String,
    pub status_on: Date,
    pub signed_on: Option<Date>,
    pub in_force_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub term: Option<String>,
    pub renewal: String,
    pub legal_basis: Option<String>,
    pub notes: Option<String>,
    pub activity_id: Option<Uuid>,
    /// In whose name it is signed (`kieng_domain::agreement::SignedFor`).
    pub signed_for: Option<String>,
    pub classification: i16,
    /// The state-secrets catalogue item its classification rests on.
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
