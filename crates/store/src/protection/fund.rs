//! The citizen protection fund: entries on a case (checked against the
//! approval limit the deployment configures) and the totals per mission
//! and year, within what the reader may see.

use super::ENTITY;
use crate::audit::{Change, append, from_rank};
use crate::entity::{protection_case, protection_fund, user};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::plan::indicator::Figure;
use kieng_domain::protection::fund::{
    Approver, EntryKind, FundForm, FundInput, Ledger, approver_needed, ledger,
};
use kieng_domain::{FieldErrors, Msg, Role};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// An entry as the case page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FundRow {
    #[serde(flatten)]
    pub entry: protection_fund::Model,
    pub amount: String,
    pub amount_vnd: String,
    pub approved_by_name: Option<String>,
}

/// A mission's fund in a year (VND, canonical decimals).
#[derive(Debug, Clone, Serialize)]
pub struct FundTotal {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub cases: u64,
    pub advanced: String,
    pub paid: String,
    pub repaid: String,
    pub outstanding: String,
}

impl Store {
    /// A case's entries, oldest first, and its ledger.
    pub(crate) async fn case_fund(&self, case: Uuid) -> Result<(Vec<FundRow>, Ledger), StoreError> {
        let rows = protection_fund::Entity::find()
            .filter(protection_fund::Column::CaseId.eq(case))
            .order_by_asc(protection_fund::Column::OnDate)
            .order_by_asc(protection_fund::Column::CreatedAt)
            .limit(1000)
            .all(&self.db)
            .await?;
        let approvers: HashMap<Uuid, String> = {
            let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.approved_by).collect();
            if ids.is_empty() {
                HashMap::new()
            } else {
                user::Entity::find()
                    .filter(user::Column::Id.is_in(ids))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|u| (u.id, u.display_name))
                    .collect()
            }
        };
        let l = ledger(rows.iter().filter_map(|r| {
            Some((
                EntryKind::parse(&r.kind)?,
                Figure::from_ten_thousandths(r.amount_vnd_e4),
                r.refundable,
            ))
        }));
        let out = rows
            .into_iter()
            .map(|r| FundRow {
                amount: Figure::from_ten_thousandths(r.amount_e4).display(false),
                amount_vnd: Figure::from_ten_thousandths(r.amount_vnd_e4).display(false),
                approved_by_name: r.approved_by.and_then(|a| approvers.get(&a).cloned()),
                entry: r,
            })
            .collect();
        Ok((out, l))
    }

    /// Record an advance, a payment or a repayment on a case. An advance or
    /// payment names the leader who approved it: one of the mission in
    /// charge within its limit, else one of the consular department.
    pub async fn case_fund_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &FundForm,
    ) -> Result<protection_fund::Model, StoreError> {
        let input = FundInput::parse(f, crate::today())?;
        let rule = &self.config.protection.fund;
        let consular = self.consular_id().await?;
        let tx = self.begin_write().await?;
        let c = Self::visible_case(&tx, ctx, id).await?;
        let team = self.case_team_of(&tx, ctx, &c).await?;
        if !self.may_work(ctx, &c, team) {
            return Err(StoreError::Forbidden(Msg::new(
                "Bạn không xử lý hồ sơ này.",
                "You do not work on this case.",
            )));
        }
        let (approver, approval) = match &input.approved_by {
            None => (None, None),
            Some(name) => {
                let needed = approver_needed(input.amount_vnd, rule);
                let u = user::Entity::find()
                    .filter(user::Column::Username.eq(name.trim().to_lowercase()))
                    .filter(user::Column::DisabledAt.is_null())
                    .one(&tx)
                    .await?;
                let leader_of = |u: &user::Model, a: Option<Uuid>| {
                    Role::parse(&u.role) == Some(Role::Leader) && Some(u.agency_id) == a
                };
                let ok = u.as_ref().is_some_and(|u| match needed {
                    Approver::Mission => leader_of(u, Some(c.agency_id)) || leader_of(u, consular),
                    Approver::Consular => leader_of(u, consular),
                });
                if !ok {
                    let limit = Figure::from_whole(rule.mission_limit_vnd)
                        .unwrap_or_default()
                        .display(false);
                    return Err(StoreError::Invalid(FieldErrors::single(
                        "approved_by",
                        match needed {
                            Approver::Mission => Msg::new(
                                format!(
                                    "Khoản đến {limit} đồng do lãnh đạo cơ quan chủ trì xử lý hoặc Cục Lãnh sự phê duyệt."
                                ),
                                format!(
                                    "Up to {limit} VND is approved by a leader of the mission in charge or of the consular department."
                                ),
                            ),
                            Approver::Consular => Msg::new(
                                format!(
                                    "Khoản trên {limit} đồng do lãnh đạo Cục Lãnh sự phê duyệt."
                                ),
                                format!(
                                    "Above {limit} VND a leader of the consular department approves."
                                ),
                            ),
                        },
                    )));
                }
                (
                    u.map(|u| u.id),
                    Some(match needed {
                        Approver::Mission => "mission",
                        Approver::Consular => "consular",
                    }),
                )
            }
        };
        let m = protection_fund::Model {
            id: Uuid::now_v7(),
            case_id: id,
            kind: input.kind.as_str().into(),
            amount_e4: input.amount.ten_thousandths(),
            currency: input.currency.clone(),
            amount_vnd_e4: input.amount_vnd.ten_thousandths(),
            purpose: input.purpose.clone(),
            refundable: input.refundable,
            approved_by: approver,
            approval: approval.map(str::to_string),
            rule: rule.rule.clone(),
            on_date: input.on.unwrap_or_else(crate::today),
            created_at: now(),
            created_by: Some(ctx.actor.user_id),
        };
        protection_fund::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::to_value(&m).unwrap_or_default()),
                ..Change::new(ENTITY, id, "fund")
            },
        )
        .await?;
        crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The fund per mission in charge for `year`, over the cases the reader
    /// may see: advanced, paid, repaid and still owed (VND).
    pub async fn fund_totals(&self, ctx: &Ctx, year: i32) -> Result<Vec<FundTotal>, StoreError> {
        let (Some(from), Some(to)) = (
            chrono::NaiveDate::from_ymd_opt(year, 1, 1),
            chrono::NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Ok(Vec::new());
        };
        let seen = sea_orm::sea_query::Query::select()
            .column(protection_case::Column::Id)
            .from(protection_case::Entity)
            .cond_where(Self::case_visible(ctx))
            .to_owned();
        let rows = protection_fund::Entity::find()
            .filter(protection_fund::Column::OnDate.gte(from))
            .filter(protection_fund::Column::OnDate.lte(to))
            .filter(protection_fund::Column::CaseId.in_subquery(seen))
            .all(&self.db)
            .await?;
        let cases: HashMap<Uuid, Uuid> = {
            let ids: Vec<Uuid> = rows.iter().map(|r| r.case_id).collect();
            if ids.is_empty() {
                HashMap::new()
            } else {
                protection_case::Entity::find()
                    .select_only()
                    .columns([
                        protection_case::Column::Id,
                        protection_case::Column::AgencyId,
                    ])
                    .filter(protection_case::Column::Id.is_in(ids))
                    .into_tuple::<(Uuid, Uuid)>()
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .collect()
            }
        };
        type Acc = (
            std::collections::BTreeSet<Uuid>,
            Vec<(EntryKind, Figure, bool)>,
        );
        let mut by: BTreeMap<Uuid, Acc> = BTreeMap::new();
        for r in rows {
            let (Some(agency), Some(k)) = (cases.get(&r.case_id), EntryKind::parse(&r.kind)) else {
                continue;
            };
            let e = by.entry(*agency).or_default();
            e.0.insert(r.case_id);
            e.1.push((
                k,
                Figure::from_ten_thousandths(r.amount_vnd_e4),
                r.refundable,
            ));
        }
        let dir = self.directory().await?;
        let mut out: Vec<FundTotal> = by
            .into_iter()
            .map(|(agency, (cases, entries))| {
                let l = ledger(entries);
                FundTotal {
                    agency_id: agency,
                    agency_name: dir
                        .by_id
                        .get(&agency)
                        .map(|i| dir.rows[*i].name_vi.clone())
                        .unwrap_or_default(),
                    cases: cases.len() as u64,
                    advanced: l.advanced.canonical(),
                    paid: l.paid.canonical(),
                    repaid: l.repaid.canonical(),
                    outstanding: l.outstanding.canonical(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.agency_name.cmp(&b.agency_name));
        Ok(out)
    }
}
