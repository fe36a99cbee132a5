//! Who may see a record: the one owner of the rule's SQL shapes and of the
//! column copies they read.
//!
//! The rule is the domain's predicate `Actor::sees` (`kieng_domain::access`): a
//! record exists for a reader when it is not deleted, its classification is
//! within the reader's clearance, and its owner — or an agency it is seen
//! through: one taking part, or for a commitment the owner of the record it
//! came from — is in the reader's read scope. Above that, nothing of it shows:
//! not in lists, totals, tallies, search, exports or history.
//!
//! The shapes, each the same rule written for the query that reads it:
//!
//! | shape | reads | where |
//! |---|---|---|
//! | by id: a page, a write's check, search hits | the row and its participants, through `Actor::sees` | `by_id` |
//! | activity list, general (`Store::visible`) | the activity row, participations | `activities` |
//! | a calendar span (`visible_in_span`) | the row, participations' copied start | `activities` |
//! | the plain list of a scope, read agency by agency | owner index, participations' copies | `activity_latest` |
//! | a partner's activities and tallies, all scopes | partner links' copies (`link_visible`) | `activities` |
//! | a partner's activities for a scope, agency by agency | partner links' copies, `activity_partner_agencies` | `partner_activities` |
//! | agreements (`agreement_visible`) | the row, its Vietnamese parties | `agreements` |
//! | commitments, the board (`commitment_visible`) | the row: owner and source owner copy | `commitments` |
//! | reports (`report_visible`, `visible_report`, a search hit's `seen_reports`) | the row: its issuing agency | `reports` |
//! | plans (`plan_visible`, `visible_plan`) | the row's issuing agency, `plan_agencies` (its live tasks' agencies) | `plans` |
//! | a delegation plan's planned delegations (`delegation_visible`) | the plan's rule, the row's classification | `plans` |
//! | plan tasks (`task_visible`, `visible_task`, `tasks_seen` for a page of rows), "my agency's tasks" | the row's plan owner copy, `plan_task_agencies` | `plans` |
//! | citizen protection cases (`case_visible`, `visible_case`; a small scope's list page agency by agency, `case_page_in_scope`) | the row: the mission in charge and the intake agency | `protection` |
//! | candidacies (`candidacy_visible`, `visible_candidacy`) | the row: the agency leading the campaign | `multilateral` |
//! | pledges (`pledge_visible`; a seen candidacy's board, `pledges_of_seen`) | the candidacy's rule, the row's classification (never below the candidacy's) | `multilateral` |
//! | a mechanism's outcomes (`outcome_visible`) | the row: the agency that recorded it | `multilateral` |
//! | a list narrowed to a place (`with_partner_in`) | partner links to partners within clearance | `activities` |
//! | what a report counts (`report_reader`) | the reader narrowed by `Actor::narrowed`, through the shapes above | `reports` |
//! | search index filter | each document's agencies and classification | `search::docs` (then `by_id`) |
//!
//! `copies` names every copy these read, who rewrites it, and `Store::check`
//! (`kieng check`) lists any that differ from their row. The property test
//! `tests/api/visibility.rs` drives random writes and holds each shape's
//! answer to the predicate for readers of every scope and clearance; a new
//! shape enters with its row there. A new module builds its reads on these,
//! never on a private "who may see this".

mod activities;
mod activity_latest;
mod agreements;
mod by_id;
mod commitments;
mod copies;
mod multilateral;
mod partner_activities;
mod plans;
mod protection;
mod reports;

pub(crate) use activities::{link_visible, with_partner_in};
pub(crate) use activity_latest::Latest;
pub(crate) use by_id::links;
pub use copies::Mismatch;
pub(crate) use partner_activities::Links;
