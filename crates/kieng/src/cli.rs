//! The command line: `serve`, `migrate`, `backup`, `restore`, `move`, `user …`, `token …`,
//! `audit verify`, `check`, `demo`.

use crate::config::{Config, Overrides, redact, sqlite_url};
use crate::startup::{Server, open_serving_store, open_store, shutdown_signal};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use kieng_domain::user::{UserForm, UserInput};
use std::io::Read;
use std::path::PathBuf;

/// The release and the schema version it migrates to: `kieng 0.1.0 (schema 50)`.
fn version_line() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        format!(
            "{} (schema {})",
            env!("CARGO_PKG_VERSION"),
            kieng_store::migrate::LATEST
        )
    })
}

#[derive(Parser, Debug)]
#[command(
    name = "kieng",
    version = version_line(),
    about = "Kiềng — nền tảng điều phối công tác đối ngoại / foreign-affairs coordination platform"
)]
pub struct Cli {
    /// Configuration file (default: ./kieng.toml when present).
    #[arg(long, global = true, env = "KIENG_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database: sqlite://PATH?mode=rwc or postgres://… (default: a SQLite file in the data directory).
    #[arg(long, global = true, env = "KIENG_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder for the SQLite file and other data (default: ./kieng-data).
    #[arg(long, global = true, env = "KIENG_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Highest classification this deployment may hold: none, mat, toi_mat, tuyet_mat.
    #[arg(long, global = true, env = "KIENG_MAX_CLASSIFICATION")]
    pub max_classification: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "KIENG_LISTEN")]
        listen: Option<String>,
        /// Run the demo: a SQLite file in ./kieng-demo filled with demo data
        /// the first time, kept (with its accounts) across restarts.
        #[arg(long)]
        demo: bool,
        /// With --demo: throw the kept demo away and start afresh.
        #[arg(long, requires = "demo")]
        fresh: bool,
        /// Mark cookies Secure (serve over HTTPS).
        #[arg(long, env = "KIENG_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Seal every person's personal data again under a new key (made into
    /// NEW_KEY_FILE when it does not exist), in one transaction; then give
    /// the servers the new key file and restart them.
    Rekey {
        /// The new key file (32 bytes in base64, as Kiềng writes them).
        new_key_file: PathBuf,
    },
    /// Take a consistent backup while the server runs: a SQLite file (from
    /// either database), its audit chain verified (default: DATA_DIR/backups/).
    Backup { file: Option<PathBuf> },
    /// Restore a backup into the configured database, which must hold no
    /// records; rebuilds the search index and verifies the audit chain.
    Restore { file: PathBuf },
    /// Write every record a user may see, as the API shows it, one JSON
    /// object a line, a file per kind (agencies, partners, activities,
    /// agreements, commitments).
    Export {
        /// The user whose scope and clearance the export has.
        #[arg(long)]
        user: String,
        /// An empty or new folder (default ./kieng-export-USER-TIME).
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// Copy this deployment into an empty database of the other kind
    /// (SQLite → PostgreSQL or back), checking every table and the audit chain.
    Move {
        /// The new database: postgres://… or sqlite://PATH?mode=rwc.
        #[arg(long)]
        to: String,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal access tokens for the API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The search index of this data directory.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Check that every column copy the visibility rule reads equals its row
    /// (exit 1 naming the rows that differ).
    Check,
    /// Fill an empty database with demo data and print the demo accounts.
    Demo {
        /// A generated dataset instead of the hand-written one: town (10,000
        /// activities), province (100,000) or national (1,000,000 over twenty
        /// years, 200 agencies, 5,000 users, 50,000 agreements, 300,000 commitments).
        #[arg(long)]
        scale: Option<String>,
    },
    /// Benchmark: seed a fresh database, start a server, drive it over HTTP.
    Bench {
        #[arg(long, default_value_t = 10_000)]
        agencies: usize,
        #[arg(long, default_value_t = 10_000)]
        users: usize,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// Requests per read scenario.
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        /// Sign-ins to time (argon2id makes each one deliberately expensive).
        #[arg(long, default_value_t = 640)]
        sign_ins: usize,
        /// Generated activities over twenty years (0: directory scenarios only).
        #[arg(long, default_value_t = 0)]
        activities: usize,
        /// Generated commitments (0: no commitments board scenarios).
        #[arg(long, default_value_t = 0)]
        commitments: usize,
        /// Also write the report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// `kieng serve` processes sharing the database (PostgreSQL only above 1);
        /// the clients are spread over them.
        #[arg(long, default_value_t = 1)]
        servers: usize,
        /// Generate a named scale of `kieng demo --scale` (town, province,
        /// national: organisations, people and agreements too) instead of the
        /// sizes given by --agencies, --users, --activities, --commitments.
        #[arg(long, conflicts_with_all = ["agencies", "users", "activities", "commitments"])]
        scale: Option<String>,
        /// Measure the data an earlier run left in the database and data
        /// directory: no seeding, the search index kept.
        #[arg(long, conflicts_with = "scale")]
        existing: bool,
        /// Run only the scenarios whose name holds this text ("mix", "dossier").
        #[arg(long)]
        only: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user: kieng user add NAME --role ROLE --agency CODE --password-stdin
    Add {
        name: String,
        /// admin, leader, coordinator, officer or viewer.
        #[arg(long)]
        role: String,
        /// The code of the user's agency (a fresh database has HETHONG).
        #[arg(long)]
        agency: String,
        #[arg(long)]
        display_name: Option<String>,
        /// agency, pillar or all (default: all for admins, agency otherwise).
        #[arg(long)]
        scope: Option<String>,
        /// none, mat, toi_mat or tuyet_mat (default none).
        #[arg(long)]
        clearance: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Disable a user (their sessions end; their records stay).
    Disable { name: String },
    /// Set a new password: from standard input with --password-stdin, else a printed one-time password.
    ResetPassword {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token for user NAME and print it (shown once).
    Create {
        name: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// Revoke a token by its id.
    Revoke { id: uuid::Uuid },
}

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Build the index in <data-dir>/search from the database (stop the server
    /// using that directory first; other servers are unaffected).
    Rebuild,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain and print its head; exit 1 and name the first
    /// broken entry if any. With --against, also compare the chain with signed
    /// checkpoints taken earlier (a rewrite or a cut tail since shows there).
    Verify {
        /// A checkpoint file (one JSON object a line), e.g. a copy of
        /// <data-dir>/audit-checkpoints.jsonl kept elsewhere.
        #[arg(long)]
        against: Option<PathBuf>,
        /// The key the checkpoints were signed with (default:
        /// <data-dir>/audit-checkpoint.key).
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Write a signed checkpoint of the chain's head now (servers write one
    /// every 15 minutes when the head moved) and print it.
    Checkpoint,
}

fn read_password() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    let p = s.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        bail!("no password on standard input");
    }
    Ok(p)
}

fn field_errors(e: kieng_store::StoreError) -> anyhow::Error {
    match e {
        kieng_store::StoreError::Invalid(f) => {
            let lines: Vec<String> =
                f.0.iter()
                    .map(|(k, m)| format!("  {k}: {} / {}", m.vi, m.en))
                    .collect();
            anyhow::anyhow!("invalid input:\n{}", lines.join("\n"))
        }
        other => anyhow::anyhow!(other),
    }
}

/// What the global flags say.
fn overrides(cli: &Cli) -> Overrides {
    Overrides {
        config: cli.config.clone(),
        database_url: cli.database_url.clone(),
        data_dir: cli.data_dir.clone(),
        max_classification: cli.max_classification.clone(),
        ..Default::default()
    }
}

/// The runtime's blocking threads, read before the runtime starts (`[tuning]`;
/// a configuration that does not load is reported by the command itself).
pub fn blocking_threads(cli: &Cli) -> usize {
    Config::load(&overrides(cli))
        .map(|c| c.tuning.blocking_threads)
        .unwrap_or_else(|_| crate::config::Tuning::default().blocking_threads)
}

/// Whether the configuration asks for JSON log lines (`log_format = "json"`),
/// read before logging starts.
pub fn log_json(cli: &Cli) -> bool {
    Config::load(&overrides(cli)).is_ok_and(|c| c.log_json)
}

/// Run one command; the exit code.
pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    let o = overrides(&cli);
    match cli.command {
        Command::Serve {
            listen,
            demo,
            fresh,
            secure_cookies,
        } => serve(o, listen, demo.then_some(fresh), secure_cookies).await,
        c @ Command::Bench { .. } => bench(o, c).await,
        Command::Migrate => migrate(o).await,
        Command::Rekey { new_key_file } => crate::ops::rekey_command(o, new_key_file).await,
        Command::Backup { file } => crate::ops::backup_command(o, file).await,
        Command::Restore { file } => crate::ops::restore_command(o, file).await,
        Command::Move { to } => crate::ops::move_command(o, to).await,
        Command::Export { user, to } => crate::ops::export_command(o, user, to).await,
        Command::Check => check(o).await,
        Command::Demo { scale: None } => demo(o).await,
        Command::Demo { scale: Some(name) } => demo_scale(o, name).await,
        Command::User { command } => user(o, command).await,
        Command::Token { command } => token(o, command).await,
        Command::Search {
            command: SearchCommand::Rebuild,
        } => search_rebuild(o).await,
        Command::Audit {
            command: AuditCommand::Verify { against, key },
        } => audit_verify(o, against, key).await,
        Command::Audit {
            command: AuditCommand::Checkpoint,
        } => audit_checkpoint(o).await,
    }
}

/// `kieng serve`: migrate, make the first administrator (or the demo), listen.
/// `demo` is `Some(fresh)` for the demo.
async fn serve(
    mut o: Overrides,
    listen: Option<String>,
    demo: Option<bool>,
    secure_cookies: bool,
) -> anyhow::Result<i32> {
    o.listen = listen;
    o.secure_cookies = secure_cookies.then_some(true);
    let dir = PathBuf::from("kieng-demo");
    if let Some(fresh) = demo {
        if fresh && dir.exists() {
            std::fs::remove_dir_all(&dir).context("clearing ./kieng-demo")?;
        }
        o.data_dir = Some(dir.clone());
        o.database_url = Some(sqlite_url(&dir.join("kieng.db")));
    }
    let config = Config::load(&o)?;
    // The port is checked before anything is written, so a busy one costs nothing.
    std::net::TcpListener::bind(&config.listen).with_context(|| {
        format!(
            "cổng {0} đang bận / {0} is in use: stop what listens there or pass --listen",
            config.listen
        )
    })?;
    let accounts_file = dir.join(DEMO_ACCOUNTS);
    let kept = demo.is_some() && accounts_file.exists();
    let store = open_serving_store(&config).await?;
    if demo.is_some() && kept {
        println!(
            "Kiềng demo (giữ từ lần trước / kept from last time; --fresh để làm lại / to start afresh):"
        );
        print!("{}", std::fs::read_to_string(&accounts_file)?);
    } else if demo.is_some() {
        let accounts = kieng_data::demo::load(&store).await.map_err(field_errors)?;
        let mut text = String::new();
        for a in &accounts {
            text.push_str(&format!(
                "  {:<12} {:<14} {:<44} {}\n",
                a.username,
                a.role.as_str(),
                a.agency,
                a.password
            ));
        }
        write_private(&accounts_file, &text)?;
        println!("Kiềng demo — tài khoản minh họa / demo accounts (chỉ dùng thử / demo only):");
        print!("{text}");
    } else if let Some((user, password)) = store.ensure_first_admin().await.map_err(field_errors)? {
        println!("Tài khoản quản trị đầu tiên / first administrator: {user}");
        println!("Mật khẩu dùng một lần / one-time password: {password}");
        println!("Đổi mật khẩu ngay khi đăng nhập / change it at first sign-in.");
    }
    let server = Server::build(&config, store).await?;
    tracing::info!(database = %redact(&config.database_url), port = server.port(), "Kiềng is listening");
    println!("Kiềng: http://{}", config.listen);
    server.run_until(shutdown_signal()).await?;
    Ok(0)
}

/// The demo accounts and their passwords, kept beside the demo database.
const DEMO_ACCOUNTS: &str = "accounts.txt";

/// Write a file only its owner reads (the demo's passwords).
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

/// `kieng bench`.
async fn bench(o: Overrides, c: Command) -> anyhow::Result<i32> {
    let Command::Bench {
        agencies,
        users,
        concurrency,
        requests,
        sign_ins,
        activities,
        commitments,
        json,
        servers,
        scale,
        existing,
        only,
    } = c
    else {
        bail!("not a bench command");
    };
    let scale = match scale.as_deref() {
        None => None,
        Some(name) => Some(
            kieng_data::scale::scale(name)
                .with_context(|| format!("no scale named {name:?}: town, province or national"))?,
        ),
    };
    // Default: a fresh SQLite file in ./kieng-bench (recreated, unless
    // --existing); a PostgreSQL URL must name an empty database.
    let dir = o
        .data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("kieng-bench"));
    let database_url = match o.database_url.clone() {
        Some(u) => u,
        None => {
            if dir.exists() && !existing {
                std::fs::remove_dir_all(&dir)
                    .with_context(|| format!("clearing {}", dir.display()))?;
            }
            std::fs::create_dir_all(&dir)?;
            sqlite_url(&dir.join("kieng.db"))
        }
    };
    let report = crate::bench::run(crate::bench::BenchOptions {
        database_url,
        agencies,
        users,
        concurrency,
        requests,
        sign_ins,
        activities,
        commitments,
        json,
        data_dir: dir,
        servers,
        scale,
        existing,
        only,
    })
    .await?;
    crate::bench::print(&report);
    Ok(if report.scenarios.iter().any(|s| s.errors > 0) {
        1
    } else {
        0
    })
}

/// `kieng migrate`.
async fn migrate(o: Overrides) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    println!("migrated {}", redact(&config.database_url));
    store.close().await;
    Ok(0)
}

/// `kieng check`: every column copy against its row.
async fn check(o: Overrides) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let problems = store.check().await?;
    store.close().await;
    if problems.is_empty() {
        println!("bản sao khớp / every copy agrees with its row");
        return Ok(0);
    }
    for p in &problems {
        eprintln!("{}: {}", p.copy, p.row);
    }
    eprintln!("{} rows differ from their source", problems.len());
    Ok(1)
}

/// `kieng demo`: the hand-written demo.
async fn demo(o: Overrides) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_serving_store(&config).await?;
    for a in kieng_data::demo::load(&store).await.map_err(field_errors)? {
        println!(
            "{:<12} {:<14} {:<44} {}",
            a.username,
            a.role.as_str(),
            a.agency,
            a.password
        );
    }
    store.close().await;
    Ok(0)
}

/// `kieng demo --scale NAME`: a generated dataset.
async fn demo_scale(o: Overrides, name: String) -> anyhow::Result<i32> {
    let Some(sizes) = kieng_data::scale::scale(&name) else {
        let names: Vec<&str> = kieng_data::scale::SCALES.iter().map(|(n, _)| *n).collect();
        bail!(
            "no scale named {name:?}: choose one of {}",
            names.join(", ")
        );
    };
    let config = Config::load(&o)?;
    // The crisis registry is sealed under the key the servers will hold.
    let store = open_serving_store(&config).await?;
    let password = kieng_store::auth::random_secret();
    let t = std::time::Instant::now();
    let g = kieng_data::scale::generate(&store, sizes, &password)
        .await
        .map_err(field_errors)?;
    // The bulk load is not in the search log: the index is built from the
    // tables at the next start, never caught up from an older one.
    let index = config.data_dir.join("search");
    if index.exists() {
        std::fs::remove_dir_all(&index).with_context(|| format!("clearing {}", index.display()))?;
    }
    for (part, n, secs) in &g.parts {
        println!("{part:<26} {n:>9} in {secs:>6.1} s");
    }
    println!(
        "{:<26} {:>9} in {:>6.1} s",
        "total",
        "",
        t.elapsed().as_secs_f64()
    );
    // One account of each role (the generator cycles through them), and the national coordinator.
    println!(
        "Tài khoản (mật khẩu chung, hiện một lần) / accounts (one shared password, shown once): {password}"
    );
    for (user, role) in g
        .users
        .iter()
        .zip([
            "officer",
            "officer",
            "officer",
            "viewer",
            "coordinator",
            "leader",
            "admin",
        ])
        .skip(2)
    {
        println!("  {user:<14} {role}");
    }
    println!("  {:<14} coordinator (national)", g.national_coordinator);
    store.close().await;
    Ok(0)
}

/// `kieng user …`.
async fn user(o: Overrides, command: UserCommand) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    match command {
        UserCommand::Add {
            name,
            role,
            agency,
            display_name,
            scope,
            clearance,
            password_stdin,
        } => {
            if !password_stdin {
                bail!("give the password on standard input with --password-stdin");
            }
            let password = read_password()?;
            let a = store
                .agency_by_code(&agency)
                .await?
                .with_context(|| format!("no agency with code {agency}"))?;
            let default_scope = if role == "admin" { "all" } else { "agency" };
            let form = UserForm {
                username: name,
                display_name: display_name.unwrap_or_default(),
                agency_id: a.id.to_string(),
                role,
                scope: scope.unwrap_or_else(|| default_scope.into()),
                clearance: clearance.unwrap_or_default(),
                password: None,
            };
            let input = UserInput::parse(&form, config.max_classification)
                .map_err(|e| field_errors(e.into()))?;
            let u = store
                .user_add_cli(&input, &password)
                .await
                .map_err(field_errors)?;
            println!("added {} ({}) to {}", u.username, u.role, a.code);
        }
        UserCommand::List => {
            for v in store.user_list_all().await? {
                let state = if v.user.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                };
                println!(
                    "{:<20} {:<12} {:<8} {:<9} {:<9} {}",
                    v.user.username,
                    v.user.role,
                    v.user.scope,
                    kieng_store::Store::clearance_of(&v.user).as_str(),
                    state,
                    v.agency_name
                );
            }
        }
        UserCommand::Disable { name } => {
            store.user_disable_cli(&name).await.map_err(field_errors)?;
            println!("disabled {name}");
        }
        UserCommand::ResetPassword {
            name,
            password_stdin,
        } => {
            let given = if password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let p = store
                .user_reset_password_cli(&name, given.as_deref())
                .await
                .map_err(field_errors)?;
            if given.is_none() {
                println!("one-time password for {name}: {p}");
            } else {
                println!("password set for {name}");
            }
        }
    }
    Ok(0)
}

/// `kieng token …`.
async fn token(o: Overrides, command: TokenCommand) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let origin = kieng_store::audit::Origin {
        actor_name: Some("cli".into()),
        ..Default::default()
    };
    match command {
        TokenCommand::Create { name, label } => {
            let u = store
                .user_by_name(&name)
                .await?
                .with_context(|| format!("no user {name}"))?;
            if u.disabled_at.is_some() {
                bail!("user {name} is disabled");
            }
            let (_, secret) = store.token_create(u.id, &label, &origin).await?;
            println!("{secret}");
        }
        TokenCommand::Revoke { id } => {
            store
                .token_revoke(id, None, &origin)
                .await
                .map_err(field_errors)?;
            println!("revoked {id}");
        }
    }
    Ok(0)
}

/// `kieng search rebuild`.
async fn search_rebuild(o: Overrides) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let r = store
        .search_rebuild(config.data_dir.join("search"))
        .await
        .context("rebuilding the search index")?;
    println!(
        "search index rebuilt: {} records in {:.1} s, {:.1} MB on disk, peak memory {} MB",
        r.docs,
        r.seconds,
        r.bytes as f64 / 1e6,
        peak_memory_mb().map_or("?".into(), |m| m.to_string())
    );
    Ok(0)
}

/// `kieng audit verify`: the chain, and with `--against` the signed checkpoints.
async fn audit_verify(
    o: Overrides,
    against: Option<PathBuf>,
    key: Option<PathBuf>,
) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let report = store.audit_verify().await?;
    let (seq, hash) = store.audit_head().await?;
    if let Err(e) = report.result {
        eprintln!(
            "audit trail BROKEN after {} good entries: {e}",
            report.checked
        );
        return Ok(1);
    }
    println!("audit trail intact: {} entries verified", report.checked);
    println!("head: entry {seq}, hash {hash}");
    let Some(file) = against else {
        return Ok(0);
    };
    let key = match key {
        Some(k) => crate::anchor::read_key(
            &std::fs::read_to_string(&k).with_context(|| format!("reading {}", k.display()))?,
        )?,
        None => crate::anchor::read_key(
            &std::fs::read_to_string(config.data_dir.join(crate::anchor::KEY_FILE))
                .context("reading the data directory's checkpoint key (or give --key)")?,
        )?,
    };
    let checkpoints = crate::anchor::read_checkpoints(&file)?;
    match store.audit_check_against(&checkpoints, &key).await? {
        Ok(()) => {
            println!(
                "agrees with {} checkpoint(s) of {}",
                checkpoints.len(),
                file.display()
            );
            Ok(0)
        }
        Err(e) => {
            eprintln!("audit trail BROKEN since a checkpoint: {e}");
            Ok(1)
        }
    }
}

/// `kieng audit checkpoint`.
async fn audit_checkpoint(o: Overrides) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let cp = crate::anchor::write(&store, &config.data_dir).await?;
    println!("{}", serde_json::to_string(&cp)?);
    Ok(0)
}

/// This process's peak resident memory (Linux `VmHWM`), in MB.
pub fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
