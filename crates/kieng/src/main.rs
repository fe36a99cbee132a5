//! `kieng`: one binary for the server and its administration commands.

use clap::Parser;

/// Threads for blocking work (search queries, index commits, file reads). With
/// two cores more buy no speed, and each thread that allocates gets a malloc
/// arena of its own that keeps what it freed: 16 concurrent searches took 16
/// threads (1M-activity bench, SQLite: the heap's peak 145 → 134 MB with four,
/// and those searches' p99 146 → 84 ms).
const BLOCKING_THREADS: usize = 4;

fn main() {
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
