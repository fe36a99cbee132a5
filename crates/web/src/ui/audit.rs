//! The audit trail browser and the trash (administrators, within scope and clearance).

use crate::AppState;
use crate::error::WebResult;
use crate::extract::QueryArgs;
use crate::middleware::Me;
use crate::ui::{FormState, render};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_store::audit::{AuditEntry, AuditFilter};
use kieng_store::entity::agency;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: PageCtx,
    /// The filter as a query string for the export links ("" or "?action=…").
    export_query: String,
    items: Vec<(AuditEntry, Vec<crate::ui::pieces::Line>)>,
    pager: Pager,
    filter: FormState,
    /// The chain's head (sequence, hash), for an administrator of everything:
    /// the anchor to compare with a checkpoint kept elsewhere.
    head: Option<(i64, String)>,
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AuditFilter>,
) -> WebResult<Response> {
    let res = state.store.audit_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("entity_type", f.entity_type.as_deref()),
        ("entity_id", f.entity_id.as_deref()),
        ("action", f.action.as_deref()),
        ("actor", f.actor.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    filter.set_opt("entity_type", &f.entity_type);
    filter.set_opt("entity_id", &f.entity_id);
    filter.set_opt("action", &f.action);
    filter.set_opt("actor", &f.actor);
    let head = if me.p.actor.read == kieng_domain::access::AgencySet::All {
        Some(state.store.audit_head().await?)
    } else {
        None
    };
    Ok(render(&AuditPage {
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        head,
        page: PageCtx::new(me.lang, Some(&me.p), "/audit", "nav.audit"),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        items: crate::ui::pieces::readable(&state, &me, res.items).await?,
        filter,
    }))
}

/// The trail as filtered, as a spreadsheet (the newest 10,000 at most).
async fn export(state: &AppState, me: &Me, f: &AuditFilter, xlsx: bool) -> WebResult<Response> {
    let f = AuditFilter {
        page: None,
        ..f.clone()
    };
    let rows = state.store.audit_export_rows(&me.ctx, &f).await?;
    crate::export::list_download(
        "audit",
        crate::i18n::t(me.lang, "nav.audit"),
        &crate::export::audit_headings(me.lang),
        &crate::export::audit_lines(&rows, me.lang),
        &[(1, 20.0), (2, 20.0), (3, 28.0), (4, 24.0), (5, 38.0)],
        xlsx,
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AuditFilter>,
) -> WebResult<Response> {
    export(&state, &me, &f, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AuditFilter>,
) -> WebResult<Response> {
    export(&state, &me, &f, false).await
}

#[derive(Template)]
#[template(path = "trash.html")]
struct TrashPage {
    page: PageCtx,
    agencies: Vec<agency::Model>,
    activities: Vec<kieng_store::entity::activity::Model>,
    plans: Vec<kieng_store::entity::plan::Model>,
}

pub async fn trash(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    Ok(render(&TrashPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/trash", "nav.trash"),
        agencies: state.store.agency_trash(&me.ctx).await?,
        activities: state.store.activity_trash(&me.ctx).await?,
        plans: state.store.plan_trash(&me.ctx).await?,
    }))
}
