//! `kieng bench`: a benchmark over a generated directory. It seeds a fresh
//! database, starts a real `kieng serve` in a child process, drives it over HTTP
//! with N concurrent signed-in clients, and prints p50/p99, throughput, errors
//! and the server's peak memory per scenario (a table, and JSON with --json).

mod activities;
mod activity_import;
mod drive;
mod in_process;
mod mix;
mod multilateral;
mod plans;
mod protection;
mod reports;

use anyhow::{Context, bail};
pub use drive::Scenario;
use drive::{MEMORY, client, ok, peak_rss_mb, sample_memory, scenario, sign_in};
use kieng_data::scale::{self, directory::DirectorySize};
use kieng_store::Store;
use serde::Serialize;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "mật khẩu đo hiệu năng 2026";

/// Requests of a scenario answered from memory (the directory, a kept list):
/// `--requests`, but at least 10,000 — a thousand at 8,000 req/s last an eighth
/// of a second, and the clients' first connections weigh on so short a run.
pub fn fast(requests: usize) -> usize {
    requests.max(10_000)
}

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
    /// A named scale of `kieng demo --scale` instead of the sizes above: every
    /// part of it (organisations, people, agreements too).
    pub scale: Option<scale::Sizes>,
    /// Measure what an earlier run left in the database and data directory
    /// (no seeding; the search index rebuilt only when missing).
    pub existing: bool,
    /// Run only the scenarios whose name holds this.
    pub only: Option<String>,
}

/// One part of the seeding: what, how many rows, how long.
#[derive(Debug, Serialize)]
pub struct Seeded {
    pub part: String,
    pub rows: usize,
    pub seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub backend: String,
    pub agencies: usize,
    pub users: usize,
    pub concurrency: usize,
    pub activities: usize,
    pub agreements: usize,
    pub commitments: usize,
    /// How the data was made (empty with `--existing`).
    pub seeded: Vec<Seeded>,
    pub scenarios: Vec<Scenario>,
    /// `kieng serve` processes sharing the database.
    pub servers: usize,
    /// The largest peak among them (VmHWM: heap and mapped files together, the
    /// SQLite file counted once per connection mapping it).
    pub server_peak_rss_mb: Option<f64>,
    /// Sampled while the scenarios ran, the largest of any server: anonymous
    /// memory (heap, stacks; every 20 ms) and mapped files, each page once (the
    /// SQLite file's and the search index's pages, the binary; every 5 s) —
    /// the latter the kernel's file cache, reclaimed under pressure.
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

/// The personal-data key the bench's database is sealed with, kept beside it
/// (so `--existing` reopens what an earlier run sealed) and given to every
/// server it starts.
fn bench_key(o: &BenchOptions) -> anyhow::Result<String> {
    let path = o.data_dir.join("bench-personal-data.key");
    if let Ok(k) = std::fs::read_to_string(&path) {
        return Ok(k.trim().to_string());
    }
    std::fs::create_dir_all(&o.data_dir)?;
    let k = kieng_store::protection::Sealer::generate();
    std::fs::write(&path, &k).context("writing the bench's personal-data key")?;
    Ok(k)
}

/// The store config of the bench's own connections: with its key.
fn bench_config(key: &str) -> anyhow::Result<kieng_store::StoreConfig> {
    let mut c = kieng_store::StoreConfig::default();
    c.protection.sealer =
        Some(kieng_store::protection::Sealer::from_base64(key).map_err(|e| anyhow::anyhow!(e))?);
    Ok(c)
}

pub async fn run(o: BenchOptions) -> anyhow::Result<Report> {
    let _ = drive::ONLY.set(o.only.clone());
    let key = bench_key(&o)?;
    let store = Store::connect(&o.database_url, bench_config(&key)?).await?;
    store.migrate().await?;
    let backend = format!("{:?}", store.backend());
    let data = seed(&store, &o).await?;
    let cast = cast(&store, &o, &data).await?;
    store.close().await;
    if data.users.len() < o.concurrency {
        bail!("need at least as many users as concurrent clients");
    }
    let exe = std::env::current_exe()?;
    let search_build = build_index(&o, &exe)?;
    let (servers, urls) = start_servers(&o, &exe, &key).await?;
    let base = Base(Arc::new(urls));
    let sampler = sample_memory(servers.iter().map(|s| s.0.id()).collect());

    let clients = signed_in(&base, &data.users[..o.concurrency]).await?;
    let sizes = data.sizes;
    let mut scenarios = directory_scenarios(&base, &clients, sizes.agencies, o.requests).await;
    if sizes.activities > 0 {
        let partners = (&cast.countries[..], &cast.busy[..]);
        activities::scenarios(
            &mut scenarios,
            &base,
            &clients,
            &cast.writers,
            partners,
            o.requests,
        )
        .await;
        in_process::scenarios(
            &mut scenarios,
            &o.database_url,
            &data.users[..o.concurrency],
            &cast.countries,
            o.requests,
        )
        .await?;
    }
    if let Some(national) = &data.national {
        let boards = signed_in(&base, &vec![national.clone(); o.concurrency]).await?;
        scenarios.extend(board_scenarios(&base, &boards, o.requests).await);
        reports::dashboard_scenarios(&mut scenarios, &base, &boards, &clients, o.requests).await;
        if sizes.plans > 0 {
            let store =
                Store::connect(&o.database_url, kieng_store::StoreConfig::default()).await?;
            plans::scenarios(
                &mut scenarios,
                &store,
                &base,
                &boards,
                &clients,
                &cast.writers,
                o.requests,
            )
            .await?;
            store.close().await;
        }
        if sizes.cases > 0 || sizes.crisis_people > 0 {
            let store = Store::connect(&o.database_url, bench_config(&key)?).await?;
            protection::scenarios(&mut scenarios, &store, &base, &boards, &clients, o.requests)
                .await?;
            store.close().await;
        }
        if sizes.candidacies > 0 {
            let store =
                Store::connect(&o.database_url, kieng_store::StoreConfig::default()).await?;
            multilateral::scenarios(&mut scenarios, &store, &base, &boards, o.requests).await?;
            store.close().await;
        }
        if sizes.activities > 0 {
            let store =
                Store::connect(&o.database_url, kieng_store::StoreConfig::default()).await?;
            activity_import::scenarios(&mut scenarios, &store).await?;
            store.close().await;
        }
        if let Some(c) = boards.first() {
            reports::scenarios(
                &mut scenarios,
                &o.database_url,
                &base,
                national,
                c.clone(),
                o.requests,
            )
            .await?;
        }
    }
    scenarios.extend(search_scenarios(&base, &clients, o.requests).await);
    // The working day's mix, all clients at once; its saves change the data
    // under its reads.
    if sizes.activities > 0 {
        let d = mix::MixData {
            base: &base,
            clients: &clients,
            writers: &cast.writers,
            partners: &cast.countries,
            busy: &cast.busy,
            board: sizes.commitments > 0,
            plans: sizes.plans > 0,
        };
        scenarios.extend(mix::scenarios(d, o.requests.max(1) * 4).await);
    }
    scenarios.push(sign_in_scenario(&base, data.users.clone(), o.concurrency, o.sign_ins).await?);
    sampler.abort();
    let server_peak_rss_mb = servers
        .iter()
        .filter_map(|s| peak_rss_mb(s.0.id()))
        .reduce(f64::max);
    let servers_n = servers.len();
    drop(servers);
    let report = Report {
        backend,
        agencies: sizes.agencies,
        users: sizes.users,
        concurrency: o.concurrency,
        activities: sizes.activities,
        agreements: sizes.agreements,
        commitments: sizes.commitments,
        seeded: data.seeded,
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

/// Who and what the scenarios ask about, read from the seeded database.
struct Cast {
    /// Officers who record activities through the API: (bearer token, own agency code).
    writers: Vec<(String, String)>,
    /// Every country partner.
    countries: Vec<uuid::Uuid>,
    /// The partners most of the generated work goes to.
    busy: Vec<uuid::Uuid>,
}

async fn cast(store: &Store, o: &BenchOptions, data: &Data) -> anyhow::Result<Cast> {
    let e = |e: kieng_store::StoreError| anyhow::anyhow!("{e}");
    let mut writers = Vec::new();
    if data.sizes.activities > 0 {
        for (i, name) in data
            .users
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 7 < 3)
            .take(o.concurrency)
        {
            let id = scale::activities::user_id(store, name).await.map_err(e)?;
            let (_, token) = store
                .token_create(id, "bench", &kieng_store::audit::Origin::default())
                .await
                .map_err(e)?;
            writers.push((
                token,
                format!("BENCH-{:06}", i % data.sizes.agencies.max(1)),
            ));
        }
    }
    let countries = scale::activities::partner_ids(store).await.map_err(e)?;
    let busy = scale::activities::busy_partner_ids(store)
        .await
        .map_err(e)?;
    if store.backend() == kieng_store::Backend::Postgres {
        // Statistics and the visibility map after the bulk load, as autovacuum would.
        use sea_orm::ConnectionTrait;
        store
            .connection()
            .execute_unprepared("VACUUM ANALYZE")
            .await?;
    }
    Ok(Cast {
        writers,
        countries,
        busy,
    })
}

/// One signed-in browser per name.
async fn signed_in(base: &Base, users: &[String]) -> anyhow::Result<Vec<reqwest::Client>> {
    let mut clients = Vec::new();
    for u in users {
        let c = client()?;
        if !sign_in(&c, base, u).await {
            bail!("could not sign in {u}");
        }
        clients.push(c);
    }
    Ok(clients)
}

/// The path of a scenario's `i`-th request.
type PathOf = dyn Fn(usize) -> String + Send + Sync;

/// The agency directory: its first page, any page, a search, the JSON list.
async fn directory_scenarios(
    base: &Base,
    clients: &[reqwest::Client],
    agencies: usize,
    requests: usize,
) -> Vec<Scenario> {
    let pages = agencies.div_ceil(50).max(1);
    let paths: [(&str, Box<PathOf>); 4] = [
        (
            "GET /agencies (list page 1, HTML)",
            Box::new(|_| "/agencies".into()),
        ),
        (
            "GET /agencies?page=N (any page, HTML)",
            Box::new(move |i| format!("/agencies?page={}", 1 + (i * 37) % pages)),
        ),
        (
            "GET /agencies?q=so ngoai vu (search, HTML)",
            Box::new(|_| "/agencies?q=so%20ngoai%20vu".into()),
        ),
        (
            "GET /api/v1/agencies (JSON)",
            Box::new(|_| "/api/v1/agencies".into()),
        ),
    ];
    let mut out = Vec::new();
    for (label, path) in paths {
        let (b, path) = (base.clone(), Arc::new(path));
        out.push(
            scenario(label, clients.to_vec(), fast(requests), move |c, i| {
                let url = format!("{b}{}", path(i));
                ok(c, url)
            })
            .await,
        );
    }
    out
}

/// The national coordinator's board: every commitment is in scope.
async fn board_scenarios(
    base: &Base,
    boards: &[reqwest::Client],
    requests: usize,
) -> Vec<Scenario> {
    let mut out = Vec::new();
    for (label, path) in [
        (
            "GET /api/v1/commitments/board (national scope, JSON)",
            "/api/v1/commitments/board",
        ),
        (
            "GET /commitments/board (national scope, HTML)",
            "/commitments/board",
        ),
        ("GET / (a national coordinator's home page, HTML)", "/"),
    ] {
        let b = base.clone();
        out.push(
            scenario(label, boards.to_vec(), requests.min(5_000), move |c, _| {
                let url = format!("{b}{path}");
                ok(c, url)
            })
            .await,
        );
    }
    out
}

/// The search box: one to three words, with and without diacritics; one
/// reader at a time (the latency a user sees), then every client at once.
async fn search_scenarios(
    base: &Base,
    clients: &[reqwest::Client],
    requests: usize,
) -> Vec<Scenario> {
    let mut out = Vec::new();
    for (label, readers) in [
        (
            "GET /api/v1/search (1–3 words, one reader at a time)",
            &clients[..1],
        ),
        (
            "GET /api/v1/search (1–3 words, scope and clearance)",
            clients,
        ),
    ] {
        let b = base.clone();
        out.push(
            scenario(label, readers.to_vec(), requests, move |c, i| {
                let url = format!("{b}/api/v1/search?q={}", SEARCHES[i % SEARCHES.len()]);
                ok(c, url)
            })
            .await,
        );
    }
    out
}

/// Sign-in: a fresh browser each time, real argon2 verification.
async fn sign_in_scenario(
    base: &Base,
    users: Vec<String>,
    concurrency: usize,
    sign_ins: usize,
) -> anyhow::Result<Scenario> {
    let fresh: Vec<reqwest::Client> = (0..concurrency)
        .map(|_| client())
        .collect::<Result<_, _>>()?;
    let b = base.clone();
    let names = Arc::new(users);
    Ok(scenario(
        "POST /login (sign-in, argon2id)",
        fresh,
        sign_ins,
        move |_, i| {
            let (b, names) = (b.clone(), names.clone());
            async move {
                let Ok(c) = client() else { return false };
                sign_in(&c, &b, &names[i % names.len()]).await
            }
        },
    )
    .await)
}

pub fn print(r: &Report) {
    println!(
        "Kiềng bench — {} · {} server(s) · {} agencies · {} users · {} activities · {} agreements · {} commitments · {} concurrent clients",
        r.backend,
        r.servers,
        r.agencies,
        r.users,
        r.activities,
        r.agreements,
        r.commitments,
        r.concurrency
    );
    for p in &r.seeded {
        println!("  {}: {} rows in {:.1} s", p.part, p.rows, p.seconds);
    }
    println!(
        "{:<64} {:>8} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
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
            "{:<64} {:>8} {:>7} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>8.1} {:>8.0}",
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
        println!(
            "server peak resident memory (VmHWM, the largest of the servers; the database file counted once per connection mapping it): {m:.0} MB"
        );
    }
    println!(
        "sampled: heap (RssAnon) at most {:.0} MB; mapped files, each page once (Pss_File: the database's and the search index's pages, the binary) at most {:.0} MB",
        r.server_heap_mb, r.server_mapped_mb
    );
}

/// The data a run measures: its users (sharing [`PASSWORD`]), the national
/// coordinator when there are commitments, and the sizes.
struct Data {
    users: Vec<String>,
    national: Option<String>,
    sizes: scale::Sizes,
    seeded: Vec<Seeded>,
}

/// Seed the database as the options say, or read what an earlier run left.
async fn seed(store: &Store, o: &BenchOptions) -> anyhow::Result<Data> {
    let e = |e: kieng_store::StoreError| anyhow::anyhow!("{e}");
    if o.existing {
        let (users, sizes) = scale::directory::existing(store).await.map_err(e)?;
        let national = if sizes.commitments > 0 {
            Some(
                scale::commitments::national_coordinator(store, PASSWORD)
                    .await
                    .map_err(e)?,
            )
        } else {
            None
        };
        return Ok(Data {
            users,
            national,
            sizes,
            seeded: Vec::new(),
        });
    }
    if let Some(sizes) = o.scale {
        let g = scale::generate(store, sizes, PASSWORD).await.map_err(e)?;
        return Ok(Data {
            users: g.users,
            national: Some(g.national_coordinator),
            sizes,
            seeded: g
                .parts
                .into_iter()
                .map(|(part, rows, seconds)| Seeded {
                    part: part.into(),
                    rows,
                    seconds,
                })
                .collect(),
        });
    }
    let mut seeded = Vec::new();
    let t = Instant::now();
    let users = scale::directory::seed(
        store,
        DirectorySize {
            agencies: o.agencies,
            users: o.users,
        },
        PASSWORD,
    )
    .await
    .map_err(e)?;
    seeded.push(Seeded {
        part: "agencies and users".into(),
        rows: o.agencies + o.users,
        seconds: t.elapsed().as_secs_f64(),
    });
    if o.activities > 0 {
        let t = Instant::now();
        let rows = scale::activities::load(store, o.activities)
            .await
            .map_err(e)?;
        seeded.push(Seeded {
            part: "activities".into(),
            rows,
            seconds: t.elapsed().as_secs_f64(),
        });
    }
    let national = if o.commitments > 0 {
        let t = Instant::now();
        let rows = scale::commitments::load(store, o.commitments)
            .await
            .map_err(e)?;
        seeded.push(Seeded {
            part: "commitments".into(),
            rows,
            seconds: t.elapsed().as_secs_f64(),
        });
        Some(
            scale::commitments::national_coordinator(store, PASSWORD)
                .await
                .map_err(e)?,
        )
    } else {
        None
    };
    Ok(Data {
        users,
        national,
        sizes: scale::Sizes {
            agencies: o.agencies,
            users: o.users,
            organisations: 0,
            people: 0,
            activities: o.activities,
            agreements: 0,
            commitments: o.commitments,
            plans: 0,
            tasks: 0,
            progress: 0,
            cases: 0,
            crisis_people: 0,
            candidacies: 0,
        },
        seeded,
    })
}

/// The search index, built from scratch as `kieng search rebuild` does (kept
/// with --existing: the server follows the change log from where it is);
/// what the build printed.
fn build_index(o: &BenchOptions, exe: &std::path::Path) -> anyhow::Result<String> {
    let index = o.data_dir.join("search");
    Ok(if o.existing && index.exists() {
        "search index: kept from the earlier run".to_string()
    } else {
        if index.exists() {
            std::fs::remove_dir_all(&index).context("clearing the bench search index")?;
        }
        let built = Command::new(exe)
            .args([
                "--database-url",
                &o.database_url,
                "--data-dir",
                &o.data_dir.display().to_string(),
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
        String::from_utf8_lossy(&built.stdout).trim().to_string()
    })
}

/// `--servers` children of `kieng serve` on the bench's database, each with its
/// own data directory, started and ready; their processes and base URLs.
async fn start_servers(
    o: &BenchOptions,
    exe: &std::path::Path,
    key: &str,
) -> anyhow::Result<(Vec<ServerProcess>, Vec<String>)> {
    let index = o.data_dir.join("search");
    if o.servers > 1 && !o.database_url.starts_with("postgres") {
        bail!("several servers share one database on PostgreSQL only");
    }
    // Each further server gets its own copy of the index, all made before any
    // server starts: a running server merges segments and deletes the files
    // merged away, so a copy taken beside it could name a file it no longer has.
    let mut dirs = vec![o.data_dir.clone()];
    for k in 1..o.servers.max(1) {
        let d = o.data_dir.join(format!("server-{k}"));
        if d.exists() {
            std::fs::remove_dir_all(&d)?;
        }
        copy_index(&index, &d.join("search"))?;
        dirs.push(d);
    }
    let mut servers = Vec::new();
    let mut urls = Vec::new();
    for dir in dirs {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(exe)
            .args([
                "--database-url",
                &o.database_url,
                "--data-dir",
                &dir.display().to_string(),
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            // The servers' log filter: warnings, or KIENG_BENCH_LOG (e.g.
            // `info,sqlx::query=debug` for every statement with its time).
            .env(
                "KIENG_LOG",
                std::env::var("KIENG_BENCH_LOG").unwrap_or_else(|_| "warn".into()),
            )
            // As deployed: the service unit's allocator settings.
            .envs(crate::service::allocator_env())
            .env("KIENG_PERSONAL_DATA_KEY", key)
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
    Ok((servers, urls))
}
