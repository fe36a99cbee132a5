//! The column copies the visibility shapes read, and the check that each
//! still equals the row it was copied from.
//!
//! | copy | of | rewritten by |
//! |---|---|---|
//! | `activity_agencies.{owner_agency_id, classification, pillar, starts_at, deleted_at}` | the activity | every activity write (links rewritten), the trash |
//! | `activity_partners.{owner_agency_id, classification, pillar, starts_at, ends_at, vn_year}` | the activity | every activity write, partner merge; none while trashed |
//! | `activity_partner_agencies` | partner links × participating agencies | every activity write, the trash, partner merge |
//! | `commitments.source_agency_id`, `commitments.classification` (floor) | the activity, agreement or protection case it came from | `commitments::follow_source` on every write of the source |
//! | `commitments.source_agency_id`, `commitments.classification` (floor) of a pledge's commitment | the pledge's candidacy agency, the pledge | `Store::pledges_follow` on every candidacy write |
//! | `pledges.classification` (the candidacy's floor) | the candidacy | `Store::pledges_follow` on every candidacy write |
//! | `plan_tasks.plan_owner_id`, `plan_tasks.classification` (the plan's floor; a sub-task's is its parent's) | the plan, the parent task | `plans::write` on every plan and task write |
//! | `plan_delegations.classification` (the plan's floor) | the plan | `plans::write` (`plan_update`) |
//! | `plan_task_agencies.{plan_id, due_on, progress, cancelled, classification, deleted_at}`, its `lead` row | the task | `plans::write` (`rewrite_agencies`, `refresh_up`) |
//! | `crisis_tallies` (live registry entries per crisis, status, place, transport) | `crisis_people` | triggers on `crisis_people` (migration 63) |
//! | `plan_agencies` (each agency on a plan's live tasks, their lowest classification) | `plan_task_agencies` | `plans::write` (`plan_written`) on every write to a plan's tasks |
//!
//! A new copy enters with its row in this table, its query in [`CHECKS`],
//! and its writers named.

use crate::{Store, StoreError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// One row whose copy differs from its source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mismatch {
    /// Which copy (the check's name).
    pub copy: &'static str,
    /// The row, as its key columns in text.
    pub row: String,
}

/// At most this many rows are named per check.
const SHOWN: u64 = 50;

/// A check: its name and its query per database, each selecting `row` (text).
struct Check {
    name: &'static str,
    sql: fn(bool) -> String,
}

fn year(pg: bool, col: &str) -> String {
    if pg {
        format!("CAST(EXTRACT(YEAR FROM {col} AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)")
    } else {
        format!("CAST(strftime('%Y', {col}, '+7 hours') AS INTEGER)")
    }
}

fn text(pg: bool, col: &str) -> String {
    if pg {
        format!("CAST({col} AS TEXT)")
    } else {
        format!("lower(hex({col}))")
    }
}

const CHECKS: &[Check] = &[
    Check {
        name: "activity_agencies: the activity's owner, classification, pillar, start, deletion",
        sql: |pg| {
            format!(
                "SELECT {a} || ' ' || {g} AS row FROM activity_agencies aa
                 JOIN activities a ON a.id = aa.activity_id
                 WHERE aa.owner_agency_id IS DISTINCT FROM a.owner_agency_id
                    OR aa.classification IS DISTINCT FROM a.classification
                    OR aa.pillar IS DISTINCT FROM a.pillar
                    OR aa.starts_at IS DISTINCT FROM a.starts_at
                    OR aa.deleted_at IS DISTINCT FROM a.deleted_at",
                a = text(pg, "aa.activity_id"),
                g = text(pg, "aa.agency_id"),
            )
        },
    },
    Check {
        name: "activity_partners: the activity's owner, classification, pillar, span, year; none while trashed",
        sql: |pg| {
            format!(
                "SELECT {a} || ' ' || {p} AS row FROM activity_partners ap
                 JOIN activities a ON a.id = ap.activity_id
                 WHERE ap.owner_agency_id IS DISTINCT FROM a.owner_agency_id
                    OR ap.classification IS DISTINCT FROM a.classification
                    OR ap.pillar IS DISTINCT FROM a.pillar
                    OR ap.starts_at IS DISTINCT FROM a.starts_at
                    OR ap.ends_at IS DISTINCT FROM a.ends_at
                    OR ap.vn_year IS DISTINCT FROM {y}
                    OR a.deleted_at IS NOT NULL",
                a = text(pg, "ap.activity_id"),
                p = text(pg, "ap.partner_id"),
                y = year(pg, "a.starts_at"),
            )
        },
    },
    Check {
        name: "activity_partner_agencies: exactly partner links × participating agencies",
        sql: |pg| {
            let (a, p, g) = (
                text(pg, "activity_id"),
                text(pg, "partner_id"),
                text(pg, "agency_id"),
            );
            format!(
                "SELECT {a} || ' ' || {p} || ' ' || {g} AS row FROM (
                   SELECT activity_id, partner_id, agency_id FROM activity_partner_agencies
                   EXCEPT
                   SELECT ap.activity_id, ap.partner_id, aa.agency_id FROM activity_partners ap
                   JOIN activity_agencies aa ON aa.activity_id = ap.activity_id
                 ) extra
                 UNION ALL
                 SELECT {a} || ' ' || {p} || ' ' || {g} || ' missing' AS row FROM (
                   SELECT ap.activity_id, ap.partner_id, aa.agency_id FROM activity_partners ap
                   JOIN activity_agencies aa ON aa.activity_id = ap.activity_id
                   EXCEPT
                   SELECT activity_id, partner_id, agency_id FROM activity_partner_agencies
                 ) missing"
            )
        },
    },
    Check {
        name: "commitments: the source activity's owner and classification floor",
        sql: |pg| {
            format!(
                "SELECT {c} AS row FROM commitments c JOIN activities a ON a.id = c.activity_id
                 WHERE c.source_agency_id IS DISTINCT FROM a.owner_agency_id
                    OR c.classification < a.classification",
                c = text(pg, "c.id"),
            )
        },
    },
    Check {
        name: "commitments: the source agreement's owner and classification floor",
        sql: |pg| {
            format!(
                "SELECT {c} AS row FROM commitments c JOIN agreements g ON g.id = c.agreement_id
                 WHERE c.source_agency_id IS DISTINCT FROM g.owner_agency_id
                    OR c.classification < g.classification",
                c = text(pg, "c.id"),
            )
        },
    },
    Check {
        name: "commitments: the source case's mission and classification floor",
        sql: |pg| {
            format!(
                "SELECT {c} AS row FROM commitments c JOIN protection_cases k ON k.id = c.protection_case_id
                 WHERE c.source_agency_id IS DISTINCT FROM k.agency_id
                    OR c.classification < k.classification",
                c = text(pg, "c.id"),
            )
        },
    },
    Check {
        name: "commitments: the pledge's candidacy agency and the pledge's classification floor",
        sql: |pg| {
            format!(
                "SELECT {c} AS row FROM commitments c JOIN pledges p ON p.id = c.pledge_id
                 JOIN candidacies k ON k.id = p.candidacy_id
                 WHERE c.source_agency_id IS DISTINCT FROM k.owner_agency_id
                    OR c.classification < p.classification",
                c = text(pg, "c.id"),
            )
        },
    },
    Check {
        name: "pledges: never below the candidacy's classification",
        sql: |pg| {
            format!(
                "SELECT {p} AS row FROM pledges p JOIN candidacies k ON k.id = p.candidacy_id
                 WHERE p.classification < k.classification",
                p = text(pg, "p.id"),
            )
        },
    },
    Check {
        name: "commitments: from a plan, no source agency",
        sql: |pg| {
            format!(
                "SELECT {c} AS row FROM commitments c
                 WHERE c.activity_id IS NULL AND c.agreement_id IS NULL
                   AND c.protection_case_id IS NULL AND c.pledge_id IS NULL
                   AND c.source_agency_id IS NOT NULL",
                c = text(pg, "c.id"),
            )
        },
    },
    Check {
        name: "plan_tasks: the plan's issuing agency and classification floor; a sub-task's its parent's",
        sql: |pg| {
            format!(
                "SELECT {t} AS row FROM plan_tasks t JOIN plans p ON p.id = t.plan_id
                 LEFT JOIN plan_tasks up ON up.id = t.parent_id
                 WHERE t.plan_owner_id IS DISTINCT FROM p.owner_agency_id
                    OR t.classification < p.classification
                    OR (up.id IS NOT NULL AND t.classification IS DISTINCT FROM up.classification)",
                t = text(pg, "t.id"),
            )
        },
    },
    Check {
        name: "plan_delegations: classification never below the plan's",
        sql: |pg| {
            format!(
                "SELECT {d} AS row FROM plan_delegations d JOIN plans p ON p.id = d.plan_id
                 WHERE d.classification < p.classification",
                d = text(pg, "d.id"),
            )
        },
    },
    Check {
        name: "plan_task_agencies: the task's plan, deadline, progress, cancellation, classification, deletion; its lead",
        sql: |pg| {
            format!(
                "SELECT {a} || ' ' || {g} AS row FROM plan_task_agencies pa
                 JOIN plan_tasks t ON t.id = pa.task_id
                 WHERE pa.plan_id IS DISTINCT FROM t.plan_id
                    OR pa.due_on IS DISTINCT FROM t.due_on
                    OR pa.progress IS DISTINCT FROM t.progress
                    OR pa.cancelled IS DISTINCT FROM t.cancelled
                    OR pa.classification IS DISTINCT FROM t.classification
                    OR pa.deleted_at IS DISTINCT FROM t.deleted_at
                    OR (pa.role = 'lead' AND pa.agency_id IS DISTINCT FROM t.lead_agency_id)
                 UNION ALL
                 SELECT {t} || ' no lead' AS row FROM plan_tasks t
                 WHERE NOT EXISTS (SELECT 1 FROM plan_task_agencies pa
                                   WHERE pa.task_id = t.id AND pa.role = 'lead')",
                a = text(pg, "pa.task_id"),
                g = text(pg, "pa.agency_id"),
                t = text(pg, "t.id"),
            )
        },
    },
    Check {
        name: "plan_agencies: each agency on a plan's live tasks, with their lowest classification",
        sql: |pg| {
            format!(
                "SELECT {p} || ' ' || {g} AS row FROM (
                   SELECT plan_id, agency_id, MIN(classification) AS c FROM plan_task_agencies
                   WHERE deleted_at IS NULL GROUP BY plan_id, agency_id) w
                 LEFT JOIN plan_agencies pa ON pa.plan_id = w.plan_id AND pa.agency_id = w.agency_id
                 WHERE pa.classification IS DISTINCT FROM w.c
                 UNION ALL
                 SELECT {q} || ' ' || {h} || ' stale' AS row FROM plan_agencies pa
                 WHERE NOT EXISTS (SELECT 1 FROM plan_task_agencies t
                                   WHERE t.plan_id = pa.plan_id AND t.agency_id = pa.agency_id
                                     AND t.deleted_at IS NULL)",
                p = text(pg, "w.plan_id"),
                g = text(pg, "w.agency_id"),
                q = text(pg, "pa.plan_id"),
                h = text(pg, "pa.agency_id"),
            )
        },
    },
    Check {
        name: "crisis_tallies: the crisis's live entries by status, place and transport",
        sql: |pg| {
            let c = text(pg, "crisis_id");
            format!(
                "SELECT {c} || ' ' || status || ' ' || place || ' ' || transport AS row FROM (
                   SELECT crisis_id, status, place, transport, n FROM crisis_tallies WHERE n <> 0
                   EXCEPT
                   SELECT crisis_id, status, place, transport, COUNT(*) FROM crisis_people
                   WHERE NOT merged GROUP BY crisis_id, status, place, transport
                 ) extra
                 UNION ALL
                 SELECT {c} || ' ' || status || ' ' || place || ' ' || transport || ' missing' AS row FROM (
                   SELECT crisis_id, status, place, transport, COUNT(*) AS n FROM crisis_people
                   WHERE NOT merged GROUP BY crisis_id, status, place, transport
                   EXCEPT
                   SELECT crisis_id, status, place, transport, n FROM crisis_tallies WHERE n <> 0
                 ) missing"
            )
        },
    },
];

impl Store {
    /// Every copy that differs from its row, at most `SHOWN` per copy; empty
    /// when the copies agree (`kieng check`, and after every integration test).
    pub async fn check(&self) -> Result<Vec<Mismatch>, StoreError> {
        let backend = self.db.get_database_backend();
        let pg = backend == DbBackend::Postgres;
        let mut out = Vec::new();
        for check in CHECKS {
            let sql = format!(
                "SELECT row FROM ({}) x ORDER BY row LIMIT {SHOWN}",
                (check.sql)(pg)
            );
            for r in self
                .db
                .query_all_raw(Statement::from_string(backend, sql))
                .await?
            {
                out.push(Mismatch {
                    copy: check.name,
                    row: r.try_get("", "row")?,
                });
            }
        }
        Ok(out)
    }
}
