//! `kieng bench`: a benchmark over a generated directory. It seeds a fresh
//! database, starts a real `kieng serve` in a child process, drives it over HTTP
//! with N concurrent signed-in clients, and prints p50/p99, throughput, errors
//! and the server's peak memory per scenario (a table, and JSON with --json).

use anyhow::{Context, bail};
use kieng_store::Store;
use kieng_store::bench_data::BenchSize;
use serde::Serialize;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "mật khẩu đo hiệu năng 2026";

#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub database_url: String,
    pub agencies: usize,
    pub users: usize,
    pub concurrency: usize,
    pub requests: usize,
    pub sign_ins: usize,
    /// Generated activities (0: the directory scenarios only).
    pub activities: usize,
    /// Generated commitments (0: no board scenarios).
    pub commitments: usize,
    pub json: Option<std::path::PathBuf>,
    /// The server's data directory (its search index); emptied first.
    pub data_dir: std::path::PathBuf,
    /// `kieng serve` processes on the one database (more than one: PostgreSQL
    /// only); worker k of every scenario talks to server k mod N.
    pub servers: usize,
}

#[derive(Debug, Serialize)]
pub struct Scenario {
    pub name: String,
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The servers' largest anonymous resident memory (heap) sampled during it.
    pub server_heap_mb: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub backend: String,
    pub agencies: usize,
    pub users: usize,
    pub concurrency: usize,
    pub activities: usize,
    pub commitments: usize,
    pub seed_seconds: f64,
    pub activity_seed_seconds: f64,
    pub commitment_seed_seconds: f64,
    pub scenarios: Vec<Scenario>,
    /// `kieng serve` processes sharing the database.
    pub servers: usize,
    /// The largest peak among them (VmHWM: heap and mapped files together).
    pub server_peak_rss_mb: Option<f64>,
    /// Sampled every 20 ms while the scenarios ran, the largest of any server:
    /// anonymous memory (heap, stacks) and mapped files (the search index's
    /// pages, the binary) — the latter the kernel reclaims under pressure.
    pub server_heap_mb: f64,
    pub server_mapped_mb: f64,
    /// What `kieng search rebuild` printed: records, time, size, peak memory.
    pub search_build: String,
}

/// Search box queries of one to three words, typed with and without
/// diacritics, some unfinished — names, places and kinds of work.
const SEARCHES: &[&str] = &[
    "nhat ban",
    "Lào",
    "hoi dam trung quoc",
    "nguyễn văn",
    "tran thi mai",
    "dai su quan han",
    "tuần văn hóa",
    "campuchia",
    "le ky ket thai",
    "hoi thao kinh te",
    "singapore",
    "doan cong tac an",
    "Hoa Kỳ",
    "pham quoc hung",
    "tiep doan dai bieu",
    "nga",
];

struct ServerProcess(Child);

/// The servers' addresses. Written into a URL it gives the server of the
/// scenario worker it is written in (worker k → server k mod N), so every
/// scenario spreads its clients over the servers and a single server is N = 1.
#[derive(Clone)]
struct Base(Arc<Vec<String>>);

tokio::task_local! {
    /// Which scenario worker this task is.
    static WORKER: usize;
}

impl std::fmt::Display for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let k = WORKER.try_with(|k| *k).unwrap_or(0);
        match self.0.get(k % self.0.len().max(1)) {
            Some(b) => f.write_str(b),
            None => Ok(()),
        }
    }
}

/// Copy the built search index for another server (each keeps its own).
fn copy_index(from: &std::path::Path, to: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)?.flatten() {
        let name = e.file_name();
        // Lock files belong to the process holding the index.
        if e.path().is_file() && !name.to_string_lossy().starts_with(".tantivy-") {
            std::fs::copy(e.path(), to.join(name))?;
        }
    }
    Ok(())
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The servers' resident memory in KiB as sampled: the largest anonymous and
/// file-backed parts since the start, and the anonymous since the last scenario.
struct Memory {
    heap: AtomicU64,
    mapped: AtomicU64,
    scenario_heap: AtomicU64,
}

static MEMORY: Memory = Memory {
    heap: AtomicU64::new(0),
    mapped: AtomicU64::new(0),
    scenario_heap: AtomicU64::new(0),
};

/// `RssAnon` and `RssFile` of a process, in KiB.
fn rss_parts(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("RssAnon:")?, field("RssFile:")?))
}

/// Sample the servers' memory every 20 ms until aborted.
fn sample_memory(pids: Vec<u32>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            for pid in &pids {
                if let Some((anon, file)) = rss_parts(*pid) {
                    MEMORY.heap.fetch_max(anon, Ordering::Relaxed);
                    MEMORY.mapped.fetch_max(file, Ordering::Relaxed);
                    MEMORY.scenario_heap.fetch_max(anon, Ordering::Relaxed);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// GET `url` as client `c`: did it answer 200?
async fn ok(c: reqwest::Client, url: String) -> bool {
    c.get(url)
        .send()
        .await
        .is_ok_and(|r| r.status().as_u16() == 200)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Run `total` requests from `clients.len()` workers; `send(client, i)` makes one.
async fn scenario<F, Fut>(
    name: &str,
    clients: Vec<reqwest::Client>,
    total: usize,
    send: F,
) -> Scenario
where
    F: Fn(reqwest::Client, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let send = Arc::new(send);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (k, c) in clients.into_iter().enumerate() {
        let (next, send) = (next.clone(), send.clone());
        tasks.push(tokio::spawn(WORKER.scope(k, async move {
            let mut times = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let t = Instant::now();
                if !send(c.clone(), i).await {
                    errors += 1;
                }
                times.push(t.elapsed());
            }
            (times, errors)
        })));
    }
    let mut times = Vec::with_capacity(total);
    let mut errors = 0;
    for t in tasks {
        if let Ok((ts, e)) = t.await {
            times.extend(ts);
            errors += e;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    times.sort();
    let heap_kb = MEMORY.scenario_heap.swap(0, Ordering::Relaxed);
    Scenario {
        name: name.to_string(),
        requests: times.len(),
        errors,
        seconds,
        per_second: times.len() as f64 / seconds.max(1e-9),
        p50_ms: percentile(&times, 0.50),
        p95_ms: percentile(&times, 0.95),
        p99_ms: percentile(&times, 0.99),
        max_ms: times
            .last()
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0),
        server_heap_mb: heap_kb as f64 / 1024.0,
    }
}

fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(4)
        .build()?)
}

async fn sign_in(c: &reqwest::Client, base: &impl std::fmt::Display, user: &str) -> bool {
    match c
        .post(format!("{base}/login"))
        .form(&[("username", user), ("password", PASSWORD)])
        .send()
        .await
    {
        Ok(r) => r.status().as_u16() == 303,
        Err(_) => false,
    }
}

pub async fn run(o: BenchOptions) -> anyhow::Result<Report> {
    let store = Store::connect(&o.database_url, kieng_store::StoreConfig::default()).await?;
    store.migrate().await?;
    let backend = format!("{:?}", store.backend());
    let t = Instant::now();
    let users = store
        .bench_seed(
            BenchSize {
                agencies: o.agencies,
                users: o.users,
            },
            PASSWORD,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let seed_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    if o.activities > 0 {
        store
            .bench_activities(o.activities)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let activity_seed_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let national = if o.commitments > 0 {
        store
            .bench_commitments(o.commitments)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Some(
            store
                .bench_national_coordinator(PASSWORD)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        )
    } else {
        None
    };
    let commitment_seed_seconds = t.elapsed().as_secs_f64();
    // Officers record activities through the API with bearer tokens: (token, own agency code).
    let mut writers: Vec<(String, String)> = Vec::new();
    if o.activities > 0 {
        for (i, name) in users
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 7 < 3)
            .take(o.concurrency)
        {
            let id = store
                .user_id_by_name(name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let (_, token) = store
                .token_create(id, "bench", &kieng_store::audit::Origin::default())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            writers.push((token, format!("BENCH-{:06}", i % o.agencies.max(1))));
        }
    }
    let country_ids = store
        .bench_partner_ids()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let busy_ids = store
        .bench_busy_partner_ids()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if store.backend() == kieng_store::Backend::Postgres {
        // Statistics and the visibility map after the bulk load, as autovacuum would.
        use sea_orm::ConnectionTrait;
        store
            .connection()
            .execute_unprepared("VACUUM ANALYZE")
            .await?;
    }
    store.close().await;
    if users.len() < o.concurrency {
        bail!("need at least as many users as concurrent clients");
    }
    let exe = std::env::current_exe()?;
    // The search index, built from scratch as `kieng search rebuild` does.
    let index = o.data_dir.join("search");
    if index.exists() {
        std::fs::remove_dir_all(&index).context("clearing the bench search index")?;
    }
    let data_dir = o.data_dir.display().to_string();
    let built = Command::new(&exe)
        .args([
            "--database-url",
            &o.database_url,
            "--data-dir",
            &data_dir,
            "search",
            "rebuild",
        ])
        .env("KIENG_LOG", "warn")
        .stderr(Stdio::inherit())
        .output()
        .context("kieng search rebuild")?;
    if !built.status.success() {
        bail!("kieng search rebuild failed");
    }
    let search_build = String::from_utf8_lossy(&built.stdout).trim().to_string();

    if o.servers > 1 && !o.database_url.starts_with("postgres") {
        bail!("several servers share one database on PostgreSQL only");
    }
    let mut servers = Vec::new();
    let mut urls = Vec::new();
    for k in 0..o.servers.max(1) {
        let dir = if k == 0 {
            o.data_dir.clone()
        } else {
            let d = o.data_dir.join(format!("server-{k}"));
            if d.exists() {
                std::fs::remove_dir_all(&d)?;
            }
            copy_index(&index, &d.join("search"))?;
            d
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(&exe)
            .args([
                "--database-url",
                &o.database_url,
                "--data-dir",
                &dir.display().to_string(),
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env("KIENG_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting kieng serve")?;
        servers.push(ServerProcess(child));
        urls.push(format!("http://127.0.0.1:{port}"));
    }
    let probe = client()?;
    for url in &urls {
        let mut ready = false;
        for _ in 0..400 {
            if probe
                .get(format!("{url}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        if !ready {
            bail!("the server at {url} did not become ready");
        }
    }
    let base = Base(Arc::new(urls));
    let sampler = sample_memory(servers.iter().map(|s| s.0.id()).collect());

    // One signed-in browser per concurrent client.
    let mut clients = Vec::new();
    for u in users.iter().take(o.concurrency) {
        let c = client()?;
        if !sign_in(&c, &base, u).await {
            bail!("could not sign in {u}");
        }
        clients.push(c);
    }
    let mut scenarios = Vec::new();
    let b = base.clone();
    scenarios.push(
        scenario(
            "GET /agencies (list page 1, HTML)",
            clients.clone(),
            o.requests,
            move |c, _| {
                let url = format!("{b}/agencies");
                ok(c, url)
            },
        )
        .await,
    );
    let b = base.clone();
    let pages = o.agencies.div_ceil(50).max(1);
    scenarios.push(
        scenario(
            "GET /agencies?page=N (any page, HTML)",
            clients.clone(),
            o.requests,
            move |c, i| {
                let url = format!("{b}/agencies?page={}", 1 + (i * 37) % pages);
                ok(c, url)
            },
        )
        .await,
    );
    let b = base.clone();
    scenarios.push(
        scenario(
            "GET /agencies?q=so ngoai vu (search, HTML)",
            clients.clone(),
            o.requests,
            move |c, _| {
                let url = format!("{b}/agencies?q=so%20ngoai%20vu");
                ok(c, url)
            },
        )
        .await,
    );
    let b = base.clone();
    scenarios.push(
        scenario(
            "GET /api/v1/agencies (JSON)",
            clients.clone(),
            o.requests,
            move |c, _| {
                let url = format!("{b}/api/v1/agencies");
                ok(c, url)
            },
        )
        .await,
    );
    if o.activities > 0 {
        activity_scenarios(
            &mut scenarios,
            &base,
            &clients,
            &writers,
            (&country_ids, &busy_ids),
            o.requests,
        )
        .await;
    }
    if let Some(national) = &national {
        // The national coordinator's board: every commitment is in scope.
        let mut boards = Vec::new();
        for _ in 0..o.concurrency {
            let c = client()?;
            if !sign_in(&c, &base, national).await {
                bail!("could not sign in {national}");
            }
            boards.push(c);
        }
        for (label, path) in [
            (
                "GET /api/v1/commitments/board (national scope, JSON)",
                "/api/v1/commitments/board",
            ),
            (
                "GET /commitments/board (national scope, HTML)",
                "/commitments/board",
            ),
        ] {
            let b = base.clone();
            scenarios.push(
                scenario(label, boards.clone(), o.requests.min(5_000), move |c, _| {
                    let url = format!("{b}{path}");
                    ok(c, url)
                })
                .await,
            );
        }
    }
    // The search box: one to three words, with and without diacritics; one
    // reader at a time (the latency a user sees), then every client at once.
    for (label, readers) in [
        (
            "GET /api/v1/search (1–3 words, one reader at a time)",
            &clients[..1],
        ),
        (
            "GET /api/v1/search (1–3 words, scope and clearance)",
            &clients[..],
        ),
    ] {
        let b = base.clone();
        scenarios.push(
            scenario(label, readers.to_vec(), o.requests, move |c, i| {
                let url = format!("{b}/api/v1/search?q={}", SEARCHES[i % SEARCHES.len()]);
                ok(c, url)
            })
            .await,
        );
    }
    // Sign-in: a fresh browser each time, real argon2 verification.
    let fresh: Vec<reqwest::Client> = (0..o.concurrency)
        .map(|_| client())
        .collect::<Result<_, _>>()?;
    let b = base.clone();
    let names = Arc::new(users);
    scenarios.push(
        scenario(
            "POST /login (sign-in, argon2id)",
            fresh,
            o.sign_ins,
            move |_, i| {
                let (b, names) = (b.clone(), names.clone());
                async move {
                    let Ok(c) = client() else { return false };
                    sign_in(&c, &b, &names[i % names.len()]).await
                }
            },
        )
        .await,
    );
    sampler.abort();
    let server_peak_rss_mb = servers
        .iter()
        .filter_map(|s| peak_rss_mb(s.0.id()))
        .reduce(f64::max);
    let servers_n = servers.len();
    drop(servers);
    let report = Report {
        backend,
        agencies: o.agencies,
        users: o.users,
        concurrency: o.concurrency,
        activities: o.activities,
        commitments: o.commitments,
        seed_seconds,
        activity_seed_seconds,
        commitment_seed_seconds,
        scenarios,
        servers: servers_n,
        server_peak_rss_mb,
        server_heap_mb: MEMORY.heap.load(Ordering::Relaxed) as f64 / 1024.0,
        server_mapped_mb: MEMORY.mapped.load(Ordering::Relaxed) as f64 / 1024.0,
        search_build,
    };
    if let Some(path) = &o.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    Ok(report)
}

/// The activity scenarios: the latest list, one partner's activities from a date,
/// a busy partner's dossier, a month of the calendar, and saving an activity with its coordination check.
async fn activity_scenarios(
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
                let day = chrono::NaiveDate::from_ymd_opt(1990, 1, 1)
                    .and_then(|d| d.checked_add_days(chrono::Days::new(i as u64)))
                    .unwrap_or_default();
                let url = format!("{b}/activities?from={day}");
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
            requests,
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
                let year = 2007 + (i % 19);
                let url = format!(
                    "{b}/api/v1/activities?partner={}&from={year}-01-01",
                    ps[(i * 13) % ps.len().max(1)]
                );
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
        scenarios.push(
        scenario(name, writer_clients.iter().take(writers).cloned().collect(), requests.min(5_000), move |c, i| {
            let (token, lead) = ws[i % ws.len()].clone();
            let day = 1 + (i % 28);
            let body = serde_json::json!({
                "title": format!("Đoàn đo hiệu năng số {i}"), "type_code": "talks", "lead_agency": lead,
                "partners": [ps[(i * 7) % ps.len().max(1)].to_string()],
                "members": [{"name": format!("Nguyễn Văn Đo {}", i % 500)}],
                "starts_at": format!("2027-03-{day:02}T09:00"), "ends_at": format!("2027-03-{day:02}T17:00")});
            let url = format!("{b}/api/v1/activities");
            async move {
                c.post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().as_u16() == 201)
            }
        })
        .await,
    );
    }
}

pub fn print(r: &Report) {
    println!(
        "Kiềng bench — {} · {} server(s) · {} agencies · {} users · {} concurrent clients · seeded in {:.1} s",
        r.backend, r.servers, r.agencies, r.users, r.concurrency, r.seed_seconds
    );
    if r.activities > 0 {
        println!(
            "{} activities loaded in {:.1} s",
            r.activities, r.activity_seed_seconds
        );
    }
    if r.commitments > 0 {
        println!(
            "{} commitments loaded in {:.1} s",
            r.commitments, r.commitment_seed_seconds
        );
    }

    println!(
        "{:<58} {:>8} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "scenario",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "heap MB"
    );
    for s in &r.scenarios {
        println!(
            "{:<58} {:>8} {:>7} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>8.1} {:>8.0}",
            s.name,
            s.requests,
            s.errors,
            s.per_second,
            s.p50_ms,
            s.p95_ms,
            s.p99_ms,
            s.max_ms,
            s.server_heap_mb
        );
    }
    println!("{}", r.search_build);
    if let Some(m) = r.server_peak_rss_mb {
        println!("server peak memory (VmHWM, the largest of the servers): {m:.0} MB");
    }
    println!(
        "of which, sampled every 20 ms: heap (RssAnon) at most {:.0} MB, mapped files (RssFile: the search index's pages, the binary) at most {:.0} MB",
        r.server_heap_mb, r.server_mapped_mb
    );
}
