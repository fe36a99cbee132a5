//! The administrator's catalogue of relationship framework levels: the list
//! with each level's names and rank editable in place, a form to add one, and
//! the same over JSON.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{FormState, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::partner::LevelForm;
use kieng_store::StoreError;
use kieng_store::entity::framework_level;

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
