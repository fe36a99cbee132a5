//! The realistic mix: every client signed in as its own user (officers,
//! coordinators, leaders, viewers, administrators, each with their own scope)
//! doing what a working day holds, in one run — the latest list most, then a
//! partner's activities, the search box, the month, a busy partner's dossier,
//! the user's commitments board, their agency's plan tasks and the plan
//! list, and now and then saving an activity with its
//! coordination check. The saves change the data under the reads, as in real
//! use: pages kept since the last change are read again only until the next.

use super::activities::save;
use super::drive::{Scenario, client, mix, ok};
use super::{Base, SEARCHES};
use std::sync::Arc;
use uuid::Uuid;

/// What the mix's requests are made of.
pub(super) struct MixData<'a> {
    pub base: &'a Base,
    pub clients: &'a [reqwest::Client],
    /// (token, own agency's code) of officers who save through the API.
    pub writers: &'a [(String, String)],
    pub partners: &'a [Uuid],
    pub busy: &'a [Uuid],
    /// Whether there are commitments (the board is in the mix).
    pub board: bool,
    /// Whether there are plans (the agency's tasks and the plan list are in the mix).
    pub plans: bool,
}

#[derive(Clone, Copy)]
enum Kind {
    Latest,
    Partner,
    Search,
    Month,
    Dossier,
    Board,
    Tasks,
    Plans,
    Save,
}

/// Run `total` requests of the mix; one summary per kind of request.
pub(super) async fn scenarios(d: MixData<'_>, total: usize) -> Vec<Scenario> {
    let mut kinds: Vec<(&str, usize, Kind)> = vec![
        ("mix: GET /activities (the latest 50)", 30, Kind::Latest),
        (
            "mix: GET /activities?partner=P&from=D (one partner)",
            15,
            Kind::Partner,
        ),
        ("mix: GET /search?q= (1–3 words)", 15, Kind::Search),
        ("mix: GET /calendar?date= (a month)", 15, Kind::Month),
    ];
    if !d.busy.is_empty() {
        kinds.push((
            "mix: GET /partners/{id} (a busy partner's dossier)",
            10,
            Kind::Dossier,
        ));
    }
    if d.board {
        kinds.push((
            "mix: GET /commitments/board (the reader's own scope)",
            10,
            Kind::Board,
        ));
    }
    if d.plans {
        kinds.push((
            "mix: GET /plans/tasks (the reader's agency's tasks)",
            6,
            Kind::Tasks,
        ));
        kinds.push(("mix: GET /plans (the reader's plans)", 4, Kind::Plans));
    }
    if !d.writers.is_empty() && !d.partners.is_empty() {
        kinds.push((
            "mix: POST /api/v1/activities (save + coordination check)",
            5,
            Kind::Save,
        ));
    }
    let weights: Vec<(&str, usize)> = kinds.iter().map(|k| (k.0, k.1)).collect();
    let which: Arc<Vec<Kind>> = Arc::new(kinds.iter().map(|k| k.2).collect());
    let b = d.base.clone();
    let ps = Arc::new(d.partners.to_vec());
    let busy = Arc::new(d.busy.to_vec());
    let ws = Arc::new(d.writers.to_vec());
    // Saves go with their bearer token from a client without the reader's cookie.
    let savers: Arc<Vec<reqwest::Client>> = Arc::new(
        (0..d.clients.len().min(ws.len()))
            .filter_map(|_| client().ok())
            .collect(),
    );
    mix(&weights, d.clients.to_vec(), total, move |c, k, i| {
        // Request i's choices (partner, year, month, words): spread by a hash of
        // i, since each kind comes at fixed places of the schedule's cycle.
        let r = ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 24) as usize;
        let url = match which[k] {
            Kind::Latest => format!("{b}/activities"),
            Kind::Partner => format!(
                "{b}/activities?partner={}&from={}-01-01",
                ps[r % ps.len().max(1)],
                2007 + (r / 7) % 19
            ),
            Kind::Search => format!("{b}/search?q={}", SEARCHES[r % SEARCHES.len()]),
            Kind::Month => format!(
                "{b}/calendar?date={}-{:02}-01",
                2007 + (r / 3) % 20,
                1 + (r / 5) % 12
            ),
            Kind::Dossier => format!("{b}/partners/{}", busy[r % busy.len().max(1)]),
            Kind::Board => format!("{b}/commitments/board"),
            Kind::Tasks => format!("{b}/plans/tasks"),
            Kind::Plans => format!("{b}/plans"),
            Kind::Save => String::new(),
        };
        let save_with = matches!(which[k], Kind::Save).then(|| {
            (
                savers[i % savers.len().max(1)].clone(),
                format!("{b}/api/v1/activities"),
                ws[i % ws.len().max(1)].clone(),
                ps[(r / 11) % ps.len().max(1)],
            )
        });
        async move {
            match save_with {
                Some((s, url, writer, partner)) => save(s, url, writer, partner, i).await,
                None => ok(c, url).await,
            }
        }
    })
    .await
}
