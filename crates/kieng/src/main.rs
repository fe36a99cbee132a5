//! `kieng`: one binary for the server and its administration commands.

use clap::Parser;

/// Threads for blocking work (search queries, index commits, file reads). With
/// two cores more buy no speed, and each thread that allocates gets a malloc
/// arena of its own that keeps what it freed: 16 concurrent searches took 16
/// threads (1M-activity bench, SQLite: the heap's peak 145 → 134 MB with four,
/// and those searches' p99 146 → 84 ms).
const BLOCKING_THREADS: usize = 4;

/// glibc's malloc arenas: at most this many. glibc gives each busy thread an
/// arena of its own (up to eight per core) and keeps what is freed in it; with
/// two the server's heap under the national mix peaked at 110–113 MB instead of
/// 132–198 MB, at the same throughput (BENCHMARKS.md, session 12).
const MALLOC_ARENAS: &str = "2";

/// glibc reads `MALLOC_ARENA_MAX` once, when the process starts, and setting it
/// from inside needs `mallopt` (unsafe code, which Kiềng forbids): so, when it
/// is not set, the process replaces itself with itself, the variable set — same
/// PID, arguments, descriptors. An operator's own value is left as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn with_few_malloc_arenas() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("MALLOC_ARENA_MAX", MALLOC_ARENAS)
        .exec();
    eprintln!("kieng: could not restart with MALLOC_ARENA_MAX={MALLOC_ARENAS} ({err}); going on");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn with_few_malloc_arenas() {}

fn main() {
    with_few_malloc_arenas();
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
