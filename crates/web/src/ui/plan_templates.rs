//! Plan templates: the list every user may read (the key tasks a new plan
//! may be copied from), one template's tasks with their source sentences,
//! and the administrators' moves — save a plan's tasks as a new template,
//! retire one or offer it again.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::QueryArgs;
use crate::extract::{FormBody, Ids};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::plans::{TreeArgs, show_page};
use crate::ui::{FormState, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::Role;
use kieng_domain::plan::TemplateForm;
use kieng_store::StoreError;
use kieng_store::plans::{TemplateRow, TemplateView};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plans/templates.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<TemplateRow>,
    is_admin: bool,
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/plans/templates", "tpl.list_title")
            .with_notice(ok.ok.as_deref()),
        rows: state.store.template_list().await?,
        is_admin: me.ctx.actor.role == Role::Admin,
    }))
}

#[derive(Template)]
#[template(path = "plans/template.html")]
struct ShowPage {
    page: PageCtx,
    v: TemplateView,
    is_admin: bool,
}

impl ShowPage {
    /// How deep a task sits, from its number ("2.1" is one level down).
    fn depth(&self, number: &str) -> usize {
        number.matches('.').count()
    }
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.template_get(id).await?;
    Ok(render(&ShowPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/plans/templates/{id}"),
            "tpl.list_title",
        )
        .with_title(v.template.title.clone())
        .with_notice(ok.ok.as_deref()),
        v,
        is_admin: me.ctx.actor.role == Role::Admin,
    }))
}

/// Save a plan's tasks as a template; on a problem, the plan's page again
/// with the form open.
pub async fn from_plan(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<TemplateForm>,
) -> WebResult<Response> {
    let plan = ids.uuid(0)?;
    match state.store.template_from_plan(&me.ctx, plan, &f).await {
        Ok(t) => Ok(see_other(&format!("/plans/templates/{}", t.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut page = show_page(
                &state,
                &me,
                plan,
                &TreeArgs::default(),
                FormState::new(me.lang),
                None,
            )
            .await?;
            let mut form = FormState::new(me.lang)
                .with("code", &f.code)
                .with("title", &f.title)
                .with("source", &f.source);
            form.errors = errors;
            page.tform = form;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RetireForm {
    /// "retire" or "restore".
    #[serde(default)]
    action: String,
}

pub async fn retire(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<RetireForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state
        .store
        .template_retire(&me.ctx, id, f.action != "restore")
        .await?;
    Ok(see_other(&format!("/plans/templates/{id}"), "saved"))
}
