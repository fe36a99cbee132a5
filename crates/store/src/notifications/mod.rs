//! Notifications inside Kiềng: written in the same transaction as the move
//! that causes them (a proposal submitted, approved, returned or cancelled; a
//! clash with someone's activity; a commitment assigned), or by the due
//! ticker (a commitment overdue, a legal step late). One row per user and
//! event (`dedupe`), so several servers or ticks never repeat one.
//!
//! A row names its record by kind and id; the list and the bell read the
//! records through the visibility rule, so a record above the reader's
//! clearance (or out of scope since) is neither listed nor counted.

use crate::auth::actor_from;
use crate::entity::{activity, agreement, commitment, notification, user};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::activity::{Transition, may_move};
use kieng_domain::notification::{Kind, PER_PAGE, Record, UNREAD_CAP};
use kieng_domain::{Classification, Role};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// One notification as a list shows it: the record's title read now, through
/// the visibility rule.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: Kind,
    pub record: Record,
    pub record_id: Uuid,
    pub title: String,
    pub note: Option<String>,
    /// Who made the move (display name), when someone did.
    pub by: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

/// An event for one user, before it is written.
pub(crate) struct Event {
    pub user: Uuid,
    pub kind: Kind,
    pub record: Record,
    pub record_id: Uuid,
    pub note: Option<String>,
    pub actor: Option<Uuid>,
    pub dedupe: String,
}

/// Write these events, each at most once per user and `dedupe`.
pub(crate) async fn notify<C: ConnectionTrait>(
    db: &C,
    events: Vec<Event>,
) -> Result<(), StoreError> {
    let t = now();
    for e in events {
        let row = notification::Model {
            id: Uuid::now_v7(),
            user_id: e.user,
            kind: e.kind.as_str().into(),
            record_kind: e.record.as_str().into(),
            record_id: e.record_id,
            note: e.note,
            actor_id: e.actor,
            dedupe: e.dedupe,
            created_at: t,
            read_at: None,
        };
        notification::Entity::insert(row.into_active_model())
            .on_conflict_do_nothing_on([notification::Column::UserId, notification::Column::Dedupe])
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The leaders who decide on an activity led by `lead` at `class`: each
/// leader's own actor, tested with the workflow's rule.
pub(crate) async fn deciders<C: ConnectionTrait>(
    db: &C,
    graph: &kieng_domain::AgencyGraph,
    lead: Uuid,
    class: Classification,
) -> Result<Vec<Uuid>, StoreError> {
    let leaders = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Leader.as_str()))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::Clearance.gte(crate::audit::rank(class)))
        .all(db)
        .await?;
    Ok(leaders
        .iter()
        .filter(|u| may_move(&actor_from(u, graph), Transition::Approve, lead, class))
        .map(|u| u.id)
        .collect())
}

/// What an activity's move tells whom: a submission its deciders, a decision
/// or a cancellation its author (never the one who made the move).
pub(crate) async fn after_move<C: ConnectionTrait>(
    db: &C,
    graph: &kieng_domain::AgencyGraph,
    ctx: &Ctx,
    a: &activity::Model,
    t: Transition,
    note: Option<&str>,
) -> Result<(), StoreError> {
    let me = ctx.actor.user_id;
    let event = |user: Uuid, kind: Kind| Event {
        user,
        kind,
        record: Record::Activity,
        record_id: a.id,
        note: note.map(str::to_string),
        actor: Some(me),
        // Each move is its own event: the version it produced names it.
        dedupe: format!("{}:{}:{}", kind.as_str(), a.id, a.version),
    };
    let events: Vec<Event> = match t {
        Transition::Submit => deciders(
            db,
            graph,
            a.lead_agency_id,
            crate::audit::from_rank(a.classification),
        )
        .await?
        .into_iter()
        .filter(|u| *u != me)
        .map(|u| event(u, Kind::Submitted))
        .collect(),
        Transition::Approve | Transition::Return | Transition::Cancel => {
            let kind = match t {
                Transition::Approve => Kind::Approved,
                Transition::Return => Kind::Returned,
                _ => Kind::Cancelled,
            };
            a.created_by
                .filter(|u| *u != me)
                .map(|u| event(u, kind))
                .into_iter()
                .collect()
        }
        Transition::Complete | Transition::Report => Vec::new(),
    };
    notify(db, events).await
}

/// A commitment given to someone new tells them (not when they gave it to
/// themselves).
pub(crate) async fn assigned<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    c: &commitment::Model,
    before: Option<Uuid>,
) -> Result<(), StoreError> {
    let Some(user) = c.responsible_user_id else {
        return Ok(());
    };
    if before == Some(user) || user == ctx.actor.user_id {
        return Ok(());
    }
    notify(
        db,
        vec![Event {
            user,
            kind: Kind::Assigned,
            record: Record::Commitment,
            record_id: c.id,
            note: None,
            actor: Some(ctx.actor.user_id),
            dedupe: format!("assigned:{}:{}", c.id, c.version),
        }],
    )
    .await
}

impl Store {
    /// After an activity is saved: the authors of the activities it clashes
    /// with learn of it (once per pair), each about their own activity.
    pub(crate) async fn notify_clashes(
        &self,
        ctx: &Ctx,
        a: &activity::Model,
    ) -> Result<(), StoreError> {
        let warnings = self.activity_warnings(ctx, a).await?;
        let others: Vec<Uuid> = warnings
            .iter()
            .filter_map(|w| w.other.as_ref().map(|o| o.id))
            .collect();
        if others.is_empty() {
            return Ok(());
        }
        let authors: Vec<(Uuid, Option<Uuid>)> = activity::Entity::find()
            .select_only()
            .columns([activity::Column::Id, activity::Column::CreatedBy])
            .filter(activity::Column::Id.is_in(others))
            .into_tuple()
            .all(&self.db)
            .await?;
        let me = ctx.actor.user_id;
        let events = authors
            .into_iter()
            .filter_map(|(id, by)| {
                let user = by.filter(|u| *u != me)?;
                let (low, high) = kieng_domain::coordination::pair(a.id, id);
                Some(Event {
                    user,
                    kind: Kind::Clash,
                    record: Record::Activity,
                    record_id: id,
                    note: None,
                    actor: Some(me),
                    dedupe: format!("clash:{low}:{high}"),
                })
            })
            .collect();
        notify(&self.db, events).await
    }

    /// The reader's notifications, newest first (`PER_PAGE` a page), each
    /// record read through the visibility rule: one the reader may not see
    /// is left out.
    pub async fn notifications(
        &self,
        ctx: &Ctx,
        page: u64,
    ) -> Result<Vec<NotificationView>, StoreError> {
        let rows = notification::Entity::find()
            .filter(notification::Column::UserId.eq(ctx.actor.user_id))
            .order_by_desc(notification::Column::CreatedAt)
            .order_by_desc(notification::Column::Id)
            .offset(page.saturating_sub(1).min(1_000) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let titles = self.titles_seen(ctx, &rows).await?;
        let names = self
            .user_names(rows.iter().filter_map(|r| r.actor_id).collect())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let title = titles.get(&r.record_id)?.clone();
                Some(NotificationView {
                    id: r.id,
                    kind: Kind::parse(&r.kind)?,
                    record: Record::parse(&r.record_kind)?,
                    record_id: r.record_id,
                    title,
                    note: r.note,
                    by: r.actor_id.and_then(|i| names.get(&i).cloned()),
                    at: r.created_at,
                    read: r.read_at.is_some(),
                })
            })
            .collect())
    }

    /// How many unread notifications the reader has (records they may see),
    /// at most `UNREAD_CAP + 1`.
    pub async fn notifications_unread(&self, ctx: &Ctx) -> Result<u64, StoreError> {
        let me = ctx.actor.user_id;
        if let Some(n) = self.caches.bell_get(me) {
            return Ok(n);
        }
        let n = self.notifications_unread_now(ctx).await?;
        self.caches.bell_put(me, Some(n));
        Ok(n)
    }

    /// `notifications_unread` read now from the database (the API's count).
    pub async fn notifications_unread_now(&self, ctx: &Ctx) -> Result<u64, StoreError> {
        let rows = notification::Entity::find()
            .filter(notification::Column::UserId.eq(ctx.actor.user_id))
            .filter(notification::Column::ReadAt.is_null())
            .order_by_desc(notification::Column::CreatedAt)
            .limit(UNREAD_CAP + 1)
            .all(&self.db)
            .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let seen = self.titles_seen(ctx, &rows).await?;
        Ok(rows
            .iter()
            .filter(|r| seen.contains_key(&r.record_id))
            .count() as u64)
    }

    /// Mark one of the reader's notifications read, and say where its record
    /// is — when the reader may still see it.
    pub async fn notification_open(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Option<String>, StoreError> {
        let Some(n) = notification::Entity::find_by_id(id)
            .filter(notification::Column::UserId.eq(ctx.actor.user_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        self.notifications_read(ctx, Some(id)).await?;
        let seen = self.titles_seen(ctx, std::slice::from_ref(&n)).await?;
        Ok(Record::parse(&n.record_kind)
            .filter(|_| seen.contains_key(&n.record_id))
            .map(|r| r.href(n.record_id)))
    }

    /// Mark one notification (or, with `None`, all) of the reader as read.
    pub async fn notifications_read(&self, ctx: &Ctx, id: Option<Uuid>) -> Result<(), StoreError> {
        let mut q = notification::Entity::update_many()
            .col_expr(
                notification::Column::ReadAt,
                sea_orm::sea_query::Expr::value(now()),
            )
            .filter(notification::Column::UserId.eq(ctx.actor.user_id))
            .filter(notification::Column::ReadAt.is_null());
        if let Some(id) = id {
            q = q.filter(notification::Column::Id.eq(id));
        }
        q.exec(&self.db).await?;
        self.caches.bell_put(ctx.actor.user_id, None);
        Ok(())
    }

    /// The titles of the records these rows name that the reader may see,
    /// read through each kind's visibility shape.
    async fn titles_seen(
        &self,
        ctx: &Ctx,
        rows: &[notification::Model],
    ) -> Result<HashMap<Uuid, String>, StoreError> {
        let ids = |r: Record| -> Vec<Uuid> {
            rows.iter()
                .filter(|n| n.record_kind == r.as_str())
                .map(|n| n.record_id)
                .collect::<HashSet<_>>()
                .into_iter()
                .collect()
        };
        let (acts, coms, agrs, tasks) = (
            ids(Record::Activity),
            ids(Record::Commitment),
            ids(Record::Agreement),
            ids(Record::PlanTask),
        );
        let backend = self.db.get_database_backend();
        let mut out = HashMap::new();
        if !acts.is_empty() {
            out.extend(
                activity::Entity::find()
                    .select_only()
                    .columns([activity::Column::Id, activity::Column::Title])
                    .filter(activity::Column::Id.is_in(acts))
                    .filter(Self::visible(ctx, backend))
                    .into_tuple::<(Uuid, String)>()
                    .all(&self.db)
                    .await?,
            );
        }
        if !coms.is_empty() {
            out.extend(
                commitment::Entity::find()
                    .select_only()
                    .columns([commitment::Column::Id, commitment::Column::Title])
                    .filter(commitment::Column::Id.is_in(coms))
                    .filter(Self::commitment_visible(ctx))
                    .into_tuple::<(Uuid, String)>()
                    .all(&self.db)
                    .await?,
            );
        }
        if !agrs.is_empty() {
            out.extend(
                agreement::Entity::find()
                    .select_only()
                    .columns([agreement::Column::Id, agreement::Column::TitleVi])
                    .filter(agreement::Column::Id.is_in(agrs))
                    .filter(Self::agreement_visible(ctx))
                    .into_tuple::<(Uuid, String)>()
                    .all(&self.db)
                    .await?,
            );
        }
        if !tasks.is_empty() {
            use crate::entity::plan_task;
            out.extend(
                plan_task::Entity::find()
                    .select_only()
                    .columns([plan_task::Column::Id, plan_task::Column::Title])
                    .filter(plan_task::Column::Id.is_in(tasks))
                    .filter(Self::task_visible(ctx))
                    .into_tuple::<(Uuid, String)>()
                    .all(&self.db)
                    .await?,
            );
        }
        Ok(out)
    }

    /// What time alone makes true, for every user at once: open commitments
    /// past their deadline tell whoever is responsible; provincial
    /// agreements' legal steps past theirs tell whoever recorded the
    /// agreement; plan tasks nearing or just past their deadline tell whoever
    /// follows them (`task_due_events`). Run by each server's ticker; `dedupe` makes it idempotent.
    pub async fn notify_due(&self) -> Result<usize, StoreError> {
        let today = crate::activities::vn_date(now());
        let overdue: Vec<(Uuid, Uuid, chrono::NaiveDate)> = commitment::Entity::find()
            .select_only()
            .columns([
                commitment::Column::Id,
                commitment::Column::ResponsibleUserId,
                commitment::Column::DueOn,
            ])
            .filter(commitment::Column::ResponsibleUserId.is_not_null())
            .filter(commitment::Column::DueOn.lt(today))
            .filter(commitment::Column::DeletedAt.is_null())
            .filter(
                commitment::Column::Status.is_in(
                    kieng_domain::commitment::Status::ALL
                        .iter()
                        .filter(|s| s.is_open())
                        .map(|s| s.as_str()),
                ),
            )
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut events: Vec<Event> = overdue
            .into_iter()
            .map(|(id, user, due)| Event {
                user,
                kind: Kind::Overdue,
                record: Record::Commitment,
                record_id: id,
                note: None,
                actor: None,
                dedupe: format!("overdue:{id}:{due}"),
            })
            .collect();
        let everyone = Ctx {
            actor: kieng_domain::Actor::resolve(
                Uuid::nil(),
                "kieng".into(),
                Uuid::nil(),
                Role::Admin,
                kieng_domain::Scope::All,
                Classification::TuyetMat,
                &kieng_domain::AgencyGraph::new([]),
            ),
            request_id: None,
            ip: None,
        };
        let late = self.late_steps_for(&everyone, today).await?;
        if !late.is_empty() {
            let authors: HashMap<Uuid, Option<Uuid>> = agreement::Entity::find()
                .select_only()
                .columns([agreement::Column::Id, agreement::Column::CreatedBy])
                .filter(agreement::Column::Id.is_in(late.iter().map(|l| l.0).collect::<Vec<_>>()))
                .into_tuple::<(Uuid, Option<Uuid>)>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            for (id, step, due) in late {
                if let Some(Some(user)) = authors.get(&id) {
                    events.push(Event {
                        user: *user,
                        kind: Kind::StepLate,
                        record: Record::Agreement,
                        record_id: id,
                        note: None,
                        actor: None,
                        dedupe: format!("step_late:{id}:{step}:{due}"),
                    });
                }
            }
        }
        events.extend(self.task_due_events(today).await?);
        let n = events.len();
        notify(&self.db, events).await?;
        Ok(n)
    }
}

/// The count a bell shows: "99+" beyond the cap.
pub fn bell(n: u64) -> String {
    if n > UNREAD_CAP {
        format!("{UNREAD_CAP}+")
    } else {
        n.to_string()
    }
}
