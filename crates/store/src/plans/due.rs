//! Plan tasks that time alone makes due, for the notification ticker: a
//! task of an issued or running plan, not done or cancelled, whose deadline
//! comes within the due-soon window, or passed in the last `OVERDUE_DAYS`
//! (an older one stays on the home pages and the lists). Each is told to
//! whoever follows the task — the last to report its progress, else the one
//! who created it — once per deadline; the reader's visibility applies when
//! the notification is read.

use crate::entity::{notification, plan, plan_progress, plan_task};
use crate::notifications::Event;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use kieng_domain::notification::{Kind, Record};
use kieng_domain::plan::Status;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// How long after its deadline a task still gets its overdue notification.
pub const OVERDUE_DAYS: u64 = 7;

impl Store {
    pub(crate) async fn task_due_events(&self, today: NaiveDate) -> Result<Vec<Event>, StoreError> {
        let from = today - chrono::Days::new(OVERDUE_DAYS);
        let running = Query::select()
            .column(plan::Column::Id)
            .from(plan::Entity)
            .and_where(
                plan::Column::Status.is_in([Status::Issued.as_str(), Status::InProgress.as_str()]),
            )
            .and_where(plan::Column::DeletedAt.is_null())
            .to_owned();
        let tasks: Vec<(Uuid, NaiveDate, Option<Uuid>)> = plan_task::Entity::find()
            .select_only()
            .columns([
                plan_task::Column::Id,
                plan_task::Column::DueOn,
                plan_task::Column::CreatedBy,
            ])
            .filter(plan_task::Column::DueOn.gte(from))
            .filter(plan_task::Column::DueOn.lte(self.soon_until()))
            .filter(plan_task::Column::DeletedAt.is_null())
            .filter(plan_task::Column::Cancelled.eq(false))
            .filter(plan_task::Column::Progress.lt(100))
            .filter(plan_task::Column::PlanId.in_subquery(running))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut events = Vec::new();
        for chunk in tasks.chunks(500) {
            let ids: Vec<Uuid> = chunk.iter().map(|t| t.0).collect();
            // The last reporter of each task: reports newest first, the first seen wins.
            let mut reporter: HashMap<Uuid, Uuid> = HashMap::new();
            let reports: Vec<(Uuid, Option<Uuid>)> = plan_progress::Entity::find()
                .select_only()
                .columns([
                    plan_progress::Column::TaskId,
                    plan_progress::Column::ActorId,
                ])
                .filter(plan_progress::Column::TaskId.is_in(ids))
                .order_by_desc(plan_progress::Column::At)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (task, actor) in reports {
                if let Some(a) = actor {
                    reporter.entry(task).or_insert(a);
                }
            }
            let mut candidates: Vec<Event> = chunk
                .iter()
                .filter_map(|(id, due, creator)| {
                    let user = reporter.get(id).copied().or(*creator)?;
                    let (kind, tag) = if *due < today {
                        (Kind::TaskOverdue, "task_overdue")
                    } else {
                        (Kind::TaskSoon, "task_soon")
                    };
                    Some(Event {
                        user,
                        kind,
                        record: Record::PlanTask,
                        record_id: *id,
                        note: None,
                        actor: None,
                        dedupe: format!("{tag}:{id}:{due}"),
                    })
                })
                .collect();
            // Written once: those already written are left out before the
            // insert, so a tick over an unchanged window writes nothing.
            if candidates.is_empty() {
                continue;
            }
            let users: HashSet<Uuid> = candidates.iter().map(|e| e.user).collect();
            let written: HashSet<(Uuid, String)> = notification::Entity::find()
                .select_only()
                .columns([notification::Column::UserId, notification::Column::Dedupe])
                .filter(notification::Column::UserId.is_in(users))
                .filter(
                    notification::Column::Dedupe.is_in(
                        candidates
                            .iter()
                            .map(|e| e.dedupe.clone())
                            .collect::<Vec<_>>(),
                    ),
                )
                .into_tuple()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            candidates.retain(|e| !written.contains(&(e.user, e.dedupe.clone())));
            events.extend(candidates);
        }
        Ok(events)
    }
}
