//! Kiềng's domain: the types and rules of the foreign-affairs record, with no I/O.
//!
//! Nothing here knows about HTTP, SQL or the file system. Input from the edge is
//! parsed into the validated types of this crate (parse, don't validate), so the
//! layers above can only hold data that already obeys the rules.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod access;
pub mod activity;
pub mod activity_import;
pub mod agency;
pub mod agreement;
pub mod attachment;
pub mod audit;
pub mod bounds;
pub mod classification;
pub mod codes;
pub mod commitment;
pub mod consultation;
pub mod coordination;
pub mod dashboard;
pub mod days;
pub mod document;
pub mod error;
pub mod grid;
pub mod ical;
pub mod import;
pub mod multilateral;
pub mod notification;
pub mod partner;
pub mod partner_import;
pub mod person;
pub mod plan;
pub mod protection;
pub mod reference;
pub mod report;
pub mod search;
pub mod secret_item;
pub mod signin;
pub mod text;
pub mod user;
pub mod zones;

pub use access::{Actor, AgencyGraph, Role, Scope};
pub use classification::Classification;
pub use error::{FieldErrors, Msg};
