//! A report's computed sections: each counts the records of one module for
//! the period and the one before, as the report's reader (`report_reader`)
//! sees them — through the visibility shapes, so nothing above the reader's
//! clearance or outside the report's scope is counted. A later module adds
//! its section here (a function returning a `Section`) and to `SECTIONS`'s
//! order in `figures`.

use crate::activities::vn_midnight;
use crate::audit::{from_rank, rank};
use crate::entity::{
    activity, activity_partner, activity_type, agreement, commitment, country_region,
    framework_level, partner, partner_framework, region,
};
use crate::{Ctx, Store, StoreError};
use kieng_domain::Msg;
use kieng_domain::activity::HeadLevel;
use kieng_domain::agency::Pillar;
use kieng_domain::report::{COUNTED_STATUSES, Figures, HIGH_LEVELS, Period, Section, Table, Tally};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Top partners a report names.
const TOP_PARTNERS: u64 = 10;
/// High-level delegations and framework steps a report lists by name.
const MAX_ITEMS: u64 = 200;

#[derive(Debug, FromQueryResult)]
struct ActivityGroup {
    pillar: String,
    type_code: String,
    head_level: Option<String>,
    n: i64,
    c: Option<i16>,
}

#[derive(Debug, FromQueryResult)]
struct KeyCount {
    k: Option<String>,
    n: i64,
    c: Option<i16>,
}

/// The instants a period's days run between, in Vietnam's time.
fn span(p: &Period) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    (
        vn_midnight(p.from),
        vn_midnight(p.to.succ_opt().unwrap_or(p.to)),
    )
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The highest classification counted so far.
#[derive(Default)]
struct Holds(i16);

impl Holds {
    fn add(&mut self, c: Option<i16>) {
        self.0 = Ord::max(self.0, c.unwrap_or(0));
    }
}

impl Store {
    /// The activities counted in a period: within the report's reader's
    /// visibility, started in the period, carried out or decided.
    fn counted_activities(&self, ctx: &Ctx, p: &Period) -> Condition {
        let (from, to) = span(p);
        let backend = self.db.get_database_backend();
        // SQLite, without statistics, would read the statuses' index (nearly
        // every row of every year) instead of the period's range of starts:
        // the status is tested unindexed there (`+`).
        let status = if backend == sea_orm::DbBackend::Sqlite {
            Expr::cust("+\"activities\".\"status\"").is_in(COUNTED_STATUSES.iter().copied())
        } else {
            Expr::col((activity::Entity, activity::Column::Status))
                .is_in(COUNTED_STATUSES.iter().copied())
        };
        Condition::all()
            .add(Self::visible_in_span(ctx, backend, (from, to)))
            .add(activity::Column::StartsAt.gte(from))
            .add(activity::Column::StartsAt.lt(to))
            .add(status)
    }

    /// Every section of a report for `period`, compared with the one before,
    /// as `reader` (a report's reader) sees the records.
    pub async fn report_figures(
        &self,
        reader: &Ctx,
        period: Period,
    ) -> Result<Figures, StoreError> {
        let previous = period.previous();
        let mut holds = Holds::default();
        // The activities of both periods, grouped once for the two sections
        // that read them.
        let groups = [
            (true, self.activity_groups(reader, &period).await?),
            (false, self.activity_groups(reader, &previous).await?),
        ];
        let sections = vec![
            self.section_activities(reader, &period, &previous, &groups, &mut holds)
                .await?,
            self.section_delegations(reader, &period, &previous, &groups, &mut holds)
                .await?,
            self.section_agreements(reader, &period, &previous, &mut holds)
                .await?,
            self.section_commitments(reader, &period, &previous, &mut holds)
                .await?,
            self.section_frameworks(reader, &period, &previous, &mut holds)
                .await?,
            self.section_plans(reader, &period, &previous, &mut holds)
                .await?,
            self.section_protection(reader, &period, &previous, &mut holds)
                .await?,
            self.section_multilateral(reader, &period, &previous, &mut holds)
                .await?,
        ];
        Ok(Figures {
            period,
            previous,
            sections,
            holds: from_rank(holds.0),
        })
    }

    async fn activity_groups(
        &self,
        ctx: &Ctx,
        p: &Period,
    ) -> Result<Vec<ActivityGroup>, StoreError> {
        Ok(activity::Entity::find()
            .select_only()
            .column(activity::Column::Pillar)
            .column(activity::Column::TypeCode)
            .column(activity::Column::HeadLevel)
            .expr_as(Func::count(Expr::col(activity::Column::Id)), "n")
            .expr_as(Func::max(Expr::col(activity::Column::Classification)), "c")
            .filter(self.counted_activities(ctx, p))
            .group_by(activity::Column::Pillar)
            .group_by(activity::Column::TypeCode)
            .group_by(activity::Column::HeadLevel)
            .into_model()
            .all(&self.db)
            .await?)
    }

    /// The counted activities' partner links, grouped by `key` (a column of
    /// the partner, or of its region), among partners the reader may see.
    async fn link_counts(
        &self,
        ctx: &Ctx,
        p: &Period,
        by_region: bool,
        only: Option<&[uuid::Uuid]>,
    ) -> Result<Vec<KeyCount>, StoreError> {
        let counted = Query::select()
            .column(activity::Column::Id)
            .from(activity::Entity)
            .cond_where(self.counted_activities(ctx, p))
            .to_owned();
        let ap = activity_partner::Entity;
        let mut q = Query::select();
        q.from(ap)
            .inner_join(
                partner::Entity,
                Expr::col((partner::Entity, partner::Column::Id))
                    .equals((ap, activity_partner::Column::PartnerId)),
            )
            .and_where(Expr::col((ap, activity_partner::Column::ActivityId)).in_subquery(counted));
        // The period's links lead: SQLite, without statistics, would start from
        // every partner instead (50,000 people) unless the partner's tests are
        // unindexed there (`+`).
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
        q.expr_as(
            Expr::cust("COUNT(DISTINCT \"activity_partners\".\"activity_id\")"),
            Alias::new("n"),
        )
        .expr_as(
            Func::max(Expr::col((ap, activity_partner::Column::Classification))),
            Alias::new("c"),
        );
        if let Some(ids) = only {
            q.and_where(
                Expr::col((ap, activity_partner::Column::PartnerId)).is_in(ids.iter().copied()),
            );
        }
        if by_region {
            q.inner_join(
                country_region::Entity,
                Expr::col((country_region::Entity, country_region::Column::Alpha2))
                    .equals((partner::Entity, partner::Column::CountryCode)),
            )
            .inner_join(
                region::Entity,
                Expr::col((region::Entity, region::Column::Code))
                    .equals((country_region::Entity, country_region::Column::Region)),
            )
            .and_where(Expr::col((region::Entity, region::Column::Parent)).is_null())
            .expr_as(
                Expr::col((region::Entity, region::Column::Code)),
                Alias::new("k"),
            )
            .group_by_col((region::Entity, region::Column::Code));
        } else {
            q.expr_as(
                Expr::col((ap, activity_partner::Column::PartnerId)),
                Alias::new("pid"),
            )
            .group_by_col((ap, activity_partner::Column::PartnerId));
        }
        let stmt = self.db.get_database_backend().build(&q);
        if by_region {
            return Ok(KeyCount::find_by_statement(stmt).all(&self.db).await?);
        }
        #[derive(FromQueryResult)]
        struct ById {
            pid: uuid::Uuid,
            n: i64,
            c: Option<i16>,
        }
        Ok(ById::find_by_statement(stmt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| KeyCount {
                k: Some(r.pid.to_string()),
                n: r.n,
                c: r.c,
            })
            .collect())
    }

    async fn section_activities(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        groups: &[(bool, Vec<ActivityGroup>)],
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        let types: HashMap<String, Msg> = activity_type::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.code, Msg::new(t.name_vi, t.name_en)))
            .collect();
        let mut pillars = Tally::default();
        for p in Pillar::ALL {
            pillars.keep(p.as_str());
        }
        let mut by_type = Tally::default();
        let mut total = Tally::default();
        for (is_now, gs) in groups {
            let is_now = *is_now;
            for g in gs {
                holds.add(g.c);
                pillars.add(&g.pillar, is_now, g.n);
                by_type.add(&g.type_code, is_now, g.n);
                total.add("all", is_now, g.n);
            }
        }
        let mut regions = Tally::default();
        let names: HashMap<String, Msg> = region::Entity::find()
            .filter(region::Column::Parent.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.code, Msg::new(r.name_vi, r.name_en)))
            .collect();
        for (is_now, p) in [(true, now), (false, before)] {
            for r in self.link_counts(ctx, p, true, None).await? {
                holds.add(r.c);
                regions.add(r.k.as_deref().unwrap_or(""), is_now, r.n);
            }
        }
        // The period's most engaged partners, and the same partners before.
        let mut top = self.link_counts(ctx, now, false, None).await?;
        top.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.k.cmp(&b.k)));
        top.truncate(TOP_PARTNERS as usize);
        let ids: Vec<uuid::Uuid> = top
            .iter()
            .filter_map(|r| r.k.as_deref()?.parse().ok())
            .collect();
        let mut partners = Tally::default();
        for r in &top {
            holds.add(r.c);
            partners.add(r.k.as_deref().unwrap_or(""), true, r.n);
        }
        if !ids.is_empty() {
            for r in self.link_counts(ctx, before, false, Some(&ids)).await? {
                holds.add(r.c);
                partners.add(r.k.as_deref().unwrap_or(""), false, r.n);
            }
        }
        let partner_names: HashMap<String, (String, Option<String>, i16)> = if ids.is_empty() {
            HashMap::new()
        } else {
            partner::Entity::find()
                .filter(partner::Column::Id.is_in(ids.clone()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.id.to_string(), (p.name_vi, p.name_en, p.classification)))
                .collect()
        };
        for (_, (_, _, c)) in partner_names.iter() {
            holds.add(Some(*c));
        }
        let other = || Msg::new("Khác", "Other");
        Ok(Section {
            key: "activities".into(),
            vi: "Hoạt động đối ngoại".into(),
            en: "External activities".into(),
            tables: vec![
                total.into_table(
                    Table::new(
                        "total",
                        Msg::new("Tổng số hoạt động", "All activities"),
                        false,
                    ),
                    |_| {
                        Msg::new(
                            "Hoạt động đã thực hiện hoặc đã duyệt",
                            "Activities carried out or approved",
                        )
                    },
                    true,
                ),
                pillars.into_table(
                    Table::new("pillar", Msg::new("Theo trụ cột", "By pillar"), true),
                    |c| Pillar::parse(c).map(Pillar::label).unwrap_or_else(other),
                    true,
                ),
                by_type.into_table(
                    Table::new("type", Msg::new("Theo loại hoạt động", "By type"), true),
                    |c| types.get(c).cloned().unwrap_or_else(other),
                    false,
                ),
                regions.into_table(
                    Table::new(
                        "region",
                        Msg::new("Theo khu vực của đối tác", "By the partners' region"),
                        false,
                    ),
                    |c| names.get(c).cloned().unwrap_or_else(other),
                    false,
                ),
                partners.into_table(
                    Table::new(
                        "partner",
                        Msg::new("Đối tác có nhiều hoạt động nhất", "Most engaged partners"),
                        false,
                    ),
                    |c| {
                        partner_names
                            .get(c)
                            .map(|(vi, en, _)| {
                                Msg::new(vi.clone(), en.clone().unwrap_or(vi.clone()))
                            })
                            .unwrap_or_else(other)
                    },
                    true,
                ),
            ],
            items: Vec::new(),
        })
    }

    async fn section_delegations(
        &self,
        ctx: &Ctx,
        now: &Period,
        previous: &Period,
        groups: &[(bool, Vec<ActivityGroup>)],
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        use kieng_domain::activity::{HOSTED_CONFERENCE, INCOMING};
        const OUTGOING: &str = "outgoing_delegation";
        const ABROAD: &str = "conference_abroad";
        let mut out = Tally::default();
        let mut inc = Tally::default();
        for l in HeadLevel::ALL {
            out.keep(l.as_str());
            inc.keep(l.as_str());
        }
        let mut conferences = Tally::default();
        conferences.keep(HOSTED_CONFERENCE);
        conferences.keep(ABROAD);
        for (is_now, gs) in groups {
            let is_now = *is_now;
            for g in gs {
                let level = g.head_level.as_deref().unwrap_or("");
                match g.type_code.as_str() {
                    OUTGOING => out.add(level, is_now, g.n),
                    INCOMING => inc.add(level, is_now, g.n),
                    HOSTED_CONFERENCE | ABROAD => conferences.add(&g.type_code, is_now, g.n),
                    _ => continue,
                }
                holds.add(g.c);
            }
        }
        let level = |c: &str| {
            HeadLevel::parse(c)
                .map(HeadLevel::label)
                .unwrap_or_else(|| Msg::new("Chưa ghi cấp trưởng đoàn", "Level not recorded"))
        };
        // The period's delegations at minister level and above, by name.
        let high = activity::Entity::find()
            .filter(self.counted_activities(ctx, now))
            .filter(activity::Column::TypeCode.is_in([OUTGOING, INCOMING]))
            .filter(activity::Column::HeadLevel.is_in(HIGH_LEVELS.iter().copied()))
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .limit(MAX_ITEMS)
            .all(&self.db)
            .await?;
        let items = high
            .iter()
            .map(|a| {
                holds.add(Some(a.classification));
                format!(
                    "{}: {}{}",
                    day(crate::activities::vn_date(a.starts_at)),
                    a.title,
                    a.head_name
                        .as_deref()
                        .map(|h| format!(" (trưởng đoàn: {h})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let mut section = Section {
            key: "delegations".into(),
            vi: "Đoàn ra, đoàn vào và hội nghị quốc tế".into(),
            en: "Delegations and international conferences".into(),
            tables: vec![
                out.into_table(
                    Table::new(
                        "outgoing",
                        Msg::new(
                            "Đoàn ra theo cấp trưởng đoàn",
                            "Outgoing delegations by level of the head",
                        ),
                        true,
                    ),
                    level,
                    true,
                )
                .without_empty(),
                inc.into_table(
                    Table::new(
                        "incoming",
                        Msg::new(
                            "Đoàn vào theo cấp trưởng đoàn",
                            "Incoming delegations by level of the head",
                        ),
                        true,
                    ),
                    level,
                    true,
                )
                .without_empty(),
                conferences.into_table(
                    Table::new(
                        "conferences",
                        Msg::new("Hội nghị, hội thảo quốc tế", "International conferences"),
                        true,
                    ),
                    |c| {
                        if c == HOSTED_CONFERENCE {
                            Msg::new("Tổ chức tại Việt Nam", "Hosted in Vietnam")
                        } else {
                            Msg::new("Tham dự ở nước ngoài", "Attended abroad")
                        }
                    },
                    true,
                ),
            ],
            items,
        };
        // The delegation plans' planned delegations against what happened,
        // when the reader's agencies planned any.
        let planned = [
            self.planned_counts(ctx, (now.from, now.to), self.counted_activities(ctx, now))
                .await?,
            self.planned_counts(
                ctx,
                (previous.from, previous.to),
                self.counted_activities(ctx, previous),
            )
            .await?,
        ];
        if planned.iter().any(|c| c.planned > 0) {
            for c in &planned {
                holds.add(Some(c.holds));
            }
            let [a, b] = planned;
            let rows: [(&str, Msg, i64, i64); 6] = [
                (
                    "planned",
                    Msg::new("Đoàn trong kế hoạch", "Planned"),
                    a.planned,
                    b.planned,
                ),
                (
                    "held",
                    Msg::new("Đã thực hiện theo kế hoạch", "Held as planned"),
                    a.held,
                    b.held,
                ),
                (
                    "pending",
                    Msg::new("Chưa đến tháng dự kiến", "Not yet due"),
                    a.pending,
                    b.pending,
                ),
                (
                    "not_held",
                    Msg::new(
                        "Quá tháng dự kiến, chưa thực hiện",
                        "Past their month, not held",
                    ),
                    a.not_held,
                    b.not_held,
                ),
                (
                    "dropped",
                    Msg::new("Không thực hiện (có lý do)", "Dropped, with the reason"),
                    a.dropped,
                    b.dropped,
                ),
                (
                    "outside",
                    Msg::new("Thực hiện ngoài kế hoạch", "Outside the plan"),
                    a.outside,
                    b.outside,
                ),
            ];
            let t = rows.into_iter().fold(
                Table::new(
                    "planned",
                    Msg::new(
                        "Kế hoạch đoàn ra, đoàn vào và thực tế",
                        "The delegation plan against what happened",
                    ),
                    false,
                ),
                |t, (k, l, n, p)| t.row(k, l, n, p),
            );
            section.tables.push(t.without_empty());
        }
        Ok(section)
    }

    async fn section_agreements(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        use kieng_domain::agreement::Kind;
        let mut signed = Tally::default();
        let mut in_force = Tally::default();
        for k in Kind::ALL {
            signed.keep(k.as_str());
            in_force.keep(k.as_str());
        }
        for (is_now, p) in [(true, now), (false, before)] {
            let rows: Vec<KeyCount> = agreement::Entity::find()
                .select_only()
                .expr_as(Expr::col(agreement::Column::Kind), "k")
                .expr_as(Func::count(Expr::col(agreement::Column::Id)), "n")
                .expr_as(Func::max(Expr::col(agreement::Column::Classification)), "c")
                .filter(Self::agreement_visible(ctx))
                .filter(agreement::Column::SignedOn.gte(p.from))
                .filter(agreement::Column::SignedOn.lte(p.to))
                .group_by(agreement::Column::Kind)
                .into_model()
                .all(&self.db)
                .await?;
            for r in rows {
                holds.add(r.c);
                signed.add(r.k.as_deref().unwrap_or(""), is_now, r.n);
            }
            // In force on the period's last day: in force by then, not expired,
            // and not ended (expired, terminated) by then.
            let rows: Vec<KeyCount> = agreement::Entity::find()
                .select_only()
                .expr_as(Expr::col(agreement::Column::Kind), "k")
                .expr_as(Func::count(Expr::col(agreement::Column::Id)), "n")
                .expr_as(Func::max(Expr::col(agreement::Column::Classification)), "c")
                .filter(Self::agreement_visible(ctx))
                .filter(agreement::Column::InForceOn.lte(p.to))
                .filter(
                    Condition::any()
                        .add(agreement::Column::ExpiresOn.is_null())
                        .add(agreement::Column::ExpiresOn.gt(p.to)),
                )
                .filter(
                    Condition::any()
                        .add(agreement::Column::Status.is_not_in(["expired", "terminated"]))
                        .add(agreement::Column::StatusOn.gt(p.to)),
                )
                .group_by(agreement::Column::Kind)
                .into_model()
                .all(&self.db)
                .await?;
            for r in rows {
                holds.add(r.c);
                in_force.add(r.k.as_deref().unwrap_or(""), is_now, r.n);
            }
        }
        let kind = |c: &str| {
            Kind::parse(c)
                .map(Kind::label)
                .unwrap_or_else(|| Msg::new("Khác", "Other"))
        };
        Ok(Section {
            key: "agreements".into(),
            vi: "Điều ước quốc tế, thỏa thuận quốc tế".into(),
            en: "Treaties and international agreements".into(),
            tables: vec![
                signed.into_table(
                    Table::new(
                        "signed",
                        Msg::new("Ký kết trong kỳ", "Signed in the period"),
                        true,
                    ),
                    kind,
                    true,
                ),
                in_force.into_table(
                    Table::new(
                        "in_force",
                        Msg::new(
                            "Có hiệu lực vào cuối kỳ",
                            "In force at the end of the period",
                        ),
                        true,
                    ),
                    kind,
                    true,
                ),
            ],
            items: Vec::new(),
        })
    }

    async fn section_commitments(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        let mut t = Tally::default();
        for k in ["on_time", "late", "overdue", "open", "dropped"] {
            t.keep(k);
        }
        let today = crate::today();
        for (is_now, p) in [(true, now), (false, before)] {
            // Where each commitment due in the period stood at its end (or today).
            let end = Ord::min(p.to, today);
            let rows = commitment::Entity::find()
                .select_only()
                .column(commitment::Column::Status)
                .column(commitment::Column::DueOn)
                .column(commitment::Column::DoneOn)
                .column(commitment::Column::Classification)
                .filter(Self::commitment_visible(ctx))
                .filter(commitment::Column::DueOn.gte(p.from))
                .filter(commitment::Column::DueOn.lte(p.to))
                .into_tuple::<(String, chrono::NaiveDate, Option<chrono::NaiveDate>, i16)>()
                .all(&self.db)
                .await?;
            for (status, due, done, c) in rows {
                holds.add(Some(c));
                let k = match (status.as_str(), done) {
                    ("dropped", _) => "dropped",
                    ("done", Some(d)) if d <= due => "on_time",
                    ("done", Some(d)) if d <= p.to => "late",
                    ("done", None) => "on_time",
                    _ if due < end => "overdue",
                    _ => "open",
                };
                t.add(k, is_now, 1);
            }
        }
        Ok(Section {
            key: "commitments".into(),
            vi: "Thực hiện các cam kết, thỏa thuận".into(),
            en: "Commitments carried out".into(),
            tables: vec![t.into_table(
                Table::new(
                    "due",
                    Msg::new("Cam kết đến hạn trong kỳ", "Commitments due in the period"),
                    true,
                ),
                |c| match c {
                    "on_time" => Msg::new("Hoàn thành đúng hạn", "Done on time"),
                    "late" => Msg::new("Hoàn thành chậm", "Done late"),
                    "overdue" => Msg::new("Quá hạn, chưa hoàn thành", "Overdue"),
                    "open" => Msg::new("Đang thực hiện, chưa đến hạn", "Open, not yet due"),
                    _ => Msg::new("Không thực hiện nữa", "Dropped"),
                },
                true,
            )],
            items: Vec::new(),
        })
    }

    /// Tasks of programmes and plans due in the period, each counted once by
    /// its lead agency when the reader reads it (as the dashboard and the
    /// tasks list within a scope count them), where it stood at the period's
    /// end (`plan::review_outcome`).
    async fn section_plans(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        use crate::entity::{plan_task, plan_task_agency as pta};
        use kieng_domain::plan::{REVIEW_OUTCOMES, review_outcome};
        let mut t = Tally::default();
        for k in REVIEW_OUTCOMES {
            t.keep(k);
        }
        let today = crate::today();
        for (is_now, p) in [(true, now), (false, before)] {
            let mut q = pta::Entity::find()
                .select_only()
                .column(pta::Column::TaskId)
                .column(pta::Column::DueOn)
                .column(pta::Column::Progress)
                .column(pta::Column::Cancelled)
                .column(pta::Column::Classification)
                .filter(pta::Column::Role.eq(crate::plans::LEAD))
                .filter(pta::Column::DeletedAt.is_null())
                .filter(pta::Column::Classification.lte(rank(ctx.actor.clearance)))
                .filter(pta::Column::DueOn.gte(p.from))
                .filter(pta::Column::DueOn.lte(p.to));
            if let Some(ids) = ctx.actor.read.ids() {
                q = q.filter(pta::Column::AgencyId.is_in(ids));
            }
            let rows = q
                .into_tuple::<(uuid::Uuid, chrono::NaiveDate, i16, bool, i16)>()
                .all(&self.db)
                .await?;
            // When the done ones were last reported: the report that made them so.
            let done: Vec<uuid::Uuid> = rows
                .iter()
                .filter(|r| r.2 >= 100 && !r.3)
                .map(|r| r.0)
                .collect();
            let mut reported: HashMap<uuid::Uuid, chrono::NaiveDate> = HashMap::new();
            for chunk in done.chunks(1000) {
                let got = plan_task::Entity::find()
                    .select_only()
                    .column(plan_task::Column::Id)
                    .column(plan_task::Column::ReportedAt)
                    .filter(plan_task::Column::Id.is_in(chunk.iter().copied()))
                    .into_tuple::<(uuid::Uuid, Option<chrono::DateTime<chrono::Utc>>)>()
                    .all(&self.db)
                    .await?;
                reported.extend(
                    got.into_iter()
                        .filter_map(|(id, at)| Some((id, crate::activities::vn_date(at?)))),
                );
            }
            for (id, due, progress, cancelled, c) in rows {
                holds.add(Some(c));
                let k = review_outcome(
                    u8::try_from(progress.clamp(0, 100)).unwrap_or(0),
                    cancelled,
                    due,
                    reported.get(&id).copied(),
                    p.to,
                    today,
                );
                t.add(k, is_now, 1);
            }
        }
        Ok(Section {
            key: "plans".into(),
            vi: "Thực hiện chương trình, kế hoạch".into(),
            en: "Programmes and plans carried out".into(),
            tables: vec![t.into_table(
                Table::new(
                    "tasks_due",
                    Msg::new(
                        "Nhiệm vụ đến hạn trong kỳ (theo cơ quan chủ trì)",
                        "Tasks due in the period (by lead agency)",
                    ),
                    true,
                ),
                |c| match c {
                    "on_time" => Msg::new("Hoàn thành đúng hạn", "Done on time"),
                    "late" => Msg::new("Hoàn thành chậm", "Done late"),
                    "overdue" => Msg::new("Quá hạn, chưa hoàn thành", "Overdue"),
                    "open" => Msg::new("Đang thực hiện, chưa đến hạn", "Open, not yet due"),
                    _ => Msg::new("Đã hủy", "Cancelled"),
                },
                true,
            )],
            items: Vec::new(),
        })
    }

    /// Citizen protection: the cases taken in during the period by category,
    /// and by where they stood at its end — counts only, never a person.
    async fn section_protection(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        use crate::entity::protection_case as pc;
        use kieng_domain::protection::{Category, Status};
        let mut by_category = Tally::default();
        let mut outcome = Tally::default();
        for c in Category::ALL {
            by_category.keep(c.as_str());
        }
        for k in ["resolved", "open"] {
            outcome.keep(k);
        }
        for (is_now, p) in [(true, now), (false, before)] {
            let (from, to) = span(p);
            let rows = pc::Entity::find()
                .select_only()
                .column(pc::Column::Category)
                .column(pc::Column::Status)
                .column(pc::Column::ClosedAt)
                .column(pc::Column::UpdatedAt)
                .column(pc::Column::Classification)
                .filter(Self::case_visible(ctx))
                .filter(pc::Column::OpenedAt.gte(from))
                .filter(pc::Column::OpenedAt.lt(to))
                .into_tuple::<(
                    String,
                    String,
                    Option<chrono::DateTime<chrono::Utc>>,
                    chrono::DateTime<chrono::Utc>,
                    i16,
                )>()
                .all(&self.db)
                .await?;
            for (category, status, closed, updated, c) in rows {
                holds.add(Some(c));
                by_category.add(&category, is_now, 1);
                // Resolved or closed by the period's end (the last change of a
                // case no longer open is when it left the workflow).
                let done = Status::parse(&status).is_some_and(|s| !s.is_open())
                    && closed.unwrap_or(updated) < to;
                outcome.add(if done { "resolved" } else { "open" }, is_now, 1);
            }
        }
        Ok(Section {
            key: "protection".into(),
            vi: "Công tác bảo hộ công dân".into(),
            en: "Protection of citizens abroad".into(),
            tables: vec![
                by_category
                    .into_table(
                        Table::new(
                            "cases",
                            Msg::new(
                                "Vụ việc bảo hộ tiếp nhận trong kỳ, theo loại",
                                "Cases taken in during the period, by category",
                            ),
                            true,
                        ),
                        |c| {
                            Category::parse(c)
                                .map(Category::label)
                                .unwrap_or_else(|| Msg::new(c, c))
                        },
                        true,
                    )
                    .without_empty(),
                outcome.into_table(
                    Table::new(
                        "outcome",
                        Msg::new(
                            "Kết quả xử lý các vụ việc tiếp nhận trong kỳ",
                            "Where the cases taken in stood at the period's end",
                        ),
                        true,
                    ),
                    |c| match c {
                        "resolved" => Msg::new("Đã giải quyết", "Resolved"),
                        _ => Msg::new("Đang xử lý", "Still open"),
                    },
                    true,
                ),
            ],
            items: Vec::new(),
        })
    }

    /// Multilateral diplomacy: the meetings of mechanisms held in the period
    /// (counted activities linked to a mechanism, by the top of its tree),
    /// the documents adopted and initiatives recorded, and the candidacies
    /// decided by an election in the period; the roles Vietnam took up and
    /// the posts won are named.
    async fn section_multilateral(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        use crate::entity::mechanism_role;
        use crate::entity::{candidacy, mechanism, mechanism_activity, mechanism_outcome};
        use kieng_domain::multilateral::{OutcomeKind, Status};
        let tree: Vec<(uuid::Uuid, Option<uuid::Uuid>, String)> = mechanism::Entity::find()
            .select_only()
            .column(mechanism::Column::Id)
            .column(mechanism::Column::ParentId)
            .column(mechanism::Column::NameVi)
            .into_tuple()
            .all(&self.db)
            .await?;
        let parent: HashMap<uuid::Uuid, Option<uuid::Uuid>> =
            tree.iter().map(|(id, p, _)| (*id, *p)).collect();
        let names: HashMap<uuid::Uuid, String> =
            tree.iter().map(|(id, _, n)| (*id, n.clone())).collect();
        // The top of a mechanism's tree (a cycle is cut after a few hops).
        let top = |mut id: uuid::Uuid| {
            for _ in 0..16 {
                match parent.get(&id).copied().flatten() {
                    Some(p) => id = p,
                    None => break,
                }
            }
            id
        };
        let mut meetings = Tally::default();
        let mut outcomes = Tally::default();
        let mut elections = Tally::default();
        for k in OutcomeKind::ALL {
            outcomes.keep(k.as_str());
        }
        for k in ["elected", "not_elected", "withdrawn", "pending"] {
            elections.keep(k);
        }
        let mut items = Vec::new();
        for (is_now, p) in [(true, now), (false, before)] {
            let acts: HashMap<uuid::Uuid, i16> = activity::Entity::find()
                .select_only()
                .column(activity::Column::Id)
                .column(activity::Column::Classification)
                .filter(self.counted_activities(ctx, p))
                .filter(
                    activity::Column::Id.in_subquery(
                        Query::select()
                            .column(mechanism_activity::Column::ActivityId)
                            .from(mechanism_activity::Entity)
                            .to_owned(),
                    ),
                )
                .into_tuple::<(uuid::Uuid, i16)>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            let ids: Vec<uuid::Uuid> = acts.keys().copied().collect();
            // An activity meeting two bodies of one tree counts once for it.
            let mut seen = std::collections::HashSet::new();
            for chunk in ids.chunks(500) {
                let links: Vec<(uuid::Uuid, uuid::Uuid)> = mechanism_activity::Entity::find()
                    .select_only()
                    .column(mechanism_activity::Column::ActivityId)
                    .column(mechanism_activity::Column::MechanismId)
                    .filter(mechanism_activity::Column::ActivityId.is_in(chunk.to_vec()))
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                for (a, m) in links {
                    let t = top(m);
                    if seen.insert((a, t)) {
                        holds.add(acts.get(&a).copied());
                        meetings.add(&t.to_string(), is_now, 1);
                    }
                }
            }
            let rows: Vec<(String, i16)> = mechanism_outcome::Entity::find()
                .select_only()
                .column(mechanism_outcome::Column::Kind)
                .column(mechanism_outcome::Column::Classification)
                .filter(Self::outcome_visible(ctx))
                .filter(mechanism_outcome::Column::AdoptedOn.gte(p.from))
                .filter(mechanism_outcome::Column::AdoptedOn.lte(p.to))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (kind, c) in rows {
                holds.add(Some(c));
                outcomes.add(&kind, is_now, 1);
            }
            let rows = candidacy::Entity::find()
                .filter(Self::candidacy_visible(ctx))
                .filter(candidacy::Column::ElectionOn.gte(p.from))
                .filter(candidacy::Column::ElectionOn.lte(p.to))
                .order_by_asc(candidacy::Column::ElectionOn)
                .limit(MAX_ITEMS)
                .all(&self.db)
                .await?;
            for c in rows {
                holds.add(Some(c.classification));
                let status = Status::parse(&c.status);
                let k = match status {
                    Some(Status::Elected) => "elected",
                    Some(Status::NotElected) => "not_elected",
                    Some(Status::Withdrawn) => "withdrawn",
                    _ => "pending",
                };
                elections.add(k, is_now, 1);
                if is_now && status == Some(Status::Elected) {
                    items.push(format!(
                        "Trúng cử: {} ({}{})",
                        c.post,
                        names.get(&c.mechanism_id).cloned().unwrap_or_default(),
                        c.election_on
                            .map(|d| format!(", {}", day(d)))
                            .unwrap_or_default()
                    ));
                }
            }
        }
        // Roles taken up in the period: reference, every reader's.
        let roles = mechanism_role::Entity::find()
            .filter(mechanism_role::Column::DeletedAt.is_null())
            .filter(mechanism_role::Column::StartsOn.gte(now.from))
            .filter(mechanism_role::Column::StartsOn.lte(now.to))
            .order_by_asc(mechanism_role::Column::StartsOn)
            .limit(MAX_ITEMS)
            .all(&self.db)
            .await?;
        items.extend(roles.into_iter().map(|r| {
            format!(
                "{} ({}, từ {})",
                r.title_vi,
                names.get(&r.mechanism_id).cloned().unwrap_or_default(),
                day(r.starts_on)
            )
        }));
        Ok(Section {
            key: "multilateral".into(),
            vi: "Công tác đối ngoại đa phương".into(),
            en: "Multilateral diplomacy".into(),
            tables: vec![
                meetings
                    .into_table(
                        Table::new(
                            "meetings",
                            Msg::new(
                                "Hoạt động tại các cơ chế đa phương, theo cơ chế",
                                "Meetings of multilateral mechanisms, by mechanism",
                            ),
                            true,
                        ),
                        |id| {
                            let n = id
                                .parse::<uuid::Uuid>()
                                .ok()
                                .and_then(|id| names.get(&id).cloned())
                                .unwrap_or_default();
                            Msg::new(n.clone(), n)
                        },
                        false,
                    )
                    .without_empty(),
                outcomes.into_table(
                    Table::new(
                        "outcomes",
                        Msg::new(
                            "Văn kiện được thông qua và sáng kiến của Việt Nam",
                            "Documents adopted and Vietnam's initiatives",
                        ),
                        true,
                    ),
                    |k| {
                        OutcomeKind::parse(k)
                            .map(OutcomeKind::label)
                            .unwrap_or_else(|| Msg::new(k, k))
                    },
                    true,
                ),
                elections.into_table(
                    Table::new(
                        "elections",
                        Msg::new(
                            "Ứng cử có bầu cử trong kỳ",
                            "Candidacies with an election in the period",
                        ),
                        true,
                    ),
                    |k| match k {
                        "elected" => Msg::new("Trúng cử", "Elected"),
                        "not_elected" => Msg::new("Không trúng cử", "Not elected"),
                        "withdrawn" => Msg::new("Rút ứng cử", "Withdrawn"),
                        _ => Msg::new("Chưa có kết quả", "No result yet"),
                    },
                    true,
                ),
            ],
            items,
        })
    }

    async fn section_frameworks(
        &self,
        ctx: &Ctx,
        now: &Period,
        before: &Period,
        holds: &mut Holds,
    ) -> Result<Section, StoreError> {
        let levels: HashMap<String, (Msg, i32)> = framework_level::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| (l.code, (Msg::new(l.name_vi, l.name_en), l.rank)))
            .collect();
        let visible_partner = || {
            Condition::all()
                .add(
                    partner_framework::Column::PartnerId.in_subquery(
                        Query::select()
                            .column(partner::Column::Id)
                            .from(partner::Entity)
                            .and_where(partner::Column::DeletedAt.is_null())
                            .and_where(partner::Column::MergedIntoId.is_null())
                            .and_where(
                                partner::Column::Classification.lte(rank(ctx.actor.clearance)),
                            )
                            .to_owned(),
                    ),
                )
                .add(partner_framework::Column::DeletedAt.is_null())
        };
        let mut t = Tally::default();
        let mut items = Vec::new();
        for (is_now, p) in [(true, now), (false, before)] {
            let steps = partner_framework::Entity::find()
                .filter(visible_partner())
                .filter(partner_framework::Column::SinceDate.gte(p.from))
                .filter(partner_framework::Column::SinceDate.lte(p.to))
                .order_by_asc(partner_framework::Column::SinceDate)
                .limit(MAX_ITEMS)
                .all(&self.db)
                .await?;
            let names: HashMap<uuid::Uuid, (String, i16)> = if steps.is_empty() {
                HashMap::new()
            } else {
                partner::Entity::find()
                    .filter(
                        partner::Column::Id
                            .is_in(steps.iter().map(|s| s.partner_id).collect::<Vec<_>>()),
                    )
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, (p.name_vi, p.classification)))
                    .collect()
            };
            for s in &steps {
                t.add(&s.level_code, is_now, 1);
                if let Some((_, c)) = names.get(&s.partner_id) {
                    holds.add(Some(*c));
                }
                if is_now {
                    items.push(format!(
                        "{}: {} — {}",
                        s.since_date.map(day).unwrap_or_default(),
                        names
                            .get(&s.partner_id)
                            .map(|n| n.0.as_str())
                            .unwrap_or("?"),
                        levels
                            .get(&s.level_code)
                            .map(|l| l.0.vi.as_str())
                            .unwrap_or(&s.level_code)
                    ));
                }
            }
        }
        Ok(Section {
            key: "frameworks".into(),
            vi: "Nâng cấp, xác lập khuôn khổ quan hệ".into(),
            en: "Relationship frameworks established or upgraded".into(),
            tables: vec![t.into_table(
                Table::new("levels", Msg::new("Theo khuôn khổ", "By framework"), true),
                |c| {
                    levels
                        .get(c)
                        .map(|l| l.0.clone())
                        .unwrap_or_else(|| Msg::new(c, c))
                },
                false,
            )],
            items,
        })
    }
}
