//! The calendar: activities overlapping a span, for the month, week and list
//! views, and iCalendar feeds behind secret, revocable URLs. A feed is read as
//! its owner today (scope and clearance recomputed at each fetch), so it never
//! carries a record above the owner's clearance, and a disabled owner's feeds stop.

use super::warnings::Span;
use super::{ActivityRow, vn_date, vn_midnight};
use crate::audit::{Change, append, from_rank};
use crate::auth::{digest, random_secret};
use crate::entity::{activity, calendar_feed, user};
use crate::{Ctx, Store, StoreError, now};
use chrono::{DateTime, NaiveDate, Utc};
use kieng_domain::Classification;
use kieng_domain::activity::{MAX_DAYS, Status};
use kieng_domain::ical::{Event, calendar};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The calendar's filters (also a feed's, stored as its query string).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CalendarFilter {
    pub pillar: Option<String>,
    pub agency: Option<Uuid>,
    pub partner: Option<Uuid>,
    pub type_code: Option<String>,
}

/// One day of the month grid.
#[derive(Debug, Clone)]
pub struct GridDay {
    pub date: NaiveDate,
    /// The first activities covering the day, earliest start first.
    pub items: Vec<ActivityRow>,
    /// Activities covering the day beyond those.
    pub more: usize,
}

/// The month grid and the coordination flags of what it shows.
#[derive(Debug, Clone)]
pub struct MonthGrid {
    pub days: Vec<GridDay>,
    /// Activities shown with a coordination warning (same partner, near in time).
    pub flagged: HashSet<Uuid>,
}

/// The most activities one calendar view or feed carries.
pub const CALENDAR_LIMIT: u64 = 2000;

impl Store {
    /// Visible activities overlapping `[from, to)` that pass the filter; cancelled
    /// ones only when asked. Unordered.
    fn in_span(
        &self,
        ctx: &Ctx,
        f: &CalendarFilter,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        with_cancelled: bool,
    ) -> sea_orm::Select<activity::Entity> {
        // No activity lasts longer than MAX_DAYS: one bounded index range. SQLite
        // tests the terms in the order written: the span's own columns (in the
        // index) before the scope's lists — most of the 90 days read before the
        // view's first day end before it (a pillar's month: 11 → 5 ms).
        let starts = (from - chrono::Duration::days(MAX_DAYS), to);
        let mut q = activity::Entity::find()
            .filter(activity::Column::StartsAt.lt(starts.1))
            .filter(activity::Column::StartsAt.gte(starts.0))
            .filter(activity::Column::EndsAt.gte(from));
        if !with_cancelled {
            q = q.filter(activity::Column::Status.ne(Status::Cancelled.as_str()));
        }
        if let Some(p) = f.pillar.as_deref().filter(|p| !p.is_empty()) {
            q = q.filter(activity::Column::Pillar.eq(p));
        }
        if let Some(t) = f.type_code.as_deref().filter(|p| !p.is_empty()) {
            q = q.filter(activity::Column::TypeCode.eq(t));
        }
        if let Some(a) = f.agency {
            q = q.filter(super::with_agency(a));
        }
        if let Some(p) = f.partner {
            q = q.filter(super::with_partner(p));
        }
        q = q.filter(Self::visible_in_span(
            ctx,
            self.db.get_database_backend(),
            starts,
        ));
        q
    }

    /// Visible activities overlapping `[from, to)`, earliest first; cancelled ones only when asked.
    pub async fn calendar_range(
        &self,
        ctx: &Ctx,
        f: &CalendarFilter,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        with_cancelled: bool,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        let f = &CalendarFilter {
            partner: self.partner_filter(ctx, f.partner).await?,
            ..f.clone()
        };
        let rows = self
            .in_span(ctx, f, from, to, with_cancelled)
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .limit(CALENDAR_LIMIT)
            .all(&self.db)
            .await?;
        self.rows_of(rows).await
    }

    /// The month grid of the days `first..=last` (Vietnam's days): for each day the
    /// first `cap` uncancelled activities covering it, earliest start first, and how
    /// many more; and which of those shown carry a coordination flag. Only the
    /// spans of the month's activities are read (from the span index), then the
    /// rows shown and their flags at once; a pillar-wide month holds thousands.
    pub async fn calendar_grid(
        &self,
        ctx: &Ctx,
        f: &CalendarFilter,
        first: NaiveDate,
        last: NaiveDate,
        cap: usize,
    ) -> Result<MonthGrid, StoreError> {
        let f = &CalendarFilter {
            partner: self.partner_filter(ctx, f.partner).await?,
            ..f.clone()
        };
        let spans: Vec<Span> = self
            .in_span(
                ctx,
                f,
                vn_midnight(first),
                vn_midnight(last + chrono::Duration::days(1)),
                false,
            )
            .select_only()
            .column(activity::Column::Id)
            .column(activity::Column::StartsAt)
            .column(activity::Column::EndsAt)
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        let days: Vec<(NaiveDate, NaiveDate)> = spans
            .iter()
            .map(|(_, s, e)| (vn_date(*s), vn_date(*e)))
            .collect();
        let cells = kieng_domain::grid::cells(&days, first, last, cap);
        let mut shown: Vec<Span> = cells
            .iter()
            .flat_map(|c| c.shown.iter().map(|i| spans[*i]))
            .collect();
        shown.sort_unstable_by_key(|s| s.0);
        shown.dedup_by_key(|s| s.0);
        let ids: Vec<Uuid> = shown.iter().map(|s| s.0).collect();
        let read_rows = async {
            let mut rows: HashMap<Uuid, ActivityRow> = HashMap::new();
            for chunk in ids.chunks(500) {
                let found = activity::Entity::find()
                    .filter(activity::Column::Id.is_in(chunk.to_vec()))
                    .filter(activity::Column::DeletedAt.is_null())
                    .all(&self.db)
                    .await?;
                rows.extend(
                    self.rows_of(found)
                        .await?
                        .into_iter()
                        .map(|r| (r.activity.id, r)),
                );
            }
            Ok::<_, StoreError>(rows)
        };
        // The flags need only the spans: read beside the rows, not after them.
        let (rows, flagged) = tokio::try_join!(read_rows, self.flags_of(ctx, &shown))?;
        let mut d = first;
        let mut out = Vec::with_capacity(cells.len());
        for c in cells {
            out.push(GridDay {
                date: d,
                items: c
                    .shown
                    .iter()
                    .filter_map(|i| rows.get(&spans[*i].0).cloned())
                    .collect(),
                more: c.more,
            });
            d += chrono::Duration::days(1);
        }
        Ok(MonthGrid { days: out, flagged })
    }

    /// Create a feed for the actor with this filter; the secret is returned once.
    pub async fn feed_create(
        &self,
        ctx: &Ctx,
        label: &str,
        filter: &CalendarFilter,
    ) -> Result<(calendar_feed::Model, String), StoreError> {
        let label = kieng_domain::text::clean(label, false);
        let label = if label.is_empty() {
            "Lịch công tác".to_string()
        } else {
            label.chars().take(100).collect()
        };
        let secret = random_secret();
        let m = calendar_feed::Model {
            id: Uuid::now_v7(),
            user_id: ctx.actor.user_id,
            label,
            token_hash: digest(&secret),
            filter: serde_json::to_string(filter).unwrap_or_else(|_| "{}".into()),
            created_at: now(),
            last_used_at: None,
            revoked_at: None,
        };
        let tx = self.begin_write().await?;
        calendar_feed::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(ctx.actor.agency_id),
                after: serde_json::to_value(&m).ok(),
                ..Change::new("calendar_feed", m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok((m, secret))
    }

    /// The actor's feeds, newest first.
    pub async fn feeds_of(&self, ctx: &Ctx) -> Result<Vec<calendar_feed::Model>, StoreError> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::UserId.eq(ctx.actor.user_id))
            .order_by_desc(calendar_feed::Column::CreatedAt)
            .all(&self.db)
            .await?)
    }

    /// Revoke one of the actor's feeds: its URL stops working at once.
    pub async fn feed_revoke(&self, ctx: &Ctx, id: Uuid) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let Some(f) = calendar_feed::Entity::find_by_id(id).one(&tx).await? else {
            return Err(StoreError::NotFound);
        };
        if f.user_id != ctx.actor.user_id {
            return Err(StoreError::NotFound);
        }
        if f.revoked_at.is_none() {
            calendar_feed::Entity::update_many()
                .col_expr(
                    calendar_feed::Column::RevokedAt,
                    sea_orm::sea_query::Expr::value(now()),
                )
                .filter(calendar_feed::Column::Id.eq(id))
                .exec(&tx)
                .await?;
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(ctx.actor.agency_id),
                    ..Change::new("calendar_feed", id, "revoke")
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The iCalendar text of a feed, read as its owner now; `NotFound` for an
    /// unknown or revoked secret or a disabled owner.
    pub async fn feed_ics(&self, secret: &str) -> Result<String, StoreError> {
        let Some(f) = calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(digest(secret.trim())))
            .one(&self.db)
            .await?
            .filter(|f| f.revoked_at.is_none())
        else {
            return Err(StoreError::NotFound);
        };
        let Some(owner) = user::Entity::find_by_id(f.user_id)
            .one(&self.db)
            .await?
            .filter(|u| u.disabled_at.is_none())
        else {
            return Err(StoreError::NotFound);
        };
        let ctx = Ctx {
            actor: self.actor_of(&owner).await?,
            request_id: None,
            ip: None,
        };
        let filter: CalendarFilter = serde_json::from_str(&f.filter).unwrap_or_default();
        let t = now();
        let text = self.calendar_ics(&ctx, &filter, &f.label).await?;
        // Only the one column: a revocation racing this fetch must not be undone.
        calendar_feed::Entity::update_many()
            .col_expr(
                calendar_feed::Column::LastUsedAt,
                sea_orm::sea_query::Expr::value(t),
            )
            .filter(calendar_feed::Column::Id.eq(f.id))
            .exec(&self.writer)
            .await?;
        Ok(text)
    }

    /// The iCalendar text of what `ctx` may see through `filter`, from 90 days back
    /// to 400 ahead (a feed's span).
    pub async fn calendar_ics(
        &self,
        ctx: &Ctx,
        filter: &CalendarFilter,
        label: &str,
    ) -> Result<String, StoreError> {
        let t = now();
        let rows = self
            .calendar_range(
                ctx,
                filter,
                t - chrono::Duration::days(90),
                t + chrono::Duration::days(400),
                true,
            )
            .await?;
        let types: std::collections::HashMap<String, String> = self
            .activity_types()
            .await?
            .into_iter()
            .map(|t| (t.code, t.name_vi))
            .collect();
        let events: Vec<Event> = rows
            .into_iter()
            .map(|r| {
                let a = r.activity;
                let status = match Status::parse(&a.status) {
                    Some(Status::Cancelled) => "CANCELLED",
                    Some(Status::Approved | Status::Done | Status::Reported) => "CONFIRMED",
                    _ => "TENTATIVE",
                };
                let mut description = vec![types.get(&a.type_code).cloned().unwrap_or_default()];
                description.extend(r.lead.map(|l| format!("Chủ trì: {}", l.name_vi)));
                description.extend(
                    Status::parse(&a.status).map(|s| format!("Trạng thái: {}", s.label().vi)),
                );
                description.extend(a.purpose.clone());
                Event {
                    uid: format!("{}@kieng", a.id),
                    sequence: a.sequence,
                    summary: a.title.clone(),
                    description: description.join("\n"),
                    location: a.city.clone(),
                    starts: a.starts_at,
                    ends: a.ends_at,
                    tz: a.time_zone.parse().unwrap_or(chrono_tz::Asia::Ho_Chi_Minh),
                    status,
                    categories: kieng_domain::agency::Pillar::parse(&a.pillar)
                        .map(|p| vec![p.label().vi])
                        .unwrap_or_default(),
                    confidential: from_rank(a.classification) > Classification::None,
                    modified: a.updated_at,
                    all_day: false,
                }
            })
            .collect();
        let mut events = events;
        // The agency's open plan tasks fall due on their deadlines, unless the
        // feed is narrowed to a partner or a kind of activity.
        if filter.partner.is_none() && filter.type_code.is_none() {
            let from = crate::today() - chrono::Duration::days(90);
            let to = crate::today() + chrono::Duration::days(400);
            for (task, plan_title) in self.task_deadlines(ctx, filter.agency, from, to).await? {
                let noon = task
                    .due_on
                    .and_hms_opt(5, 0, 0)
                    .map(|d| d.and_utc())
                    .unwrap_or(t);
                events.push(Event {
                    uid: format!("{}-due@kieng", task.id),
                    sequence: task.version,
                    summary: format!("Hạn nhiệm vụ: {}", task.title),
                    description: format!("{plan_title}\nTiến độ: {}%", task.progress),
                    location: None,
                    starts: noon,
                    ends: noon,
                    tz: chrono_tz::Asia::Ho_Chi_Minh,
                    status: "CONFIRMED",
                    categories: vec!["Nhiệm vụ".into()],
                    confidential: from_rank(task.classification) > Classification::None,
                    modified: task.updated_at,
                    all_day: true,
                });
            }
        }
        Ok(calendar(label, &events, t))
    }
}
