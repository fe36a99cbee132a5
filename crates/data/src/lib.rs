//! Kiềng's datasets, kept apart from the store so the store holds only what a
//! deployment runs:
//!
//! - [`demo`]: a small organisation of all three pillars with one user per role,
//!   activities, agreements and commitments, written through the store's
//!   services (validated and audited like any input) — `kieng demo`.
//! - [`scale`]: deterministic datasets at named scales up to the national one
//!   (a million activities), written through the store's bulk loader
//!   (`Store::bulk_load`: not audited, not in the search log) — `kieng demo
//!   --scale` and `kieng bench`.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod demo;
pub mod scale;

/// xorshift64*: deterministic, fast, good enough for spreading fixtures.
pub(crate) struct Xorshift {
    state: u64,
    multiplier: u64,
}

impl Xorshift {
    pub(crate) fn new(seed: u64, multiplier: u64) -> Self {
        Self {
            state: seed,
            multiplier,
        }
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(self.multiplier)
    }
}
