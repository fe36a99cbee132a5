//! The home page and the pages of modules not built yet (which say so plainly).

use crate::error::{WebError, WebResult};
use crate::extract::Ids;
use crate::middleware::Me;
use crate::view::{MODULES, PageCtx};
use crate::{AppState, ui};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_domain::Classification;
use kieng_store::agencies::AgencyFilter;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    agency_name: String,
    role: String,
    scope: String,
    clearance: String,
    ceiling: String,
    agencies: u64,
    /// Open commitments the user is responsible for, nearest deadline first.
    rows: Vec<kieng_store::commitments::CommitmentRow>,
}

pub async fn home(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let page = PageCtx::new(me.lang, Some(&me.p), "/", "nav.home");
    let agency_name = state.store.agency_get_name(me.p.user.agency_id).await?;
    let agencies = state
        .store
        .agency_list(&me.ctx, &AgencyFilter::default())
        .await?
        .total;
    let l = me.lang.code();
    Ok(ui::render(&HomePage {
        agency_name,
        role: me.p.actor.role.label().get(l).to_string(),
        scope: me.p.actor.scope.label().get(l).to_string(),
        clearance: me.p.actor.clearance.label().get(l).to_string(),
        ceiling: state
            .store
            .config
            .max_classification
            .label()
            .get(l)
            .to_string(),
        agencies,
        rows: state.store.my_commitments(&me.ctx).await?,
        page,
    }))
}

#[derive(Template)]
#[template(path = "module.html")]
struct ModulePage {
    page: PageCtx,
    desc_key: String,
}

pub async fn module(me: Me, ids: Ids) -> WebResult<Response> {
    let slug = ids.0.first().cloned().unwrap_or_default();
    let href = format!("/modules/{slug}");
    let item = MODULES
        .iter()
        .find(|m| m.href == href)
        .ok_or(WebError::NotFound)?;
    let page = PageCtx::new(me.lang, Some(&me.p), &href, item.key);
    Ok(ui::render(&ModulePage {
        page,
        desc_key: format!("module.{slug}"),
    }))
}

/// Keeps the classification labels reachable from templates.
pub fn classification_label(c: Classification, lang: crate::i18n::Lang) -> String {
    c.label().get(lang.code()).to_string()
}
