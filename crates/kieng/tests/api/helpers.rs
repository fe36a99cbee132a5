//! Start the real server on a random port against a fresh database (a temp
//! SQLite file, or a uniquely named PostgreSQL database dropped afterwards),
//! with an agency tree and one signed-in user per role.

use kieng::config::{Config, sqlite_url};
use kieng::startup::{Server, open_serving_store};
use kieng_domain::user::UserForm;
use kieng_domain::{Classification, user::UserInput};
use kieng_store::Store;
use kieng_store::entity::agency;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// PostgreSQL for the tests: `KIENG_TEST_POSTGRES`, else the local server. It is
/// never skipped: an unreachable server fails the test.
pub fn pg_admin_url() -> String {
    std::env::var("KIENG_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub db: Db,
    pub database_url: String,
    /// Agencies by fixture name: A (state, central), A1 (under A), B (party), SECRET (tối mật, under A).
    pub agencies: HashMap<&'static str, agency::Model>,
    /// User ids by fixture name.
    pub users: HashMap<&'static str, Uuid>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    pg_db: Option<String>,
    pub dir: std::path::PathBuf,
}

pub const PASSWORD: &str = "mây trắng bay về núi xa";

/// Run `f` against SQLite and PostgreSQL in turn.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn($crate::helpers::Db::Sqlite).await;
                super::$name(&app).await;
                app.stop().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::helpers::spawn($crate::helpers::Db::Postgres).await;
                super::$name(&app).await;
                app.stop().await;
            }
        }
    )* };
}

/// The configuration of a test server on `database_url` with `data_dir`.
pub fn config(database_url: String, data_dir: std::path::PathBuf) -> Config {
    Config {
        listen: "127.0.0.1:0".into(),
        database_url,
        data_dir,
        max_classification: Classification::ToiMat,
        secure_cookies: false,
        // The tests stand for clients behind a proxy on this machine.
        trusted_proxies: vec![kieng_web::net::Cidr::parse("127.0.0.1").unwrap()],
        session_idle_minutes: 30,
        session_absolute_hours: 12,
        coordination_days: 7,
        report_due_days: 15,
        expiry_watch_days: 90,
        due_soon_days: 14,
        tuning: Default::default(),
        backup: None,
        metrics_listen: None,
        log_json: false,
        // One personal-data key for every test server: several servers on one
        // database must hold the same key.
        protection: kieng::config::Protection {
            personal_key_file: std::env::temp_dir().join("kieng-tests-personal-data.key"),
            consular_agency: Some("A1".into()),
            clocks: Default::default(),
            retention_years: 5,
            fund: kieng_domain::protection::fund::FundRule {
                mission_limit_vnd: 50_000_000,
                rule: "Quy chế quỹ (thử nghiệm)".into(),
            },
        },
    }
}

/// Serve `store` on a random port until the sender is dropped or used.
pub async fn serve(config: &Config, store: Store) -> (String, tokio::sync::oneshot::Sender<()>) {
    let server = Server::build(config, store).await.unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = server
            .run_until(async {
                let _ = rx.await;
            })
            .await;
    });
    (base, tx)
}

pub async fn spawn(db: Db) -> TestApp {
    let id = Uuid::new_v4().simple().to_string();
    let dir = std::env::temp_dir().join(format!("kieng-test-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    let (url, pg_db) = match db {
        Db::Sqlite => (sqlite_url(&dir.join("kieng.db")), None),
        Db::Postgres => {
            let admin = pg_admin_url();
            let conn = Database::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is unreachable: {e}"));
            let name = format!("kieng_t_{}", &id[..16]);
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            conn.close().await.unwrap();
            let (prefix, _) = admin.rsplit_once('/').unwrap();
            (format!("{prefix}/{name}"), Some(name))
        }
    };
    let config = config(url, dir.clone());
    let store = open_serving_store(&config).await.unwrap();
    let mut app = TestApp {
        base: String::new(),
        store: store.clone(),
        db,
        database_url: config.database_url.clone(),
        agencies: HashMap::new(),
        users: HashMap::new(),
        shutdown: None,
        task: None,
        pg_db,
        dir,
    };
    app.fixture().await;
    let server = Server::build(&config, store).await.unwrap();
    app.base = format!("http://127.0.0.1:{}", server.port());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    app.shutdown = Some(tx);
    app.task = Some(tokio::spawn(async move {
        server
            .run_until(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    }));
    app
}

impl TestApp {
    async fn fixture(&mut self) {
        let root = self
            .store
            .agency_by_code(kieng_store::users::ROOT_AGENCY_CODE)
            .await
            .unwrap()
            .unwrap();
        let root_admin = UserInput {
            username: "root".into(),
            display_name: "Root".into(),
            agency_id: root.id,
            role: kieng_domain::Role::Admin,
            scope: kieng_domain::Scope::All,
            clearance: Classification::ToiMat,
        };
        let root_user = self
            .store
            .user_add_cli(&root_admin, PASSWORD)
            .await
            .unwrap();
        self.users.insert("root", root_user.id);
        let actor = kieng_domain::Actor::resolve(
            root_user.id,
            "root".into(),
            root.id,
            kieng_domain::Role::Admin,
            kieng_domain::Scope::All,
            Classification::ToiMat,
            &kieng_domain::AgencyGraph::default(),
        );
        let ctx = kieng_store::Ctx {
            actor: kieng_domain::Actor {
                read: kieng_domain::access::AgencySet::All,
                write: kieng_domain::access::AgencySet::All,
                ..actor
            },
            request_id: None,
            ip: None,
        };
        let mk = |code: &str, name: &str, pillar: &str, parent: Option<Uuid>, class: &str| {
            kieng_domain::agency::AgencyForm {
                code: code.into(),
                name_vi: name.into(),
                pillar: pillar.into(),
                level: "central".into(),
                parent_id: parent.map(|p| p.to_string()),
                classification: Some(class.into()),
                secret_item: (class != "none").then(|| class.to_uppercase()),
                ..Default::default()
            }
        };
        // One catalogue item per level, coded as the level in capitals
        // ("MAT", "TOI_MAT", "TUYET_MAT"), for classified fixtures to name.
        for level in ["mat", "toi_mat", "tuyet_mat"] {
            let item = kieng_domain::secret_item::SecretItemForm {
                code: level.to_uppercase(),
                catalogue: "Danh mục thử nghiệm".into(),
                title: format!("Mục thử nghiệm {level}"),
                level: level.into(),
            };
            self.store.secret_item_create(&ctx, &item).await.unwrap();
        }
        let a = self
            .store
            .agency_create(&ctx, &mk("A", "Bộ Ngoại giao", "state", None, "none"))
            .await
            .unwrap();
        let a1 = self
            .store
            .agency_create(&ctx, &mk("A1", "Cục Lãnh sự", "state", Some(a.id), "none"))
            .await
            .unwrap();
        let b = self
            .store
            .agency_create(&ctx, &mk("B", "Ban Đối ngoại", "party", None, "none"))
            .await
            .unwrap();
        let secret = self
            .store
            .agency_create(
                &ctx,
                &mk("SECRET", "Đơn vị đặc biệt", "state", Some(a.id), "toi_mat"),
            )
            .await
            .unwrap();
        let mat = self
            .store
            .agency_create(&ctx, &mk("MAT", "Đơn vị Mật", "state", Some(a.id), "mat"))
            .await
            .unwrap();
        for (k, v) in [
            ("A", a),
            ("A1", a1),
            ("B", b),
            ("SECRET", secret),
            ("MAT", mat),
        ] {
            self.agencies.insert(k, v);
        }
        // One user per role in agency A, own-agency scope, clearance Mật.
        for role in ["admin", "leader", "coordinator", "officer", "viewer"] {
            let form = UserForm {
                username: role.into(),
                agency_id: self.agencies["A"].id.to_string(),
                role: role.into(),
                scope: "agency".into(),
                clearance: "mat".into(),
                ..Default::default()
            };
            let input = UserInput::parse(&form, Classification::ToiMat).unwrap();
            let u = self.store.user_add_cli(&input, PASSWORD).await.unwrap();
            self.users
                .insert(Box::leak(role.to_string().into_boxed_str()), u.id);
        }
    }

    /// A second server process (its own store, pool and caches) on the same database.
    pub async fn second_server(&self) -> (String, tokio::sync::oneshot::Sender<()>) {
        // Its own data directory (its own search index), as on another machine.
        self.server_on(&self.database_url, self.dir.join("second"))
            .await
    }

    /// A server process on this database and data directory.
    pub async fn server_on(
        &self,
        database_url: &str,
        data_dir: std::path::PathBuf,
    ) -> (String, tokio::sync::oneshot::Sender<()>) {
        let store = open_serving_store(&config(database_url.into(), data_dir.clone()))
            .await
            .unwrap();
        serve(&config(database_url.into(), data_dir), store).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with no session.
    pub fn anon(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A browser-like client signed in through the login form.
    pub async fn signed_in(&self, username: &str) -> Session {
        let c = self.anon();
        let r = c
            .post(self.url("/login"))
            .form(&[("username", username), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "sign-in of {username} failed");
        let csrf = csrf_of(
            &c.get(self.url("/account"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
        Session {
            client: c,
            csrf,
            base: self.base.clone(),
        }
    }

    /// A bearer token for the API.
    pub async fn token(&self, username: &str) -> String {
        let origin = kieng_store::audit::Origin::default();
        self.store
            .token_create(self.users[username], "test", &origin)
            .await
            .unwrap()
            .1
    }

    /// JSON API call with a bearer token.
    pub async fn api(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut rb = self
            .anon()
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(json!({ "raw": text })),
        )
    }

    /// Run SQL directly, as an intruder with database access would.
    pub async fn sql(&self, sql: &str) {
        self.store
            .connection()
            .execute_unprepared(sql)
            .await
            .unwrap();
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        // Whatever the test did, every copy the visibility rule reads agrees with its row.
        let problems = self.store.check().await.unwrap();
        assert!(
            problems.is_empty(),
            "copies differ from their rows: {problems:#?}"
        );
        self.store.clone().close().await;
        if let Some(name) = self.pg_db.take()
            && let Ok(conn) = Database::connect(&pg_admin_url()).await
        {
            let _ = conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            let _ = conn.close().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Session {
    pub client: reqwest::Client,
    pub csrf: String,
    pub base: String,
}

impl Session {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    /// Submit a form with the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut f: Vec<(&str, &str)> = fields.to_vec();
        f.push(("_csrf", &self.csrf));
        self.client
            .post(format!("{}{}", self.base, path))
            .form(&f)
            .send()
            .await
            .unwrap()
    }
}

pub fn csrf_of(html: &str) -> String {
    html.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string()
}
