//! Multilateral diplomacy: the mechanisms as a tree (reference, every
//! signed-in user), the roles held in them, candidacies (seen through the
//! agency leading the campaign) and the campaign board computed from the
//! pledges the reader may see (`kieng_domain::multilateral::board`).

mod meetings;
mod write;

use crate::entity::{
    agency, candidacy, commitment, country, country_region, mechanism, mechanism_role, pledge,
    region,
};
use crate::{COUNT_CAP, Ctx, Page, Store, StoreError};
use kieng_domain::multilateral::{Board, Electorate, PledgeFact, Status, Support, Voter, board};
use kieng_domain::partner::{PartialDate, Precision};
use kieng_domain::text::fold;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub use meetings::{
    ChronicleLine, ForumCommitment, MEETING_ENTITY, MechanismWork, Meeting, OUTCOME_ENTITY,
    OutcomeRow,
};
pub use write::{MechanismEdit, MoveForm};

pub const MECHANISM_ENTITY: &str = "mechanism";
pub const ROLE_ENTITY: &str = "mechanism_role";
pub const CANDIDACY_ENTITY: &str = "candidacy";
pub const PLEDGE_ENTITY: &str = "pledge";
pub const PER_PAGE: u64 = 50;

/// The M49 continents a board counts countries by.
pub const CONTINENTS: [&str; 5] = ["002", "019", "142", "150", "009"];

/// A stored partial date.
pub fn partial(on: Option<chrono::NaiveDate>, precision: Option<&str>) -> Option<PartialDate> {
    Some(PartialDate {
        date: on?,
        precision: precision
            .and_then(Precision::parse)
            .unwrap_or(Precision::Day),
    })
}

/// A mechanism in the tree.
#[derive(Debug, Clone, Serialize)]
pub struct MechanismNode {
    pub m: mechanism::Model,
    pub depth: usize,
    pub roles: u64,
}

impl MechanismNode {
    pub fn since(&self) -> Option<PartialDate> {
        partial(self.m.since_on, self.m.since_precision.as_deref())
    }
}

/// One mechanism's page.
#[derive(Debug, Clone, Serialize)]
pub struct MechanismView {
    pub m: mechanism::Model,
    pub parent: Option<mechanism::Model>,
    pub children: Vec<mechanism::Model>,
    pub partner_name: Option<String>,
    pub roles: Vec<mechanism_role::Model>,
    pub candidacies: Vec<CandidacyRow>,
    /// Its meetings, outcomes and commitments, its sub-bodies' with it.
    pub work: MechanismWork,
    /// The hosting roles' organising committees and programmes, by role;
    /// a programme only when the reader may see it.
    pub hosting: HashMap<Uuid, Hosting>,
}

/// A hosted event's organising structure and programme.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hosting {
    /// The national committee (an agency): its sub-committees are the
    /// agencies under it.
    pub agency: Option<(Uuid, String)>,
    pub plan: Option<(Uuid, String)>,
}

impl MechanismView {
    pub fn since(&self) -> Option<PartialDate> {
        partial(self.m.since_on, self.m.since_precision.as_deref())
    }
}

/// A role held, with its mechanism.
#[derive(Debug, Clone, Serialize)]
pub struct RoleRow {
    pub r: mechanism_role::Model,
    pub mechanism_code: String,
    pub mechanism_name: String,
}

impl RoleRow {
    pub fn starts(&self) -> String {
        partial(Some(self.r.starts_on), Some(&self.r.starts_precision))
            .map(|d| d.display())
            .unwrap_or_default()
    }
    pub fn ends(&self) -> String {
        partial(self.r.ends_on, self.r.ends_precision.as_deref())
            .map(|d| d.display())
            .unwrap_or_default()
    }
}

/// Filters of the roles-held list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoleFilter {
    pub kind: Option<String>,
    /// A mechanism's code.
    pub mechanism: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// A candidacy in a list.
#[derive(Debug, Clone, Serialize)]
pub struct CandidacyRow {
    pub c: candidacy::Model,
    pub mechanism_code: String,
    pub mechanism_name: String,
    pub agency_name: String,
    pub competitors: Vec<String>,
}

impl CandidacyRow {
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.c.status)
    }
}

/// Filters of the candidacy list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CandidacyFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    /// A mechanism's code.
    pub mechanism: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// A country's latest word on the board.
#[derive(Debug, Clone, Serialize)]
pub struct CountryLine {
    pub code: String,
    pub name: String,
    pub region: String,
    pub support: Option<Support>,
    pub given_on: Option<chrono::NaiveDate>,
    pub channel: Option<String>,
    /// Competitors this country's latest word to is firm or likely.
    pub also_to: Vec<String>,
}

/// A candidacy's page: its record and its board.
#[derive(Debug, Clone, Serialize)]
pub struct CandidacyView {
    pub row: CandidacyRow,
    pub board: Board,
    pub countries: Vec<CountryLine>,
    /// Region code → name.
    pub regions: Vec<(String, String)>,
    pub can_write: bool,
    pub moves: Vec<Status>,
}

/// A pledge with what its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PledgeRow {
    pub p: pledge::Model,
    pub country_name: String,
    /// The activity it was given at, if the reader may see it.
    pub activity: Option<(Uuid, String)>,
    /// The commitment Vietnam made in return, if the reader may see it.
    pub commitment: Option<(Uuid, String)>,
}

impl PledgeRow {
    pub fn support(&self) -> Option<Support> {
        Support::parse(&self.p.support)
    }
}

impl Store {
    /// Every mechanism still in use, as a tree: parents before children,
    /// siblings by Vietnamese name.
    pub async fn mechanism_tree(&self) -> Result<Vec<MechanismNode>, StoreError> {
        let all = mechanism::Entity::find()
            .filter(mechanism::Column::RetiredAt.is_null())
            .order_by_asc(mechanism::Column::NameVi)
            .all(&self.db)
            .await?;
        let roles: HashMap<Uuid, i64> = mechanism_role::Entity::find()
            .select_only()
            .column(mechanism_role::Column::MechanismId)
            .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "n")
            .filter(mechanism_role::Column::DeletedAt.is_null())
            .group_by(mechanism_role::Column::MechanismId)
            .into_tuple::<(Uuid, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let ids: std::collections::HashSet<Uuid> = all.iter().map(|m| m.id).collect();
        let mut children: HashMap<Option<Uuid>, Vec<&mechanism::Model>> = HashMap::new();
        for m in &all {
            // A parent retired or missing: shown as a root.
            let parent = m.parent_id.filter(|p| ids.contains(p));
            children.entry(parent).or_default().push(m);
        }
        let mut out = Vec::with_capacity(all.len());
        let mut stack: Vec<(&mechanism::Model, usize)> = children
            .get(&None)
            .map(|v| v.iter().rev().map(|m| (*m, 0)).collect())
            .unwrap_or_default();
        while let Some((m, depth)) = stack.pop() {
            out.push(MechanismNode {
                m: m.clone(),
                depth,
                roles: roles.get(&m.id).copied().unwrap_or(0).max(0) as u64,
            });
            if depth < 16
                && let Some(kids) = children.get(&Some(m.id))
            {
                stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
            }
        }
        Ok(out)
    }

    /// A mechanism by id or code.
    pub async fn mechanism_find(&self, key: &str) -> Result<mechanism::Model, StoreError> {
        let key = key.trim();
        let q = match key.parse::<Uuid>() {
            Ok(id) => mechanism::Entity::find_by_id(id),
            Err(_) => {
                mechanism::Entity::find().filter(mechanism::Column::Code.eq(key.to_uppercase()))
            }
        };
        q.one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    /// One mechanism's page: its place in the tree, roles, and the
    /// candidacies in it the reader may see.
    pub async fn mechanism_get(&self, ctx: &Ctx, id: Uuid) -> Result<MechanismView, StoreError> {
        let m = mechanism::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let parent = match m.parent_id {
            Some(p) => mechanism::Entity::find_by_id(p).one(&self.db).await?,
            None => None,
        };
        let children = mechanism::Entity::find()
            .filter(mechanism::Column::ParentId.eq(id))
            .filter(mechanism::Column::RetiredAt.is_null())
            .order_by_asc(mechanism::Column::NameVi)
            .all(&self.db)
            .await?;
        let partner_name = match self.partner_filter(ctx, m.partner_id).await? {
            Some(p) => self.partner_names(ctx, vec![p]).await?.remove(&p),
            None => None,
        };
        let roles = mechanism_role::Entity::find()
            .filter(mechanism_role::Column::MechanismId.eq(id))
            .filter(mechanism_role::Column::DeletedAt.is_null())
            .order_by_desc(mechanism_role::Column::StartsOn)
            .limit(500)
            .all(&self.db)
            .await?;
        let cands = candidacy::Entity::find()
            .filter(Self::candidacy_visible(ctx))
            .filter(candidacy::Column::MechanismId.eq(id))
            .order_by_desc(candidacy::Column::ElectionOn)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let candidacies = self.candidacy_rows(cands).await?;
        let work = self.mechanism_work(ctx, id).await?;
        let mut hosting = HashMap::new();
        let dir = self.directory().await?;
        for r in &roles {
            if r.agency_id.is_none() && r.plan_id.is_none() {
                continue;
            }
            let agency = r
                .agency_id
                .and_then(|a| dir.by_id.get(&a).and_then(|i| dir.rows.get(*i)))
                .filter(|a| crate::audit::from_rank(a.classification) <= ctx.actor.clearance)
                .map(|a| (a.id, a.name_vi.clone()));
            let plan = match r.plan_id {
                Some(p) => Self::visible_plan(&self.db, ctx, p)
                    .await
                    .ok()
                    .map(|p| (p.id, p.title)),
                None => None,
            };
            hosting.insert(r.id, Hosting { agency, plan });
        }
        Ok(MechanismView {
            m,
            parent,
            children,
            partner_name,
            roles,
            candidacies,
            work,
            hosting,
        })
    }

    /// The mechanisms linked to a partner record (its dossier).
    pub async fn mechanisms_of_partner(
        &self,
        partner: Uuid,
    ) -> Result<Vec<mechanism::Model>, StoreError> {
        Ok(mechanism::Entity::find()
            .filter(mechanism::Column::PartnerId.eq(partner))
            .filter(mechanism::Column::RetiredAt.is_null())
            .order_by_asc(mechanism::Column::NameVi)
            .all(&self.db)
            .await?)
    }

    /// Roles held, newest first.
    pub async fn role_list(&self, f: &RoleFilter) -> Result<Page<RoleRow>, StoreError> {
        let mut q =
            mechanism_role::Entity::find().filter(mechanism_role::Column::DeletedAt.is_null());
        if let Some(k) = f.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(mechanism_role::Column::Kind.eq(k));
        }
        if let Some(code) = f
            .mechanism
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // An unknown mechanism narrows the list to nothing.
            let m = self.mechanism_find(code).await.ok().map(|m| m.id);
            q = q.filter(mechanism_role::Column::MechanismId.eq(m.unwrap_or_else(Uuid::nil)));
        }
        let total = self
            .capped_count(q.clone(), mechanism_role::Column::Id)
            .await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(Ord::min(total, COUNT_CAP).div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_desc(mechanism_role::Column::StartsOn)
            .order_by_asc(mechanism_role::Column::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let names = self.mechanism_names().await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|r| {
                    let (code, name) = names.get(&r.mechanism_id).cloned().unwrap_or_default();
                    RoleRow {
                        r,
                        mechanism_code: code,
                        mechanism_name: name,
                    }
                })
                .collect(),
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Every mechanism's code and Vietnamese name, by id.
    async fn mechanism_names(&self) -> Result<HashMap<Uuid, (String, String)>, StoreError> {
        Ok(mechanism::Entity::find()
            .select_only()
            .column(mechanism::Column::Id)
            .column(mechanism::Column::Code)
            .column(mechanism::Column::NameVi)
            .into_tuple::<(Uuid, String, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, c, n)| (id, (c, n)))
            .collect())
    }

    async fn candidacy_rows(
        &self,
        rows: Vec<candidacy::Model>,
    ) -> Result<Vec<CandidacyRow>, StoreError> {
        let names = self.mechanism_names().await?;
        let dir = self.directory().await?;
        Ok(rows
            .into_iter()
            .map(|c| {
                let (code, name) = names.get(&c.mechanism_id).cloned().unwrap_or_default();
                CandidacyRow {
                    agency_name: dir
                        .by_id
                        .get(&c.owner_agency_id)
                        .and_then(|i| dir.rows.get(*i))
                        .map(|a: &agency::Model| a.name_vi.clone())
                        .unwrap_or_default(),
                    competitors: serde_json::from_str(&c.competitors).unwrap_or_default(),
                    mechanism_code: code,
                    mechanism_name: name,
                    c,
                }
            })
            .collect())
    }

    /// The candidacies the reader may see, the next election first.
    pub async fn candidacy_list(
        &self,
        ctx: &Ctx,
        f: &CandidacyFilter,
    ) -> Result<Page<CandidacyRow>, StoreError> {
        let mut q = candidacy::Entity::find().filter(Self::candidacy_visible(ctx));
        if let Some(s) = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = match s {
                "open" => q.filter(
                    candidacy::Column::Status.is_in(
                        Status::ALL
                            .iter()
                            .filter(|s| !s.is_final())
                            .map(|s| s.as_str()),
                    ),
                ),
                s => q.filter(candidacy::Column::Status.eq(s)),
            };
        }
        if let Some(code) = f
            .mechanism
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // An unknown mechanism narrows the list to nothing.
            let m = self.mechanism_find(code).await.ok().map(|m| m.id);
            q = q.filter(candidacy::Column::MechanismId.eq(m.unwrap_or_else(Uuid::nil)));
        }
        if let Some(t) = f.q.as_deref().map(fold).filter(|s| !s.is_empty()) {
            let t: String = t.chars().take(100).collect();
            q = q.filter(candidacy::Column::PostFold.contains(&t));
        }
        let total = self.capped_count(q.clone(), candidacy::Column::Id).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(Ord::min(total, COUNT_CAP).div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_desc(candidacy::Column::ElectionOn)
            .order_by_desc(candidacy::Column::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: self.candidacy_rows(rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Every candidacy the list shows as filtered, for its spreadsheet.
    pub async fn candidacy_export_rows(
        &self,
        ctx: &Ctx,
        f: &CandidacyFilter,
    ) -> Result<Vec<CandidacyRow>, StoreError> {
        crate::all_pages(PER_PAGE, |n| {
            let f = CandidacyFilter {
                page: Some(n),
                ..f.clone()
            };
            async move { self.candidacy_list(ctx, &f).await }
        })
        .await
    }

    /// Every role held the list shows as filtered, for its spreadsheet.
    pub async fn role_export_rows(&self, f: &RoleFilter) -> Result<Vec<RoleRow>, StoreError> {
        crate::all_pages(PER_PAGE, |n| {
            let f = RoleFilter {
                page: Some(n),
                ..f.clone()
            };
            async move { self.role_list(&f).await }
        })
        .await
    }

    /// The open candidacies the reader sees with an election in the next
    /// `days` days, the soonest first (the home page).
    pub async fn elections_ahead(
        &self,
        ctx: &Ctx,
        days: i64,
    ) -> Result<Vec<CandidacyRow>, StoreError> {
        let today = crate::today();
        let rows = candidacy::Entity::find()
            .filter(Self::candidacy_visible(ctx))
            .filter(
                candidacy::Column::Status.is_in(
                    Status::ALL
                        .iter()
                        .filter(|s| !s.is_final())
                        .map(|s| s.as_str()),
                ),
            )
            .filter(candidacy::Column::ElectionOn.gte(today))
            .filter(candidacy::Column::ElectionOn.lte(today + chrono::Duration::days(days)))
            .order_by_asc(candidacy::Column::ElectionOn)
            .limit(10)
            .all(&self.db)
            .await?;
        self.candidacy_rows(rows).await
    }

    /// An agency's multilateral work (its page): the candidacies it leads
    /// that the reader sees, the next election first, and the hosted events
    /// it organises.
    pub async fn multilateral_of_agency(
        &self,
        ctx: &Ctx,
        agency: Uuid,
    ) -> Result<(Vec<CandidacyRow>, Vec<RoleRow>), StoreError> {
        let cands = candidacy::Entity::find()
            .filter(Self::candidacy_visible(ctx))
            .filter(candidacy::Column::OwnerAgencyId.eq(agency))
            .order_by_desc(candidacy::Column::ElectionOn)
            .limit(20)
            .all(&self.db)
            .await?;
        let roles = mechanism_role::Entity::find()
            .filter(mechanism_role::Column::DeletedAt.is_null())
            .filter(mechanism_role::Column::AgencyId.eq(agency))
            .order_by_desc(mechanism_role::Column::StartsOn)
            .limit(20)
            .all(&self.db)
            .await?;
        let names = self.mechanism_names().await?;
        let roles = roles
            .into_iter()
            .map(|r| {
                let (code, name) = names.get(&r.mechanism_id).cloned().unwrap_or_default();
                RoleRow {
                    r,
                    mechanism_code: code,
                    mechanism_name: name,
                }
            })
            .collect();
        Ok((self.candidacy_rows(cands).await?, roles))
    }

    /// The UN's members with the continent each is counted in.
    async fn un_voters(&self) -> Result<Vec<Voter>, StoreError> {
        let members: Vec<String> = country::Entity::find()
            .select_only()
            .column(country::Column::Alpha2)
            .filter(country::Column::UnAdmitted.is_not_null())
            .order_by_asc(country::Column::Alpha2)
            .into_tuple()
            .all(&self.db)
            .await?;
        let continent: HashMap<String, String> = country_region::Entity::find()
            .filter(country_region::Column::Region.is_in(CONTINENTS))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.alpha2, r.region))
            .collect();
        Ok(members
            .into_iter()
            .map(|c| Voter {
                region: continent.get(&c).cloned().unwrap_or_default(),
                country: c,
            })
            .collect())
    }

    /// One candidacy with its board, from the pledges the reader may see.
    pub async fn candidacy_get(&self, ctx: &Ctx, id: Uuid) -> Result<CandidacyView, StoreError> {
        let c = Self::visible_candidacy(&self.db, ctx, id).await?;
        let pledges = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::CountryCode)
            .column(pledge::Column::Support)
            .column(pledge::Column::GivenOn)
            .column(pledge::Column::CreatedAt)
            .column(pledge::Column::Competitor)
            .column(pledge::Column::Channel)
            .filter(Self::pledges_of_seen(ctx, c.id))
            .into_tuple::<(
                String,
                String,
                chrono::NaiveDate,
                chrono::DateTime<chrono::Utc>,
                String,
                Option<String>,
            )>()
            .all(&self.db)
            .await?;
        let voters = if c.electorate == Electorate::Un.as_str() {
            self.un_voters().await?
        } else {
            Vec::new()
        };
        let row = self
            .candidacy_rows(vec![c])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        let facts: Vec<PledgeFact> = pledges
            .iter()
            .filter_map(|(country, support, on, at, competitor, _)| {
                Some(PledgeFact {
                    country: country.clone(),
                    support: Support::parse(support)?,
                    given_on: *on,
                    entered: at.timestamp_micros(),
                    competitor: Some(competitor.clone()).filter(|c| !c.is_empty()),
                })
            })
            .collect();
        let b = board(
            &voters,
            row.c.electorate_size.max(0) as u64,
            row.c.votes_needed.max(0) as u64,
            &row.competitors,
            &facts,
        );
        // Each country's latest word to us: its date and channel.
        let mut last: HashMap<&str, (chrono::NaiveDate, i64, Option<&String>)> = HashMap::new();
        for (country, _, on, at, competitor, channel) in &pledges {
            if !competitor.is_empty() {
                continue;
            }
            let k = (*on, at.timestamp_micros());
            if last
                .get(country.as_str())
                .is_none_or(|(d, e, _)| (*d, *e) < k)
            {
                last.insert(country, (k.0, k.1, channel.as_ref()));
            }
        }
        let names: HashMap<String, String> = country::Entity::find()
            .select_only()
            .column(country::Column::Alpha2)
            .column(country::Column::NameVi)
            .into_tuple::<(String, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let support_of: HashMap<&str, Support> =
            b.latest.iter().map(|(c, s)| (c.as_str(), *s)).collect();
        let region_of: HashMap<&str, &str> = voters
            .iter()
            .map(|v| (v.country.as_str(), v.region.as_str()))
            .collect();
        // The competitors each country's latest word is firm or likely to.
        let mut theirs: HashMap<&str, Vec<String>> = HashMap::new();
        {
            let mut latest: HashMap<(&str, &str), (chrono::NaiveDate, i64, &str)> = HashMap::new();
            for (country, support, on, at, competitor, _) in &pledges {
                if competitor.is_empty() {
                    continue;
                }
                let k = (*on, at.timestamp_micros());
                let key = (competitor.as_str(), country.as_str());
                if latest.get(&key).is_none_or(|(d, e, _)| (*d, *e) < k) {
                    latest.insert(key, (k.0, k.1, support.as_str()));
                }
            }
            for ((competitor, country), (_, _, s)) in latest {
                if Support::parse(s).is_some_and(|s| s.certainty().pledged()) {
                    theirs
                        .entry(country)
                        .or_default()
                        .push(competitor.to_string());
                }
            }
        }
        let mut codes: Vec<&str> = if voters.is_empty() {
            let mut v: Vec<&str> = support_of.keys().copied().collect();
            v.extend(theirs.keys().copied());
            v.sort();
            v.dedup();
            v
        } else {
            voters.iter().map(|v| v.country.as_str()).collect()
        };
        codes.sort_by_key(|c| fold(names.get(*c).map(String::as_str).unwrap_or(c)));
        let countries = codes
            .into_iter()
            .map(|code| {
                let l = last.get(code);
                let mut also = theirs.get(code).cloned().unwrap_or_default();
                also.sort();
                CountryLine {
                    code: code.to_string(),
                    name: names.get(code).cloned().unwrap_or_else(|| code.to_string()),
                    region: region_of
                        .get(code)
                        .map(|r| r.to_string())
                        .unwrap_or_default(),
                    support: support_of.get(code).copied(),
                    given_on: l.map(|l| l.0),
                    channel: l.and_then(|l| l.2.cloned()),
                    also_to: also,
                }
            })
            .collect();
        let regions = region::Entity::find()
            .filter(region::Column::Code.is_in(CONTINENTS))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name_vi))
            .collect();
        let status = Status::parse(&row.c.status).unwrap_or(Status::Considered);
        let can_write = self.candidacy_may_write(ctx, &row.c);
        Ok(CandidacyView {
            moves: if can_write {
                status.moves()
            } else {
                Vec::new()
            },
            row,
            board: b,
            countries,
            regions,
            can_write,
        })
    }

    /// The open candidacies the reader may record a pledge on, the next
    /// election first (an activity's page offers them).
    pub async fn candidacies_to_record(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Ok(Vec::new());
        }
        let rows = candidacy::Entity::find()
            .filter(Self::candidacy_visible(ctx))
            .filter(
                candidacy::Column::Status.is_in(
                    Status::ALL
                        .iter()
                        .filter(|s| !s.is_final())
                        .map(|s| s.as_str()),
                ),
            )
            .order_by_asc(candidacy::Column::ElectionOn)
            .limit(20)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|c| self.candidacy_may_write(ctx, c))
            .map(|c| (c.id, c.post))
            .collect())
    }

    /// May the reader record on this candidacy: a writer of the agency
    /// leading the campaign.
    pub(crate) fn candidacy_may_write(&self, ctx: &Ctx, c: &candidacy::Model) -> bool {
        ctx.actor.role != kieng_domain::Role::Viewer
            && ctx
                .actor
                .can_write(c.owner_agency_id, crate::audit::from_rank(c.classification))
    }

    /// A candidacy's pledges the reader may see, newest first; one
    /// country's when named.
    pub async fn pledge_list(
        &self,
        ctx: &Ctx,
        candidacy: Uuid,
        country: Option<&str>,
    ) -> Result<Vec<PledgeRow>, StoreError> {
        let c = Self::visible_candidacy(&self.db, ctx, candidacy).await?;
        let mut q = pledge::Entity::find().filter(Self::pledges_of_seen(ctx, c.id));
        if let Some(code) = country.map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(pledge::Column::CountryCode.eq(code.to_uppercase()));
        }
        let rows = q
            .order_by_desc(pledge::Column::GivenOn)
            .order_by_desc(pledge::Column::CreatedAt)
            .limit(2_000)
            .all(&self.db)
            .await?;
        self.pledge_rows(ctx, rows).await
    }

    /// The pledges a country gave that the reader may see (its dossier).
    pub async fn pledges_of_country(
        &self,
        ctx: &Ctx,
        code: &str,
    ) -> Result<Vec<(PledgeRow, String)>, StoreError> {
        let rows = pledge::Entity::find()
            .filter(Self::pledge_visible(ctx))
            .filter(pledge::Column::CountryCode.eq(code.to_uppercase()))
            .order_by_desc(pledge::Column::GivenOn)
            .limit(200)
            .all(&self.db)
            .await?;
        let posts: HashMap<Uuid, String> = {
            let ids: Vec<Uuid> = rows.iter().map(|p| p.candidacy_id).collect();
            if ids.is_empty() {
                HashMap::new()
            } else {
                candidacy::Entity::find()
                    .select_only()
                    .column(candidacy::Column::Id)
                    .column(candidacy::Column::Post)
                    .filter(candidacy::Column::Id.is_in(ids))
                    .into_tuple::<(Uuid, String)>()
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .collect()
            }
        };
        Ok(self
            .pledge_rows(ctx, rows)
            .await?
            .into_iter()
            .map(|r| {
                let post = posts.get(&r.p.candidacy_id).cloned().unwrap_or_default();
                (r, post)
            })
            .collect())
    }

    async fn pledge_rows(
        &self,
        ctx: &Ctx,
        rows: Vec<pledge::Model>,
    ) -> Result<Vec<PledgeRow>, StoreError> {
        let names: HashMap<String, String> = country::Entity::find()
            .select_only()
            .column(country::Column::Alpha2)
            .column(country::Column::NameVi)
            .into_tuple::<(String, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
        // The commitments made in return, within the reader's sight.
        let commitments: HashMap<Uuid, (Uuid, String)> = if ids.is_empty() {
            HashMap::new()
        } else {
            commitment::Entity::find()
                .filter(Self::commitment_visible(ctx))
                .filter(commitment::Column::PledgeId.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .filter_map(|c| Some((c.pledge_id?, (c.id, c.title))))
                .collect()
        };
        let mut out = Vec::with_capacity(rows.len());
        for p in rows {
            let activity = match p.activity_id {
                Some(a) => Self::visible_activity(&self.db, ctx, a)
                    .await
                    .ok()
                    .map(|a| (a.id, a.title)),
                None => None,
            };
            out.push(PledgeRow {
                country_name: names
                    .get(&p.country_code)
                    .cloned()
                    .unwrap_or_else(|| p.country_code.clone()),
                activity,
                commitment: commitments.get(&p.id).cloned(),
                p,
            });
        }
        Ok(out)
    }
}
