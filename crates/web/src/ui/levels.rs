//! The administrator's catalogue of relationship framework levels: the list
//! with each level's names and rank editable in place, a form to add one, and
//! the same over JSON.

use crate::AppState;
use crate::api::dto;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{FormState, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::partner::LevelForm;
use kieng_store::StoreError;
use kieng_store::entity::framework_level;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Template)]
#[template(path = "levels.html")]
struct LevelsPage {
    page: PageCtx,
    levels: Vec<framework_level::Model>,
    /// The add form, or (on a failed edit) the edited level's form.
    form: FormState,
    /// Which level's row the errors belong to (None: the add form).
    editing: Option<String>,
}

async fn page(
    state: &AppState,
    me: &Me,
    form: FormState,
    editing: Option<String>,
    notice: Option<&str>,
) -> WebResult<LevelsPage> {
    Ok(LevelsPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/framework-levels", "nav.levels")
            .with_notice(notice),
        levels: state.store.framework_levels().await?,
        form,
        editing,
    })
}

fn typed(me: &Me, f: &LevelForm) -> FormState {
    FormState::new(me.lang)
        .with("code", &f.code)
        .with("name_vi", &f.name_vi)
        .with("name_en", &f.name_en)
        .with("rank", &f.rank)
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let form = FormState::new(me.lang);
    Ok(render(
        &page(&state, &me, form, None, ok.ok.as_deref()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<LevelForm>,
) -> WebResult<Response> {
    match state.store.framework_level_create(&me.ctx, &f).await {
        Ok(_) => Ok(see_other("/framework-levels", "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = typed(&me, &f);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form, None, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<LevelForm>,
) -> WebResult<Response> {
    let code = ids.text(0)?;
    match state.store.framework_level_update(&me.ctx, &code, &f).await {
        Ok(_) => Ok(see_other("/framework-levels", "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = typed(&me, &f);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form, Some(code), None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// A level as submitted over JSON.
#[derive(Deserialize, ToSchema, Default)]
pub struct LevelInput {
    /// Only when creating: lower-case letters, digits, `_`.
    #[serde(default)]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// 0–1000, higher is closer.
    pub rank: i32,
}

impl LevelInput {
    fn form(&self) -> LevelForm {
        LevelForm {
            code: self.code.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
            rank: self.rank.to_string(),
        }
    }
}

/// Add a level to the catalogue (administrators).
#[utoipa::path(post, path = "/api/v1/framework-levels", tag = "partners", request_body = LevelInput,
    responses((status = 201, body = dto::FrameworkLevel), (status = 403, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn api_create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<LevelInput>,
) -> WebResult<(StatusCode, Json<dto::FrameworkLevel>)> {
    let l = state
        .store
        .framework_level_create(&me.ctx, &b.form())
        .await?;
    Ok((StatusCode::CREATED, Json(l.into())))
}

/// Correct a level's names or rank (administrators); the code stays.
#[utoipa::path(put, path = "/api/v1/framework-levels/{code}", tag = "partners", params(("code" = String, Path)),
    request_body = LevelInput,
    responses((status = 200, body = dto::FrameworkLevel), (status = 403, body = dto::ErrorBody), (status = 404, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn api_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<LevelInput>,
) -> WebResult<Json<dto::FrameworkLevel>> {
    let l = state
        .store
        .framework_level_update(&me.ctx, &ids.text(0)?, &b.form())
        .await?;
    Ok(Json(l.into()))
}
