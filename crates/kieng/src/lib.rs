//! The `kieng` binary's library half: configuration, start-up and the command
//! line, kept here so integration tests start the real server in-process.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod anchor;
pub mod bench;
pub mod cli;
pub mod config;
pub mod ops;
pub mod service;
pub mod startup;
