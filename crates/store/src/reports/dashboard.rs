//! The leaders' dashboard: what the lists behind its figures hold for one
//! period and scope, counted once and kept. It reads through the same
//! visibility shapes as the lists (the reader narrowed to the scope by
//! `report_reader`), so each figure equals the total of the list it opens.
//!
//! Kept per reader scope, clearance and period at a position of the activity
//! scope change log and at the partners', agencies', commitments' and plans'
//! revisions, as a scope's home page is (see `cache`), and at most
//! `HOME_CLOCK` old, since "overdue" and "upcoming" move with the clock.

use crate::activities::{Counted, HOME_CLOCK, day_after, vn_midnight};
use crate::audit::rank;
use crate::commitments::CommitmentFilter;
use crate::entity::{activity, activity_partner, country_region, partner, region};
use crate::kept::{Stamp, Stamped};
use crate::plans::MyTasksFilter;
use crate::{Ctx, Store, StoreError};
use chrono::{DateTime, Datelike, Utc};
use kieng_domain::activity::INCOMING;
use kieng_domain::report::Period;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

/// Partners the dashboard ranks.
pub const TOP_PARTNERS: usize = 10;
/// The activity types a dashboard counts as delegations, out and in.
pub const DELEGATIONS: [&str; 2] = ["outgoing_delegation", INCOMING];

/// A place engagements are counted in: a region or a country.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Activities in the period with a partner the reader may see from there.
    pub n: u64,
}

/// A partner and its activities in the period.
#[derive(Debug, Clone, Serialize)]
pub struct TopPartner {
    pub id: Uuid,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub n: u64,
}

/// Commitments as their list counts them today, whatever the period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CommitmentCounts {
    pub overdue: u64,
    pub soon: u64,
    pub open: u64,
    pub in_progress: u64,
    pub done: u64,
}

/// Tasks led by the agencies of the scope as "my agency's tasks" across the
/// scope counts them today, whatever the period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TaskCounts {
    pub overdue: u64,
    pub soon: u64,
    pub open: u64,
    pub done: u64,
}

/// What the dashboard shows for one period and scope.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub period: Period,
    pub previous: Period,
    /// Activities starting in the period (every status, as the list counts).
    pub total: u64,
    pub total_before: u64,
    /// By status, in the period.
    pub by_status: BTreeMap<String, u64>,
    /// By type: (in the period, in the one before).
    pub by_type: BTreeMap<String, (u64, u64)>,
    /// ((year, month), pillar) → activities starting then.
    pub by_month: BTreeMap<((i32, u32), String), u64>,
    /// Continents, most engaged first.
    pub regions: Vec<Place>,
    /// Countries by ISO alpha-2.
    pub countries: Vec<Place>,
    pub partners: Vec<TopPartner>,
    pub commitments: CommitmentCounts,
    pub tasks: TaskCounts,
    /// Delegations out and in, submitted or approved, starting within 31 days.
    pub upcoming: Counted,
    /// The highest classification among the activities counted.
    pub holds: i16,
}

/// Who reads which dashboard: read agencies (`None`: all), clearance rank,
/// the period's days.
pub type DashKey = (Option<Vec<Uuid>>, i16, chrono::NaiveDate, chrono::NaiveDate);

/// A dashboard as read, with the revisions and log position it was read at.
pub struct KeptDashboard {
    stamp: Stamp,
    revs: [i64; 4],
    born: Instant,
    dash: Dashboard,
}

impl Stamped for KeptDashboard {
    fn stamp(&self) -> &Stamp {
        &self.stamp
    }
}

#[derive(FromQueryResult)]
struct Started {
    starts_at: DateTime<Utc>,
    status: String,
    type_code: String,
    pillar: String,
    classification: i16,
}

#[derive(FromQueryResult)]
struct ByType {
    type_code: String,
    n: i64,
}

#[derive(FromQueryResult)]
struct Link {
    activity_id: Uuid,
    partner_id: Uuid,
    country_code: Option<String>,
}

fn span(p: &Period) -> (DateTime<Utc>, DateTime<Utc>) {
    (vn_midnight(p.from), day_after(p.to))
}

impl Store {
    /// The dashboard of `reader` (narrowed to a scope by `report_reader`) for
    /// `period`. Readers of one scope arriving while it is counted wait for
    /// that count.
    pub async fn dashboard(&self, reader: &Ctx, period: Period) -> Result<Dashboard, StoreError> {
        let key: DashKey = (
            reader.actor.read.ids(),
            rank(reader.actor.clearance),
            period.from,
            period.to,
        );
        if let Some(d) = self.dashboard_kept(&key).await? {
            return Ok(d);
        }
        let _one = self.caches.dashboard_lock(&key).lock().await;
        if let Some(d) = self.dashboard_kept(&key).await? {
            return Ok(d);
        }
        // The revisions first: what is kept is never labelled newer than it is.
        let (pos, revs) = tokio::try_join!(self.scope_position(), self.dashboard_revs())?;
        let dash = self.dashboard_read(reader, period).await?;
        self.caches.dashboard_put(
            key,
            Arc::new(KeptDashboard {
                stamp: Stamp::new(pos),
                revs,
                born: Instant::now(),
                dash: dash.clone(),
            }),
        );
        Ok(dash)
    }

    async fn dashboard_kept(&self, key: &DashKey) -> Result<Option<Dashboard>, StoreError> {
        let Some(kept) = self
            .caches
            .dashboard_get(key)
            .filter(|k| k.born.elapsed() < HOME_CLOCK)
        else {
            return Ok(None);
        };
        let (pos, revs) = tokio::try_join!(self.scope_position(), self.dashboard_revs())?;
        if kept.revs != revs {
            return Ok(None);
        }
        let Some(kept) = self.still_true(Some(kept), key.0.as_deref(), pos).await? else {
            return Ok(None);
        };
        let mut dash = kept.dash.clone();
        self.refresh_rows(dash.upcoming.rows.iter_mut()).await?;
        Ok(Some(dash))
    }

    async fn dashboard_revs(&self) -> Result<[i64; 4], StoreError> {
        use crate::counters::{AGENCIES, COMMITMENTS, PARTNERS, PLANS, value};
        let c = &self.caches;
        let (p, a, m, t) = tokio::try_join!(
            c.partners_rev.current(|| value(&self.db, PARTNERS)),
            c.agencies_rev.current(|| value(&self.db, AGENCIES)),
            c.commitments_rev.current(|| value(&self.db, COMMITMENTS)),
            value(&self.db, PLANS),
        )?;
        Ok([p, a, m, t])
    }

    /// The visible activities starting in `p`, as the list reads them.
    fn started_in(&self, ctx: &Ctx, p: &Period) -> Condition {
        let (from, to) = span(p);
        Condition::all()
            .add(Self::visible_in_span(
                ctx,
                self.db.get_database_backend(),
                (from, to),
            ))
            .add(activity::Column::StartsAt.gte(from))
            .add(activity::Column::StartsAt.lt(to))
    }

    /// The dashboard counted from the database, never from or into what is
    /// kept: its reads alone, as `kieng bench` measures them.
    pub async fn dashboard_read(
        &self,
        reader: &Ctx,
        period: Period,
    ) -> Result<Dashboard, StoreError> {
        let previous = period.previous();
        let commitments = |status: Option<&str>, due: Option<&str>| CommitmentFilter {
            status: status.map(str::to_string),
            due: due.map(str::to_string),
            ..Default::default()
        };
        let f = [
            commitments(None, Some("overdue")),
            commitments(None, Some("soon")),
            commitments(Some("open"), None),
            commitments(Some("in_progress"), None),
            commitments(Some("done"), None),
        ];
        let tasks = |due: &str| MyTasksFilter {
            due: Some(due.to_string()),
            in_scope: true,
            ..Default::default()
        };
        let t = [
            tasks("overdue"),
            tasks("soon"),
            tasks("open"),
            tasks("done"),
        ];
        let (t_overdue, t_soon, t_open, t_done) = tokio::try_join!(
            self.my_tasks_count(reader, &t[0]),
            self.my_tasks_count(reader, &t[1]),
            self.my_tasks_count(reader, &t[2]),
            self.my_tasks_count(reader, &t[3]),
        )?;
        let (rows, before, links, overdue, soon, open, in_progress, done, upcoming) = tokio::try_join!(
            async {
                Ok::<_, StoreError>(
                    activity::Entity::find()
                        .select_only()
                        .column(activity::Column::StartsAt)
                        .column(activity::Column::Status)
                        .column(activity::Column::TypeCode)
                        .column(activity::Column::Pillar)
                        .column(activity::Column::Classification)
                        .filter(self.started_in(reader, &period))
                        .into_model::<Started>()
                        .all(&self.db)
                        .await?,
                )
            },
            async {
                Ok::<_, StoreError>(
                    activity::Entity::find()
                        .select_only()
                        .column(activity::Column::TypeCode)
                        .expr_as(Expr::col(activity::Column::Id).count(), "n")
                        .filter(self.started_in(reader, &previous))
                        .group_by(activity::Column::TypeCode)
                        .into_model::<ByType>()
                        .all(&self.db)
                        .await?,
                )
            },
            self.dashboard_links(reader, &period),
            self.commitment_count(reader, &f[0]),
            self.commitment_count(reader, &f[1]),
            self.commitment_count(reader, &f[2]),
            self.commitment_count(reader, &f[3]),
            self.commitment_count(reader, &f[4]),
            self.counted(self.upcoming_query(reader, &DELEGATIONS)),
        )?;
        let mut d = Dashboard {
            period,
            previous,
            total: rows.len() as u64,
            total_before: 0,
            by_status: BTreeMap::new(),
            by_type: BTreeMap::new(),
            by_month: BTreeMap::new(),
            regions: Vec::new(),
            countries: Vec::new(),
            partners: Vec::new(),
            commitments: CommitmentCounts {
                overdue,
                soon,
                open,
                in_progress,
                done,
            },
            tasks: TaskCounts {
                overdue: t_overdue,
                soon: t_soon,
                open: t_open,
                done: t_done,
            },
            upcoming,
            holds: 0,
        };
        for r in rows {
            *d.by_status.entry(r.status).or_default() += 1;
            d.by_type.entry(r.type_code).or_default().0 += 1;
            let day = crate::activities::vn_date(r.starts_at);
            *d.by_month
                .entry(((day.year(), day.month()), r.pillar))
                .or_default() += 1;
            d.holds = Ord::max(d.holds, r.classification);
        }
        for b in before {
            let n = u64::try_from(b.n).unwrap_or(0);
            d.total_before += n;
            d.by_type.entry(b.type_code).or_default().1 += n;
        }
        self.dashboard_places(&mut d, links).await?;
        Ok(d)
    }

    /// The partner links of the activities starting in `p`, to partners the
    /// reader may see (as `with_partner_in` tests them).
    async fn dashboard_links(&self, ctx: &Ctx, p: &Period) -> Result<Vec<Link>, StoreError> {
        let started = Query::select()
            .column(activity::Column::Id)
            .from(activity::Entity)
            .cond_where(self.started_in(ctx, p))
            .to_owned();
        let ap = activity_partner::Entity;
        let mut q = Query::select();
        q.column((ap, activity_partner::Column::ActivityId))
            .column((ap, activity_partner::Column::PartnerId))
            .column((partner::Entity, partner::Column::CountryCode))
            .from(ap)
            .inner_join(
                partner::Entity,
                Expr::col((partner::Entity, partner::Column::Id))
                    .equals((ap, activity_partner::Column::PartnerId)),
            )
            .and_where(Expr::col((ap, activity_partner::Column::ActivityId)).in_subquery(started));
        // The period's links lead: SQLite, without statistics, would start from
        // every partner instead unless the partner's tests are unindexed (`+`).
        if self.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
            q.and_where(Expr::cust("+\"partners\".\"deleted_at\" IS NULL"))
                .and_where(
                    Expr::cust("+\"partners\".\"classification\"").lte(rank(ctx.actor.clearance)),
                );
        } else {
            q.and_where(Expr::col((partner::Entity, partner::Column::DeletedAt)).is_null())
                .and_where(
                    Expr::col((partner::Entity, partner::Column::Classification))
                        .lte(rank(ctx.actor.clearance)),
                );
        }
        let stmt = self.db.get_database_backend().build(&q);
        Ok(Link::find_by_statement(stmt).all(&self.db).await?)
    }

    /// Regions, countries and top partners from the period's links: each
    /// counts distinct activities, as the list filtered by it does.
    async fn dashboard_places(
        &self,
        d: &mut Dashboard,
        links: Vec<Link>,
    ) -> Result<(), StoreError> {
        let continents: HashMap<String, (String, String)> = region::Entity::find()
            .filter(region::Column::Parent.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.code, (r.name_vi, r.name_en)))
            .collect();
        let mut continent_of: HashMap<String, String> = HashMap::new();
        for cr in country_region::Entity::find().all(&self.db).await? {
            if continents.contains_key(&cr.region) {
                continent_of.insert(cr.alpha2, cr.region);
            }
        }
        let mut by_country: HashMap<String, HashSet<Uuid>> = HashMap::new();
        let mut by_region: HashMap<String, HashSet<Uuid>> = HashMap::new();
        let mut by_partner: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        for l in links {
            by_partner
                .entry(l.partner_id)
                .or_default()
                .insert(l.activity_id);
            if let Some(c) = l.country_code {
                if let Some(r) = continent_of.get(&c) {
                    by_region
                        .entry(r.clone())
                        .or_default()
                        .insert(l.activity_id);
                }
                by_country.entry(c).or_default().insert(l.activity_id);
            }
        }
        let names: HashMap<String, (String, String)> = if by_country.is_empty() {
            HashMap::new()
        } else {
            crate::entity::country::Entity::find()
                .filter(crate::entity::country::Column::Alpha2.is_in(by_country.keys().cloned()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| (c.alpha2, (c.name_vi, c.name_en)))
                .collect()
        };
        let mut countries: Vec<Place> = by_country
            .into_iter()
            .map(|(code, ids)| {
                let (vi, en) = names
                    .get(&code)
                    .cloned()
                    .unwrap_or((code.clone(), code.clone()));
                Place {
                    code,
                    name_vi: vi,
                    name_en: en,
                    n: ids.len() as u64,
                }
            })
            .collect();
        countries.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.code.cmp(&b.code)));
        let mut regions: Vec<Place> = by_region
            .into_iter()
            .map(|(code, ids)| {
                let (vi, en) = continents.get(&code).cloned().unwrap_or_default();
                Place {
                    code,
                    name_vi: vi,
                    name_en: en,
                    n: ids.len() as u64,
                }
            })
            .collect();
        regions.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.code.cmp(&b.code)));
        let mut top: Vec<(Uuid, u64)> = by_partner
            .into_iter()
            .map(|(id, ids)| (id, ids.len() as u64))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(TOP_PARTNERS);
        let named: HashMap<Uuid, partner::Model> = if top.is_empty() {
            HashMap::new()
        } else {
            partner::Entity::find()
                .filter(partner::Column::Id.is_in(top.iter().map(|t| t.0)))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect()
        };
        d.partners = top
            .into_iter()
            .filter_map(|(id, n)| {
                let p = named.get(&id)?;
                Some(TopPartner {
                    id,
                    name_vi: p.name_vi.clone(),
                    name_en: p.name_en.clone(),
                    n,
                })
            })
            .collect();
        d.countries = countries;
        d.regions = regions;
        Ok(())
    }
}
