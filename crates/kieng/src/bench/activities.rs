//! The activity scenarios: the latest list, one partner's activities from a
//! date, a busy partner's dossier, a month of the calendar, and saving an
//! activity with its coordination check.

use super::Base;
use super::drive::{Scenario, answered, client, ok, scenario};
use std::sync::Arc;

/// Request `i`'s start day for the latest list read from the database: a day
/// before all the data, a different one each time (the same rows, another
/// cache key).
pub(super) fn first_read_day(i: usize) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1990, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(i as u64)))
        .unwrap_or_default()
}

/// Request `i`'s partner and first day for the one-partner list: the partners
/// in turn, from the first of January of one of the twenty years.
pub(super) fn partner_from(partners: &[uuid::Uuid], i: usize) -> (uuid::Uuid, chrono::NaiveDate) {
    let year = 2007 + (i % 19) as i32;
    (
        partners
            .get((i * 13) % partners.len().max(1))
            .copied()
            .unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
    )
}

/// The one-partner list's path for request (or worker) `i`.
fn partner_path(partners: &[uuid::Uuid], i: usize) -> String {
    let (partner, from) = partner_from(partners, i);
    format!("/api/v1/activities?partner={partner}&from={from}")
}

/// Push the activity scenarios' results onto `scenarios`.
pub(super) async fn scenarios(
    scenarios: &mut Vec<Scenario>,
    base: &Base,
    clients: &[reqwest::Client],
    writers: &[(String, String)],
    (partners, busy): (&[uuid::Uuid], &[uuid::Uuid]),
    requests: usize,
) {
    let get = |path: String| {
        let b = base.clone();
        move |c: reqwest::Client, _i: usize| {
            let url = format!("{b}{path}");
            ok(c, url)
        }
    };
    // The latest 50 as read from the database: every request a page not kept
    // yet (a start date before all the data, a different day each time: the
    // same rows, another cache key).
    let b = base.clone();
    scenarios.push(
        scenario(
            "GET /activities?from=D (latest 50, HTML, each a first read)",
            clients.to_vec(),
            requests,
            move |c, i| {
                let url = format!("{b}/activities?from={}", first_read_day(i));
                ok(c, url)
            },
        )
        .await,
    );
    // The latest 50 as most readers meet it: the page kept for their scope
    // since the last change (each client's first read, unmeasured, keeps it).
    for c in clients {
        let _ = c.get(format!("{base}/activities")).send().await;
    }
    scenarios.push(
        scenario(
            "GET /activities (latest 50, HTML, kept since the last change)",
            clients.to_vec(),
            super::fast(requests),
            get("/activities".into()),
        )
        .await,
    );
    let b = base.clone();
    let ps = Arc::new(partners.to_vec());
    scenarios.push(
        scenario(
            "GET /api/v1/activities?partner=P&from=D (one partner, JSON)",
            clients.to_vec(),
            requests,
            move |c, i| {
                let url = format!("{b}{}", partner_path(&ps, i));
                ok(c, url)
            },
        )
        .await,
    );
    // One partner's activities as they are read again (back from an activity,
    // a colleague of the same scope): each client its own partner and first
    // day, the page kept since the last change touching the reader's scope.
    // Each client's first read, unmeasured, keeps it.
    for (w, c) in clients.iter().enumerate() {
        let url = super::WORKER.sync_scope(w, || format!("{base}{}", partner_path(partners, w)));
        let _ = answered(c.get(url).send().await, 200).await;
    }
    let b = base.clone();
    let ps = Arc::new(partners.to_vec());
    scenarios.push(
        scenario(
            "GET /api/v1/activities?partner=P&from=D (one partner, JSON, kept since the last change)",
            clients.to_vec(),
            super::fast(requests),
            move |c, _i| {
                let w = super::WORKER.try_with(|w| *w).unwrap_or(0);
                let url = format!("{b}{}", partner_path(&ps, w));
                ok(c, url)
            },
        )
        .await,
    );
    // A busy partner's dossier: ~1/40 of all activities are with each of them.
    // Once with one reader at a time (the dossier's own cost), once with all.
    let runs = [
        (
            "GET /partners/{id} (a busy partner's dossier, one reader at a time)",
            1,
            requests.min(500),
        ),
        (
            "GET /partners/{id} (a busy partner's dossier, HTML)",
            clients.len(),
            requests,
        ),
    ];
    for (name, readers, total) in runs.into_iter().filter(|_| !busy.is_empty()) {
        let b = base.clone();
        let bs = Arc::new(busy.to_vec());
        scenarios.push(
            scenario(
                name,
                clients.iter().take(readers).cloned().collect(),
                total,
                move |c, i| {
                    let url = format!("{b}/partners/{}", bs[i % bs.len()]);
                    ok(c, url)
                },
            )
            .await,
        );
    }
    // A month of the calendar: one reader at a time (officers and coordinators in
    // turn), then every client at once.
    for (name, readers) in [
        ("GET /calendar (a month, HTML, one reader at a time)", 1),
        ("GET /calendar (a month, HTML)", clients.len()),
    ] {
        let b = base.clone();
        let one: Vec<reqwest::Client> = if readers == 1 {
            clients.iter().take(8).cloned().collect()
        } else {
            clients.to_vec()
        };
        let sequential = readers == 1;
        let pool = Arc::new(one);
        scenarios.push(
            scenario(
                name,
                if sequential {
                    vec![pool[0].clone()]
                } else {
                    pool.to_vec()
                },
                requests,
                move |c, i| {
                    // One reader at a time, but not always the same one.
                    let c = if sequential {
                        pool[i % pool.len()].clone()
                    } else {
                        c
                    };
                    let url = format!(
                        "{b}/calendar?date={}-{:02}-01",
                        2007 + (i % 20),
                        1 + (i % 12)
                    );
                    ok(c, url)
                },
            )
            .await,
        );
    }
    if writers.is_empty() {
        return;
    }
    let b = base.clone();
    let ws = Arc::new(writers.to_vec());
    let ps = Arc::new(partners.to_vec());
    let writer_clients: Vec<reqwest::Client> =
        (0..ws.len()).filter_map(|_| client().ok()).collect();
    for (name, writers) in [
        (
            "POST /api/v1/activities (save + check, one writer at a time)",
            1,
        ),
        (
            "POST /api/v1/activities (save + coordination check)",
            writer_clients.len(),
        ),
    ] {
        let (b, ws, ps) = (b.clone(), ws.clone(), ps.clone());
        let savers = writer_clients.iter().take(writers).cloned().collect();
        scenarios.push(
            scenario(name, savers, requests.min(5_000), move |c, i| {
                let writer = ws[i % ws.len()].clone();
                let partner = ps[(i * 7) % ps.len().max(1)];
                save(c, format!("{b}/api/v1/activities"), writer, partner, i)
            })
            .await,
        );
    }
}

/// Record a talk through the API as `writer` (token, own agency's code) with
/// `partner` and one member, on a day of March 2027 — the save runs the
/// coordination check against the partner's and the member's other bookings.
/// Was it created?
pub(super) async fn save(
    c: reqwest::Client,
    url: String,
    (token, lead): (String, String),
    partner: uuid::Uuid,
    i: usize,
) -> bool {
    let day = 1 + (i % 28);
    let body = serde_json::json!({
        "title": format!("Đoàn đo hiệu năng số {i}"),
        "type_code": "talks",
        "lead_agency": lead,
        "partners": [partner.to_string()],
        "members": [{"name": format!("Nguyễn Văn Đo {}", i % 500)}],
        "starts_at": format!("2027-03-{day:02}T09:00"),
        "ends_at": format!("2027-03-{day:02}T17:00"),
    });
    answered(c.post(url).bearer_auth(token).json(&body).send().await, 201).await
}
