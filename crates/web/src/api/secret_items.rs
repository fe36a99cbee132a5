//! The state-secrets catalogue through the JSON API (the page is
//! `ui::secret_items`): every signed-in user reads it, administrators keep it.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::secret_item::SecretItemForm;
use kieng_store::secret_items::SecretItemView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A catalogue item a classified record names as its basis.
#[derive(Serialize, ToSchema)]
pub struct SecretItem {
    pub id: Uuid,
    pub code: String,
    /// The decision issuing the catalogue.
    pub catalogue: String,
    pub title: String,
    /// mat | toi_mat | tuyet_mat: the level records naming the item carry.
    pub level: String,
    /// Retired items stay on the records that name them and are not chosen anew.
    pub retired: bool,
    pub version: i32,
}

impl From<SecretItemView> for SecretItem {
    fn from(v: SecretItemView) -> Self {
        Self {
            id: v.id,
            code: v.code,
            catalogue: v.catalogue,
            title: v.title,
            level: v.level.as_str().to_string(),
            retired: v.retired,
            version: v.version,
        }
    }
}

/// An item as submitted over JSON.
#[derive(Deserialize, ToSchema)]
pub struct SecretItemInput {
    /// Letters without diacritics, digits and `- . / _`; kept upper-case.
    pub code: String,
    pub catalogue: String,
    pub title: String,
    /// mat | toi_mat | tuyet_mat
    pub level: String,
    /// Only when correcting: the version read.
    #[serde(default)]
    pub version: Option<i32>,
}

impl SecretItemInput {
    fn form(&self) -> SecretItemForm {
        SecretItemForm {
            code: self.code.clone(),
            catalogue: self.catalogue.clone(),
            title: self.title.clone(),
            level: self.level.clone(),
        }
    }
}

/// Retire an item, or reinstate it.
#[derive(Deserialize, ToSchema)]
pub struct RetireInput {
    pub retired: bool,
    pub version: i32,
}

/// The catalogue: items in force first, by code.
#[utoipa::path(get, path = "/api/v1/secret-items", tag = "reference",
    responses((status = 200, body = [SecretItem])))]
pub async fn list(State(state): State<AppState>, _me: Me) -> WebResult<Json<Vec<SecretItem>>> {
    Ok(Json(
        state
            .store
            .secret_items()
            .await?
            .into_iter()
            .map(SecretItem::from)
            .collect(),
    ))
}

/// Add an item (administrators).
#[utoipa::path(post, path = "/api/v1/secret-items", tag = "reference", request_body = SecretItemInput,
    responses((status = 201, body = SecretItem), (status = 403, body = crate::api::dto::ErrorBody), (status = 422, body = crate::api::dto::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<SecretItemInput>,
) -> WebResult<(StatusCode, Json<SecretItem>)> {
    let v = state.store.secret_item_create(&me.ctx, &b.form()).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Correct an item (administrators); records naming it keep their level.
#[utoipa::path(put, path = "/api/v1/secret-items/{id}", tag = "reference", params(("id" = Uuid, Path)),
    request_body = SecretItemInput,
    responses((status = 200, body = SecretItem), (status = 403, body = crate::api::dto::ErrorBody), (status = 404, body = crate::api::dto::ErrorBody),
        (status = 409, body = crate::api::dto::ErrorBody), (status = 422, body = crate::api::dto::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<SecretItemInput>,
) -> WebResult<Json<SecretItem>> {
    let version = b.version.ok_or_else(crate::api::version_required)?;
    let v = state
        .store
        .secret_item_update(&me.ctx, ids.uuid(0)?, version, &b.form())
        .await?;
    Ok(Json(v.into()))
}

/// Retire or reinstate an item (administrators).
#[utoipa::path(post, path = "/api/v1/secret-items/{id}/retirement", tag = "reference", params(("id" = Uuid, Path)),
    request_body = RetireInput,
    responses((status = 200, body = SecretItem), (status = 403, body = crate::api::dto::ErrorBody), (status = 404, body = crate::api::dto::ErrorBody),
        (status = 409, body = crate::api::dto::ErrorBody)))]
pub async fn retire(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<RetireInput>,
) -> WebResult<Json<SecretItem>> {
    let v = state
        .store
        .secret_item_retire(&me.ctx, ids.uuid(0)?, b.version, b.retired)
        .await?;
    Ok(Json(v.into()))
}
