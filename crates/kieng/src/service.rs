//! How Kiềng runs as a service: the systemd unit shipped in `deploy/`, and the
//! allocator settings it sets, which `kieng bench` gives the servers it starts
//! so that what is measured is what is deployed.
//!
//! The allocators read these only when a process starts:
//! - `MALLOC_ARENA_MAX=2`: glibc (SQLite's pages and statements) gives each
//!   busy thread an arena of its own, up to eight per core, and keeps what is
//!   freed in it; two bound the heap under the working day's mix.
//! - `MIMALLOC_ARENA_EAGER_COMMIT=0`, `MIMALLOC_PURGE_DELAY=0`: mimalloc commits
//!   its arenas' memory as it is used and returns freed pages at once.

/// The systemd unit, as shipped.
pub const UNIT: &str = include_str!("../../../deploy/kieng.service");

/// The allocators' settings the unit sets.
pub const ALLOCATOR_ENV: [(&str, &str); 3] = [
    ("MALLOC_ARENA_MAX", "2"),
    ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ("MIMALLOC_PURGE_DELAY", "0"),
];

/// The settings for a child server: the unit's, except those the operator set.
pub fn allocator_env() -> impl Iterator<Item = (&'static str, &'static str)> {
    ALLOCATOR_ENV
        .into_iter()
        .filter(|(k, _)| std::env::var_os(k).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_sets_every_allocator_setting_the_bench_uses() {
        for (k, v) in ALLOCATOR_ENV {
            assert!(
                UNIT.lines()
                    .any(|l| l.trim() == format!("Environment={k}={v}")),
                "deploy/kieng.service sets {k}={v}"
            );
        }
        assert!(UNIT.contains("ExecStart=") && UNIT.contains(" serve"));
    }
}
