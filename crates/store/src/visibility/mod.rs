//! Who may see a record: the one owner of the rule's SQL shapes and of the
//! column copies they read.
//!
//! The rule itself is a domain predicate (`kieng_domain::access`): a record is
//! seen by a reader when it is not deleted, its classification is within the
//! reader's clearance, and its owner — or an agency taking part in it, or for
//! a commitment the owner of the record it came from — is in the reader's
//! read scope. Each list, total, tally and search re-check states that rule in
//! SQL over the record's row or over copies of its columns kept on link rows
//! (so an index answers alone); `copies` names every copy, who rewrites it,
//! and checks that each still equals its row.

mod copies;

pub use copies::Mismatch;
