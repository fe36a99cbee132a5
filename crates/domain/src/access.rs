//! Who may see and change what: roles, scopes, clearance, and the agency graph
//! that turns a user's scope into the set of agencies whose records they reach.
//!
//! The rules, in one place:
//! - A record is *visible* when its classification is within the user's clearance
//!   and its owning agency is in the user's read scope. Invisible records answer
//!   404, never 403, so their existence does not leak.
//! - A visible record is *writable* by an admin, leader or coordinator whose scope
//!   covers the owner, and by an officer whose own agency (with its sub-units and
//!   predecessors) owns it. Viewers never write.
//! - Predecessors roll up: an agency merged into (or dissolved in favour of) another
//!   brings its records into the successor's scope, so no record is orphaned.

use crate::agency::Pillar;
use crate::classification::Classification;
use crate::error::Msg;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Leader,
    Coordinator,
    Officer,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Leader,
        Self::Coordinator,
        Self::Officer,
        Self::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Leader => "leader",
            Self::Coordinator => "coordinator",
            Self::Officer => "officer",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Admin => Msg::new("Quản trị viên", "Administrator"),
            Self::Leader => Msg::new("Lãnh đạo", "Leader"),
            Self::Coordinator => Msg::new("Điều phối viên", "Coordinator"),
            Self::Officer => Msg::new("Chuyên viên", "Officer"),
            Self::Viewer => Msg::new("Người xem", "Viewer"),
        }
    }
}

/// How far a user's reading (and, for senior roles, writing) reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The user's agency, its sub-units and their predecessors.
    Agency,
    /// Every agency of the user's pillar.
    Pillar,
    /// Every agency.
    All,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Self::Agency, Self::Pillar, Self::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agency => "agency",
            Self::Pillar => "pillar",
            Self::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Agency => Msg::new("Cơ quan mình", "Own agency"),
            Self::Pillar => Msg::new("Cả trụ cột", "Whole pillar"),
            Self::All => Msg::new("Toàn hệ thống", "Everything"),
        }
    }
}

/// One agency as the access rules need it.
#[derive(Debug, Clone)]
pub struct AgencyNode {
    pub parent: Option<Uuid>,
    pub successor: Option<Uuid>,
    pub pillar: Pillar,
    /// A second pillar it also serves.
    pub also: Option<Pillar>,
}

impl AgencyNode {
    /// Does the agency carry out work of `p`?
    pub fn serves(&self, p: Pillar) -> bool {
        self.pillar == p || self.also == Some(p)
    }
}

/// The agency tree and its lineage, loaded once and shared until an agency changes.
#[derive(Debug, Clone, Default)]
pub struct AgencyGraph {
    nodes: HashMap<Uuid, AgencyNode>,
    children: HashMap<Uuid, Vec<Uuid>>,
    predecessors: HashMap<Uuid, Vec<Uuid>>,
}

impl AgencyGraph {
    pub fn new(nodes: impl IntoIterator<Item = (Uuid, AgencyNode)>) -> Self {
        let nodes: HashMap<Uuid, AgencyNode> = nodes.into_iter().collect();
        let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let mut predecessors: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (id, n) in &nodes {
            if let Some(p) = n.parent {
                children.entry(p).or_default().push(*id);
            }
            if let Some(s) = n.successor {
                predecessors.entry(s).or_default().push(*id);
            }
        }
        Self {
            nodes,
            children,
            predecessors,
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn pillar(&self, id: Uuid) -> Option<Pillar> {
        self.nodes.get(&id).map(|n| n.pillar)
    }

    /// The given agencies with every sub-unit and predecessor, transitively.
    pub fn closure(&self, roots: impl IntoIterator<Item = Uuid>) -> HashSet<Uuid> {
        let mut seen = HashSet::new();
        let mut stack: Vec<Uuid> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            stack.extend(self.children.get(&id).into_iter().flatten().copied());
            stack.extend(self.predecessors.get(&id).into_iter().flatten().copied());
        }
        seen
    }

    /// Every agency serving `p`, with its sub-units and predecessors.
    pub fn serving(&self, p: Pillar) -> HashSet<Uuid> {
        self.closure(
            self.nodes
                .iter()
                .filter(|(_, n)| n.serves(p))
                .map(|(id, _)| *id),
        )
    }

    /// Is `ancestor` the agency itself or above it in the tree? Used to refuse cycles.
    pub fn is_ancestor_or_self(&self, ancestor: Uuid, mut id: Uuid) -> bool {
        let mut steps = 0;
        loop {
            if id == ancestor {
                return true;
            }
            match self.nodes.get(&id).and_then(|n| n.parent) {
                Some(p) if steps < self.nodes.len() => {
                    id = p;
                    steps += 1;
                }
                _ => return false,
            }
        }
    }

    /// The agency a record of `id` is shown under today: follow successors to the end.
    pub fn current_successor(&self, mut id: Uuid) -> Uuid {
        let mut steps = 0;
        while let Some(next) = self.nodes.get(&id).and_then(|n| n.successor) {
            if steps > self.nodes.len() {
                break;
            }
            id = next;
            steps += 1;
        }
        id
    }
}

/// A set of agencies, or every agency. Shared (`Arc`): a pillar's scope holds
/// thousands of ids and an actor is cloned along every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgencySet {
    All,
    Only(std::sync::Arc<HashSet<Uuid>>),
}

impl AgencySet {
    pub fn contains(&self, id: Uuid) -> bool {
        match self {
            Self::All => true,
            Self::Only(s) => s.contains(&id),
        }
    }

    /// The ids for a SQL `IN (…)` filter, `None` meaning no filter at all.
    pub fn ids(&self) -> Option<Vec<Uuid>> {
        match self {
            Self::All => None,
            Self::Only(s) => {
                let mut v: Vec<Uuid> = s.iter().copied().collect();
                v.sort();
                Some(v)
            }
        }
    }
}

/// What the visibility rule reads of a record.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The agency owning it (an activity's lead agency).
    pub owner: Uuid,
    /// The other agencies whose readers see it: an activity's or agreement's
    /// participating agencies; for a commitment, the owner of the record it
    /// came from.
    pub through: &'a [Uuid],
    pub classification: Classification,
    pub deleted: bool,
}

/// The signed-in user as every rule sees them, with their scope already resolved.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub agency_id: Uuid,
    pub role: Role,
    pub scope: Scope,
    pub clearance: Classification,
    /// Agencies whose records the user may read.
    pub read: AgencySet,
    /// Agencies whose records the user may change.
    pub write: AgencySet,
}

impl Actor {
    pub fn resolve(
        user_id: Uuid,
        username: String,
        agency_id: Uuid,
        role: Role,
        scope: Scope,
        clearance: Classification,
        graph: &AgencyGraph,
    ) -> Self {
        let read = match scope {
            Scope::All => AgencySet::All,
            Scope::Agency => AgencySet::Only(graph.closure([agency_id]).into()),
            // Every agency serving a pillar the user's agency serves: an agency
            // serving two pillars reads both, and is read from both.
            Scope::Pillar => {
                let own = graph.nodes.get(&agency_id);
                let roots = graph
                    .nodes
                    .iter()
                    .filter(|(_, n)| {
                        own.is_some_and(|o| {
                            n.serves(o.pillar) || o.also.is_some_and(|p| n.serves(p))
                        })
                    })
                    .map(|(id, _)| *id)
                    .chain([agency_id]);
                AgencySet::Only(graph.closure(roots).into())
            }
        };
        let write = match role {
            Role::Viewer => AgencySet::Only(HashSet::new().into()),
            Role::Officer => AgencySet::Only(graph.closure([agency_id]).into()),
            Role::Admin | Role::Leader | Role::Coordinator => read.clone(),
        };
        Self {
            user_id,
            username,
            agency_id,
            role,
            scope,
            clearance,
            read,
            write,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The same reader seeing less: reading only `within` of what they read,
    /// and nothing above `ceiling` (a report's scope and classification).
    /// Writing nothing: a narrowed actor only reads.
    pub fn narrowed(&self, within: &AgencySet, ceiling: Classification) -> Self {
        let read = match (&self.read, within) {
            (AgencySet::All, w) => w.clone(),
            (r, AgencySet::All) => r.clone(),
            (AgencySet::Only(a), AgencySet::Only(b)) => {
                AgencySet::Only(std::sync::Arc::new(a.intersection(b).copied().collect()))
            }
        };
        Self {
            read,
            write: AgencySet::Only(HashSet::new().into()),
            clearance: self.clearance.min(ceiling),
            ..self.clone()
        }
    }

    /// May the user see a record owned by `owner` at `classification`?
    pub fn can_see(&self, owner: Uuid, classification: Classification) -> bool {
        classification <= self.clearance && self.read.contains(owner)
    }

    /// The visibility rule, for every kind of record: it exists for this reader
    /// when it is not deleted, its classification is within the reader's
    /// clearance, and its owner or an agency it is seen through is in the
    /// reader's read scope. Every SQL shape of the rule (`store::visibility`)
    /// answers as this does; the property test holds them to it.
    pub fn sees(&self, r: &Seen<'_>) -> bool {
        !r.deleted
            && r.classification <= self.clearance
            && (self.read.contains(r.owner) || r.through.iter().any(|a| self.read.contains(*a)))
    }

    /// May the user change a record owned by `owner` at `classification`?
    pub fn can_write(&self, owner: Uuid, classification: Classification) -> bool {
        self.can_see(owner, classification) && self.write.contains(owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> (AgencyGraph, [Uuid; 6]) {
        // ministry ─ dept ; province ; old (merged into province) ─ old_child ; party
        let ids = [(); 6].map(|_| Uuid::new_v4());
        let [ministry, dept, province, old, old_child, party] = ids;
        let node = |parent, successor, pillar| AgencyNode {
            parent,
            successor,
            pillar,
            also: None,
        };
        let g = AgencyGraph::new([
            (ministry, node(None, None, Pillar::State)),
            (dept, node(Some(ministry), None, Pillar::State)),
            (province, node(None, None, Pillar::State)),
            (old, node(None, Some(province), Pillar::State)),
            (old_child, node(Some(old), None, Pillar::State)),
            (party, node(None, None, Pillar::Party)),
        ]);
        (g, ids)
    }

    fn actor(
        g: &AgencyGraph,
        agency: Uuid,
        role: Role,
        scope: Scope,
        clearance: Classification,
    ) -> Actor {
        Actor::resolve(
            Uuid::new_v4(),
            "u".into(),
            agency,
            role,
            scope,
            clearance,
            g,
        )
    }

    #[test]
    fn agency_scope_reaches_subunits_and_predecessors() {
        let (g, [ministry, dept, province, old, old_child, party]) = graph();
        let a = actor(
            &g,
            province,
            Role::Officer,
            Scope::Agency,
            Classification::None,
        );
        assert!(a.can_see(old, Classification::None));
        assert!(a.can_see(old_child, Classification::None));
        assert!(a.can_write(old_child, Classification::None));
        assert!(!a.can_see(ministry, Classification::None));
        let m = actor(
            &g,
            ministry,
            Role::Viewer,
            Scope::Agency,
            Classification::None,
        );
        assert!(m.can_see(dept, Classification::None));
        assert!(!m.can_write(dept, Classification::None));
        assert!(!m.can_see(party, Classification::None));
    }

    #[test]
    fn a_narrowed_reader_sees_the_intersection_below_the_ceiling() {
        let (g, [ministry, dept, province, old, _, party]) = graph();
        let all = actor(
            &g,
            ministry,
            Role::Leader,
            Scope::All,
            Classification::ToiMat,
        );
        let n = all.narrowed(
            &AgencySet::Only(g.closure([province]).into()),
            Classification::Mat,
        );
        assert!(n.can_see(old, Classification::Mat));
        assert!(!n.can_see(old, Classification::ToiMat));
        assert!(!n.can_see(ministry, Classification::None));
        assert!(!n.can_write(province, Classification::None));
        // Narrowing never widens: a reader of one agency stays within it.
        let one = actor(&g, dept, Role::Officer, Scope::Agency, Classification::None);
        let n = one.narrowed(&AgencySet::All, Classification::TuyetMat);
        assert!(n.can_see(dept, Classification::None));
        assert!(!n.can_see(dept, Classification::Mat));
        assert!(!n.can_see(party, Classification::None));
        assert_eq!(g.serving(Pillar::Party), [party].into());
    }

    #[test]
    fn pillar_scope_and_officer_writes_only_own_agency() {
        let (g, [ministry, dept, province, _, _, party]) = graph();
        let o = actor(&g, dept, Role::Officer, Scope::Pillar, Classification::Mat);
        assert!(o.can_see(province, Classification::Mat));
        assert!(!o.can_write(province, Classification::None));
        assert!(o.can_write(dept, Classification::None));
        assert!(!o.can_see(party, Classification::None));
        let c = actor(
            &g,
            dept,
            Role::Coordinator,
            Scope::Pillar,
            Classification::Mat,
        );
        assert!(c.can_write(ministry, Classification::None));
    }

    #[test]
    fn an_agency_serving_two_pillars_reads_and_is_read_from_both() {
        let (ministry, party, people, state) = (
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        );
        let n = |pillar, also| AgencyNode {
            parent: None,
            successor: None,
            pillar,
            also,
        };
        let g = AgencyGraph::new([
            (ministry, n(Pillar::State, Some(Pillar::Party))),
            (party, n(Pillar::Party, None)),
            (people, n(Pillar::People, None)),
            (state, n(Pillar::State, None)),
        ]);
        let at = |agency| {
            actor(
                &g,
                agency,
                Role::Viewer,
                Scope::Pillar,
                Classification::None,
            )
        };
        let m = at(ministry);
        assert!(m.can_see(party, Classification::None), "its second pillar");
        assert!(m.can_see(state, Classification::None), "its own pillar");
        assert!(!m.can_see(people, Classification::None));
        let p = at(party);
        assert!(
            p.can_see(ministry, Classification::None),
            "read from the second pillar"
        );
        assert!(
            !p.can_see(state, Classification::None),
            "not the ministry's other pillar"
        );
        assert!(!at(people).can_see(ministry, Classification::None));
    }

    #[test]
    fn clearance_hides_records_above_it_even_for_admins() {
        let (g, [ministry, ..]) = graph();
        let a = actor(&g, ministry, Role::Admin, Scope::All, Classification::Mat);
        assert!(a.can_see(ministry, Classification::Mat));
        assert!(!a.can_see(ministry, Classification::ToiMat));
        assert!(!a.can_write(ministry, Classification::TuyetMat));
    }

    #[test]
    fn successor_chain_and_cycles() {
        let (g, [ministry, dept, province, old, ..]) = graph();
        assert_eq!(g.current_successor(old), province);
        assert_eq!(g.current_successor(ministry), ministry);
        assert!(g.is_ancestor_or_self(ministry, dept));
        assert!(!g.is_ancestor_or_self(dept, ministry));
    }

    #[test]
    fn a_record_is_seen_through_its_owner_or_a_participant_within_clearance() {
        let (g, ids) = graph();
        let officer = Actor::resolve(
            Uuid::new_v4(),
            "o".into(),
            ids[1],
            Role::Officer,
            Scope::Agency,
            Classification::Mat,
            &g,
        );
        let other = ids[5];
        let seen = |owner, through: &[Uuid], classification, deleted| {
            officer.sees(&Seen {
                owner,
                through,
                classification,
                deleted,
            })
        };
        assert!(seen(ids[1], &[], Classification::None, false), "own");
        assert!(
            seen(other, &[ids[1]], Classification::Mat, false),
            "taking part"
        );
        assert!(
            !seen(other, &[], Classification::None, false),
            "outside scope"
        );
        assert!(
            !seen(ids[1], &[], Classification::ToiMat, false),
            "above clearance"
        );
        assert!(!seen(ids[1], &[], Classification::None, true), "deleted");
        assert!(!seen(other, &[other], Classification::None, false));
    }
}
