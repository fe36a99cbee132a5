//! International agreements: the list any user sees within scope and clearance,
//! one agreement with its parties, status history and (for a province) the
//! steps of the Law on International Agreements 2020. Writing lives in `write`.
//!
//! Visibility: an agreement belongs to its owner agency; users whose scope covers
//! the owner or one of the Vietnamese parties see it, within their clearance.

mod write;

pub use write::{StatusForm, StepForm};

use crate::agencies::AgencyRef;
use crate::audit::{Change, from_rank, rank};
use crate::entity::{
    activity, agreement, agreement_agency, agreement_partner, agreement_status, agreement_step,
    partner,
};
use crate::{Ctx, Page, Store, StoreError};
use kieng_domain::Classification;
use kieng_domain::agreement::{Status, StepRecord, StepState, expiring, provincial_steps};
use kieng_domain::text::fold;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ENTITY: &str = "agreement";
pub const PER_PAGE: u64 = 50;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgreementFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub partner: Option<Uuid>,
    /// Only live agreements expiring within the watch window.
    pub expiring: Option<bool>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// One agreement as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementRow {
    #[serde(flatten)]
    pub agreement: agreement::Model,
    pub owner: Option<AgencyRef>,
    /// Live and expiring within the watch window.
    pub expiring: bool,
}

/// One agreement, whole.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementView {
    #[serde(flatten)]
    pub agreement: agreement::Model,
    pub owner: Option<AgencyRef>,
    pub agencies: Vec<AgencyRef>,
    /// (id, Vietnamese name); partners above the reader's clearance are left out.
    pub partners: Vec<(Uuid, String)>,
    /// Oldest first.
    pub history: Vec<agreement_status::Model>,
    /// For a provincial agreement: each step with its deadline.
    pub steps: Vec<StepState>,
    /// The activity during which it was signed, if the reader may see it: (id, title).
    pub activity: Option<(Uuid, String)>,
    pub expiring: bool,
    pub can_edit: bool,
    /// The statuses it may move to now.
    pub next: Vec<Status>,
}

impl Store {
    /// Every agreement the filter selects, in the list's order, up to the
    /// count cap lists keep (`COUNT_CAP`): what a list export holds.
    pub async fn agreement_export_rows(
        &self,
        ctx: &Ctx,
        f: &AgreementFilter,
    ) -> Result<Vec<AgreementRow>, StoreError> {
        crate::all_pages(PER_PAGE, |page| {
            let f = AgreementFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.agreement_list(ctx, &f).await }
        })
        .await
    }

    /// Agreements the reader may see, newest signing first (unsigned ones
    /// first); with the expiring filter, nearest expiry first.
    pub async fn agreement_list(
        &self,
        ctx: &Ctx,
        f: &AgreementFilter,
    ) -> Result<Page<AgreementRow>, StoreError> {
        let f = &AgreementFilter {
            partner: self.partner_filter(ctx, f.partner).await?,
            ..f.clone()
        };
        let mut q = agreement::Entity::find().filter(Self::agreement_visible(ctx));
        let text = f.q.as_deref().map(fold).unwrap_or_default();
        if !text.is_empty() {
            q = q.filter(agreement::Column::TitleFold.contains(text));
        }
        if let Some(k) = f.kind.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(agreement::Column::Kind.eq(k));
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(agreement::Column::Status.eq(s));
        }
        if let Some(p) = f.partner {
            q = q.filter(with_partner(p));
        }
        if f.expiring == Some(true) {
            q = q
                .filter(live())
                .filter(agreement::Column::ExpiresOn.lte(self.watch_until()));
        }
        let total = q.clone().count(&self.db).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let offset = (page - 1) * PER_PAGE;
        let rows = if f.expiring == Some(true) {
            // Nearest expiry first, as on the board, and read the same way.
            self.expiring_in_order(q, offset, Some(PER_PAGE)).await?
        } else {
            q.order_by_desc(agreement::Column::SignedOn)
                .order_by_desc(agreement::Column::CreatedAt)
                .offset(offset)
                .limit(PER_PAGE)
                .all(&self.db)
                .await?
        };
        Ok(Page {
            items: self.agreement_rows(rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// The agreements `q` selects, already held to the live statuses and
    /// the watch window, nearest expiry first: `limit` of them after
    /// `offset` (all: `None`). Their ids come first, from the watch index
    /// alone (migration 28), then the rows: PostgreSQL reckons a quarter of
    /// the table live and due (the expired ones lie in the same dates) and
    /// read all of it for the rows — the national board's 50 in 35 ms, the
    /// list's page in 51 ms; the ids alone in 0.6 ms.
    pub(crate) async fn expiring_in_order(
        &self,
        q: sea_orm::Select<agreement::Entity>,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<agreement::Model>, StoreError> {
        let mut q = q
            .select_only()
            .column(agreement::Column::Id)
            .order_by_asc(agreement::Column::ExpiresOn)
            .order_by_asc(agreement::Column::Id)
            .limit(limit);
        if offset > 0 {
            // SQLite has no OFFSET without a LIMIT (the export reads them all).
            q = q.offset(offset);
        }
        let ids: Vec<Uuid> = q.into_tuple().all(&self.db).await?;
        let at: std::collections::HashMap<Uuid, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            out.extend(
                agreement::Entity::find()
                    .filter(agreement::Column::Id.is_in(chunk.iter().copied()))
                    .all(&self.db)
                    .await?,
            );
        }
        out.sort_by_key(|a| at.get(&a.id).copied());
        Ok(out)
    }

    /// The recorded legal steps of these agreements, oldest first, by agreement.
    pub(crate) async fn step_records(
        &self,
        ids: Vec<Uuid>,
    ) -> Result<std::collections::HashMap<Uuid, Vec<StepRecord>>, StoreError> {
        let mut out: std::collections::HashMap<Uuid, Vec<StepRecord>> = Default::default();
        for chunk in ids.chunks(500) {
            for s in agreement_step::Entity::find()
                .filter(agreement_step::Column::AgreementId.is_in(chunk.to_vec()))
                .order_by_asc(agreement_step::Column::At)
                .all(&self.db)
                .await?
            {
                let Some(kind) = kieng_domain::agreement::StepKind::parse(&s.kind) else {
                    continue;
                };
                out.entry(s.agreement_id).or_default().push(StepRecord {
                    kind,
                    body: s.body,
                    requested_on: s.requested_on,
                    done_on: s.done_on,
                });
            }
        }
        Ok(out)
    }

    pub(crate) async fn agreement_rows(
        &self,
        rows: Vec<agreement::Model>,
    ) -> Result<Vec<AgreementRow>, StoreError> {
        let dir = self.directory().await?;
        let today = crate::today();
        let window = self.config.expiry_watch_days;
        Ok(rows
            .into_iter()
            .map(|a| AgreementRow {
                owner: crate::agency_ref(&dir, a.owner_agency_id),
                expiring: Status::parse(&a.status)
                    .is_some_and(|s| expiring(s, a.expires_on, today, window)),
                agreement: a,
            })
            .collect())
    }

    /// The last day of the expiry watch window.
    pub(crate) fn watch_until(&self) -> chrono::NaiveDate {
        kieng_domain::days::add_days(crate::today(), self.config.expiry_watch_days)
    }

    /// The newest `limit` agreements with this partner the reader may see (the
    /// dossier shows some and links to the filtered list).
    pub async fn agreements_with_partner(
        &self,
        ctx: &Ctx,
        partner_id: Uuid,
        limit: u64,
    ) -> Result<Vec<AgreementRow>, StoreError> {
        let rows = agreement::Entity::find()
            .filter(Self::agreement_visible(ctx))
            .filter(with_partner(partner_id))
            .order_by_desc(agreement::Column::SignedOn)
            .limit(limit)
            .all(&self.db)
            .await?;
        self.agreement_rows(rows).await
    }

    /// Agreements signed during this activity that the reader may see.
    pub async fn agreements_of_activity(
        &self,
        ctx: &Ctx,
        activity_id: Uuid,
    ) -> Result<Vec<AgreementRow>, StoreError> {
        let rows = agreement::Entity::find()
            .filter(Self::agreement_visible(ctx))
            .filter(agreement::Column::ActivityId.eq(activity_id))
            .order_by_asc(agreement::Column::CreatedAt)
            .all(&self.db)
            .await?;
        self.agreement_rows(rows).await
    }

    /// One agreement with everything around it.
    pub async fn agreement_get(&self, ctx: &Ctx, id: Uuid) -> Result<AgreementView, StoreError> {
        let a = Self::visible_agreement(&self.db, ctx, id).await?;
        let class = from_rank(a.classification);
        if class > Classification::None {
            let ch = Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: class,
                ..Change::new(ENTITY, a.id, "read")
            };
            self.audit_alone(&ctx.into(), ch).await?;
        }
        let dir = self.directory().await?;
        let agencies = agreement_agency::Entity::find()
            .filter(agreement_agency::Column::AgreementId.eq(id))
            .all(&self.db)
            .await?
            .iter()
            .filter_map(|l| crate::agency_ref(&dir, l.agency_id))
            .collect();
        let partner_ids: Vec<Uuid> = agreement_partner::Entity::find()
            .filter(agreement_partner::Column::AgreementId.eq(id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.partner_id)
            .collect();
        let partners = partner::Entity::find()
            .filter(partner::Column::Id.is_in(partner_ids))
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .order_by_asc(partner::Column::NameFold)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name_vi))
            .collect();
        let history = agreement_status::Entity::find()
            .filter(agreement_status::Column::AgreementId.eq(id))
            .order_by_asc(agreement_status::Column::OnDate)
            .order_by_asc(agreement_status::Column::At)
            .all(&self.db)
            .await?;
        let today = crate::today();
        let steps = if a.provincial {
            let recorded = self
                .step_records(vec![id])
                .await?
                .remove(&id)
                .unwrap_or_default();
            provincial_steps(&recorded, a.signed_on, today, &self.day_overrides().await?)
        } else {
            vec![]
        };
        let activity = match a.activity_id {
            Some(aid) => Self::visible_activity(&self.db, ctx, aid)
                .await
                .ok()
                .map(|x: activity::Model| (x.id, x.title)),
            None => None,
        };
        let status = Status::parse(&a.status).unwrap_or(Status::Negotiating);
        let can_edit = ctx.actor.can_write(a.owner_agency_id, class);
        Ok(AgreementView {
            owner: crate::agency_ref(&dir, a.owner_agency_id),
            agencies,
            partners,
            history,
            steps,
            activity,
            expiring: expiring(status, a.expires_on, today, self.config.expiry_watch_days),
            can_edit,
            next: if can_edit {
                status.next().to_vec()
            } else {
                vec![]
            },
            agreement: a,
        })
    }
}

/// Signed and not ended.
pub(crate) fn live() -> Condition {
    Condition::all().add(
        agreement::Column::Status.is_in(
            Status::ALL
                .iter()
                .filter(|s| s.is_live())
                .map(|s| s.as_str()),
        ),
    )
}

/// With this partner among its foreign parties.
pub(crate) fn with_partner(p: Uuid) -> Condition {
    Condition::all().add(
        agreement::Column::Id.in_subquery(
            Query::select()
                .column(agreement_partner::Column::AgreementId)
                .from(agreement_partner::Entity)
                .and_where(agreement_partner::Column::PartnerId.eq(p))
                .to_owned(),
        ),
    )
}
