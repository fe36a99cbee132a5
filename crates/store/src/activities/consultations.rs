//! The bodies consulted before a hosted conference is approved (Decision
//! 06/2020/QĐ-TTg, Art. 5): recorded, corrected and removed by the activity's
//! writers, read with the activity (its visibility is the activity's), every
//! change audited on the activity.

use super::ENTITY;
use crate::audit::{Change, append, from_rank};
use crate::entity::{activity, activity_consultation};
use crate::{Ctx, Store, StoreError, now};
use chrono::NaiveDate;
use kieng_domain::Msg;
use kieng_domain::activity::{Authority, Status};
use kieng_domain::consultation::{
    Consultation, ConsultationForm, MAX_PER_ACTIVITY, Standing, applies, due, standing,
};
use kieng_domain::error::FieldErrors;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::Serialize;
use uuid::Uuid;

/// A consultation with its due day and where it stands today.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationRow {
    #[serde(flatten)]
    pub row: activity_consultation::Model,
    pub due: NaiveDate,
    pub standing: Standing,
}

impl ConsultationRow {
    pub fn new(row: activity_consultation::Model, today: NaiveDate) -> Self {
        Self {
            due: due(row.requested_on, row.received_on),
            standing: standing(row.requested_on, row.received_on, row.answered_on, today),
            row,
        }
    }

    /// Waiting past its due day: how many days.
    pub fn overdue_days(&self) -> Option<i64> {
        match self.standing {
            Standing::Overdue { days } => Some(days),
            _ => None,
        }
    }
}

/// The consultations of an activity already read through the visibility rule,
/// in the order they were sent.
pub(crate) async fn of_activity<C: ConnectionTrait>(
    db: &C,
    activity_id: Uuid,
) -> Result<Vec<ConsultationRow>, StoreError> {
    let today = crate::today();
    Ok(activity_consultation::Entity::find()
        .filter(activity_consultation::Column::ActivityId.eq(activity_id))
        .order_by_asc(activity_consultation::Column::RequestedOn)
        .order_by_asc(activity_consultation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| ConsultationRow::new(r, today))
        .collect())
}

fn snapshot(m: &activity_consultation::Model) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or_default()
}

impl Store {
    /// Record a request for a body's opinion on a hosted conference.
    pub async fn activity_consultation_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &ConsultationForm,
    ) -> Result<activity_consultation::Model, StoreError> {
        let c = f.validate(crate::today())?;
        let tx = self.begin_write().await?;
        let a = writable(&tx, ctx, id).await?;
        let count = activity_consultation::Entity::find()
            .filter(activity_consultation::Column::ActivityId.eq(id))
            .count(&tx)
            .await?;
        if count >= MAX_PER_ACTIVITY as u64 {
            return Err(FieldErrors::single(
                "body",
                Msg::new(
                    format!("Một hội nghị ghi tối đa {MAX_PER_ACTIVITY} lần lấy ý kiến."),
                    format!("A conference records at most {MAX_PER_ACTIVITY} consultations."),
                ),
            )
            .into());
        }
        let m = model(Uuid::now_v7(), id, c, ctx);
        activity_consultation::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        audit(&tx, ctx, &a, None, Some(&m), "consultation").await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Correct a consultation or record its answer.
    pub async fn activity_consultation_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        consultation: Uuid,
        f: &ConsultationForm,
    ) -> Result<activity_consultation::Model, StoreError> {
        let c = f.validate(crate::today())?;
        let tx = self.begin_write().await?;
        let a = writable(&tx, ctx, id).await?;
        let before = one(&tx, id, consultation).await?;
        let after = model(consultation, id, c, ctx);
        activity_consultation::Entity::update(after.clone().into_active_model().reset_all())
            .exec(&tx)
            .await?;
        audit(
            &tx,
            ctx,
            &a,
            Some(&before),
            Some(&after),
            "consultation_edit",
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Remove a consultation recorded by mistake (the audit keeps it).
    pub async fn activity_consultation_remove(
        &self,
        ctx: &Ctx,
        id: Uuid,
        consultation: Uuid,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let a = writable(&tx, ctx, id).await?;
        let before = one(&tx, id, consultation).await?;
        activity_consultation::Entity::delete_by_id(consultation)
            .exec(&tx)
            .await?;
        audit(&tx, ctx, &a, Some(&before), None, "consultation_remove").await?;
        tx.commit().await?;
        Ok(())
    }
}

fn model(id: Uuid, activity_id: Uuid, c: Consultation, ctx: &Ctx) -> activity_consultation::Model {
    activity_consultation::Model {
        id,
        activity_id,
        body: c.body,
        requested_on: c.requested_on,
        received_on: c.received_on,
        answered_on: c.answered_on,
        reference: c.reference,
        note: c.note,
        at: now(),
        actor_id: Some(ctx.actor.user_id),
    }
}

/// The activity, when the actor may record its consultations: they see it and
/// write for its lead agency, it is still open, and the Decision applies to it.
async fn writable<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    id: Uuid,
) -> Result<activity::Model, StoreError> {
    let a = Store::visible_activity(db, ctx, id).await?;
    if !ctx
        .actor
        .can_write(a.lead_agency_id, from_rank(a.classification))
    {
        return Err(StoreError::forbidden());
    }
    if Status::parse(&a.status).is_some_and(Status::is_final) {
        return Err(StoreError::Forbidden(Msg::new(
            "Hoạt động đã báo cáo hoặc đã hủy không sửa được nữa.",
            "A reported or cancelled activity can no longer be edited.",
        )));
    }
    if !applies(
        &a.type_code,
        a.authority.as_deref().and_then(Authority::parse),
    ) {
        return Err(FieldErrors::single(
            "body",
            Msg::new(
                "Chỉ hội nghị, hội thảo quốc tế tổ chức tại Việt Nam mới lấy ý kiến theo Quyết định 06/2020/QĐ-TTg, Điều 5; hội nghị của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội theo quy định của Đảng.",
                "Only an international conference hosted in Vietnam is consulted on under Decision 06/2020/QĐ-TTg, Art. 5; those of the Fatherland Front and political-social organisations follow the Party's rules.",
            ),
        )
        .into());
    }
    Ok(a)
}

async fn one<C: ConnectionTrait>(
    db: &C,
    activity_id: Uuid,
    id: Uuid,
) -> Result<activity_consultation::Model, StoreError> {
    activity_consultation::Entity::find_by_id(id)
        .filter(activity_consultation::Column::ActivityId.eq(activity_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

async fn audit<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    a: &activity::Model,
    before: Option<&activity_consultation::Model>,
    after: Option<&activity_consultation::Model>,
    action: &'static str,
) -> Result<(), StoreError> {
    append(
        db,
        &ctx.into(),
        Change {
            owner_agency_id: Some(a.owner_agency_id),
            classification: from_rank(a.classification),
            before: before.map(snapshot),
            after: after.map(snapshot),
            ..Change::new(ENTITY, a.id, action)
        },
    )
    .await?;
    Ok(())
}
