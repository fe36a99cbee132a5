//! The leaders' dashboard (`/dashboard`): a period and a scope chosen at the
//! top, figures with their change against the period before, charts drawn on
//! the server, and every figure a link to the list that holds it — the list
//! narrowed the same way (`pieces::Drill`), so its total is the figure.

use crate::error::WebResult;
use crate::extract::QueryArgs;
use crate::middleware::Me;
use crate::ui::{Choice, FormState, choices, render};
use crate::view::PageCtx;
use crate::{AppState, charts};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_domain::activity::{INCOMING, Status as ActivityStatus};
use kieng_domain::dashboard::{self, Choice as DashChoice, DashboardForm};
use kieng_domain::report::{PeriodKind, ScopeKind};
use kieng_store::StoreError;
use kieng_store::activities::ActivityRow;
use serde::Deserialize;

/// One figure: what it counts, how many, the change against the period
/// before (when it has one), and the list behind it.
pub struct Figure {
    pub label: String,
    pub n: u64,
    pub before: Option<u64>,
    pub trend: Option<i64>,
    pub href: String,
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    form: FormState,
    periods: Vec<Choice>,
    scopes: Vec<Choice>,
    period_label: String,
    previous_label: String,
    figures: Vec<Figure>,
    statuses: Vec<Figure>,
    commitments: Vec<Figure>,
    tasks: Vec<Figure>,
    months: String,
    regions: String,
    map: String,
    partners: String,
    upcoming: Vec<ActivityRow>,
    upcoming_total: u64,
    /// The yearly review of the same period and scope, to start from here.
    review_query: String,
}

/// The choice as the page's form sends it.
#[derive(Debug, Default, Deserialize)]
pub struct Args {
    #[serde(flatten)]
    form: DashboardForm,
}

fn link(path: &str, base: &[(&'static str, String)], extra: &[(&str, &str)]) -> String {
    let mut q: Vec<String> = base
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::middleware::urlencode(v)))
        .collect();
    q.extend(
        extra
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::middleware::urlencode(v))),
    );
    format!("{path}?{}", q.join("&"))
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<Args>,
) -> WebResult<Response> {
    let today = kieng_store::activities::vn_date(chrono::Utc::now());
    let choice = DashChoice::parse(&a.form, today).map_err(StoreError::Invalid)?;
    let reader = state
        .store
        .report_reader(
            &me.ctx,
            choice.scope,
            choice.scope_ref.as_deref(),
            me.p.actor.clearance,
        )
        .await?;
    let d = state.store.dashboard(&reader, choice.period).await?;
    let l = me.lang.code();
    let base = choice.query();
    let scope_only: Vec<(&'static str, String)> = base
        .iter()
        .filter(|(k, _)| k.starts_with("scope"))
        .cloned()
        .collect();
    let en = l == "en";
    let t = |k: &str| crate::i18n::t(me.lang, k).to_string();
    let (out_n, out_before) = d
        .by_type
        .get("outgoing_delegation")
        .copied()
        .unwrap_or_default();
    let (in_n, in_before) = d.by_type.get(INCOMING).copied().unwrap_or_default();
    let figure = |label: String, n: u64, before: u64, href: String| Figure {
        label,
        n,
        before: Some(before),
        trend: dashboard::trend(n, before),
        href,
    };
    let figures = vec![
        figure(
            t("dashboard.activities"),
            d.total,
            d.total_before,
            link("/activities", &base, &[]),
        ),
        figure(
            t("dashboard.outgoing"),
            out_n,
            out_before,
            link(
                "/activities",
                &base,
                &[("type_code", "outgoing_delegation")],
            ),
        ),
        figure(
            t("dashboard.incoming"),
            in_n,
            in_before,
            link("/activities", &base, &[("type_code", INCOMING)]),
        ),
    ];
    let statuses = ActivityStatus::ALL
        .iter()
        .map(|s| Figure {
            label: s.label().get(l).to_string(),
            n: d.by_status.get(s.as_str()).copied().unwrap_or(0),
            before: None,
            trend: None,
            href: link("/activities", &base, &[("status", s.as_str())]),
        })
        .collect();
    let c = &d.commitments;
    let commitments = [
        ("dashboard.c_overdue", c.overdue, ("due", "overdue")),
        ("dashboard.c_soon", c.soon, ("due", "soon")),
        ("dashboard.c_open", c.open, ("status", "open")),
        (
            "dashboard.c_in_progress",
            c.in_progress,
            ("status", "in_progress"),
        ),
        ("dashboard.c_done", c.done, ("status", "done")),
    ]
    .into_iter()
    .map(|(k, n, q)| Figure {
        label: t(k),
        n,
        before: None,
        trend: None,
        href: link("/commitments", &scope_only, &[q]),
    })
    .collect();
    // The tasks list without a scope is one agency's: "all" is said.
    let task_scope: Vec<(&'static str, String)> = if scope_only.is_empty() {
        vec![("scope", "all".to_string())]
    } else {
        scope_only.clone()
    };
    let tk = &d.tasks;
    let tasks = [
        ("dashboard.c_overdue", tk.overdue, "overdue"),
        ("dashboard.c_soon", tk.soon, "soon"),
        ("task.open_only", tk.open, "open"),
        ("dashboard.c_done", tk.done, "done"),
    ]
    .into_iter()
    .map(|(k, n, due)| Figure {
        label: t(k),
        n,
        before: None,
        trend: None,
        href: link("/plans/tasks", &task_scope, &[("due", due)]),
    })
    .collect();
    let months = dashboard::months(&d.period);
    let month_svg = charts::months_by_pillar(&months, &d.by_month, me.lang, &|c, pillar| {
        let (from, to) = dashboard::month_days(&d.period, *months.get(c)?)?;
        let days = [
            ("from", from.format("%Y-%m-%d").to_string()),
            ("to", to.format("%Y-%m-%d").to_string()),
        ];
        let mut q: Vec<(&'static str, String)> = days.to_vec();
        q.extend(scope_only.iter().cloned());
        Some(link("/activities", &q, &[("pillar", pillar)]))
    });
    let name = |vi: &str, en_name: &str| {
        if en {
            en_name.to_string()
        } else {
            vi.to_string()
        }
    };
    let region_rows: Vec<(String, u64, String)> = d
        .regions
        .iter()
        .map(|r| {
            (
                name(&r.name_vi, &r.name_en),
                r.n,
                link("/activities", &base, &[("region", &r.code)]),
            )
        })
        .collect();
    let places: Vec<(String, String, u64, String)> = d
        .countries
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                name(&c.name_vi, &c.name_en),
                c.n,
                link("/activities", &base, &[("country", &c.code)]),
            )
        })
        .collect();
    let partner_rows: Vec<(String, u64, String)> = d
        .partners
        .iter()
        .map(|p| {
            (
                match (&p.name_en, en) {
                    (Some(n), true) => n.clone(),
                    _ => p.name_vi.clone(),
                },
                p.n,
                link("/activities", &base, &[("partner", &p.id.to_string())]),
            )
        })
        .collect();
    let mut form = FormState::new(me.lang);
    form.values
        .insert("period".into(), choice.period.kind.as_str().to_string());
    form.values
        .insert("year".into(), choice.period.from.format("%Y").to_string());
    let part = match choice.period.kind {
        PeriodKind::Half => Some(chrono::Datelike::month(&choice.period.from).div_ceil(6)),
        PeriodKind::Quarter => Some(chrono::Datelike::month(&choice.period.from).div_ceil(3)),
        _ => None,
    };
    if let Some(p) = part {
        form.values.insert("part".into(), p.to_string());
    }
    form.values.insert(
        "from".into(),
        choice.period.from.format("%Y-%m-%d").to_string(),
    );
    form.values
        .insert("to".into(), choice.period.to.format("%Y-%m-%d").to_string());
    form.values
        .insert("scope".into(), choice.scope.as_str().to_string());
    form.set_opt("scope_ref", &choice.scope_ref);
    let mut review = vec![
        ("period", choice.period.kind.as_str().to_string()),
        ("year", choice.period.from.format("%Y").to_string()),
        ("scope", choice.scope.as_str().to_string()),
    ];
    if let Some(p) = part {
        review.push(("part", p.to_string()));
    }
    review.extend(
        base.iter()
            .filter(|(k, _)| !k.starts_with("scope"))
            .cloned(),
    );
    if let Some(r) = &choice.scope_ref {
        review.push(("scope_ref", r.clone()));
    }
    Ok(render(&DashboardPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/dashboard", "nav.dashboard")
            .with_marking([d.holds]),
        form,
        periods: choices(
            PeriodKind::ALL,
            PeriodKind::as_str,
            PeriodKind::label,
            me.lang,
        ),
        scopes: choices(ScopeKind::ALL, ScopeKind::as_str, ScopeKind::label, me.lang),
        period_label: d.period.label().get(l).to_string(),
        previous_label: d.previous.label().get(l).to_string(),
        figures,
        statuses,
        commitments,
        tasks,
        months: month_svg,
        regions: charts::bars(&region_rows, &t("dashboard.by_region")),
        map: charts::world_map(&places, me.lang),
        partners: charts::bars(&partner_rows, &t("dashboard.top_partners")),
        upcoming_total: d.upcoming.total,
        upcoming: d.upcoming.rows,
        review_query: link("/reports/new", &review, &[]),
    }))
}
