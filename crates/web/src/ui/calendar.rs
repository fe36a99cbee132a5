//! The one calendar across every pillar and agency the user may see: month,
//! week and list views with filters, and the user's iCalendar feeds (created
//! from the current filters, shown once, revocable). `/feeds/{secret}` serves them.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::{Choice, FormState, choices, render, see_other};
use crate::view::{PageCtx, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Duration, NaiveDate};
use kieng_domain::agency::Pillar;
use kieng_domain::grid;
use kieng_store::activities::{ActivityRow, CalendarFilter, vn_date, vn_midnight};
use kieng_store::entity::{activity_type, calendar_feed};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct CalendarArgs {
    pub view: Option<String>,
    pub date: Option<String>,
    pub pillar: Option<String>,
    pub partner: Option<String>,
    pub type_code: Option<String>,
    /// An agency's code: its activities, as lead or participant.
    pub agency: Option<String>,
    pub ok: Option<String>,
}

impl CalendarArgs {
    async fn filter(&self, state: &AppState, me: &Me) -> WebResult<CalendarFilter> {
        let agency = match self
            .agency
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(a) => Some(state.store.agency_filter(&me.ctx, a).await?),
            None => None,
        };
        Ok(CalendarFilter {
            pillar: self.pillar.clone().filter(|s| !s.is_empty()),
            agency,
            partner: self.partner.as_deref().and_then(|p| p.trim().parse().ok()),
            type_code: self.type_code.clone().filter(|s| !s.is_empty()),
        })
    }
}

/// One day of the grid and the activities on it.
pub struct Day {
    pub date: NaiveDate,
    pub in_range: bool,
    pub today: bool,
    pub items: Vec<ActivityRow>,
    /// Activities that day beyond those shown (month view).
    pub more: usize,
    /// A weekend or holiday (the administrators' calendar of days): shaded.
    pub off: bool,
}

/// One activity drawn in the week view, with the classes that place it
/// (positions are classes: the pages' content policy allows no inline style).
pub struct Placed {
    pub row: ActivityRow,
    pub class: String,
    /// When, as the view needs it: "09:00–10:30" on the axis, "16/12–19/12" on a bar.
    pub when: String,
}

/// One day's column of the week view.
pub struct WeekDay {
    pub date: NaiveDate,
    /// The weekday's name (a message key).
    pub key: &'static str,
    pub today: bool,
    pub off: bool,
    /// Columns its blocks use (at least one).
    pub lanes: u32,
    pub blocks: Vec<Placed>,
    /// Activities that day not drawn (the day is full).
    pub more: usize,
}

const WEEKDAYS: [&str; 7] = [
    "calendar.mon",
    "calendar.tue",
    "calendar.wed",
    "calendar.thu",
    "calendar.fri",
    "calendar.sat",
    "calendar.sun",
];

/// The week view: an hour axis, blocks within a day, bars over several days.
pub struct WeekView {
    /// The axis' hours with their first row.
    pub hours: Vec<(u32, String)>,
    pub days: Vec<WeekDay>,
    pub bars: Vec<Placed>,
}

impl WeekView {
    fn new(monday: NaiveDate, today: NaiveDate, rows: &[ActivityRow]) -> Self {
        let local = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).naive_local()
        };
        let spans: Vec<_> = rows
            .iter()
            .map(|r| (local(r.activity.starts_at), local(r.activity.ends_at)))
            .collect();
        let layout = grid::week(&spans, monday);
        let mut days: Vec<WeekDay> = (0..7)
            .map(|i| WeekDay {
                date: monday + Duration::days(i as i64),
                key: WEEKDAYS[i],
                today: monday + Duration::days(i as i64) == today,
                off: false,
                lanes: layout.lanes[i].max(1),
                blocks: Vec::new(),
                more: layout.more[i],
            })
            .collect();
        let mut bars = Vec::new();
        for ((r, p), (s, e)) in rows.iter().zip(layout.placed).zip(spans) {
            match p {
                grid::Placement::Bar { col, width, lane } => bars.push(Placed {
                    row: r.clone(),
                    class: format!("bc{col} bw{width} bl{lane}"),
                    when: format!("{}–{}", s.format("%d/%m"), e.format("%d/%m")),
                }),
                grid::Placement::Block {
                    day,
                    row,
                    rows,
                    lane,
                } => days[day].blocks.push(Placed {
                    row: r.clone(),
                    class: format!("wr{row} wh{rows} wl{lane}"),
                    when: format!("{}–{}", s.format("%H:%M"), e.format("%H:%M")),
                }),
                grid::Placement::Hidden => {}
            }
        }
        let slots_per_hour = 60 / grid::SLOT_MINUTES;
        let hours = (layout.from..layout.to)
            .map(|h| ((h - layout.from) * slots_per_hour + 1, format!("{h:02}:00")))
            .collect();
        WeekView { hours, days, bars }
    }
}

/// Activities a month cell shows before "+N more".
const MONTH_CELL: usize = 6;

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    page: PageCtx,
    view: &'static str,
    title: String,
    weeks: Vec<Vec<Day>>,
    prev: String,
    next: String,
    today_link: String,
    filter: FormState,
    filters_query: String,
    pillars: Vec<Choice>,
    types: Vec<activity_type::Model>,
    feeds: Vec<calendar_feed::Model>,
    new_feed_url: Option<String>,
    truncated: bool,
    /// Activities with a coordination warning (same partner, near in time).
    flagged: std::collections::HashSet<uuid::Uuid>,
    /// The week view's layout (the week view only).
    week: Option<WeekView>,
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let m = d.year() * 12 + d.month0() as i32 + n;
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1).unwrap_or(d)
}

/// Where feeds are reached from: this request's own host.
fn origin(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

pub async fn page(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    QueryArgs(a): QueryArgs<CalendarArgs>,
) -> WebResult<Response> {
    build(&state, &me, &headers, &a, None).await
}

async fn build(
    state: &AppState,
    me: &Me,
    headers: &HeaderMap,
    a: &CalendarArgs,
    new_secret: Option<String>,
) -> WebResult<Response> {
    let today = vn_date(chrono::Utc::now());
    let date = a
        .date
        .as_deref()
        .and_then(kieng_domain::agency::parse_date)
        .unwrap_or(today);
    let view: &'static str = match a.view.as_deref() {
        Some("week") => "week",
        Some("list") => "list",
        _ => "month",
    };
    // The days shown, and the span "in range" (the month, or the week).
    let (first, last, in_from, in_to, prev, next) = match view {
        "week" => {
            let m = monday_of(date);
            (
                m,
                m + Duration::days(6),
                m,
                m + Duration::days(6),
                m - Duration::days(7),
                m + Duration::days(7),
            )
        }
        _ => {
            let ms = month_start(date);
            let me_ = add_months(ms, 1) - Duration::days(1);
            let (f, l) = if view == "month" {
                (monday_of(ms), monday_of(me_) + Duration::days(6))
            } else {
                (ms, me_)
            };
            (f, l, ms, me_, add_months(ms, -1), add_months(ms, 1))
        }
    };
    let filter = a.filter(state, me).await?;
    // The page's lists are read beside the activities.
    let activities = async {
        if view == "month" {
            // A month cell shows its first few activities and how many more; the
            // grid comes with the flags of what it shows.
            let grid = state
                .store
                .calendar_grid(&me.ctx, &filter, first, last, MONTH_CELL)
                .await?;
            let days = grid
                .days
                .into_iter()
                .map(|g| Day {
                    in_range: in_from <= g.date && g.date <= in_to,
                    today: g.date == today,
                    date: g.date,
                    items: g.items,
                    more: g.more,
                    off: false,
                })
                .collect();
            Ok::<_, WebError>((days, grid.flagged, false, None))
        } else {
            // The week and list views show every activity.
            let rows = state
                .store
                .calendar_range(
                    &me.ctx,
                    &filter,
                    vn_midnight(first),
                    vn_midnight(last + Duration::days(1)),
                    false,
                )
                .await?;
            let truncated = rows.len() as u64 >= kieng_store::activities::CALENDAR_LIMIT;
            // Warnings are flagged on what is shown.
            let flagged = state.store.coordination_flags(&me.ctx, &rows).await?;
            let week = (view == "week").then(|| WeekView::new(first, today, &rows));
            // The list shows the days that hold something; the week draws its own.
            let mut days = Vec::new();
            let mut d = first;
            while view == "list" && d <= last {
                let items: Vec<ActivityRow> = rows
                    .iter()
                    .filter(|r| {
                        vn_date(r.activity.starts_at) <= d && d <= vn_date(r.activity.ends_at)
                    })
                    .cloned()
                    .collect();
                if !items.is_empty() {
                    days.push(Day {
                        date: d,
                        in_range: in_from <= d && d <= in_to,
                        today: d == today,
                        items,
                        more: 0,
                        off: false,
                    });
                }
                d += Duration::days(1);
            }
            Ok((days, flagged, truncated, week))
        }
    };
    let ((mut days, flagged, truncated, mut week), types, feeds, overrides) = tokio::try_join!(
        activities,
        async { Ok(state.store.activity_types().await?) },
        async { Ok(state.store.feeds_of(&me.ctx).await?) },
        async { Ok(state.store.day_overrides().await?) },
    )?;
    for d in &mut days {
        d.off = !overrides.is_working_day(d.date);
    }
    for d in week.iter_mut().flat_map(|w| w.days.iter_mut()) {
        d.off = !overrides.is_working_day(d.date);
    }
    let weeks: Vec<Vec<Day>> = if view == "list" {
        days.into_iter().map(|d| vec![d]).collect()
    } else {
        let mut w = Vec::new();
        let mut it = days.into_iter().peekable();
        while it.peek().is_some() {
            w.push(it.by_ref().take(7).collect());
        }
        w
    };
    let filters_query = query_string(&[
        ("pillar", a.pillar.as_deref()),
        ("partner", a.partner.as_deref()),
        ("type_code", a.type_code.as_deref()),
        ("agency", a.agency.as_deref()),
    ]);
    let link = |d: NaiveDate| {
        let mut q = format!("/calendar?view={view}&date={d}");
        if !filters_query.is_empty() {
            q.push('&');
            q.push_str(&filters_query);
        }
        q
    };
    let title = match view {
        "week" => format!("{} – {}", first.format("%d/%m/%Y"), last.format("%d/%m/%Y")),
        _ => format!("{:02}/{}", in_from.month(), in_from.year()),
    };
    let mut form = FormState::new(me.lang);
    form.set_opt("pillar", &a.pillar);
    form.set_opt("partner", &a.partner);
    form.set_opt("type_code", &a.type_code);
    form.set_opt("agency", &a.agency);
    // A feed just created: its secret is shown once, on this answer only.
    let new_feed_url = new_secret.map(|secret| {
        format!(
            "{}/feeds/{secret}.ics",
            origin(headers, state.config.secure_cookies)
        )
    });
    Ok(render(&CalendarPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/calendar", "nav.calendar")
            .with_notice(a.ok.as_deref()),
        view,
        title,
        weeks,
        prev: link(prev),
        next: link(next),
        today_link: link(today),
        filter: form,
        filters_query,
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        types,
        feeds,
        new_feed_url,
        truncated,
        flagged,
        week,
    }))
}

#[derive(Deserialize)]
pub struct FeedForm {
    #[serde(default)]
    label: String,
    pillar: Option<String>,
    partner: Option<String>,
    type_code: Option<String>,
    agency: Option<String>,
}

pub async fn create_feed(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    FormBody(f): FormBody<FeedForm>,
) -> WebResult<Response> {
    let args = CalendarArgs {
        pillar: f.pillar,
        partner: f.partner,
        type_code: f.type_code,
        agency: f.agency,
        ..Default::default()
    };
    let filter = args.filter(&state, &me).await?;
    let (_, secret) = state.store.feed_create(&me.ctx, &f.label, &filter).await?;
    build(&state, &me, &headers, &args, Some(secret)).await
}

pub async fn revoke_feed(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    state.store.feed_revoke(&me.ctx, ids.uuid(0)?).await?;
    Ok(see_other("/calendar", "feed_revoked"))
}

/// The feed itself: the secret in the path is the only credential.
pub async fn feed(State(state): State<AppState>, ids: Ids) -> WebResult<Response> {
    let raw = ids.0.first().cloned().unwrap_or_default();
    let secret = raw.strip_suffix(".ics").unwrap_or(&raw);
    let text = state
        .store
        .feed_ics(secret)
        .await
        .map_err(|_| WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        text,
    )
        .into_response())
}
