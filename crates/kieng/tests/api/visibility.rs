//! The visibility rule's every shape against the domain's predicate: random
//! sequences of writes (activities: create, edit, change lead, share with
//! agencies, trash, restore; agreements: create, change owner and sharing;
//! commitments from either; a partner reclassified, two merged; review reports
//! issued by any agency; plans issued by any agency and their tasks led and
//! coordinated by any; candidacies led by any agency, their pledges and a
//! mechanism's outcomes recorded for any), and after each
//! step — once the search index holds every change —
//! for readers of narrow and wide scope at each clearance, every list, total,
//! partner's list, tally, calendar span, search total and hit, board count and
//! by-id answer compared with `Actor::sees` over a model of what was written.
//!
//! A new shape of the rule enters with its row in `compare`.

use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use kieng_domain::access::{Actor, Seen};
use kieng_domain::user::{UserForm, UserInput};
use kieng_domain::{Classification, Role};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// Agencies records are led by or shared with (indexes into `World::agencies`).
const AGENCIES: [&str; 5] = ["A", "A1", "B", "MAT", "S00"];
const CLASSES: [&str; 3] = ["none", "mat", "toi_mat"];
/// Partners (the third is merged into the second when `Merge` comes).
const PARTNERS: usize = 3;

#[derive(Debug, Clone)]
enum Op {
    Create {
        lead: usize,
        shared: u8,
        partner: usize,
        class: usize,
    },
    Edit {
        which: usize,
        lead: usize,
        shared: u8,
        partner: usize,
        class: usize,
    },
    Trash(usize),
    Restore(usize),
    Promise {
        which: usize,
        owner: usize,
    },
    Reclassify {
        partner: usize,
        class: usize,
    },
    Merge,
    Agree {
        owner: usize,
        shared: u8,
        partner: usize,
        class: usize,
    },
    Reassign {
        which: usize,
        owner: usize,
        shared: u8,
        class: usize,
    },
    PromiseFrom {
        which: usize,
        owner: usize,
    },
    Report {
        owner: usize,
        class: usize,
    },
    Plan {
        owner: usize,
        class: usize,
    },
    Task {
        which: usize,
        lead: usize,
        coordinating: u8,
        class: usize,
    },
    Candidacy {
        owner: usize,
        class: usize,
    },
    Pledge {
        which: usize,
        country: usize,
        class: usize,
    },
    Outcome {
        owner: usize,
        class: usize,
    },
}

/// Countries a pledge may come from.
const COUNTRIES: [&str; 4] = ["FR", "JP", "LA", "BR"];

fn op() -> impl Strategy<Value = Op> {
    let a = 0..AGENCIES.len();
    let p = 0..PARTNERS;
    prop_oneof![
        4 => (a.clone(), any::<u8>(), p.clone(), 0..3usize).prop_map(|(lead, shared, partner, class)| Op::Create { lead, shared, partner, class }),
        4 => (any::<usize>(), a.clone(), any::<u8>(), p.clone(), 0..3usize).prop_map(|(which, lead, shared, partner, class)| Op::Edit { which, lead, shared, partner, class }),
        2 => any::<usize>().prop_map(Op::Trash),
        2 => any::<usize>().prop_map(Op::Restore),
        3 => (any::<usize>(), a.clone()).prop_map(|(which, owner)| Op::Promise { which, owner }),
        1 => (p.clone(), 0..3usize).prop_map(|(partner, class)| Op::Reclassify { partner, class }),
        1 => Just(Op::Merge),
        2 => (a.clone(), any::<u8>(), p.clone(), 0..3usize).prop_map(|(owner, shared, partner, class)| Op::Agree { owner, shared, partner, class }),
        2 => (any::<usize>(), a.clone(), any::<u8>(), 0..3usize).prop_map(|(which, owner, shared, class)| Op::Reassign { which, owner, shared, class }),
        2 => (any::<usize>(), a.clone()).prop_map(|(which, owner)| Op::PromiseFrom { which, owner }),
        1 => (a.clone(), 0..3usize).prop_map(|(owner, class)| Op::Report { owner, class }),
        1 => (a.clone(), 0..3usize).prop_map(|(owner, class)| Op::Plan { owner, class }),
        2 => (any::<usize>(), a.clone(), any::<u8>(), 0..3usize).prop_map(|(which, lead, coordinating, class)| Op::Task { which, lead, coordinating, class }),
        1 => (a.clone(), 0..3usize).prop_map(|(owner, class)| Op::Candidacy { owner, class }),
        2 => (any::<usize>(), 0..COUNTRIES.len(), 0..3usize).prop_map(|(which, country, class)| Op::Pledge { which, country, class }),
        1 => (a.clone(), 0..3usize).prop_map(|(owner, class)| Op::Outcome { owner, class }),
    ]
}

/// What the model holds of an activity.
#[derive(Debug, Clone)]
struct Act {
    id: String,
    lead: usize,
    shared: Vec<usize>,
    partner: usize,
    class: usize,
    deleted: bool,
}

/// What the model holds of an agreement.
#[derive(Debug, Clone)]
struct Agreement {
    id: String,
    owner: usize,
    shared: Vec<usize>,
    partner: usize,
    class: usize,
}

/// The record a commitment came from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Activity(usize),
    Agreement(usize),
}

#[derive(Debug, Clone)]
struct Promise {
    id: String,
    owner: usize,
    source: Source,
    partner: usize,
    class: usize,
}

/// What the model holds of a review report.
#[derive(Debug, Clone)]
struct Rep {
    id: String,
    owner: usize,
    class: usize,
}

/// What the model holds of a plan and of a (top-level) task.
#[derive(Debug, Clone)]
struct PlanM {
    id: String,
    owner: usize,
    class: usize,
}

#[derive(Debug, Clone)]
struct TaskM {
    id: String,
    plan: usize,
    lead: usize,
    coordinating: Vec<usize>,
    /// Never below its plan's.
    class: usize,
}

/// A candidacy, a pledge on one (never below its candidacy's class), an
/// outcome recorded in the mechanism compared.
#[derive(Debug, Clone)]
struct CandM {
    id: String,
    owner: usize,
    class: usize,
}

#[derive(Debug, Clone)]
struct PledgeM {
    candidacy: usize,
    country: usize,
    class: usize,
}

#[derive(Debug, Clone)]
struct OutcomeM {
    owner: usize,
    class: usize,
}

struct World {
    agencies: Vec<Uuid>,
    /// The mechanism outcomes are recorded in (the AMM).
    mechanism: String,
    candidacies: Vec<CandM>,
    pledges: Vec<PledgeM>,
    outcomes: Vec<OutcomeM>,
    partners: Vec<String>,
    partner_class: Vec<usize>,
    merged: bool,
    acts: Vec<Act>,
    agreements: Vec<Agreement>,
    promises: Vec<Promise>,
    reports: Vec<Rep>,
    plans: Vec<PlanM>,
    tasks: Vec<TaskM>,
    /// (name, token, actor)
    readers: Vec<(String, String, Actor)>,
}

impl World {
    /// The partner a record's link points at now (the merged one at its survivor).
    fn live(&self, p: usize) -> usize {
        if self.merged && p == 2 { 1 } else { p }
    }

    fn shared_of(bits: u8, lead: usize) -> Vec<usize> {
        (0..AGENCIES.len())
            .filter(|i| bits & (1 << i) != 0 && *i != lead)
            .collect()
    }

    fn sees_act(&self, r: &Actor, a: &Act) -> bool {
        let through: Vec<Uuid> = a.shared.iter().map(|i| self.agencies[*i]).collect();
        r.sees(&Seen {
            owner: self.agencies[a.lead],
            through: &through,
            classification: class(a.class),
            deleted: a.deleted,
        })
    }

    fn sees_agreement(&self, r: &Actor, g: &Agreement) -> bool {
        let through: Vec<Uuid> = g.shared.iter().map(|i| self.agencies[*i]).collect();
        r.sees(&Seen {
            owner: self.agencies[g.owner],
            through: &through,
            classification: class(g.class),
            deleted: false,
        })
    }

    fn sees_report(&self, r: &Actor, p: &Rep) -> bool {
        r.sees(&Seen {
            owner: self.agencies[p.owner],
            through: &[],
            classification: class(p.class),
            deleted: false,
        })
    }

    /// A task is seen through its plan's issuing agency and its own agencies.
    fn sees_task(&self, r: &Actor, t: &TaskM) -> bool {
        let mut through: Vec<Uuid> = vec![self.agencies[t.lead]];
        through.extend(t.coordinating.iter().map(|i| self.agencies[*i]));
        r.sees(&Seen {
            owner: self.agencies[self.plans[t.plan].owner],
            through: &through,
            classification: class(t.class),
            deleted: false,
        })
    }

    /// A plan is seen through its issuing agency, within its classification,
    /// and through the agencies of any task of it the reader sees.
    fn sees_plan(&self, r: &Actor, i: usize) -> bool {
        let p = &self.plans[i];
        class(p.class) <= r.clearance
            && (r.sees(&Seen {
                owner: self.agencies[p.owner],
                through: &[],
                classification: class(p.class),
                deleted: false,
            }) || self
                .tasks
                .iter()
                .any(|t| t.plan == i && self.sees_task(r, t)))
    }

    /// A candidacy and an outcome are seen through the agency leading or
    /// recording it.
    fn sees_owned(&self, r: &Actor, owner: usize, c: usize) -> bool {
        r.sees(&Seen {
            owner: self.agencies[owner],
            through: &[],
            classification: class(c),
            deleted: false,
        })
    }

    /// A pledge: its candidacy's rule, within its own classification.
    fn sees_pledge(&self, r: &Actor, p: &PledgeM) -> bool {
        let c = &self.candidacies[p.candidacy];
        self.sees_owned(r, c.owner, c.class) && class(p.class) <= r.clearance
    }

    fn sees_promise(&self, r: &Actor, c: &Promise) -> bool {
        let source = self.agencies[match c.source {
            Source::Activity(i) => self.acts[i].lead,
            Source::Agreement(i) => self.agreements[i].owner,
        }];
        r.sees(&Seen {
            owner: self.agencies[c.owner],
            through: &[source],
            classification: class(c.class),
            deleted: false,
        })
    }
}

fn class(i: usize) -> Classification {
    [
        Classification::None,
        Classification::Mat,
        Classification::ToiMat,
    ][i]
}

fn body(
    title: &str,
    lead: usize,
    shared: &[usize],
    partner: &str,
    class: usize,
    n: usize,
) -> Value {
    let mut b = crate::activities::visit(
        title,
        AGENCIES[lead],
        vec![partner],
        (n % 20) as i64 - 10,
        (n % 20) as i64 - 10,
    );
    b["agencies"] = json!(shared.iter().map(|i| AGENCIES[*i]).collect::<Vec<_>>());
    b["classification"] = json!(CLASSES[class]);
    b["secret_item"] = json!(CLASSES[class].to_uppercase());
    b
}

async fn setup(app: &TestApp) -> World {
    let root = app.token("root").await;
    // A state pillar wider than the small-scope shapes' bound, so the pillar
    // reader takes the large-scope shapes.
    for i in 0..34 {
        let (s, e) = app
            .api(&root, Method::POST, "/api/v1/agencies", Some(json!({"code": format!("S{i:02}"),
                "name_vi": format!("Sở thử nghiệm {i:02}"), "pillar": "state", "level": "central"})))
            .await;
        assert_eq!(s, 201, "{e}");
    }
    let mut agencies = Vec::new();
    for code in AGENCIES {
        let a = app.store.agency_by_code(code).await.unwrap().unwrap();
        agencies.push(a.id);
    }
    let mut partners = Vec::new();
    for name in ["Đối tác Thử Một", "Đối tác Thử Hai", "Đối tác Thử Ba"] {
        let (s, p) = app
            .api(
                &root,
                Method::POST,
                "/api/v1/partners",
                Some(json!({"kind": "organisation", "name_vi": name, "allow_duplicate": true})),
            )
            .await;
        assert_eq!(s, 201, "{p}");
        partners.push(p["id"].as_str().unwrap().to_string());
    }
    // Readers: everyone's; a ministry's (its units); one unit's; another
    // pillar's; a whole pillar — at each clearance.
    let mut readers = vec![("root".to_string(), root.clone())];
    readers.push(("officer".into(), app.token("officer").await));
    for (name, agency, scope, clearance) in [
        ("unit", "A1", "agency", "none"),
        ("party", "B", "agency", "mat"),
        ("pillar", "A1", "pillar", "toi_mat"),
    ] {
        let form = UserForm {
            username: name.into(),
            agency_id: app.agencies[agency].id.to_string(),
            role: "viewer".into(),
            scope: scope.into(),
            clearance: clearance.into(),
            ..Default::default()
        };
        let input = UserInput::parse(&form, Classification::ToiMat).unwrap();
        let u = app.store.user_add_cli(&input, PASSWORD).await.unwrap();
        let token = app
            .store
            .token_create(u.id, "test", &kieng_store::audit::Origin::default())
            .await
            .unwrap()
            .1;
        readers.push((name.into(), token));
    }
    let mut out = Vec::new();
    for (name, token) in readers {
        let (actor, _) = app.store.token_session(&token).await.unwrap().unwrap();
        out.push((name, token, actor));
    }
    assert_eq!(out[4].2.role, Role::Viewer);
    let (_, tree) = app
        .api(&root, Method::GET, "/api/v1/multilateral/mechanisms", None)
        .await;
    let mechanism = tree
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "AMM")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    World {
        agencies,
        mechanism,
        candidacies: Vec::new(),
        pledges: Vec::new(),
        outcomes: Vec::new(),
        partners,
        partner_class: vec![0; PARTNERS],
        merged: false,
        acts: Vec::new(),
        agreements: Vec::new(),
        promises: Vec::new(),
        reports: Vec::new(),
        plans: Vec::new(),
        tasks: Vec::new(),
        readers: out,
    }
}

async fn apply(app: &TestApp, w: &mut World, op: &Op, n: usize) {
    let root = w.readers[0].1.clone();
    let version = |id: String| async move {
        let (s, a) = app
            .api(
                &root,
                Method::GET,
                &format!("/api/v1/activities/{id}"),
                None,
            )
            .await;
        assert_eq!(s, 200, "{a}");
        a["activity"]["version"].clone()
    };
    let pick = |i: usize| (!w.acts.is_empty()).then(|| i % w.acts.len());
    match *op {
        Op::Create {
            lead,
            shared,
            partner,
            class,
        } => {
            let partner = w.live(partner);
            let shared = World::shared_of(shared, lead);
            let b = body(
                &format!("Vòng thử {n}"),
                lead,
                &shared,
                &w.partners[partner],
                class,
                n,
            );
            let a = crate::activities::create(app, &w.readers[0].1, b).await;
            w.acts.push(Act {
                id: a["activity"]["id"].as_str().unwrap().to_string(),
                lead,
                shared,
                partner,
                class,
                deleted: false,
            });
        }
        Op::Edit {
            which,
            lead,
            shared,
            partner,
            class,
        } => {
            let Some(i) = pick(which).filter(|i| !w.acts[*i].deleted) else {
                return;
            };
            let partner = w.live(partner);
            let shared = World::shared_of(shared, lead);
            let id = w.acts[i].id.clone();
            let mut b = body(
                &format!("Vòng thử {n}"),
                lead,
                &shared,
                &w.partners[partner],
                class,
                n,
            );
            b["version"] = version(id.clone()).await;
            let (s, e) = app
                .api(
                    &w.readers[0].1,
                    Method::PUT,
                    &format!("/api/v1/activities/{id}"),
                    Some(b),
                )
                .await;
            assert_eq!(s, 200, "{e}");
            let a = &mut w.acts[i];
            (a.lead, a.shared, a.partner, a.class) = (lead, shared, partner, class);
            // What was promised follows: the source's owner, the floor of its marking.
            for c in w
                .promises
                .iter_mut()
                .filter(|c| c.source == Source::Activity(i))
            {
                c.class = c.class.max(class);
            }
        }
        Op::Trash(which) => {
            let Some(i) = pick(which).filter(|i| !w.acts[*i].deleted) else {
                return;
            };
            let id = w.acts[i].id.clone();
            let v = version(id.clone()).await;
            let (s, e) = app
                .api(
                    &w.readers[0].1,
                    Method::DELETE,
                    &format!("/api/v1/activities/{id}?version={v}"),
                    None,
                )
                .await;
            assert_eq!(s, 204, "{e}");
            w.acts[i].deleted = true;
        }
        Op::Restore(which) => {
            let Some(i) = pick(which).filter(|i| w.acts[*i].deleted) else {
                return;
            };
            let id = w.acts[i].id.clone();
            let (s, e) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    &format!("/api/v1/activities/{id}/restore"),
                    None,
                )
                .await;
            assert_eq!(s, 200, "{e}");
            w.acts[i].deleted = false;
        }
        Op::Promise { which, owner } => {
            let Some(i) = pick(which).filter(|i| !w.acts[*i].deleted) else {
                return;
            };
            let (s, c) = app
                .api(&w.readers[0].1, Method::POST, "/api/v1/commitments", Some(json!({
                    "title": format!("Cam kết thử {n}"), "source": "activity",
                    "source_id": w.acts[i].id, "owner_agency": AGENCIES[owner], "due_on": "2020-01-01"})))
                .await;
            assert_eq!(s, 201, "{c}");
            w.promises.push(Promise {
                id: c["id"].as_str().unwrap().to_string(),
                owner,
                source: Source::Activity(i),
                partner: w.acts[i].partner,
                class: w.acts[i].class,
            });
        }
        Op::Reclassify { partner, class } => {
            let p = w.live(partner);
            let id = w.partners[p].clone();
            let (s, cur) = app
                .api(
                    &w.readers[0].1,
                    Method::GET,
                    &format!("/api/v1/partners/{id}"),
                    None,
                )
                .await;
            assert_eq!(s, 200, "{cur}");
            let (s, e) = app
                .api(&w.readers[0].1, Method::PUT, &format!("/api/v1/partners/{id}"), Some(json!({
                    "kind": "organisation", "name_vi": cur["partner"]["name_vi"], "classification": CLASSES[class], "secret_item": CLASSES[class].to_uppercase(),
                    "allow_duplicate": true, "version": cur["partner"]["version"]})))
                .await;
            assert_eq!(s, 200, "{e}");
            w.partner_class[p] = class;
        }
        Op::Agree {
            owner,
            shared,
            partner,
            class,
        } => {
            let partner = w.live(partner);
            let shared = World::shared_of(shared, owner);
            let (s, g) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    "/api/v1/agreements",
                    Some(json!({
                    "kind": "memorandum", "title_vi": format!("Văn kiện thử {n}"),
                    "owner_agency": AGENCIES[owner],
                    "agencies": shared.iter().map(|i| AGENCIES[*i]).collect::<Vec<_>>(),
                    "partners": [w.partners[partner]], "classification": CLASSES[class], "secret_item": CLASSES[class].to_uppercase()})),
                )
                .await;
            assert_eq!(s, 201, "{g}");
            w.agreements.push(Agreement {
                id: g["id"].as_str().unwrap().to_string(),
                owner,
                shared,
                partner,
                class,
            });
        }
        Op::Reassign {
            which,
            owner,
            shared,
            class,
        } => {
            if w.agreements.is_empty() {
                return;
            }
            let i = which % w.agreements.len();
            let shared = World::shared_of(shared, owner);
            let id = w.agreements[i].id.clone();
            let (s, cur) = app
                .api(
                    &w.readers[0].1,
                    Method::GET,
                    &format!("/api/v1/agreements/{id}"),
                    None,
                )
                .await;
            assert_eq!(s, 200, "{cur}");
            let partner = w.partners[w.live(w.agreements[i].partner)].clone();
            let (s, e) = app
                .api(
                    &w.readers[0].1,
                    Method::PUT,
                    &format!("/api/v1/agreements/{id}"),
                    Some(json!({
                    "kind": "memorandum", "title_vi": format!("Văn kiện thử {n}"),
                    "owner_agency": AGENCIES[owner],
                    "agencies": shared.iter().map(|i| AGENCIES[*i]).collect::<Vec<_>>(),
                    "partners": [partner], "classification": CLASSES[class], "secret_item": CLASSES[class].to_uppercase(),
                    "version": cur["version"]})),
                )
                .await;
            assert_eq!(s, 200, "{e}");
            let g = &mut w.agreements[i];
            (g.owner, g.shared, g.class) = (owner, shared, class);
            for c in w
                .promises
                .iter_mut()
                .filter(|c| c.source == Source::Agreement(i))
            {
                c.class = c.class.max(class);
            }
        }
        Op::PromiseFrom { which, owner } => {
            if w.agreements.is_empty() {
                return;
            }
            let i = which % w.agreements.len();
            let (s, c) = app
                .api(&w.readers[0].1, Method::POST, "/api/v1/commitments", Some(json!({
                    "title": format!("Cam kết thử {n}"), "source": "agreement",
                    "source_id": w.agreements[i].id, "owner_agency": AGENCIES[owner], "due_on": "2020-01-01"})))
                .await;
            assert_eq!(s, 201, "{c}");
            w.promises.push(Promise {
                id: c["id"].as_str().unwrap().to_string(),
                owner,
                source: Source::Agreement(i),
                partner: w.live(w.agreements[i].partner),
                class: w.agreements[i].class,
            });
        }
        Op::Report { owner, class } => {
            let mut body = json!({"title": format!("Báo cáo thử {n}"), "period": "year",
                "year": 2026, "scope": "all", "agency": AGENCIES[owner],
                "signer_position": "Thủ trưởng", "classification": CLASSES[class]});
            if class > 0 {
                body["secret_item"] = json!(CLASSES[class].to_uppercase());
            }
            let (s, r) = app
                .api(&w.readers[0].1, Method::POST, "/api/v1/reports", Some(body))
                .await;
            assert_eq!(s, 201, "{r}");
            w.reports.push(Rep {
                id: r["id"].as_str().unwrap().to_string(),
                owner,
                class,
            });
        }
        Op::Plan { owner, class } => {
            let mut body = json!({"kind": "plan", "title": format!("Kế hoạch thử {n}"),
                "owner_agency": AGENCIES[owner], "period_from": "2026-01-01",
                "period_to": "2026-12-31", "classification": CLASSES[class]});
            if class > 0 {
                body["secret_item"] = json!(CLASSES[class].to_uppercase());
            }
            let (s, p) = app
                .api(&w.readers[0].1, Method::POST, "/api/v1/plans", Some(body))
                .await;
            assert_eq!(s, 201, "{p}");
            w.plans.push(PlanM {
                id: p["id"].as_str().unwrap().to_string(),
                owner,
                class,
            });
        }
        Op::Task {
            which,
            lead,
            coordinating,
            class,
        } => {
            if w.plans.is_empty() {
                return;
            }
            let plan = which % w.plans.len();
            let coordinating = World::shared_of(coordinating, lead);
            let class = class.max(w.plans[plan].class);
            let mut body = json!({"title": format!("Nhiệm vụ thử {n}"), "lead_agency": AGENCIES[lead],
                "coordinating": coordinating.iter().map(|i| AGENCIES[*i]).collect::<Vec<_>>(),
                "deadline": "năm 2026", "classification": CLASSES[class]});
            if class > 0 {
                body["secret_item"] = json!(CLASSES[class].to_uppercase());
            }
            let (s, t) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    &format!("/api/v1/plans/{}/tasks", w.plans[plan].id),
                    Some(body),
                )
                .await;
            assert_eq!(s, 201, "{t}");
            w.tasks.push(TaskM {
                id: t["id"].as_str().unwrap().to_string(),
                plan,
                lead,
                coordinating,
                class,
            });
        }
        Op::Candidacy { owner, class } => {
            let mut body = json!({"mechanism": "UNHRC", "post": format!("Ứng cử thử {n}"),
                "electorate": "un", "votes_needed": 97, "owner_agency": AGENCIES[owner],
                "classification": CLASSES[class]});
            if class > 0 {
                body["secret_item"] = json!(CLASSES[class].to_uppercase());
            }
            let (s, c) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    "/api/v1/multilateral/candidacies",
                    Some(body),
                )
                .await;
            assert_eq!(s, 201, "{c}");
            w.candidacies.push(CandM {
                id: c["id"].as_str().unwrap().to_string(),
                owner,
                class,
            });
        }
        Op::Pledge {
            which,
            country,
            class,
        } => {
            if w.candidacies.is_empty() {
                return;
            }
            let candidacy = which % w.candidacies.len();
            let mut body = json!({"country": COUNTRIES[country], "support": "written",
                "given_on": format!("{:02}/01/2026", n % 28 + 1), "classification": CLASSES[class]});
            if class > 0 {
                body["secret_item"] = json!(CLASSES[class].to_uppercase());
            }
            let (s, p) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    &format!(
                        "/api/v1/multilateral/candidacies/{}/pledges",
                        w.candidacies[candidacy].id
                    ),
                    Some(body),
                )
                .await;
            assert_eq!(s, 201, "{p}");
            w.pledges.push(PledgeM {
                candidacy,
                country,
                class: class.max(w.candidacies[candidacy].class),
            });
        }
        Op::Outcome { owner, class } => {
            let mut body = json!({"kind": "document", "title": format!("Văn kiện thử {n}"),
                "adopted_on": "10/07/2026", "owner_agency": AGENCIES[owner],
                "classification": CLASSES[class]});
            if class > 0 {
                body["secret_item"] = json!(CLASSES[class].to_uppercase());
            }
            let (s, o) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    &format!("/api/v1/multilateral/mechanisms/{}/outcomes", w.mechanism),
                    Some(body),
                )
                .await;
            assert_eq!(s, 201, "{o}");
            w.outcomes.push(OutcomeM { owner, class });
        }
        Op::Merge => {
            if w.merged {
                return;
            }
            let (dup, keep) = (w.partners[2].clone(), w.partners[1].clone());
            let (s, e) = app
                .api(
                    &w.readers[0].1,
                    Method::POST,
                    &format!("/api/v1/partners/{dup}/merge"),
                    Some(json!({"into": keep})),
                )
                .await;
            assert_eq!(s, 200, "{e}");
            w.merged = true;
            for a in w.acts.iter_mut().filter(|a| a.partner == 2) {
                a.partner = 1;
            }
            for g in w.agreements.iter_mut().filter(|g| g.partner == 2) {
                g.partner = 1;
            }
            for c in w.promises.iter_mut().filter(|c| c.partner == 2) {
                c.partner = 1;
            }
        }
    }
}

/// Every shape's answer for every reader against the predicate.
async fn compare(app: &TestApp, w: &World, step: &str) {
    for (name, token, actor) in &w.readers {
        let at = |what: &str| format!("{step} — {name}: {what}");
        let total = |path: String| async move {
            let (s, v) = app.api(token, Method::GET, &path, None).await;
            assert_eq!(s, 200, "{path}: {v}");
            v["total"].as_i64().unwrap()
        };
        let seen: Vec<&Act> = w.acts.iter().filter(|a| w.sees_act(actor, a)).collect();
        let n = seen.len() as i64;
        // The plain list (scope read agency by agency, or everyone's), the
        // filtered list (the general condition), the calendar span.
        assert_eq!(
            total("/api/v1/activities".into()).await,
            n,
            "{}",
            at("plain list")
        );
        assert_eq!(
            total("/api/v1/activities?q=vong".into()).await,
            n,
            "{}",
            at("list with words")
        );
        let ctx = kieng_store::Ctx {
            actor: actor.clone(),
            request_id: None,
            ip: None,
        };
        let now = chrono::Utc::now();
        let span = app
            .store
            .calendar_range(
                &ctx,
                &Default::default(),
                now - chrono::Duration::days(40),
                now + chrono::Duration::days(40),
                true,
            )
            .await
            .unwrap();
        assert_eq!(span.len() as i64, n, "{}", at("calendar span"));
        // Each record by id.
        for a in &w.acts {
            let (s, _) = app
                .api(
                    token,
                    Method::GET,
                    &format!("/api/v1/activities/{}", a.id),
                    None,
                )
                .await;
            assert_eq!(
                s == 200,
                w.sees_act(actor, a),
                "{}",
                at(&format!("activity {a:?}"))
            );
        }
        // A partner's activities (the partner's side, and the general condition
        // with the partner), its tallies.
        for p in 0..PARTNERS {
            if w.merged && p == 2 {
                continue;
            }
            let id = &w.partners[p];
            let partner_seen = class(w.partner_class[p]) <= actor.clearance;
            let want = if partner_seen {
                seen.iter().filter(|a| a.partner == p).count() as i64
            } else {
                0
            };
            assert_eq!(
                total(format!("/api/v1/activities?partner={id}")).await,
                want,
                "{}",
                at(&format!("partner {p}'s list"))
            );
            assert_eq!(
                total(format!("/api/v1/activities?partner={id}&q=vong")).await,
                want,
                "{}",
                at(&format!("partner {p}'s list with words"))
            );
            let (s, t) = app
                .api(
                    token,
                    Method::GET,
                    &format!("/api/v1/partners/{id}/engagements"),
                    None,
                )
                .await;
            if partner_seen {
                let sum: i64 = t
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["activities"].as_i64().unwrap())
                    .sum();
                assert_eq!(sum, want, "{}", at(&format!("partner {p}'s tallies")));
            } else {
                assert_eq!(s, 404, "{}", at(&format!("partner {p} above clearance")));
            }
            let promised = if partner_seen {
                w.promises
                    .iter()
                    .filter(|c| c.partner == p && w.sees_promise(actor, c))
                    .count() as i64
            } else {
                0
            };
            assert_eq!(
                total(format!("/api/v1/commitments?partner={id}")).await,
                promised,
                "{}",
                at(&format!("partner {p}'s commitments"))
            );
        }
        // Search: the index's own filter (its total) and the page's re-check.
        let (s, found) = crate::search::search(app, token, "vong thu", "&kind=activity").await;
        assert_eq!(s, 200, "{found}");
        assert_eq!(
            found["total"].as_i64().unwrap(),
            n,
            "{}",
            at("search total")
        );
        for hit in found["items"].as_array().unwrap() {
            let id = hit["id"].as_str().unwrap();
            assert!(
                seen.iter().any(|a| a.id == id),
                "{}",
                at(&format!("search hit {id}"))
            );
        }
        let (_, found) = crate::search::search(app, token, "cam ket thu", "&kind=commitment").await;
        let promised = w
            .promises
            .iter()
            .filter(|c| w.sees_promise(actor, c))
            .count() as i64;
        assert_eq!(
            found["total"].as_i64().unwrap(),
            promised,
            "{}",
            at("search commitments")
        );
        // Agreements: the list, a partner's, search, each by id.
        let agreed: Vec<&Agreement> = w
            .agreements
            .iter()
            .filter(|g| w.sees_agreement(actor, g))
            .collect();
        assert_eq!(
            total("/api/v1/agreements".into()).await,
            agreed.len() as i64,
            "{}",
            at("agreements")
        );
        let (_, found) = crate::search::search(app, token, "van kien thu", "&kind=agreement").await;
        assert_eq!(
            found["total"].as_i64().unwrap(),
            agreed.len() as i64,
            "{}",
            at("search agreements")
        );
        for g in &w.agreements {
            let (s, _) = app
                .api(
                    token,
                    Method::GET,
                    &format!("/api/v1/agreements/{}", g.id),
                    None,
                )
                .await;
            assert_eq!(
                s == 200,
                w.sees_agreement(actor, g),
                "{}",
                at(&format!("agreement {g:?}"))
            );
        }
        for p in 0..PARTNERS {
            if w.merged && p == 2 {
                continue;
            }
            let want = if class(w.partner_class[p]) <= actor.clearance {
                agreed.iter().filter(|g| g.partner == p).count() as i64
            } else {
                0
            };
            let id = &w.partners[p];
            assert_eq!(
                total(format!("/api/v1/agreements?partner={id}")).await,
                want,
                "{}",
                at(&format!("partner {p}'s agreements"))
            );
        }
        // Reports: the list, search, each by id.
        let reported = w.reports.iter().filter(|r| w.sees_report(actor, r)).count() as i64;
        assert_eq!(
            total("/api/v1/reports".into()).await,
            reported,
            "{}",
            at("reports")
        );
        let (_, found) = crate::search::search(app, token, "bao cao thu", "&kind=report").await;
        assert_eq!(
            found["total"].as_i64().unwrap(),
            reported,
            "{}",
            at("search reports")
        );
        for r in &w.reports {
            let (s, _) = app
                .api(
                    token,
                    Method::GET,
                    &format!("/api/v1/reports/{}", r.id),
                    None,
                )
                .await;
            assert_eq!(
                s == 200,
                w.sees_report(actor, r),
                "{}",
                at(&format!("report {r:?}"))
            );
        }
        // Multilateral: the candidacy list, search and each by id; each seen
        // candidacy's pledges and the board's count of countries pledged; the
        // mechanism's outcomes.
        let cands: Vec<&CandM> = w
            .candidacies
            .iter()
            .filter(|c| w.sees_owned(actor, c.owner, c.class))
            .collect();
        assert_eq!(
            total("/api/v1/multilateral/candidacies".into()).await,
            cands.len() as i64,
            "{}",
            at("candidacies")
        );
        let (_, found) = crate::search::search(app, token, "ung cu thu", "&kind=candidacy").await;
        assert_eq!(
            found["total"].as_i64().unwrap(),
            cands.len() as i64,
            "{}",
            at("search candidacies")
        );
        for (i, c) in w.candidacies.iter().enumerate() {
            let path = format!("/api/v1/multilateral/candidacies/{}", c.id);
            let (s, d) = app.api(token, Method::GET, &path, None).await;
            let seen = w.sees_owned(actor, c.owner, c.class);
            assert_eq!(s == 200, seen, "{}", at(&format!("candidacy {c:?}")));
            if !seen {
                continue;
            }
            let mine: Vec<&PledgeM> = w
                .pledges
                .iter()
                .filter(|p| p.candidacy == i && w.sees_pledge(actor, p))
                .collect();
            let mut countries: Vec<usize> = mine.iter().map(|p| p.country).collect();
            countries.sort();
            countries.dedup();
            assert_eq!(
                d["board"]["pledged"].as_u64().unwrap(),
                countries.len() as u64,
                "{}",
                at(&format!("board of {c:?}"))
            );
            let (_, listed) = app
                .api(token, Method::GET, &format!("{path}/pledges"), None)
                .await;
            assert_eq!(
                listed.as_array().unwrap().len(),
                mine.len(),
                "{}",
                at(&format!("pledges of {c:?}"))
            );
        }
        let (_, m) = app
            .api(
                token,
                Method::GET,
                &format!("/api/v1/multilateral/mechanisms/{}", w.mechanism),
                None,
            )
            .await;
        assert_eq!(
            m["outcomes"].as_array().unwrap().len(),
            w.outcomes
                .iter()
                .filter(|o| w.sees_owned(actor, o.owner, o.class))
                .count(),
            "{}",
            at("outcomes")
        );
        // Plans: the list (kept per scope between plan writes), search, each
        // plan and task by id, the agency's tasks.
        let planned = (0..w.plans.len())
            .filter(|i| w.sees_plan(actor, *i))
            .count() as i64;
        assert_eq!(
            total("/api/v1/plans".into()).await,
            planned,
            "{}",
            at("plans")
        );
        let (_, found) = crate::search::search(app, token, "ke hoach thu", "&kind=plan").await;
        assert_eq!(
            found["total"].as_i64().unwrap(),
            planned,
            "{}",
            at("search plans")
        );
        for (i, p) in w.plans.iter().enumerate() {
            let (s, _) = app
                .api(token, Method::GET, &format!("/api/v1/plans/{}", p.id), None)
                .await;
            assert_eq!(
                s == 200,
                w.sees_plan(actor, i),
                "{}",
                at(&format!("plan {p:?}"))
            );
        }
        let tasked = w.tasks.iter().filter(|t| w.sees_task(actor, t)).count() as i64;
        let (_, found) = crate::search::search(app, token, "nhiem vu thu", "&kind=task").await;
        assert_eq!(
            found["total"].as_i64().unwrap(),
            tasked,
            "{}",
            at("search tasks")
        );
        for t in &w.tasks {
            let (s, _) = app
                .api(
                    token,
                    Method::GET,
                    &format!("/api/v1/plans/tasks/{}", t.id),
                    None,
                )
                .await;
            assert_eq!(
                s == 200,
                w.sees_task(actor, t),
                "{}",
                at(&format!("task {t:?}"))
            );
        }
        // Commitments: the list, the board's counts, each by id.
        let promised = w
            .promises
            .iter()
            .filter(|c| w.sees_promise(actor, c))
            .count() as i64;
        assert_eq!(
            total("/api/v1/commitments".into()).await,
            promised,
            "{}",
            at("commitments")
        );
        let (_, b) = app
            .api(token, Method::GET, "/api/v1/commitments/board", None)
            .await;
        assert_eq!(
            b["overdue_total"].as_i64().unwrap(),
            promised,
            "{}",
            at("board")
        );
        for c in &w.promises {
            let (s, _) = app
                .api(
                    token,
                    Method::GET,
                    &format!("/api/v1/commitments/{}", c.id),
                    None,
                )
                .await;
            assert_eq!(
                s == 200,
                w.sees_promise(actor, c),
                "{}",
                at(&format!("commitment {c:?}"))
            );
        }
    }
}

async fn every_shape_answers_as_the_predicate(app: &TestApp) {
    let mut w = setup(app).await;
    let steps: usize = std::env::var("KIENG_VISIBILITY_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let ops = proptest::collection::vec(op(), steps)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    // Every kind of write at least once, then the drawn sequence.
    let tour = [
        Op::Create {
            lead: 0,
            shared: 0b100,
            partner: 2,
            class: 0,
        },
        Op::Create {
            lead: 2,
            shared: 0b10,
            partner: 1,
            class: 1,
        },
        Op::Promise { which: 0, owner: 2 },
        Op::Edit {
            which: 0,
            lead: 4,
            shared: 0,
            partner: 2,
            class: 2,
        },
        Op::Reclassify {
            partner: 1,
            class: 2,
        },
        Op::Trash(1),
        Op::Merge,
        Op::Restore(1),
        Op::Reclassify {
            partner: 1,
            class: 0,
        },
        Op::Agree {
            owner: 1,
            shared: 0b100,
            partner: 2,
            class: 1,
        },
        Op::PromiseFrom { which: 0, owner: 2 },
        Op::Reassign {
            which: 0,
            owner: 2,
            shared: 0,
            class: 2,
        },
        Op::Report { owner: 3, class: 1 },
        Op::Report { owner: 2, class: 0 },
        Op::Plan { owner: 0, class: 0 },
        Op::Task {
            which: 0,
            lead: 2,
            coordinating: 0b1000,
            class: 1,
        },
        Op::Plan { owner: 3, class: 1 },
        Op::Task {
            which: 1,
            lead: 1,
            coordinating: 0,
            class: 0,
        },
        Op::Create {
            lead: 1,
            shared: 0b1,
            partner: 0,
            class: 0,
        },
        Op::Candidacy { owner: 1, class: 0 },
        Op::Candidacy { owner: 2, class: 1 },
        Op::Pledge {
            which: 0,
            country: 0,
            class: 2,
        },
        Op::Pledge {
            which: 0,
            country: 1,
            class: 0,
        },
        Op::Pledge {
            which: 1,
            country: 2,
            class: 0,
        },
        Op::Outcome { owner: 3, class: 1 },
        Op::Outcome { owner: 0, class: 0 },
    ];
    let mut done = Vec::new();
    for (n, op) in tour.iter().chain(&ops).enumerate() {
        apply(app, &mut w, op, n).await;
        // The index follows the change log within its poll; search is compared
        // once it holds every change committed so far.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !app.store.search_caught_up().await.unwrap() {
            assert!(
                std::time::Instant::now() < deadline,
                "the search index never caught up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        done.push(format!("{op:?}"));
        compare(app, &w, &format!("after {}", done.join(", "))).await;
    }
    assert!(
        w.acts.len() >= 5,
        "the sequence wrote enough to compare: {done:?}"
    );
}

both!(every_shape_answers_as_the_predicate);
