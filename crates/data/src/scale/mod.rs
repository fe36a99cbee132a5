//! Generated datasets at named scales (`kieng demo --scale national`): the
//! directory, partners beyond the registry's countries, activities over twenty
//! years, agreements and commitments, each loaded in bulk into a fresh database
//! by its own file here and timed. Deterministic in content: the same scale
//! gives the same names, dates and links.

pub mod activities;
pub mod agreements;
pub mod commitments;
pub mod directory;
pub mod multilateral;
pub mod partners;
pub mod plans;
pub mod protection;

use directory::DirectorySize;
use kieng_store::{Store, StoreError};
use std::time::Instant;

/// How much of everything a scale generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub agencies: usize,
    pub users: usize,
    pub organisations: usize,
    pub people: usize,
    pub activities: usize,
    pub agreements: usize,
    pub commitments: usize,
    pub plans: usize,
    pub tasks: usize,
    pub progress: usize,
    /// Citizen protection cases over twenty years.
    pub cases: usize,
    /// The citizens in one crisis's registry.
    pub crisis_people: usize,
    /// Candidacies, each with every UN member's words.
    pub candidacies: usize,
}

/// The named scales: a district-sized trial, one province's foreign-affairs
/// work, and the national deployment of the product brief (every central
/// agency, the provinces and the missions, twenty years of records).
pub const SCALES: &[(&str, Sizes)] = &[
    (
        "town",
        Sizes {
            agencies: 30,
            users: 200,
            organisations: 50,
            people: 1_000,
            activities: 10_000,
            agreements: 500,
            commitments: 3_000,
            plans: 20,
            tasks: 1_000,
            progress: 3_000,
            cases: 2_000,
            crisis_people: 1_000,
            candidacies: 2,
        },
    ),
    (
        "province",
        Sizes {
            agencies: 100,
            users: 1_000,
            organisations: 200,
            people: 10_000,
            activities: 100_000,
            agreements: 5_000,
            commitments: 30_000,
            plans: 200,
            tasks: 10_000,
            progress: 30_000,
            cases: 20_000,
            crisis_people: 10_000,
            candidacies: 5,
        },
    ),
    (
        "national",
        Sizes {
            agencies: 200,
            users: 5_000,
            organisations: 500,
            people: 50_000,
            activities: 1_000_000,
            agreements: 50_000,
            commitments: 300_000,
            plans: 2_000,
            tasks: 100_000,
            progress: 300_000,
            cases: 200_000,
            crisis_people: 50_000,
            candidacies: 20,
        },
    ),
];

/// The sizes of a named scale.
pub fn scale(name: &str) -> Option<Sizes> {
    SCALES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, s)| *s)
}

/// What was generated and how long each part took.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// (part, rows written, seconds)
    pub parts: Vec<(&'static str, usize, f64)>,
    /// The user names, in order; every one shares the password given.
    pub users: Vec<String>,
    /// A coordinator whose scope is the whole country.
    pub national_coordinator: String,
}

/// Generate `sizes` into a fresh database (refused when it already has users).
pub async fn generate(
    store: &Store,
    sizes: Sizes,
    password: &str,
) -> Result<Generated, StoreError> {
    let mut out = Generated::default();
    let t = Instant::now();
    out.users = directory::seed(
        store,
        DirectorySize {
            agencies: sizes.agencies,
            users: sizes.users,
        },
        password,
    )
    .await?;
    out.parts.push((
        "agencies and users",
        sizes.agencies + sizes.users,
        t.elapsed().as_secs_f64(),
    ));
    let t = Instant::now();
    let (orgs, people) = partners::load(store, sizes.organisations, sizes.people).await?;
    out.parts.push((
        "organisations and people",
        orgs + people,
        t.elapsed().as_secs_f64(),
    ));
    let t = Instant::now();
    let n = activities::load(store, sizes.activities).await?;
    out.parts.push(("activities", n, t.elapsed().as_secs_f64()));
    let t = Instant::now();
    let n = agreements::load(store, sizes.agreements).await?;
    out.parts.push(("agreements", n, t.elapsed().as_secs_f64()));
    let t = Instant::now();
    let n = commitments::load(store, sizes.commitments).await?;
    out.parts
        .push(("commitments", n, t.elapsed().as_secs_f64()));
    let t = Instant::now();
    let (p, k, r) = plans::load(store, sizes.plans, sizes.tasks, sizes.progress).await?;
    out.parts.push((
        "plans, tasks and progress reports",
        p + k + r,
        t.elapsed().as_secs_f64(),
    ));
    let t = Instant::now();
    let (k, r) = protection::load(store, sizes.cases, sizes.crisis_people).await?;
    out.parts.push((
        "protection cases and a crisis registry",
        k + r,
        t.elapsed().as_secs_f64(),
    ));
    let t = Instant::now();
    let (c, p) = multilateral::load(store, sizes.candidacies).await?;
    out.parts
        .push(("candidacies and pledges", c + p, t.elapsed().as_secs_f64()));
    out.national_coordinator = commitments::national_coordinator(store, password).await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_scale_is_the_briefs() {
        let n = scale("National").unwrap();
        assert_eq!((n.agencies, n.users, n.activities), (200, 5_000, 1_000_000));
        assert_eq!(
            (n.agreements, n.commitments, n.people),
            (50_000, 300_000, 50_000)
        );
        assert_eq!((n.plans, n.tasks, n.progress), (2_000, 100_000, 300_000));
        assert_eq!((n.cases, n.crisis_people), (200_000, 50_000));
        assert_eq!(n.candidacies, 20);
        assert!(scale("galactic").is_none());
        // Each scale is larger than the one before in every part.
        for w in SCALES.windows(2) {
            let (a, b) = (w[0].1, w[1].1);
            assert!(a.activities < b.activities && a.users < b.users && a.agencies < b.agencies);
            assert!(a.plans < b.plans && a.tasks < b.tasks && a.progress < b.progress);
        }
    }
}
