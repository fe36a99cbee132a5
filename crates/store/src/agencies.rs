//! Agencies: the directory every user reads, changed only by administrators
//! within their scope; lineage events (renamed, merged, split, dissolved) that
//! move an agency's records into its successor's view without re-attributing them.

use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{agency, agency_lineage, commune, country, province};
use crate::{Ctx, Page, Store, StoreError, now};
use kieng_domain::access::AgencyNode;
use kieng_domain::agency::{
    AgencyForm, AgencyInput, AgencyStatus, Level, LineageForm, LineageInput, LineageKind, Pillar,
};
use kieng_domain::text::fold;
use kieng_domain::{AgencyGraph, Classification, FieldErrors, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

pub const ENTITY: &str = "agency";
pub const PER_PAGE: u64 = 50;

/// Filters of the agency list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgencyFilter {
    pub q: Option<String>,
    pub pillar: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// An agency with the names of the agencies it points at.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyView {
    #[serde(flatten)]
    pub agency: agency::Model,
    pub parent_name: Option<String>,
    pub successor_name: Option<String>,
    pub country_name: Option<String>,
    pub province_name: Option<String>,
    /// A commune-level agency's commune ("Xã Sì Lở Lầu").
    pub commune_name: Option<String>,
    pub lineage: Vec<LineageView>,
    pub children: Vec<AgencyRef>,
    pub predecessors: Vec<AgencyRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineageView {
    #[serde(flatten)]
    pub event: agency_lineage::Model,
    pub related_name: Option<String>,
    /// The event as seen from this agency ("merged into X" or "X merged into this").
    pub incoming: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AgencyRef {
    pub id: Uuid,
    pub code: String,
    pub name_vi: String,
    pub status: String,
}

impl From<&agency::Model> for AgencyRef {
    fn from(a: &agency::Model) -> Self {
        Self {
            id: a.id,
            code: a.code.clone(),
            name_vi: a.name_vi.clone(),
            status: a.status.clone(),
        }
    }
}

fn snapshot(m: &agency::Model) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or(serde_json::Value::Null)
}

fn change(m: &agency::Model, action: &'static str) -> Change {
    Change {
        owner_agency_id: Some(m.id),
        classification: from_rank(m.classification),
        ..Change::new(ENTITY, m.id, action)
    }
}

fn not_deleted() -> Condition {
    Condition::all().add(agency::Column::DeletedAt.is_null())
}

impl Store {
    /// The agency graph, reloaded only when an agency changed (any process).
    pub async fn agency_graph(&self) -> Result<Arc<AgencyGraph>, StoreError> {
        Ok(self.directory().await?.graph.clone())
    }

    /// The live directory at the current revision (see `cache`).
    /// How many agencies the reader's scope lets them read, counting only those
    /// within clearance (`None` for a reader of everything): a classified agency
    /// created in the scope does not exist for a reader not cleared for it.
    pub async fn readable_agency_count(&self, ctx: &Ctx) -> Result<Option<usize>, StoreError> {
        let Some(ids) = ctx.actor.read.ids() else {
            return Ok(None);
        };
        let dir = self.directory().await?;
        Ok(Some(
            ids.iter()
                .filter_map(|id| dir.by_id.get(id).and_then(|i| dir.rows.get(*i)))
                .filter(|a| from_rank(a.classification) <= ctx.actor.clearance)
                .count(),
        ))
    }

    pub(crate) async fn directory(&self) -> Result<Arc<crate::cache::Directory>, StoreError> {
        let rev = self
            .caches
            .agencies_rev
            .current(|| crate::counters::value(&self.db, crate::counters::AGENCIES))
            .await?;
        let cached = |rev: i64| {
            self.caches
                .directory
                .read()
                .ok()
                .and_then(|g| g.as_ref().filter(|d| d.rev >= rev).cloned())
        };
        if let Some(d) = cached(rev) {
            return Ok(d);
        }
        let _loading = self.caches.directory_load.lock().await;
        if let Some(d) = cached(rev) {
            return Ok(d);
        }
        let mut rows = agency::Entity::find()
            .filter(not_deleted())
            .all(&self.db)
            .await?;
        rows.sort_by(|a, b| (&a.name_fold, a.id).cmp(&(&b.name_fold, b.id)));
        let graph = Arc::new(AgencyGraph::new(rows.iter().map(|a| {
            let node = AgencyNode {
                parent: a.parent_id,
                successor: a.successor_id,
                pillar: Pillar::parse(&a.pillar).unwrap_or(Pillar::State),
                also: a.also_pillar.as_deref().and_then(Pillar::parse),
            };
            (a.id, node)
        })));
        let by_id = rows.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let dir = Arc::new(crate::cache::Directory {
            rev,
            rows,
            by_id,
            graph,
        });
        if let Ok(mut guard) = self.caches.directory.write() {
            // Never replace a newer snapshot with an older one.
            if guard.as_ref().is_none_or(|d| d.rev <= rev) {
                *guard = Some(dir.clone());
            }
        }
        Ok(dir)
    }

    /// Every agency the filter selects, in the list's order: what the list's
    /// export holds (the directory is a few thousand rows at most).
    pub async fn agency_export_rows(
        &self,
        ctx: &Ctx,
        f: &AgencyFilter,
    ) -> Result<Vec<agency::Model>, StoreError> {
        crate::all_pages(PER_PAGE, |page| {
            let f = AgencyFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.agency_list(ctx, &f).await }
        })
        .await
    }

    /// The directory, filtered and paged in memory from the snapshot: live
    /// agencies within the reader's clearance, in name order.
    pub async fn agency_list(
        &self,
        ctx: &Ctx,
        f: &AgencyFilter,
    ) -> Result<Page<agency::Model>, StoreError> {
        let dir = self.directory().await?;
        let clearance = rank(ctx.actor.clearance);
        let raw =
            f.q.as_deref()
                .map(|s| kieng_domain::text::clean(s, false))
                .unwrap_or_default();
        let (folded, upper) = (fold(&raw), raw.to_uppercase());
        let pillar = f
            .pillar
            .as_deref()
            .and_then(Pillar::parse)
            .map(Pillar::as_str);
        let level = f.level.as_deref().and_then(Level::parse).map(Level::as_str);
        let status = f
            .status
            .as_deref()
            .and_then(AgencyStatus::parse)
            .map(AgencyStatus::as_str);
        let matching = dir.rows.iter().filter(|a| {
            a.classification <= clearance
                && pillar.is_none_or(|p| a.pillar == p)
                && level.is_none_or(|l| a.level == l)
                && status.is_none_or(|s| a.status == s)
                // Names match on their folded form ("da nang" = "Đà Nẵng"); codes as typed.
                && (raw.is_empty() || a.name_fold.contains(&folded) || a.code.contains(&upper))
        });
        let total = matching.clone().count() as u64;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let skip = usize::try_from((page - 1) * PER_PAGE).unwrap_or(usize::MAX);
        let items = matching
            .skip(skip)
            .take(PER_PAGE as usize)
            .cloned()
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Active agencies the actor may see, for choosing a parent, a successor, a user's agency.
    pub async fn agency_choices(&self, ctx: &Ctx) -> Result<Vec<AgencyRef>, StoreError> {
        let dir = self.directory().await?;
        let clearance = rank(ctx.actor.clearance);
        Ok(dir
            .rows
            .iter()
            .filter(|a| a.status == AgencyStatus::Active.as_str() && a.classification <= clearance)
            .map(AgencyRef::from)
            .collect())
    }

    /// Active missions abroad within the actor's clearance, to accredit to a partner.
    pub async fn mission_choices(&self, ctx: &Ctx) -> Result<Vec<AgencyRef>, StoreError> {
        let dir = self.directory().await?;
        let clearance = rank(ctx.actor.clearance);
        Ok(dir
            .rows
            .iter()
            .filter(|a| {
                a.status == AgencyStatus::Active.as_str()
                    && a.level == "mission"
                    && a.classification <= clearance
            })
            .map(AgencyRef::from)
            .collect())
    }

    /// The code of a live agency by id (empty when unknown), to prefill forms.
    pub async fn agency_get_quiet_code(&self, id: Uuid) -> Result<String, StoreError> {
        let dir = self.directory().await?;
        Ok(dir
            .by_id
            .get(&id)
            .map(|i| dir.rows[*i].code.clone())
            .unwrap_or_default())
    }

    /// The name of a live agency by id, for labels such as the user's own agency.
    pub async fn agency_get_name(&self, id: Uuid) -> Result<String, StoreError> {
        let dir = self.directory().await?;
        Ok(dir
            .by_id
            .get(&id)
            .map(|i| dir.rows[*i].name_vi.clone())
            .unwrap_or_default())
    }

    /// Find an agency by code (the command line uses this; no actor involved).
    /// The agency a user named by code or id in a filter, within their clearance;
    /// an unknown one is a message saying so.
    pub async fn agency_filter(&self, ctx: &Ctx, named: &str) -> Result<Uuid, StoreError> {
        let dir = self.directory().await?;
        crate::agency_named(&dir, ctx, named)
            .map(|a| a.id)
            .ok_or_else(|| {
                StoreError::Invalid(kieng_domain::FieldErrors::single(
                    "agency",
                    kieng_domain::Msg::new(
                        format!(
                            "Không có cơ quan mã “{}”: hãy gõ đúng mã cơ quan.",
                            named.trim()
                        ),
                        format!(
                            "No agency has the code “{}”: type an agency's code.",
                            named.trim()
                        ),
                    ),
                ))
            })
    }

    pub async fn agency_by_code(&self, code: &str) -> Result<Option<agency::Model>, StoreError> {
        Ok(agency::Entity::find()
            .filter(agency::Column::Code.eq(code.trim().to_uppercase()))
            .filter(not_deleted())
            .one(&self.db)
            .await?)
    }

    /// Load a live agency the actor may see, or NotFound.
    async fn visible_agency<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<agency::Model, StoreError> {
        match agency::Entity::find_by_id(id).one(db).await? {
            Some(a)
                if a.deleted_at.is_none() && from_rank(a.classification) <= ctx.actor.clearance =>
            {
                Ok(a)
            }
            _ => Err(StoreError::NotFound),
        }
    }

    /// The agency if the actor may see it, without logging a read.
    pub(crate) async fn agency_get_quiet(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<agency::Model, StoreError> {
        Self::visible_agency(&self.db, ctx, id).await
    }

    pub async fn agency_get(&self, ctx: &Ctx, id: Uuid) -> Result<AgencyView, StoreError> {
        let a = Self::visible_agency(&self.db, ctx, id).await?;
        if a.classification > 0 {
            self.audit_alone(&ctx.into(), change(&a, "read")).await?;
        }
        let name_of = |id: Option<Uuid>| async move {
            match id {
                None => Ok::<_, StoreError>(None),
                Some(id) => Ok(agency::Entity::find_by_id(id)
                    .one(&self.db)
                    .await?
                    .filter(|a| from_rank(a.classification) <= ctx.actor.clearance)
                    .map(|a| a.name_vi)),
            }
        };
        let parent_name = name_of(a.parent_id).await?;
        let successor_name = name_of(a.successor_id).await?;
        let country_name = match &a.country_code {
            Some(c) => country::Entity::find_by_id(c.clone())
                .one(&self.db)
                .await?
                .map(|c| c.name_vi),
            None => None,
        };
        let commune_name = match &a.commune_code {
            Some(c) => commune::Entity::find_by_id(c.clone())
                .one(&self.db)
                .await?
                .map(|c| c.full_name),
            None => None,
        };
        let province_name = match &a.province_code {
            Some(c) => province::Entity::find_by_id(c.clone())
                .one(&self.db)
                .await?
                .map(|p| p.name),
            None => None,
        };
        let events = agency_lineage::Entity::find()
            .filter(
                Condition::any()
                    .add(agency_lineage::Column::AgencyId.eq(id))
                    .add(agency_lineage::Column::RelatedAgencyId.eq(id)),
            )
            .order_by_asc(agency_lineage::Column::EffectiveDate)
            .order_by_asc(agency_lineage::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut lineage = Vec::with_capacity(events.len());
        for e in events {
            let incoming = e.agency_id != id;
            let other = if incoming {
                Some(e.agency_id)
            } else {
                e.related_agency_id
            };
            lineage.push(LineageView {
                related_name: name_of(other).await?,
                incoming,
                event: e,
            });
        }
        let visible = |rows: Vec<agency::Model>| -> Vec<AgencyRef> {
            rows.iter()
                .filter(|c| from_rank(c.classification) <= ctx.actor.clearance)
                .map(AgencyRef::from)
                .collect()
        };
        let children = visible(
            agency::Entity::find()
                .filter(not_deleted())
                .filter(agency::Column::ParentId.eq(id))
                .order_by_asc(agency::Column::NameFold)
                .all(&self.db)
                .await?,
        );
        let predecessors = visible(
            agency::Entity::find()
                .filter(not_deleted())
                .filter(agency::Column::SuccessorId.eq(id))
                .order_by_asc(agency::Column::NameFold)
                .all(&self.db)
                .await?,
        );
        Ok(AgencyView {
            agency: a,
            parent_name,
            successor_name,
            country_name,
            province_name,
            commune_name,
            lineage,
            children,
            predecessors,
        })
    }

    /// Check references the form names (parent, country, province) and the tree rules.
    async fn check_agency_input<C: ConnectionTrait>(
        &self,
        db: &C,
        ctx: &Ctx,
        input: &AgencyInput,
        this: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        let parent_status = match input.parent_id {
            None => None,
            Some(p) => Self::visible_agency(db, ctx, p)
                .await
                .ok()
                .and_then(|a| AgencyStatus::parse(&a.status)),
        };
        let graph = self.agency_graph().await?;
        if let Err(pe) = input.check_parent(this, parent_status, &graph) {
            e.0.extend(pe.0);
        }
        if let Some(c) = &input.country_code
            && country::Entity::find_by_id(c.clone())
                .one(db)
                .await?
                .is_none()
        {
            e.add(
                "country_code",
                Msg::new(
                    "Mã nước không có trong danh mục ISO 3166-1.",
                    "Not an ISO 3166-1 country code.",
                ),
            );
        }
        if let Some(p) = &input.province_code {
            match province::Entity::find_by_id(p.clone()).one(db).await? {
                Some(pr) if pr.valid_to.is_none() => {}
                Some(_) => e.add(
                    "province_code",
                    Msg::new(
                        "Đơn vị hành chính này đã sáp nhập từ 01/07/2025; hãy chọn tỉnh, thành phố hiện hành.",
                        "This unit was merged on 1 July 2025; choose a current province or city.",
                    ),
                ),
                None => e.add("province_code", Msg::new("Không có tỉnh, thành phố này.", "No such province or city.")),
            }
        }
        if let Some(c) = &input.commune_code
            && commune::Entity::find_by_id(c.clone())
                .one(db)
                .await?
                .is_none()
        {
            e.add(
                "commune_code",
                Msg::new(
                    "Không có xã, phường, đặc khu mang mã này (mã của Tổng cục Thống kê, như 00004).",
                    "No commune has this code (the Statistics Office's, such as 00004).",
                ),
            );
        }
        let dup = agency::Entity::find()
            .filter(agency::Column::Code.eq(input.code.clone()))
            .one(db)
            .await?;
        if dup.is_some_and(|d| Some(d.id) != this) {
            e.add(
                "code",
                Msg::new(
                    "Mã này đã được dùng cho cơ quan khác.",
                    "This code is already used by another agency.",
                ),
            );
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(e))
        }
    }

    /// May the actor manage (create under / edit) this agency? Admins within scope only.
    fn may_manage(
        ctx: &Ctx,
        target: Option<Uuid>,
        classification: Classification,
    ) -> Result<(), StoreError> {
        let ok = ctx.actor.is_admin()
            && match target {
                Some(id) => ctx.actor.can_write(id, classification),
                None => {
                    ctx.actor.write == kieng_domain::access::AgencySet::All
                        && classification <= ctx.actor.clearance
                }
            };
        if ok {
            Ok(())
        } else {
            Err(StoreError::forbidden())
        }
    }

    pub async fn agency_create(
        &self,
        ctx: &Ctx,
        form: &AgencyForm,
    ) -> Result<agency::Model, StoreError> {
        let mut e = FieldErrors::new();
        let classification = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret_item = self
            .secret_basis(&mut e, classification, form.secret_item.as_deref(), None)
            .await?;
        let input = AgencyInput::parse(form);
        let input = match (input, e.is_empty()) {
            (Ok(i), true) => i,
            (Ok(_), false) => return Err(e.into()),
            (Err(mut fe), _) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        Self::may_manage(ctx, input.parent_id, Classification::None)?;
        let tx = self.begin_write().await?;
        self.check_agency_input(&tx, ctx, &input, None).await?;
        let id = Uuid::now_v7();
        let at = now();
        let province_code = province_of(&tx, &input).await?;
        let m = agency::Model {
            id,
            code: input.code.clone(),
            name_fold: fold(&format!(
                "{} {}",
                input.name_vi,
                input.abbreviation.as_deref().unwrap_or("")
            )),
            name_vi: input.name_vi,
            name_en: input.name_en,
            abbreviation: input.abbreviation,
            pillar: input.pillar.as_str().into(),
            also_pillar: input.also_pillar.map(|p| p.as_str().into()),
            level: input.level.as_str().into(),
            parent_id: input.parent_id,
            country_code: input.country_code,
            province_code,
            commune_code: input.commune_code,
            status: AgencyStatus::Active.as_str().into(),
            successor_id: None,
            owner_agency_id: id,
            classification: rank(classification),
            secret_item_id: secret_item,
            version: 1,
            created_at: at,
            created_by: Some(ctx.actor.user_id),
            updated_at: at,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        agency::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        crate::counters::bump(&tx, crate::counters::AGENCIES).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                after: Some(snapshot(&m)),
                ..change(&m, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Update with optimistic concurrency: `version` is what the editor loaded.
    pub async fn agency_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &AgencyForm,
    ) -> Result<agency::Model, StoreError> {
        self.agency_write(ctx, id, version, form, "update").await
    }

    async fn agency_write(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &AgencyForm,
        action: &'static str,
    ) -> Result<agency::Model, StoreError> {
        let mut e = FieldErrors::new();
        let classification = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let parsed = AgencyInput::parse(form);
        let tx = self.begin_write().await?;
        let before = Self::visible_agency(&tx, ctx, id).await?;
        Self::may_manage(ctx, Some(id), from_rank(before.classification))?;
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let secret_item = self
            .secret_basis(
                &mut e,
                classification,
                form.secret_item.as_deref(),
                before.secret_item_id,
            )
            .await?;
        let input = match (parsed, e.is_empty()) {
            (Ok(i), true) => i,
            (Ok(_), false) => return Err(e.into()),
            (Err(mut fe), _) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        self.check_agency_input(&tx, ctx, &input, Some(id)).await?;
        let province_code = province_of(&tx, &input).await?;
        let mut after = before.clone();
        after.code = input.code;
        after.name_fold = fold(&format!(
            "{} {}",
            input.name_vi,
            input.abbreviation.as_deref().unwrap_or("")
        ));
        after.name_vi = input.name_vi;
        after.name_en = input.name_en;
        after.abbreviation = input.abbreviation;
        after.pillar = input.pillar.as_str().into();
        after.also_pillar = input.also_pillar.map(|p| p.as_str().into());
        after.level = input.level.as_str().into();
        after.parent_id = input.parent_id;
        after.province_code = province_code;
        after.country_code = input.country_code;
        after.commune_code = input.commune_code;
        after.classification = rank(classification);
        after.secret_item_id = secret_item;
        after.version = before.version + 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        crate::counters::bump(&tx, crate::counters::AGENCIES).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..change(&after, action)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Move to the trash. Refused while live sub-units or users depend on it.
    pub async fn agency_delete(&self, ctx: &Ctx, id: Uuid, version: i32) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let before = Self::visible_agency(&tx, ctx, id).await?;
        Self::may_manage(ctx, Some(id), from_rank(before.classification))?;
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let children = agency::Entity::find()
            .filter(not_deleted())
            .filter(agency::Column::ParentId.eq(id))
            .count(&tx)
            .await?;
        let users = crate::entity::user::Entity::find()
            .filter(crate::entity::user::Column::AgencyId.eq(id))
            .filter(crate::entity::user::Column::DisabledAt.is_null())
            .count(&tx)
            .await?;
        if children > 0 || users > 0 {
            return Err(StoreError::Forbidden(Msg::new(
                format!(
                    "Còn {children} đơn vị trực thuộc và {users} người dùng thuộc cơ quan này: hãy chuyển họ sang cơ quan khác trước, hoặc ghi nhận việc sáp nhập, giải thể."
                ),
                format!(
                    "{children} sub-units and {users} users still belong to this agency: move them first, or record a merger or dissolution."
                ),
            )));
        }
        let mut after = before.clone();
        after.deleted_at = Some(now());
        after.deleted_by = Some(ctx.actor.user_id);
        after.version += 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        crate::counters::bump(&tx, crate::counters::AGENCIES).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..change(&after, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Take an agency out of the trash.
    pub async fn agency_restore(&self, ctx: &Ctx, id: Uuid) -> Result<agency::Model, StoreError> {
        let tx = self.begin_write().await?;
        let before = match agency::Entity::find_by_id(id).one(&tx).await? {
            Some(a)
                if a.deleted_at.is_some() && from_rank(a.classification) <= ctx.actor.clearance =>
            {
                a
            }
            _ => return Err(StoreError::NotFound),
        };
        Self::may_manage(ctx, Some(id), from_rank(before.classification))?;
        let clash = agency::Entity::find()
            .filter(not_deleted())
            .filter(agency::Column::Code.eq(before.code.clone()))
            .count(&tx)
            .await?;
        if clash > 0 {
            return Err(StoreError::Invalid(FieldErrors::single(
                "code",
                Msg::new(
                    "Mã của cơ quan này đã được dùng lại; hãy đổi mã cơ quan kia trước.",
                    "Its code is now used by another agency; change that one first.",
                ),
            )));
        }
        let mut after = before.clone();
        after.deleted_at = None;
        after.deleted_by = None;
        after.version += 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        crate::counters::bump(&tx, crate::counters::AGENCIES).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..change(&after, "restore")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Record a lineage event and apply what it does to the agency.
    pub async fn agency_lineage_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        form: &LineageForm,
    ) -> Result<agency_lineage::Model, StoreError> {
        let input = LineageInput::parse(form)?;
        let tx = self.begin_write().await?;
        let before = Self::visible_agency(&tx, ctx, id).await?;
        Self::may_manage(ctx, Some(id), from_rank(before.classification))?;
        let related_status = match input.related_agency_id {
            None => None,
            Some(r) => Self::visible_agency(&tx, ctx, r)
                .await
                .ok()
                .and_then(|a| AgencyStatus::parse(&a.status)),
        };
        let graph = self.agency_graph().await?;
        input.check(
            id,
            AgencyStatus::parse(&before.status).unwrap_or(AgencyStatus::Active),
            related_status,
            &graph,
        )?;
        let event = agency_lineage::Model {
            id: Uuid::now_v7(),
            agency_id: id,
            kind: input.kind.as_str().into(),
            effective_date: input.effective_date,
            related_agency_id: input.related_agency_id,
            old_name_vi: (input.kind == LineageKind::Renamed).then(|| before.name_vi.clone()),
            new_name_vi: input.new_name_vi.clone(),
            new_name_en: input.new_name_en.clone(),
            note: input.note.clone(),
            created_at: now(),
            created_by: Some(ctx.actor.user_id),
        };
        agency_lineage::Entity::insert(event.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        let (status, successor) = input.outcome();
        let mut after = before.clone();
        after.status = status.as_str().into();
        after.successor_id = successor;
        if let Some(n) = &input.new_name_vi {
            after.name_vi = n.clone();
            after.name_fold = fold(&format!(
                "{} {}",
                n,
                after.abbreviation.as_deref().unwrap_or("")
            ));
        }
        if input.new_name_en.is_some() {
            after.name_en = input.new_name_en.clone();
        }
        after.version += 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        crate::counters::bump(&tx, crate::counters::AGENCIES).await?;
        let mut ch = change(&after, "lineage");
        ch.before = Some(snapshot(&before));
        ch.after = Some(serde_json::json!({ "agency": snapshot(&after), "event": event }));
        append(&tx, &ctx.into(), ch).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Agencies in the trash the actor may restore.
    pub async fn agency_trash(&self, ctx: &Ctx) -> Result<Vec<agency::Model>, StoreError> {
        let mut q = agency::Entity::find()
            .filter(agency::Column::DeletedAt.is_not_null())
            .filter(agency::Column::Classification.lte(rank(ctx.actor.clearance)));
        if let Some(ids) = ctx.actor.write.ids() {
            q = q.filter(agency::Column::Id.is_in(ids));
        }
        Ok(q.order_by_desc(agency::Column::DeletedAt)
            .limit(500)
            .all(&self.db)
            .await?)
    }

    /// Restore an earlier version from the record's history: the fields a user
    /// edits come back; lineage (status, successor) stays as events made it.
    pub async fn agency_restore_version(
        &self,
        ctx: &Ctx,
        id: Uuid,
        seq: i64,
        version: i32,
    ) -> Result<agency::Model, StoreError> {
        let entry = self.audit_entry(seq).await?.ok_or(StoreError::NotFound)?;
        if entry.entity_type != ENTITY
            || entry.entity_id.as_deref() != Some(id.to_string().as_str())
            || from_rank(entry.classification) > ctx.actor.clearance
        {
            return Err(StoreError::NotFound);
        }
        let snap: agency::Model = entry
            .after_json
            .as_deref()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .map(|v| v.get("agency").cloned().unwrap_or(v))
            .and_then(|v| serde_json::from_value::<agency::Model>(v).ok())
            .ok_or_else(|| {
                StoreError::Invalid(FieldErrors::single(
                    "seq",
                    Msg::new(
                        "Phiên bản này không khôi phục được.",
                        "This version cannot be restored.",
                    ),
                ))
            })?;
        // A version above the reader's clearance does not exist for them.
        if from_rank(snap.classification) > ctx.actor.clearance {
            return Err(StoreError::NotFound);
        }
        let form = AgencyForm {
            code: snap.code,
            name_vi: snap.name_vi,
            name_en: snap.name_en,
            abbreviation: snap.abbreviation,
            pillar: snap.pillar,
            also_pillar: snap.also_pillar,
            level: snap.level,
            parent_id: snap.parent_id.map(|p| p.to_string()),
            country_code: snap.country_code,
            province_code: snap.province_code,
            commune_code: snap.commune_code,
            classification: Some(from_rank(snap.classification).as_str().into()),
            secret_item: snap.secret_item_id.map(|i| i.to_string()),
        };
        self.agency_write(ctx, id, version, &form, "restore_version")
            .await
    }
}

/// The agency's province: a commune-level agency's is its commune's.
async fn province_of<C: ConnectionTrait>(
    db: &C,
    input: &AgencyInput,
) -> Result<Option<String>, StoreError> {
    Ok(match &input.commune_code {
        Some(c) => commune::Entity::find_by_id(c.clone())
            .one(db)
            .await?
            .map(|c| c.province_code),
        None => input.province_code.clone(),
    })
}

/// Write the row only if nobody changed it since `expected` (defence in depth:
/// the caller already compared versions inside the same write transaction).
async fn save_versioned<C: ConnectionTrait>(
    tx: &C,
    m: &agency::Model,
    expected: i32,
) -> Result<(), StoreError> {
    let res = agency::Entity::update_many()
        .set(m.clone().into_active_model().reset_all())
        .filter(agency::Column::Id.eq(m.id))
        .filter(agency::Column::Version.eq(expected))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict {
            current_version: expected,
            current: serde_json::Value::Null,
        });
    }
    Ok(())
}
