//! Commitments: what was promised during an activity, in an agreement or in a
//! plan. Lists, one commitment with its progress notes, and the lists the
//! dossier, the activity page and the home page show. Writing lives in `write`,
//! the coordinator's board in `board`.
//!
//! Visibility: the owner agency's readers, and the readers of the agency that
//! owns the activity or agreement it came from, see it, within their clearance.

mod board;
mod write;

pub use board::{Board, BoardGroup, LateStep};
pub use write::CommitmentNoteForm;
pub(crate) use write::{SourceRecord, follow_source, insert_commitment};

use crate::agencies::AgencyRef;
use crate::audit::{Change, from_rank, rank};
use crate::entity::{agreement, commitment, commitment_note, partner, user};
use crate::{Ctx, Page, Store, StoreError};
use kieng_domain::Classification;
use kieng_domain::commitment::{Due, Status, due};
use kieng_domain::text::fold;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ENTITY: &str = "commitment";
pub const PER_PAGE: u64 = 50;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    /// overdue, soon (open ones only).
    pub due: Option<String>,
    pub agency: Option<Uuid>,
    pub partner: Option<Uuid>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// One commitment as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentRow {
    #[serde(flatten)]
    pub commitment: commitment::Model,
    pub owner: Option<AgencyRef>,
    /// The partner's Vietnamese name, within the reader's clearance.
    pub partner_name: Option<String>,
    pub due_state: Due,
}

/// One commitment, whole.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentView {
    #[serde(flatten)]
    pub row: CommitmentRow,
    /// The activity or agreement it came from, if the reader may see it: (kind, id, title).
    pub source_ref: Option<(String, Uuid, String)>,
    pub responsible_username: Option<String>,
    /// Oldest first.
    pub notes: Vec<commitment_note::Model>,
    pub can_edit: bool,
}

impl Store {
    /// Every commitment the filter selects, in the list's order, up to the
    /// count cap lists keep (`COUNT_CAP`): what a list export holds.
    pub async fn commitment_export_rows(
        &self,
        ctx: &Ctx,
        f: &CommitmentFilter,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        crate::all_pages(PER_PAGE, |page| {
            let f = CommitmentFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.commitment_list(ctx, &f).await }
        })
        .await
    }

    /// The commitments a list's filter selects, within the reader's visibility.
    async fn commitment_query(
        &self,
        ctx: &Ctx,
        f: &CommitmentFilter,
    ) -> Result<sea_orm::Select<commitment::Entity>, StoreError> {
        let f = &CommitmentFilter {
            partner: self.partner_filter(ctx, f.partner).await?,
            ..f.clone()
        };
        let mut q = commitment::Entity::find().filter(Self::commitment_visible(ctx));
        let text = f.q.as_deref().map(fold).unwrap_or_default();
        if !text.is_empty() {
            q = q.filter(commitment::Column::TitleFold.contains(text));
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(commitment::Column::Status.eq(s));
        }
        let today = crate::today();
        let open = self.scoped_col(ctx, commitment::Column::IsOpen);
        let due = || self.scoped_col(ctx, commitment::Column::DueOn);
        match f.due.as_deref() {
            Some("overdue") => q = q.filter(open.clone().eq(true)).filter(due().lt(today)),
            Some("soon") => {
                q = q
                    .filter(open.clone().eq(true))
                    .filter(due().gte(today))
                    .filter(due().lte(self.soon_until()))
            }
            _ => {}
        }
        if let Some(a) = f.agency {
            q = q.filter(commitment::Column::OwnerAgencyId.eq(a));
        }
        if let Some(p) = f.partner {
            q = q.filter(commitment::Column::PartnerId.eq(p));
        }
        Ok(q)
    }

    /// How many commitments the list with this filter holds (its total, capped alike).
    pub async fn commitment_count(
        &self,
        ctx: &Ctx,
        f: &CommitmentFilter,
    ) -> Result<u64, StoreError> {
        let q = self.commitment_query(ctx, f).await?;
        self.capped_count(q, commitment::Column::Id).await
    }

    /// Commitments the reader may see, nearest deadline first.
    pub async fn commitment_list(
        &self,
        ctx: &Ctx,
        f: &CommitmentFilter,
    ) -> Result<Page<CommitmentRow>, StoreError> {
        let q = self.commitment_query(ctx, f).await?;
        // Open commitments first, then the closed ones, each nearest deadline
        // first: two walks of the `commitments_open` index rather than one
        // sort of everything in scope.
        let total = self.capped_count(q.clone(), commitment::Column::Id).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let part = |open: bool| {
            q.clone()
                .filter(self.scoped_col(ctx, commitment::Column::IsOpen).eq(open))
                .order_by_asc(commitment::Column::DueOn)
                .order_by_asc(commitment::Column::Id)
        };
        let skip = (page - 1) * PER_PAGE;
        let mut rows = part(true)
            .offset(skip)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        if (rows.len() as u64) < PER_PAGE {
            let open = if rows.is_empty() {
                self.capped_count(part(true), commitment::Column::Id)
                    .await?
            } else {
                skip + rows.len() as u64
            };
            rows.extend(
                part(false)
                    .offset(skip.saturating_sub(open))
                    .limit(PER_PAGE - rows.len() as u64)
                    .all(&self.db)
                    .await?,
            );
        }
        Ok(Page {
            items: self.commitment_rows(ctx, rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// The last day counted as "due soon".
    pub(crate) fn soon_until(&self) -> chrono::NaiveDate {
        kieng_domain::days::add_days(crate::today(), self.config.due_soon_days)
    }

    /// List rows: owner, partner name (within clearance) and deadline state.
    pub(crate) async fn commitment_rows(
        &self,
        ctx: &Ctx,
        rows: Vec<commitment::Model>,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        let dir = self.directory().await?;
        let names = self
            .partner_names(ctx, rows.iter().filter_map(|c| c.partner_id).collect())
            .await?;
        let today = crate::today();
        let soon = self.config.due_soon_days;
        Ok(rows
            .into_iter()
            .map(|mut c| {
                // A partner above the reader's clearance is not there at all:
                // not its name, nor its id (the commitment itself is visible).
                if c.partner_id.is_some_and(|p| !names.contains_key(&p)) {
                    c.partner_id = None;
                }
                c
            })
            .map(|c| CommitmentRow {
                owner: crate::agency_ref(&dir, c.owner_agency_id),
                partner_name: c.partner_id.and_then(|p| names.get(&p).cloned()),
                due_state: due(
                    Status::parse(&c.status).unwrap_or(Status::Open),
                    c.due_on,
                    today,
                    soon,
                ),
                commitment: c,
            })
            .collect())
    }

    /// Vietnamese names of these partners, those above the reader's clearance left out.
    pub(crate) async fn partner_names(
        &self,
        ctx: &Ctx,
        mut ids: Vec<Uuid>,
    ) -> Result<std::collections::HashMap<Uuid, String>, StoreError> {
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Default::default());
        }
        Ok(partner::Entity::find()
            .select_only()
            .columns([partner::Column::Id, partner::Column::NameVi])
            .filter(partner::Column::Id.is_in(ids))
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect())
    }

    /// Commitments from one activity or agreement (`column` says which).
    async fn commitments_where(
        &self,
        ctx: &Ctx,
        cond: Condition,
        limit: u64,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        let rows = commitment::Entity::find()
            .filter(Self::commitment_visible(ctx))
            .filter(cond)
            .order_by_desc(commitment::Column::IsOpen)
            .order_by_asc(commitment::Column::DueOn)
            .limit(limit)
            .all(&self.db)
            .await?;
        self.commitment_rows(ctx, rows).await
    }

    /// What was promised during this activity.
    pub async fn commitments_of_activity(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        self.commitments_where(
            ctx,
            Condition::all().add(commitment::Column::ActivityId.eq(id)),
            200,
        )
        .await
    }

    /// What follows from this agreement.
    pub async fn commitments_of_agreement(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        self.commitments_where(
            ctx,
            Condition::all().add(commitment::Column::AgreementId.eq(id)),
            200,
        )
        .await
    }

    /// The first `limit` open commitments to this partner, nearest deadline
    /// first (the dossier shows some and links to the filtered list).
    pub async fn open_commitments_with_partner(
        &self,
        ctx: &Ctx,
        id: Uuid,
        limit: u64,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        self.commitments_where(
            ctx,
            Condition::all()
                .add(commitment::Column::PartnerId.eq(id))
                .add(commitment::Column::IsOpen.eq(true)),
            limit,
        )
        .await
    }

    /// The signed-in user's own open commitments (the home page), nearest first.
    pub async fn my_commitments(&self, ctx: &Ctx) -> Result<Vec<CommitmentRow>, StoreError> {
        self.commitments_where(
            ctx,
            Condition::all()
                .add(commitment::Column::ResponsibleUserId.eq(ctx.actor.user_id))
                .add(commitment::Column::IsOpen.eq(true)),
            200,
        )
        .await
    }

    /// One commitment with its progress notes.
    pub async fn commitment_get(&self, ctx: &Ctx, id: Uuid) -> Result<CommitmentView, StoreError> {
        let c = Self::visible_commitment(&self.db, ctx, id).await?;
        let class = from_rank(c.classification);
        if class > Classification::None {
            let ch = Change {
                owner_agency_id: Some(c.owner_agency_id),
                classification: class,
                ..Change::new(ENTITY, c.id, "read")
            };
            self.audit_alone(&ctx.into(), ch).await?;
        }
        let source_ref = if let Some(aid) = c.activity_id {
            Self::visible_activity(&self.db, ctx, aid)
                .await
                .ok()
                .map(|a| ("activity".to_string(), a.id, a.title))
        } else if let Some(gid) = c.agreement_id {
            Self::visible_agreement(&self.db, ctx, gid)
                .await
                .ok()
                .map(|a: agreement::Model| ("agreement".to_string(), a.id, a.title_vi))
        } else if let Some(k) = c.protection_case_id {
            Self::visible_case(&self.db, ctx, k)
                .await
                .ok()
                .map(|k| ("case".to_string(), k.id, k.number))
        } else {
            None
        };
        let responsible_username = match c.responsible_user_id {
            Some(u) => user::Entity::find_by_id(u)
                .one(&self.db)
                .await?
                .map(|u| u.username),
            None => None,
        };
        let notes = commitment_note::Entity::find()
            .filter(commitment_note::Column::CommitmentId.eq(id))
            .order_by_asc(commitment_note::Column::At)
            .all(&self.db)
            .await?;
        let can_edit = self.may_edit_commitment(ctx, &c);
        let row = self
            .commitment_rows(ctx, vec![c])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        Ok(CommitmentView {
            row,
            source_ref,
            responsible_username,
            notes,
            can_edit,
        })
    }

    /// Writers of the owner agency, or of the agency that owns its source.
    pub(crate) fn may_edit_commitment(&self, ctx: &Ctx, c: &commitment::Model) -> bool {
        let class = from_rank(c.classification);
        ctx.actor.can_write(c.owner_agency_id, class)
            || c.source_agency_id
                .is_some_and(|s| ctx.actor.can_write(s, class))
    }
}
