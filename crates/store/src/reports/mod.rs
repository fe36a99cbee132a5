//! Review reports: the list, one report with its figures (live for a draft,
//! frozen once submitted) and its narrative parts, the register of document
//! numbers. Writing lives in `write`, the computed sections in `figures`.
//!
//! Visibility: a report is owned by its issuing agency and seen by that
//! agency's readers within their clearance (`visibility::reports`). What it
//! counts is read as its reader, narrowed to the report's scope and capped at
//! its classification (`Store::report_reader`).

mod dashboard;
mod figures;
mod write;

pub use write::{MoveForm, PartForm};

pub use dashboard::{
    CommitmentCounts, DELEGATIONS, DashKey, Dashboard, KeptDashboard, Place, TOP_PARTNERS,
    TopPartner,
};

use crate::agencies::AgencyRef;
use crate::audit::{from_rank, rank};
use crate::entity::{document_number, report, report_snapshot, report_text};
use crate::{Ctx, Page, Store, StoreError};
use kieng_domain::Classification;
use kieng_domain::report::{Figures, Part, Period, PeriodKind, ScopeKind, Status, number, symbol};
use kieng_domain::text::fold;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub const ENTITY: &str = "report";
pub const PER_PAGE: u64 = 50;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    pub year: Option<i32>,
    pub agency: Option<Uuid>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// One report as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    #[serde(flatten)]
    pub report: report::Model,
    pub issuer: Option<AgencyRef>,
    /// "Số: 05/BC-SNV", or blank until approved.
    pub number: String,
    pub period_vi: String,
}

/// A narrative part at its latest revision.
#[derive(Debug, Clone, Serialize)]
pub struct PartText {
    pub part: Part,
    pub body: String,
    /// 0: not written yet.
    pub revision: i32,
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    pub by: Option<String>,
}

/// A submission kept: when and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotMeta {
    pub id: Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Option<String>,
}

/// One report, whole.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    #[serde(flatten)]
    pub row: ReportRow,
    pub period: Period,
    /// The scope in words.
    pub scope_vi: String,
    /// The issuer's parent body and province, for the document's header.
    pub issuer_parent: Option<String>,
    pub issuer_province: Option<String>,
    pub texts: Vec<PartText>,
    /// Live for a draft; the frozen snapshot once submitted.
    pub figures: Figures,
    /// The snapshot shown, if frozen.
    pub frozen: Option<SnapshotMeta>,
    /// Every submission, newest first.
    pub submissions: Vec<SnapshotMeta>,
    pub may_edit: bool,
    pub may_submit: bool,
    pub may_approve: bool,
}

/// A line of the register of numbers.
#[derive(Debug, Clone, Serialize)]
pub struct NumberRow {
    #[serde(flatten)]
    pub entry: document_number::Model,
    pub agency: Option<AgencyRef>,
    pub number: String,
}

pub fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

pub(crate) fn period_of(r: &report::Model) -> Period {
    Period {
        kind: PeriodKind::parse(&r.period_kind).unwrap_or(PeriodKind::Custom),
        from: r.period_from,
        to: r.period_to,
    }
}

impl Store {
    /// May the reader write this agency's reports (draft, edit, submit)?
    pub(crate) fn may_write_report(ctx: &Ctx, r: &report::Model) -> bool {
        ctx.actor.role != kieng_domain::Role::Viewer
            && ctx
                .actor
                .can_write(r.owner_agency_id, from_rank(r.classification))
    }

    /// May the reader approve this agency's reports: its leaders.
    pub(crate) fn may_approve_report(ctx: &Ctx, r: &report::Model) -> bool {
        ctx.actor.role == kieng_domain::Role::Leader
            && ctx
                .actor
                .can_write(r.owner_agency_id, from_rank(r.classification))
    }

    /// May the reader start a report at all (the "new" button)?
    pub fn may_draft_reports(ctx: &Ctx) -> bool {
        Self::may_record_activities(ctx)
    }

    /// Reports the reader may see, newest period first.
    pub async fn report_list(
        &self,
        ctx: &Ctx,
        f: &ReportFilter,
    ) -> Result<Page<ReportRow>, StoreError> {
        let mut q = report::Entity::find().filter(Self::report_visible(ctx));
        let text = f.q.as_deref().map(fold).unwrap_or_default();
        if !text.is_empty() {
            q = q.filter(report::Column::TitleFold.contains(text));
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(report::Column::Status.eq(s));
        }
        if let Some(y) = f.year
            && let (Some(a), Some(b)) = (
                chrono::NaiveDate::from_ymd_opt(y, 1, 1),
                chrono::NaiveDate::from_ymd_opt(y, 12, 31),
            )
        {
            q = q
                .filter(report::Column::PeriodFrom.lte(b))
                .filter(report::Column::PeriodTo.gte(a));
        }
        if let Some(a) = f.agency {
            q = q.filter(report::Column::OwnerAgencyId.eq(a));
        }
        let total = self.capped_count(q.clone(), report::Column::Id).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_desc(report::Column::PeriodFrom)
            .order_by_desc(report::Column::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let dir = self.directory().await?;
        Ok(Page {
            items: rows.into_iter().map(|r| row_of(&dir, r)).collect(),
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Every report the filter selects, in the list's order: what an export holds.
    pub async fn report_export_rows(
        &self,
        ctx: &Ctx,
        f: &ReportFilter,
    ) -> Result<Vec<ReportRow>, StoreError> {
        crate::all_pages(PER_PAGE, |page| {
            let f = ReportFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.report_list(ctx, &f).await }
        })
        .await
    }

    /// The report row alone, if the reader may see it (no figures counted).
    pub async fn report_get_brief(&self, ctx: &Ctx, id: Uuid) -> Result<report::Model, StoreError> {
        Self::visible_report(&self.db, ctx, id).await
    }

    /// One report with its figures and parts.
    pub async fn report_get(&self, ctx: &Ctx, id: Uuid) -> Result<ReportView, StoreError> {
        let r = Self::visible_report(&self.db, ctx, id).await?;
        let dir = self.directory().await?;
        let texts = Self::report_texts_latest(&self.db, id).await?;
        let snapshots = report_snapshot::Entity::find()
            .filter(report_snapshot::Column::ReportId.eq(id))
            .order_by_desc(report_snapshot::Column::At)
            .all(&self.db)
            .await?;
        let mut user_ids: Vec<Uuid> = texts.iter().filter_map(|t| t.actor_id).collect();
        user_ids.extend(snapshots.iter().filter_map(|s| s.actor_id));
        let names = self.user_names(user_ids).await?;
        let status = Status::parse(&r.status).unwrap_or(Status::Draft);
        let frozen = r
            .snapshot_id
            .and_then(|sid| snapshots.iter().find(|s| s.id == sid));
        let (figures, parts): (Figures, HashMap<String, String>) = match frozen {
            Some(s) => (
                serde_json::from_str(&s.figures)
                    .map_err(|e| StoreError::Internal(format!("report snapshot: {e}")))?,
                serde_json::from_str::<Vec<(String, String)>>(&s.texts)
                    .map_err(|e| StoreError::Internal(format!("report snapshot: {e}")))?
                    .into_iter()
                    .collect(),
            ),
            None => {
                let reader = self
                    .report_reader(
                        ctx,
                        ScopeKind::parse(&r.scope_kind).unwrap_or(ScopeKind::All),
                        r.scope_ref.as_deref(),
                        from_rank(r.classification),
                    )
                    .await?;
                (
                    self.report_figures(&reader, period_of(&r)).await?,
                    HashMap::new(),
                )
            }
        };
        let texts = Part::ALL
            .iter()
            .map(|p| {
                let latest = texts.iter().find(|t| t.part == p.as_str());
                PartText {
                    part: *p,
                    body: if frozen.is_some() {
                        parts.get(p.as_str()).cloned().unwrap_or_default()
                    } else {
                        latest.map(|t| t.body.clone()).unwrap_or_default()
                    },
                    revision: latest.map(|t| t.revision).unwrap_or(0),
                    at: latest.map(|t| t.at),
                    by: latest
                        .and_then(|t| t.actor_id)
                        .and_then(|u| names.get(&u).cloned()),
                }
            })
            .collect();
        let meta = |s: &report_snapshot::Model| SnapshotMeta {
            id: s.id,
            at: s.at,
            by: s.actor_id.and_then(|u| names.get(&u).cloned()),
        };
        let issuer = dir.by_id.get(&r.owner_agency_id).map(|i| &dir.rows[*i]);
        let issuer_parent = issuer
            .and_then(|a| a.parent_id)
            .and_then(|p| dir.by_id.get(&p))
            .map(|i| dir.rows[*i].name_vi.clone());
        let issuer_province = match issuer.and_then(|a| a.province_code.clone()) {
            Some(code) => self.province_name(&code).await?,
            None => None,
        };
        let scope_vi = self.scope_words(&dir, &r).await?;
        let writer = Self::may_write_report(ctx, &r);
        Ok(ReportView {
            period: period_of(&r),
            scope_vi,
            issuer_parent,
            issuer_province,
            texts,
            figures,
            frozen: frozen.map(meta),
            submissions: snapshots.iter().map(meta).collect(),
            may_edit: writer && status == Status::Draft,
            may_submit: writer && status == Status::Draft,
            may_approve: Self::may_approve_report(ctx, &r) && status == Status::Submitted,
            row: row_of(&dir, r),
        })
    }

    /// Every revision of one part, newest first.
    pub async fn report_part_history(
        &self,
        ctx: &Ctx,
        id: Uuid,
        part: Part,
    ) -> Result<Vec<(report_text::Model, Option<String>)>, StoreError> {
        Self::visible_report(&self.db, ctx, id).await?;
        let rows = report_text::Entity::find()
            .filter(report_text::Column::ReportId.eq(id))
            .filter(report_text::Column::Part.eq(part.as_str()))
            .order_by_desc(report_text::Column::Revision)
            .all(&self.db)
            .await?;
        let names = self
            .user_names(rows.iter().filter_map(|t| t.actor_id).collect())
            .await?;
        Ok(rows
            .into_iter()
            .map(|t| {
                let n = t.actor_id.and_then(|u| names.get(&u).cloned());
                (t, n)
            })
            .collect())
    }

    /// The register of numbers of the agencies the reader sees, within
    /// clearance, newest first.
    pub async fn document_numbers(
        &self,
        ctx: &Ctx,
        year: Option<i32>,
        page: Option<u64>,
    ) -> Result<Page<NumberRow>, StoreError> {
        let mut q = document_number::Entity::find()
            .filter(document_number::Column::Classification.lte(rank(ctx.actor.clearance)));
        if let Some(ids) = ctx.actor.read.ids() {
            q = q.filter(document_number::Column::AgencyId.is_in(ids));
        }
        if let Some(y) = year {
            q = q.filter(document_number::Column::Year.eq(y));
        }
        let total = self
            .capped_count(q.clone(), document_number::Column::Seq)
            .await?;
        let page = Ord::clamp(page.unwrap_or(1), 1, Ord::max(total.div_ceil(PER_PAGE), 1));
        let rows = q
            .order_by_desc(document_number::Column::At)
            .order_by_desc(document_number::Column::Seq)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let dir = self.directory().await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|e| NumberRow {
                    agency: crate::agency_ref(&dir, e.agency_id),
                    number: number(Some(e.seq), &e.symbol),
                    entry: e,
                })
                .collect(),
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// The latest revision of each part, read on `db` (a write reads it in
    /// its transaction).
    pub(crate) async fn report_texts_latest<C: sea_orm::ConnectionTrait>(
        db: &C,
        id: Uuid,
    ) -> Result<Vec<report_text::Model>, StoreError> {
        let all = report_text::Entity::find()
            .filter(report_text::Column::ReportId.eq(id))
            .order_by_desc(report_text::Column::Revision)
            .all(db)
            .await?;
        let mut seen = std::collections::HashSet::new();
        Ok(all
            .into_iter()
            .filter(|t| seen.insert(t.part.clone()))
            .collect())
    }

    async fn province_name(&self, code: &str) -> Result<Option<String>, StoreError> {
        use crate::entity::province;
        Ok(province::Entity::find()
            .filter(province::Column::Code.eq(code))
            .one(&self.db)
            .await?
            .map(|p| p.name))
    }

    /// The scope in words: "Toàn bộ hồ sơ được xem", "Sở Ngoại vụ … và các
    /// đơn vị trực thuộc", "Trụ cột Đối ngoại Nhà nước", "Thành phố Đà Nẵng".
    async fn scope_words(
        &self,
        dir: &crate::cache::Directory,
        r: &report::Model,
    ) -> Result<String, StoreError> {
        let kind = ScopeKind::parse(&r.scope_kind).unwrap_or(ScopeKind::All);
        let rf = r.scope_ref.as_deref().unwrap_or("");
        Ok(match kind {
            ScopeKind::All => kind.label().vi,
            ScopeKind::Agency => {
                let name = dir
                    .rows
                    .iter()
                    .find(|a| a.code == rf || a.id.to_string() == rf)
                    .map(|a| a.name_vi.clone())
                    .unwrap_or_else(|| rf.to_string());
                format!("{name} và các đơn vị trực thuộc")
            }
            ScopeKind::Pillar => kieng_domain::agency::Pillar::parse(rf)
                .map(|p| p.label().vi)
                .unwrap_or_else(|| rf.to_string()),
            ScopeKind::Province => self
                .province_name(rf)
                .await?
                .unwrap_or_else(|| rf.to_string()),
        })
    }
}

pub(crate) fn row_of(dir: &crate::cache::Directory, r: report::Model) -> ReportRow {
    let sym = r
        .number_symbol
        .clone()
        .unwrap_or_else(|| symbol(crate::agency_ref_abbr(dir, r.owner_agency_id).as_deref()));
    ReportRow {
        issuer: crate::agency_ref(dir, r.owner_agency_id),
        number: number(r.number_seq, &sym),
        period_vi: period_of(&r).label().vi,
        report: r,
    }
}

/// A classification's rank, as stored.
pub(crate) fn class_of(r: &report::Model) -> Classification {
    from_rank(r.classification)
}
