//! One integration-test binary (each file under tests/ would be a separate slow
//! link): a module per feature, every test run against SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod helpers;

mod activities;
mod activity_import;
mod agencies;
mod agreements;
mod audit;
mod auth;
mod briefing;
mod browser;
mod calendar;
mod cluster;
mod consultations;
mod contract;
mod copies;
mod crises;
mod dashboard;
mod demo;
mod files;
mod hostile;
mod matrix;
mod multilateral;
mod notifications;
mod ops;
mod partner_import;
mod partners;
mod people;
mod plans;
mod protection;
mod reference;
mod reports;
mod search;
mod secret_items;
mod upgrade;
mod visibility;
