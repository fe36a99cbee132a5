//! `kieng`: one binary for the server and its administration commands.

use clap::Parser;

/// mimalloc for Rust's allocations: the request path allocates a few thousand
/// small blocks per page (rows, strings, the rendered body), and glibc's malloc
/// — its bins sorted and consolidated under two arenas shared by six threads —
/// was a fifth of the server's CPU on a partner's list. With mimalloc the kept
/// list page went 5,200–7,500 → 11,400–12,800 req/s and the first read 450–570
/// → 685–730 (64 clients, national data, the same heap; bench scenarios
/// "latest 50"). SQLite's own allocations stay with glibc; both allocators'
/// settings are the service unit's (`kieng::service`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = kieng::cli::Cli::parse();
    // Blocking work (search queries, index commits, file reads) on a few
    // threads: with two cores more buy no speed, and each thread that
    // allocates keeps a malloc arena of its own (`[tuning] blocking_threads`).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(kieng::cli::blocking_threads(&cli))
        .build();
    match runtime {
        Ok(rt) => rt.block_on(run(cli)),
        Err(e) => {
            eprintln!("kieng: cannot start the runtime: {e}");
            std::process::exit(2);
        }
    }
}

async fn run(cli: kieng::cli::Cli) {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KIENG_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr);
    if kieng::cli::log_json(&cli) {
        // One JSON object a line, the request's span (its id) in each.
        logs.json().init();
    } else {
        // Colours only for a person at a terminal, never in a log file.
        logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
    match kieng::cli::run(cli).await {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("kieng: {e:#}");
            std::process::exit(2);
        }
    }
}
