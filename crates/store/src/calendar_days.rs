//! The working-day calendar: holidays and compensating working days that an
//! administrator records year by year; every working-day deadline reads them.

use crate::audit::{Change, append};
use crate::entity::calendar_day;
use crate::{Ctx, Store, StoreError, now};
use chrono::{Datelike, NaiveDate};
use kieng_domain::days::{DayKind, DayOverrides};
use kieng_domain::{FieldErrors, Msg};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};

pub const ENTITY: &str = "calendar_day";
/// One entry covers at most this many days (Tết is the longest break).
const MAX_SPAN: i64 = 31;

impl Store {
    /// Every recorded day (a few dozen a year).
    pub async fn day_overrides(&self) -> Result<DayOverrides, StoreError> {
        let rows = calendar_day::Entity::find().all(&self.db).await?;
        Ok(DayOverrides(
            rows.into_iter()
                .filter_map(|r| DayKind::parse(&r.kind).map(|k| (r.day, k)))
                .collect(),
        ))
    }

    /// The days recorded for one year, in order.
    pub async fn calendar_days(&self, year: i32) -> Result<Vec<calendar_day::Model>, StoreError> {
        let (Some(a), Some(b)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Ok(vec![]);
        };
        Ok(calendar_day::Entity::find()
            .filter(calendar_day::Column::Day.between(a, b))
            .order_by_asc(calendar_day::Column::Day)
            .all(&self.db)
            .await?)
    }

    /// Record `from`..=`to` as holidays or working days under one name
    /// (administrators); a day already recorded is replaced.
    pub async fn calendar_days_set(
        &self,
        ctx: &Ctx,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        kind: &str,
        name: &str,
    ) -> Result<u32, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let mut e = FieldErrors::new();
        let kind = DayKind::parse(kind);
        if kind.is_none() {
            e.add("kind", kieng_domain::error::msgs::invalid_choice());
        }
        let name = kieng_domain::text::required(&mut e, "name", name, 200);
        let Some(from) = from else {
            e.add("from", kieng_domain::error::msgs::required());
            return Err(e.into());
        };
        let to = to.unwrap_or(from);
        let span = (to - from).num_days();
        if !(0..MAX_SPAN).contains(&span) {
            e.add(
                "to",
                Msg::new(
                    format!("Đến ngày phải từ ngày bắt đầu, trong vòng {MAX_SPAN} ngày."),
                    format!("The last day must be on or after the first, within {MAX_SPAN} days."),
                ),
            );
        }
        if let Some(DayKind::Workday) = kind
            && from
                .iter_days()
                .take_while(|d| *d <= to)
                .any(|d| d.weekday().num_days_from_monday() < 5)
        {
            e.add(
                "kind",
                Msg::new(
                    "Ngày làm bù chỉ ghi cho thứ Bảy, Chủ nhật.",
                    "Only a Saturday or Sunday can be a compensating working day.",
                ),
            );
        }
        let (Some(kind), true) = (kind, e.is_empty()) else {
            return Err(e.into());
        };
        let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
        let tx = self.begin_write().await?;
        calendar_day::Entity::delete_many()
            .filter(calendar_day::Column::Day.is_in(days.clone()))
            .exec(&tx)
            .await?;
        let t = now();
        calendar_day::Entity::insert_many(days.iter().map(|d| {
            calendar_day::Model {
                day: *d,
                kind: kind.as_str().into(),
                name: name.clone(),
                created_at: t,
                created_by: Some(ctx.actor.user_id),
            }
            .into_active_model()
        }))
        .exec_without_returning(&tx)
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                after: Some(serde_json::json!({"from": from, "to": to, "kind": kind.as_str(), "name": name})),
                ..Change::new(ENTITY, from, "set")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(days.len() as u32)
    }

    /// Forget what was recorded for one day (administrators).
    pub async fn calendar_day_remove(&self, ctx: &Ctx, day: NaiveDate) -> Result<(), StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let tx = self.begin_write().await?;
        let before = calendar_day::Entity::find_by_id(day)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        calendar_day::Entity::delete_by_id(day).exec(&tx).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                ..Change::new(ENTITY, day, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
