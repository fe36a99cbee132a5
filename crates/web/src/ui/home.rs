//! The home page and the pages of modules not built yet (which say so plainly).

use crate::error::{WebError, WebResult};
use crate::extract::{Ids, QueryArgs};
use crate::middleware::Me;
use crate::view::{MODULES, PageCtx};
use crate::{AppState, ui};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike;
use kieng_domain::activity::INCOMING;
use kieng_domain::{Classification, Role};
use kieng_store::activities::{BoardItem, Inbox, ScopeHome};
use kieng_store::commitments::Board;

/// What a reader's home page holds: the work waiting for them by role, each
/// list within their scope and clearance, and their account at the foot.
#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    role: Role,
    agency_name: String,
    role_label: String,
    scope: String,
    clearance: String,
    ceiling: String,
    inbox: Inbox,
    /// The scope's unacknowledged warnings (leaders and coordinators) and
    /// upcoming activities.
    scope_home: ScopeHome,
    /// Overdue and due-soon commitments, expiring agreements, late legal steps
    /// (leaders and coordinators).
    board: Option<Board>,
    /// Open commitments the reader is responsible for.
    mine: Vec<kieng_store::commitments::CommitmentRow>,
    /// The reader's agency's plan tasks past their deadline and due soon.
    tasks_late: kieng_store::Page<kieng_store::plans::MyTaskRow>,
    tasks_soon: kieng_store::Page<kieng_store::plans::MyTaskRow>,
    /// Citizen protection: the reader's open cases, the open cases past their
    /// first-contact clock, and (leaders, coordinators) the open critical ones.
    cases_mine: kieng_store::Page<ui::protection::RowView>,
    cases_overdue: kieng_store::Page<ui::protection::RowView>,
    cases_critical: kieng_store::Page<ui::protection::RowView>,
    /// Open candidacies with an election in the coming year.
    elections: Vec<kieng_store::multilateral::CandidacyRow>,
    /// Users who have not yet set their own password (admins).
    waiting: Option<(u64, Vec<kieng_store::users::UserView>)>,
    /// The audit chain's last entry (admins).
    audit_head: Option<i64>,
    year: i32,
    chart: String,
}

impl HomePage {
    fn is(&self, role: &str) -> bool {
        self.role.as_str() == role
    }

    /// Clashes among the unacknowledged warnings (the rest are overdue reports).
    fn clashes(&self) -> impl Iterator<Item = &BoardItem> {
        self.scope_home
            .warnings
            .iter()
            .filter(|w| w.warning.kind == "clash")
    }

    fn reports_late(&self) -> impl Iterator<Item = &BoardItem> {
        self.scope_home
            .warnings
            .iter()
            .filter(|w| w.warning.kind == "report_overdue")
    }
}

/// Activities whose clashes the home page looks at (the board looks at 500).
const HOME_BOARD: u64 = 100;

pub async fn home(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<ui::pieces::Notice>,
) -> WebResult<Response> {
    let page = PageCtx::new(me.lang, Some(&me.p), "/", "nav.home").with_notice(ok.ok.as_deref());
    let role = me.p.actor.role;
    let store = &state.store;
    let ctx = &me.ctx;
    let deciding = matches!(role, Role::Leader | Role::Coordinator);
    let year = kieng_store::activities::vn_date(chrono::Utc::now()).year();
    // A leader's upcoming list is the delegations; everyone else's is every type.
    let upcoming: &[&str] = if role == Role::Leader {
        &["outgoing_delegation", INCOMING]
    } else {
        &[]
    };
    // The soonest activities' clashes: the whole board is a click away.
    let warn_limit = if deciding { HOME_BOARD } else { 0 };
    let tasks = |due: &str| kieng_store::plans::MyTasksFilter {
        due: Some(due.into()),
        ..Default::default()
    };
    let (late, soon) = (tasks("overdue"), tasks("soon"));
    let en = me.lang == crate::i18n::Lang::En;
    let (tasks_late, tasks_soon) = tokio::try_join!(
        store.my_tasks(ctx, &late, en),
        store.my_tasks(ctx, &soon, en),
    )?;
    let (agency_name, inbox, scope_home, mine, board) = tokio::try_join!(
        store.agency_get_name(me.p.user.agency_id),
        store.activity_inbox(ctx),
        store.home_scope(ctx, upcoming, warn_limit, year),
        store.my_commitments(ctx),
        async {
            Ok::<_, kieng_store::StoreError>(match deciding {
                true => Some(store.commitment_board(ctx).await?),
                false => None,
            })
        },
    )?;
    let cases = |f: kieng_store::protection::CaseFilter| async move {
        let p = store.case_list(ctx, &f).await?;
        Ok::<_, kieng_store::StoreError>(kieng_store::Page {
            items: p
                .items
                .into_iter()
                .take(10)
                .map(|r| ui::protection::row_view(r, me.lang.code()))
                .collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        })
    };
    let open = || kieng_store::protection::CaseFilter {
        status: Some("open".into()),
        ..Default::default()
    };
    let (cases_mine, cases_overdue, cases_critical) = tokio::try_join!(
        cases(kieng_store::protection::CaseFilter {
            mine: Some(true),
            ..open()
        }),
        cases(kieng_store::protection::CaseFilter {
            clock: Some("overdue".into()),
            ..open()
        }),
        async {
            if deciding {
                cases(kieng_store::protection::CaseFilter {
                    severity: Some("critical".into()),
                    ..open()
                })
                .await
            } else {
                Ok(kieng_store::Page {
                    items: Vec::new(),
                    total: 0,
                    page: 1,
                    per_page: 10,
                })
            }
        },
    )?;
    let elections = store.elections_ahead(ctx, 365).await?;
    let (waiting, audit_head) = if role == Role::Admin {
        let (w, h) = tokio::try_join!(store.users_waiting(ctx, 10), store.audit_head())?;
        (Some(w), Some(h.0))
    } else {
        (None, None)
    };
    let l = me.lang.code();
    Ok(ui::render(&HomePage {
        role,
        agency_name,
        role_label: role.label().get(l).to_string(),
        scope: me.p.actor.scope.label().get(l).to_string(),
        clearance: me.p.actor.clearance.label().get(l).to_string(),
        ceiling: store.config.max_classification.label().get(l).to_string(),
        chart: crate::charts::activities_by_month(year, &scope_home.by_month, me.lang),
        inbox,
        scope_home,
        board,
        mine,
        tasks_late,
        tasks_soon,
        cases_mine,
        cases_overdue,
        cases_critical,
        elections,
        waiting,
        audit_head,
        year,
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
