//! The catalogue of activity types: the built-in ones and those an administrator adds.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{FormState, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_store::StoreError;
use kieng_store::entity::activity_type;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Template)]
#[template(path = "activity_types.html")]
struct TypesPage {
    page: PageCtx,
    types: Vec<activity_type::Model>,
    form: FormState,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct TypeInput {
    /// Lowercase letters, digits and `_`.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
}

async fn page(
    state: &AppState,
    me: &Me,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<TypesPage> {
    Ok(TypesPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            "/activity-types",
            "nav.activity_types",
        )
        .with_notice(notice),
        types: state.store.activity_types().await?,
        form,
    })
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    Ok(render(
        &page(&state, &me, FormState::new(me.lang), ok.ok.as_deref()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<TypeInput>,
) -> WebResult<Response> {
    match state
        .store
        .activity_type_add(&me.ctx, &f.code, &f.name_vi, &f.name_en)
        .await
    {
        Ok(_) => Ok(see_other("/activity-types", "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("code", &f.code)
                .with("name_vi", &f.name_vi)
                .with("name_en", &f.name_en);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
