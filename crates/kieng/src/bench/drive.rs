//! Driving the servers: the scenario runner (workers, percentiles), signed-in
//! clients, and the servers' memory sampled while they run.

use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{PASSWORD, WORKER};

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

/// The servers' resident memory in KiB as sampled: the largest anonymous and
/// file-backed parts since the start, and the anonymous since the last scenario.
pub(super) struct Memory {
    pub(super) heap: AtomicU64,
    pub(super) mapped: AtomicU64,
    scenario_heap: AtomicU64,
}

pub(super) static MEMORY: Memory = Memory {
    heap: AtomicU64::new(0),
    mapped: AtomicU64::new(0),
    scenario_heap: AtomicU64::new(0),
};

/// A process's anonymous resident memory (`RssAnon`, from `status`: cheap) in KiB.
fn heap_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    kb_field(&status, "RssAnon:")
}

/// A process's file-backed memory, each page counted once (`Pss_File`, from
/// `smaps_rollup`), in KiB. `RssFile` would count the SQLite file once per
/// connection mapping it (four times the database's pages); the kernel walks
/// the page tables for this, so it is sampled less often than the heap.
fn mapped_kb(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    kb_field(&rollup, "Pss_File:")
}

fn kb_field(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find(|l| l.starts_with(name))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Sample the servers' memory (the heap every 20 ms, mapped files every 5 s:
/// walking the page tables of four connections' 2 GB maps took 3.5 % of the
/// machine's CPU at every 500 ms) until aborted.
pub(super) fn sample_memory(pids: Vec<u32>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for tick in 0u64.. {
            for pid in &pids {
                if let Some(anon) = heap_kb(*pid) {
                    MEMORY.heap.fetch_max(anon, Ordering::Relaxed);
                    MEMORY.scenario_heap.fetch_max(anon, Ordering::Relaxed);
                }
                if tick % 250 == 0
                    && let Some(file) = mapped_kb(*pid)
                {
                    MEMORY.mapped.fetch_max(file, Ordering::Relaxed);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

pub(super) fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// GET `url` as client `c`: did it answer 200? The body is read to its end, as
/// a browser reads it: the time counts its transfer, and the connection goes
/// back to the client's pool (an answer dropped unread closes it, and the next
/// request would pay a new connection).
pub(super) async fn ok(c: reqwest::Client, url: String) -> bool {
    answered(c.get(url).send().await, 200).await
}

/// Did the request get an answer of `status`, whose body then read whole?
pub(super) async fn answered(r: reqwest::Result<reqwest::Response>, status: u16) -> bool {
    match r {
        Ok(r) => {
            let right = r.status().as_u16() == status;
            r.bytes().await.is_ok() && right
        }
        Err(_) => false,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Only the scenarios whose name holds this (`kieng bench --only`), when set.
pub(super) static ONLY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Run `total` requests from `clients.len()` workers; `send(client, i)` makes one.
/// A worker's client is what it sends with: an HTTP client, or a reader's
/// context for the store called in process.
pub(super) async fn scenario<C, F, Fut>(
    name: &str,
    clients: Vec<C>,
    total: usize,
    send: F,
) -> Scenario
where
    C: Clone + Send + 'static,
    F: Fn(C, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let mut out = mix(&[(name, 1)], clients, total, move |c, _, i| send(c, i)).await;
    out.pop()
        .unwrap_or_else(|| summary(name, Vec::new(), 0, 0.0))
}

/// Run `total` requests from `clients.len()` workers, request `i` being of kind
/// `kinds[k]` in the proportions of their weights, interleaved (a weight of 30
/// in 100 is 30 requests of every hundred, spread over it); `send(client, k, i)`
/// makes one. One summary per kind, its throughput over the whole run.
pub(super) async fn mix<C, F, Fut>(
    kinds: &[(&str, usize)],
    clients: Vec<C>,
    total: usize,
    send: F,
) -> Vec<Scenario>
where
    C: Clone + Send + 'static,
    F: Fn(C, usize, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    if ONLY
        .get()
        .and_then(Option::as_ref)
        .is_some_and(|only| !kinds.iter().any(|k| k.0.contains(only.as_str())))
    {
        return Vec::new();
    }
    let schedule = Arc::new(schedule(kinds));
    let next = Arc::new(AtomicUsize::new(0));
    let send = Arc::new(send);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (w, c) in clients.into_iter().enumerate() {
        let (next, send, schedule) = (next.clone(), send.clone(), schedule.clone());
        tasks.push(tokio::spawn(WORKER.scope(w, async move {
            let mut times: Vec<(usize, Duration, bool)> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let k = schedule[i % schedule.len().max(1)];
                let t = Instant::now();
                let ok = send(c.clone(), k, i).await;
                times.push((k, t.elapsed(), ok));
            }
            times
        })));
    }
    let mut times = Vec::with_capacity(total);
    for t in tasks {
        if let Ok(ts) = t.await {
            times.extend(ts);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut out: Vec<Scenario> = kinds
        .iter()
        .enumerate()
        .map(|(k, (name, _))| {
            let of_kind: Vec<&(usize, Duration, bool)> =
                times.iter().filter(|t| t.0 == k).collect();
            let errors = of_kind.iter().filter(|t| !t.2).count();
            summary(name, of_kind.iter().map(|t| t.1).collect(), errors, seconds)
        })
        .collect();
    let heap_mb = MEMORY.scenario_heap.swap(0, Ordering::Relaxed) as f64 / 1024.0;
    for s in &mut out {
        s.server_heap_mb = heap_mb;
    }
    out
}

/// Which kind each of a cycle of requests is: every kind as often as its
/// weight, spread evenly over the cycle (largest remainder first, so a kind of
/// weight 5 in 100 comes every 20th request rather than five in a row).
fn schedule(kinds: &[(&str, usize)]) -> Vec<usize> {
    let total: usize = kinds.iter().map(|k| k.1).sum();
    let mut credit = vec![0i64; kinds.len()];
    (0..total)
        .map(|_| {
            for (c, k) in credit.iter_mut().zip(kinds) {
                *c += k.1 as i64;
            }
            let pick = (0..kinds.len())
                .max_by_key(|&k| (credit[k], usize::MAX - k))
                .unwrap_or(0);
            credit[pick] -= total as i64;
            pick
        })
        .collect()
}

/// Percentiles and throughput of one kind of request.
fn summary(name: &str, mut times: Vec<Duration>, errors: usize, seconds: f64) -> Scenario {
    times.sort();
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
        server_heap_mb: 0.0,
    }
}

pub(super) fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(4)
        .build()?)
}

pub(super) async fn sign_in(
    c: &reqwest::Client,
    base: &impl std::fmt::Display,
    user: &str,
) -> bool {
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

#[cfg(test)]
mod tests {
    use super::schedule;

    #[test]
    fn a_schedule_holds_each_kind_as_often_as_its_weight_spread_out() {
        let s = schedule(&[("list", 30), ("month", 15), ("save", 5), ("rest", 50)]);
        assert_eq!(s.len(), 100);
        for (k, w) in [(0, 30), (1, 15), (2, 5), (3, 50)] {
            assert_eq!(s.iter().filter(|&&x| x == k).count(), w);
        }
        // The saves are spread: never two within ten requests of each other.
        let at: Vec<usize> = (0..100).filter(|&i| s[i] == 2).collect();
        assert!(at.windows(2).all(|w| w[1] - w[0] >= 10), "{at:?}");
        assert_eq!(schedule(&[("one", 1)]), vec![0]);
    }
}
