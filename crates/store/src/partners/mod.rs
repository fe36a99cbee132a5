//! Partners: the shared registry every pillar reads (within clearance), created
//! by anyone who records work and guarded against duplicates ("Han Quoc" is
//! "Hàn Quốc"), with each country's and organisation's framework history. Seeded
//! partners belong to the deployment and only administrators of everything edit them.

mod edit;
mod frameworks;
pub(crate) mod import;
mod levels;
mod merge;
pub(crate) mod names;
mod people;

pub use edit::PartnerEdit;
pub use frameworks::FrameworkForm;
pub use import::{ImportReport, Marking, PartnerRef, RowReport, RowStatus};
pub use levels::LEVEL_ENTITY;
pub use merge::MergeReport;
pub use people::{PersonRow, PositionView};

use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{
    agency, country, country_region, framework_level, partner, partner_framework, partner_mission,
    partner_name,
};
use crate::{Ctx, Page, Store, StoreError, now};
use kieng_domain::access::AgencySet;
use kieng_domain::partner::{
    FrameworkStep, PartialDate, PartnerForm, PartnerInput, PartnerKind, Precision,
    current_framework, name_key,
};
use kieng_domain::text::fold;
use kieng_domain::{Classification, FieldErrors};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub const ENTITY: &str = "partner";
pub const PER_PAGE: u64 = 50;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartnerFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    /// A UN M.49 continent or sub-region code ("142" Asia, "035" South-Eastern
    /// Asia): partners whose country is there.
    pub region: Option<String>,
    /// `name` (default), `level` (closest framework first), `since` (latest
    /// establishment or upgrade first) or `kind`.
    pub sort: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// A framework step with its level's names, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    #[serde(flatten)]
    pub step: partner_framework::Model,
    pub level_vi: String,
    pub level_en: String,
    /// "2016", "05/2008", "07/10/2024"; empty when undated.
    pub since: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerRow {
    #[serde(flatten)]
    pub partner: partner::Model,
    pub current: Option<FrameworkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    #[serde(flatten)]
    pub partner: partner::Model,
    pub country_name: Option<String>,
    pub aliases: Vec<String>,
    pub current: Option<FrameworkView>,
    /// Newest first.
    pub frameworks: Vec<FrameworkView>,
    pub missions: Vec<(crate::agencies::AgencyRef, bool)>,
    /// For a person: the positions held over time, now first.
    pub positions: Vec<PositionView>,
    /// For an organisation or country: people holding a position there now.
    pub contacts: Vec<PositionView>,
    pub can_edit: bool,
}

fn precision_of(s: &Option<String>) -> Precision {
    s.as_deref()
        .and_then(Precision::parse)
        .unwrap_or(Precision::Day)
}

fn view(
    step: partner_framework::Model,
    levels: &HashMap<String, framework_level::Model>,
) -> FrameworkView {
    let level = levels.get(&step.level_code);
    let since = step
        .since_date
        .map(|d| {
            PartialDate {
                date: d,
                precision: precision_of(&step.since_precision),
            }
            .display()
        })
        .unwrap_or_default();
    FrameworkView {
        level_vi: level
            .map(|l| l.name_vi.clone())
            .unwrap_or_else(|| step.level_code.clone()),
        level_en: level
            .map(|l| l.name_en.clone())
            .unwrap_or_else(|| step.level_code.clone()),
        since,
        step,
    }
}

/// The current step of each partner, by the domain rule (latest by date).
fn currents(steps: Vec<partner_framework::Model>) -> HashMap<Uuid, partner_framework::Model> {
    let mut by_partner: HashMap<Uuid, Vec<partner_framework::Model>> = HashMap::new();
    for s in steps {
        by_partner.entry(s.partner_id).or_default().push(s);
    }
    by_partner
        .into_iter()
        .filter_map(|(pid, list)| {
            let rule: Vec<FrameworkStep<usize>> = list
                .iter()
                .enumerate()
                .map(|(i, s)| FrameworkStep {
                    level: i,
                    since: s.since_date.map(|d| PartialDate {
                        date: d,
                        precision: precision_of(&s.since_precision),
                    }),
                    entered: s.created_at.timestamp_micros(),
                })
                .collect();
            let i = current_framework(&rule)?.level;
            Some((pid, list[i].clone()))
        })
        .collect()
}

fn snapshot(p: &partner::Model) -> serde_json::Value {
    serde_json::to_value(p).unwrap_or(serde_json::Value::Null)
}

impl Store {
    async fn levels(&self) -> Result<HashMap<String, framework_level::Model>, StoreError> {
        Ok(framework_level::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| (l.code.clone(), l))
            .collect())
    }

    pub async fn framework_levels(&self) -> Result<Vec<framework_level::Model>, StoreError> {
        Ok(framework_level::Entity::find()
            .order_by_desc(framework_level::Column::Rank)
            .all(&self.db)
            .await?)
    }

    /// Partners within the reader's clearance, filtered, in name order.
    pub async fn partner_list(
        &self,
        ctx: &Ctx,
        f: &PartnerFilter,
    ) -> Result<Page<PartnerRow>, StoreError> {
        let all = self.partner_rows(ctx, f).await?;
        let total = all.len() as u64;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let items = all
            .into_iter()
            .skip(((page - 1) * PER_PAGE) as usize)
            .take(PER_PAGE as usize)
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Every partner the filter selects, in the list's order (for exports).
    pub async fn partner_rows(
        &self,
        ctx: &Ctx,
        f: &PartnerFilter,
    ) -> Result<Vec<PartnerRow>, StoreError> {
        let mut q = partner::Entity::find()
            .filter(partner::Column::DeletedAt.is_null())
            .filter(partner::Column::MergedIntoId.is_null())
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)));
        let text = f.q.as_deref().map(fold).unwrap_or_default();
        if !text.is_empty() {
            q = q.filter(partner::Column::NameFold.contains(text.clone()));
        }
        if let Some(k) = f.kind.as_deref().and_then(PartnerKind::parse) {
            q = q.filter(partner::Column::Kind.eq(k.as_str()));
        }
        if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
            q = q.filter(
                partner::Column::CountryCode.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(country_region::Column::Alpha2)
                        .from(country_region::Entity)
                        .and_where(country_region::Column::Region.eq(r))
                        .to_owned(),
                ),
            );
        }
        let mut rows = q
            .order_by_asc(partner::Column::NameFold)
            .order_by_asc(partner::Column::Id)
            .all(&self.db)
            .await?;
        if !text.is_empty() {
            // Exact names first, then names that start with the query, then the rest.
            let upper = f.q.as_deref().unwrap_or("").trim().to_uppercase();
            rows.sort_by_key(|p| {
                let name = fold(&p.name_vi);
                if name == text || p.code.as_deref() == Some(upper.as_str()) {
                    0
                } else if name.starts_with(&text) {
                    1
                } else {
                    2
                }
            });
        }
        let levels = self.levels().await?;
        let mut current = currents(
            partner_framework::Entity::find()
                .filter(partner_framework::Column::DeletedAt.is_null())
                .all(&self.db)
                .await?,
        );
        let level = f.level.as_deref().filter(|l| !l.is_empty());
        let mut all: Vec<PartnerRow> = rows
            .into_iter()
            .map(|p| PartnerRow {
                current: current.remove(&p.id).map(|s| view(s, &levels)),
                partner: p,
            })
            .filter(|r| {
                level.is_none_or(|l| r.current.as_ref().is_some_and(|c| c.step.level_code == l))
            })
            .collect();
        // Stable sorts: within equal keys the name (or relevance) order stays.
        match f.sort.as_deref() {
            Some("level") => all.sort_by_key(|r| {
                std::cmp::Reverse(r.current.as_ref().map(|c| {
                    levels
                        .get(&c.step.level_code)
                        .map(|l| l.rank)
                        .unwrap_or(i32::MIN)
                }))
            }),
            Some("since") => all.sort_by_key(|r| {
                std::cmp::Reverse(r.current.as_ref().and_then(|c| c.step.since_date))
            }),
            Some("kind") => all.sort_by_key(|r| {
                PartnerKind::ALL
                    .iter()
                    .position(|k| k.as_str() == r.partner.kind)
            }),
            _ => {}
        }
        Ok(all)
    }

    /// The aliases of these partners (their own, not the registry's ISO codes).
    pub async fn partner_aliases(
        &self,
        ids: Vec<Uuid>,
    ) -> Result<HashMap<Uuid, Vec<String>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
        for chunk in ids.chunks(500) {
            for n in partner_name::Entity::find()
                .filter(partner_name::Column::PartnerId.is_in(chunk.to_vec()))
                .filter(partner_name::Column::Source.eq("alias"))
                .all(&self.db)
                .await?
            {
                out.entry(n.partner_id).or_default().push(n.name);
            }
        }
        Ok(out)
    }

    fn may_edit_partner(ctx: &Ctx, p: &partner::Model) -> bool {
        let class = from_rank(p.classification);
        if p.owner_agency_id.is_nil() {
            ctx.actor.is_admin()
                && ctx.actor.write == AgencySet::All
                && class <= ctx.actor.clearance
        } else {
            ctx.actor.can_write(p.owner_agency_id, class)
        }
    }

    /// Which of these partners the reader may not see. An edit keeps its
    /// record's links to them: they were not on the reader's form, so leaving
    /// them out of it means "unchanged", not "removed".
    pub(crate) async fn hidden_among<C: sea_orm::ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        ids: Vec<Uuid>,
    ) -> Result<Vec<Uuid>, StoreError> {
        if ids.is_empty() || ctx.actor.clearance == kieng_domain::Classification::TuyetMat {
            return Ok(Vec::new());
        }
        Ok(partner::Entity::find()
            .select_only()
            .column(partner::Column::Id)
            .filter(partner::Column::Id.is_in(ids))
            .filter(partner::Column::Classification.gt(rank(ctx.actor.clearance)))
            .into_tuple()
            .all(db)
            .await?)
    }

    /// Add back to an edit's partners the `linked` ones its writer may not see.
    pub(crate) async fn keep_hidden_links<C: sea_orm::ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        linked: Vec<Uuid>,
        partners: &mut Vec<Uuid>,
    ) -> Result<(), StoreError> {
        for p in Self::hidden_among(db, ctx, linked).await? {
            if !partners.contains(&p) {
                partners.push(p);
            }
        }
        Ok(())
    }

    /// The partner a list filter names, as this reader may use it. One they may
    /// not see filters like an id nothing links, so `?partner=` answers the same
    /// for a hidden partner as for an unknown one (lists, totals, calendars, feeds).
    pub(crate) async fn partner_filter(
        &self,
        ctx: &Ctx,
        partner: Option<Uuid>,
    ) -> Result<Option<Uuid>, StoreError> {
        let Some(p) = partner else {
            return Ok(None);
        };
        if ctx.actor.clearance == kieng_domain::Classification::TuyetMat {
            return Ok(Some(p));
        }
        // Kept per process at the partners' revision, which the database bumps
        // whenever a classification or deletion changes: a kept list page
        // answers without a round trip, and a reclassified partner is hidden
        // at once here and within `REV_TTL` through another server. The
        // revision is read first, so what is kept is never labelled newer
        // than it is.
        let rev = self
            .caches
            .partners_rev
            .current(|| crate::counters::value(&self.db, crate::counters::PARTNERS))
            .await?;
        let class = match self.caches.partner_class_get(rev, p) {
            Some(c) => c,
            None => {
                let c = partner::Entity::find_by_id(p)
                    .one(&self.db)
                    .await?
                    .filter(|m| m.deleted_at.is_none())
                    .map(|m| m.classification);
                self.caches.partner_class_put(rev, p, c);
                c
            }
        };
        let seen = class.is_some_and(|c| from_rank(c) <= ctx.actor.clearance);
        Ok(Some(if seen { p } else { Uuid::nil() }))
    }

    async fn visible_partner(&self, ctx: &Ctx, id: Uuid) -> Result<partner::Model, StoreError> {
        match partner::Entity::find_by_id(id).one(&self.db).await? {
            Some(p)
                if p.deleted_at.is_none() && from_rank(p.classification) <= ctx.actor.clearance =>
            {
                Ok(p)
            }
            _ => Err(StoreError::NotFound),
        }
    }

    /// The partner, if the reader may see it, without logging a read.
    pub async fn partner_get_quiet(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<partner::Model, StoreError> {
        self.visible_partner(ctx, id).await
    }

    /// The partner's dossier: names, framework history and current level, missions.
    pub async fn partner_get(&self, ctx: &Ctx, id: Uuid) -> Result<Dossier, StoreError> {
        let p = self.visible_partner(ctx, id).await?;
        if p.classification > 0 {
            let ch = Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(p.classification),
                ..Change::new(ENTITY, p.id, "read")
            };
            self.audit_alone(&ctx.into(), ch).await?;
        }
        let levels = self.levels().await?;
        let steps = partner_framework::Entity::find()
            .filter(partner_framework::Column::PartnerId.eq(id))
            .filter(partner_framework::Column::DeletedAt.is_null())
            .all(&self.db)
            .await?;
        let current = currents(steps.clone())
            .remove(&id)
            .map(|s| view(s, &levels));
        let mut frameworks: Vec<FrameworkView> =
            steps.into_iter().map(|s| view(s, &levels)).collect();
        frameworks.sort_by(|a, b| {
            (b.step.since_date, b.step.created_at).cmp(&(a.step.since_date, a.step.created_at))
        });
        let aliases = partner_name::Entity::find()
            .filter(partner_name::Column::PartnerId.eq(id))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|n| n.source == "alias" || n.source == "iso")
            .map(|n| n.name)
            .collect();
        let country_name = match &p.country_code {
            Some(c) => country::Entity::find_by_id(c.clone())
                .one(&self.db)
                .await?
                .map(|c| c.name_vi),
            None => None,
        };
        let mission_rows = partner_mission::Entity::find()
            .filter(partner_mission::Column::PartnerId.eq(id))
            .all(&self.db)
            .await?;
        let mut missions = Vec::new();
        for m in mission_rows {
            if let Some(a) = agency::Entity::find_by_id(m.agency_id)
                .one(&self.db)
                .await?
                && from_rank(a.classification) <= ctx.actor.clearance
            {
                missions.push((crate::agencies::AgencyRef::from(&a), m.resident));
            }
        }
        let can_edit = Self::may_edit_partner(ctx, &p);
        let (positions, contacts) = if p.kind == PartnerKind::Person.as_str() {
            (self.person_positions(ctx, id).await?, Vec::new())
        } else {
            (Vec::new(), self.partner_contacts(ctx, id).await?)
        };
        Ok(Dossier {
            positions,
            contacts,
            country_name,
            aliases,
            current,
            frameworks,
            missions,
            can_edit,
            partner: p,
        })
    }

    /// Live partners that answer to any of these names (case and diacritics ignored).
    pub async fn partner_duplicates(
        &self,
        ctx: &Ctx,
        names: &[String],
    ) -> Result<Vec<partner::Model>, StoreError> {
        let keys: Vec<String> = names
            .iter()
            .map(|n| name_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        if keys.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<Uuid> = partner_name::Entity::find()
            .filter(partner_name::Column::NameKey.is_in(keys))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| n.partner_id)
            .collect();
        Ok(partner::Entity::find()
            .filter(partner::Column::Id.is_in(ids))
            .filter(partner::Column::DeletedAt.is_null())
            .filter(partner::Column::MergedIntoId.is_null())
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .order_by_asc(partner::Column::NameFold)
            .all(&self.db)
            .await?)
    }

    /// Create a partner. If its name or an alias matches an existing partner the
    /// answer is `Duplicate` with the candidates, unless `allow_duplicate` says the
    /// user looked at them and this is another partner.
    pub async fn partner_create(
        &self,
        ctx: &Ctx,
        form: &PartnerForm,
        allow_duplicate: bool,
    ) -> Result<partner::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
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
        let input = match (PartnerInput::parse(form), e.is_empty()) {
            (Ok(i), true) => i,
            (Ok(_), false) => return Err(e.into()),
            (Err(mut fe), _) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        edit::check_country(&self.db, input.country_code.as_ref()).await?;
        let names = input.names();
        if !allow_duplicate {
            edit::duplicates_or_ok(self.partner_duplicates(ctx, &names).await?)?;
        }
        let tx = self.begin_write().await?;
        let m = insert_partner(&tx, ctx, input, classification, secret_item).await?;
        tx.commit().await?;
        Ok(m)
    }
}

/// Insert a validated new partner with its names, and audit it, inside `tx`.
pub(crate) async fn insert_partner(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    input: PartnerInput,
    classification: Classification,
    secret_item: Option<Uuid>,
) -> Result<partner::Model, StoreError> {
    let t = now();
    let id = Uuid::now_v7();
    let tagged = edit::tagged_names(&input);
    let m = partner::Model {
        id,
        kind: input.kind.as_str().into(),
        code: None,
        country_code: input.country_code,
        name_fold: tagged
            .iter()
            .map(|(n, _)| fold(n))
            .collect::<Vec<_>>()
            .join(" "),
        name_vi: input.name_vi,
        name_en: input.name_en,
        abbreviation: input.abbreviation,
        neighbour: input.neighbour,
        traditional_friend: input.traditional_friend,
        notes: input.notes,
        merged_into_id: None,
        owner_agency_id: ctx.actor.agency_id,
        classification: rank(classification),
        secret_item_id: secret_item,
        version: 1,
        created_at: t,
        created_by: Some(ctx.actor.user_id),
        updated_at: t,
        updated_by: Some(ctx.actor.user_id),
        deleted_at: None,
        deleted_by: None,
    };
    partner::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(tx)
        .await?;
    partner_name::Entity::insert_many(names::names_of(id, &tagged))
        .exec_without_returning(tx)
        .await?;
    let mut after = snapshot(&m);
    after["aliases"] = serde_json::json!(input.aliases);
    append(
        tx,
        &ctx.into(),
        Change {
            owner_agency_id: Some(m.owner_agency_id),
            classification,
            after: Some(after),
            ..Change::new(ENTITY, id, "create")
        },
    )
    .await?;
    Ok(m)
}
