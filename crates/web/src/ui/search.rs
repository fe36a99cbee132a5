//! The search page: the box on every page leads here; results with the matched
//! words marked, filters by kind, pillar and year, pages of 20.

use crate::AppState;
use crate::api::search::{SearchArgs, href};
use crate::error::{WebError, WebResult};
use crate::extract::QueryArgs;
use crate::middleware::Me;
use crate::ui::{Choice, FormState, choices, render};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_domain::agency::Pillar;
use kieng_domain::search::{Kind, Segment};
use kieng_store::StoreError;

/// One result as the page shows it.
struct Row {
    kind: String,
    href: String,
    title: Vec<Segment>,
    snippet: Option<Vec<Segment>>,
    pillar: Option<String>,
    date: Option<String>,
}

#[derive(Template)]
#[template(path = "search/page.html")]
struct SearchPage {
    page: PageCtx,
    filter: FormState,
    kinds: Vec<Choice>,
    pillars: Vec<Choice>,
    rows: Vec<Row>,
    /// Nothing asked yet.
    empty_query: bool,
    /// What to fix in the query, when it cannot be searched.
    problem: Option<String>,
    building: bool,
    pager: Pager,
}

pub async fn page(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(args): QueryArgs<SearchArgs>,
) -> WebResult<Response> {
    let l = me.lang.code();
    let mut filter = FormState::new(me.lang);
    for (k, v) in [
        ("q", &args.q),
        ("kind", &args.kind),
        ("pillar", &args.pillar),
        ("year", &args.year),
    ] {
        filter.set_opt(k, v);
    }
    let base = query_string(&[
        ("q", args.q.as_deref()),
        ("kind", args.kind.as_deref()),
        ("pillar", args.pillar.as_deref()),
        ("year", args.year.as_deref()),
    ]);
    let empty_query = args.q.as_deref().is_none_or(|q| q.trim().is_empty());
    let mut out = SearchPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/search", "search.title"),
        filter,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        rows: Vec::new(),
        empty_query,
        problem: None,
        building: false,
        pager: Pager::new(1, 1, 0, &base),
    };
    if !empty_query {
        let found = match args.request() {
            Ok(req) => state
                .store
                .search(&me.ctx, &req)
                .await
                .map_err(WebError::from),
            Err(e) => Err(e),
        };
        match found {
            Ok(p) => {
                let pages = p.total.div_ceil(p.per_page).max(1) as u64;
                out.pager = Pager::new(p.page as u64, pages, p.total as u64, &base);
                out.building = p.building;
                out.rows = p
                    .hits
                    .into_iter()
                    .map(|h| Row {
                        href: href(&h),
                        kind: h.kind.label().get(l).to_string(),
                        // Partners, people and agencies have no date of their own to show.
                        date: matches!(
                            h.kind,
                            Kind::Activity
                                | Kind::Agreement
                                | Kind::Commitment
                                | Kind::Report
                                | Kind::Plan
                                | Kind::Task
                                | Kind::Case
                                | Kind::Role
                                | Kind::Candidacy
                        )
                        .then(|| h.date.format("%d/%m/%Y").to_string()),
                        title: h.title_marked,
                        snippet: h.snippet,
                        pillar: h.pillar,
                    })
                    .collect();
            }
            // What the user typed cannot be searched: say what to type.
            Err(WebError::Store(StoreError::Invalid(errors))) => {
                out.problem = errors.0.values().next().map(|m| m.get(l).to_string());
            }
            Err(e) => return Err(e),
        }
    }
    Ok(render(&out))
}
