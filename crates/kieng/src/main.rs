//! `kieng`: one binary for the server and its administration commands.

use clap::Parser;

/// mimalloc for Rust's allocations: the request path allocates a few thousand
/// small blocks per page (rows, strings, the rendered body), and glibc's malloc
/// — its bins sorted and consolidated under two arenas shared by six threads —
/// was a fifth of the server's CPU on a partner's list. With mimalloc the kept
/// list page went 5,200–7,500 → 11,400–12,800 req/s and the first read 450–570
/// → 685–730 (64 clients, national data, the same heap; BENCHMARKS.md,
/// session 15). SQLite's own allocations stay with glibc (see `ALLOCATOR_ENV`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads for blocking work (search queries, index commits, file reads). With
/// two cores more buy no speed, and each thread that allocates gets a malloc
/// arena of its own that keeps what it freed: 16 concurrent searches took 16
/// threads (1M-activity bench, SQLite: the heap's peak 145 → 134 MB with four,
/// and those searches' p99 146 → 84 ms).
const BLOCKING_THREADS: usize = 4;

/// The allocators' settings, read from the environment once, when the process
/// starts:
/// - `MALLOC_ARENA_MAX=2`: glibc (SQLite's pages and statements) gives each busy
///   thread an arena of its own (up to eight per core) and keeps what is freed
///   in it; with two the heap under the national mix peaked at 110–113 MB
///   instead of 132–198 MB (session 12);
/// - `MIMALLOC_ARENA_EAGER_COMMIT=0`, `MIMALLOC_PURGE_DELAY=0`: mimalloc commits
///   its arenas' memory as it is used and returns freed pages at once; with its
///   defaults the heap after a thousand list reads was 111–116 MB, with these
///   75–78 MB, as with glibc alone, at the same speed.
const ALLOCATOR_ENV: [(&str, &str); 3] = [
    ("MALLOC_ARENA_MAX", "2"),
    ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ("MIMALLOC_PURGE_DELAY", "0"),
];

/// Setting those from inside needs `mallopt`/`mi_option_set` (unsafe code,
/// which Kiềng forbids): so, when one is not set, the process replaces itself
/// with itself, the missing ones set — same PID, arguments, descriptors. An
/// operator's own values are left as they are.
#[cfg(target_os = "linux")]
fn with_allocator_settings() {
    use std::os::unix::process::CommandExt;
    let missing: Vec<(&str, &str)> = ALLOCATOR_ENV
        .into_iter()
        .filter(|(k, _)| std::env::var_os(k).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .envs(missing.iter().copied())
        .exec();
    eprintln!("kieng: could not restart with the allocator settings {missing:?} ({err}); going on");
}

#[cfg(not(target_os = "linux"))]
fn with_allocator_settings() {}

fn main() {
    with_allocator_settings();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build();
    match runtime {
        Ok(rt) => rt.block_on(run()),
        Err(e) => {
            eprintln!("kieng: cannot start the runtime: {e}");
            std::process::exit(2);
        }
    }
}

async fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KIENG_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = kieng::cli::Cli::parse();
    match kieng::cli::run(cli).await {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("kieng: {e:#}");
            std::process::exit(2);
        }
    }
}
