//! Signing in and staying signed in: argon2id password hashes, sessions kept in
//! the database (they survive a restart and are shared by every server process)
//! with idle and absolute expiry, personal access tokens, and throttling of
//! repeated failures per account and per address.

use crate::audit::{Change, Origin, append, from_rank};
use crate::cache::CachedAuth;
use crate::entity::{api_token, login_throttle, session, user};
use crate::{Store, StoreError, now};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use kieng_domain::signin::{self, Counter};
use kieng_domain::{Actor, Msg, Role, Scope};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, QueryOrder, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A new random secret, URL-safe.
pub fn random_secret() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A one-time password that reads well aloud: four groups of five, no look-alikes.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut b = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let chars: Vec<char> = b
        .iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

pub(crate) fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Hash on a blocking thread: argon2 is deliberately slow.
pub async fn hash_password(password: &str) -> Result<String, StoreError> {
    let password = password.to_string();
    on_hash_pool(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        crate::password::Hasher
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Internal(format!("hash: {e}")))
    })
    .await?
}

async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    on_hash_pool(move || {
        PasswordHash::new(&hash).is_ok_and(|h| {
            crate::password::Hasher
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash of nothing in particular, verified when the user name is unknown so the
/// answer takes as long as for a real account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4dVd0Ba8qbpvFDWJv5Yp1DoAvQV8nUBtyASrdVN/f0c";

fn bad_credentials() -> StoreError {
    StoreError::Unauthenticated(Msg::new(
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "The user name or password is not correct.",
    ))
}

pub(crate) fn actor_from(u: &user::Model, graph: &kieng_domain::AgencyGraph) -> Actor {
    Actor::resolve(
        u.id,
        u.username.clone(),
        u.agency_id,
        Role::parse(&u.role).unwrap_or(Role::Viewer),
        Scope::parse(&u.scope).unwrap_or(Scope::Agency),
        from_rank(u.clearance),
        graph,
    )
}

/// Argon2 runs on a fixed pool of long-lived threads, one per core. Each hash
/// holds 19 MiB for tens of milliseconds: more at once than cores only queue
/// inside the CPU, and short-lived blocking threads each leave a malloc arena
/// holding freed blocks (measured: 540 MB peak under 64 concurrent sign-ins with
/// `spawn_blocking`). A fixed pool bounds both; a thread keeps its working
/// memory only while hashes are queued (`password::release`).
type Job = Box<dyn FnOnce() + Send>;

static HASH_POOL: std::sync::LazyLock<Option<std::sync::mpsc::Sender<Job>>> =
    std::sync::LazyLock::new(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 8);
        for i in 0..workers {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("kieng-argon2-{i}"))
                .spawn(move || {
                    loop {
                        // The next job if one is waiting; if none, this thread's
                        // 19 MiB goes back to the system before it waits.
                        let waiting = match rx.lock() {
                            Ok(guard) => guard.try_recv(),
                            Err(_) => return,
                        };
                        let job = match waiting {
                            Ok(job) => job,
                            Err(std::sync::mpsc::TryRecvError::Disconnected) => return,
                            Err(std::sync::mpsc::TryRecvError::Empty) => {
                                crate::password::release();
                                match rx.lock() {
                                    Ok(guard) => match guard.recv() {
                                        Ok(job) => job,
                                        Err(_) => return,
                                    },
                                    Err(_) => return,
                                }
                            }
                        };
                        job();
                    }
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start a password-hashing thread: {e}");
                return None;
            }
        }
        Some(tx)
    });

/// Run `f` on the hashing pool and wait for it without blocking the runtime.
async fn on_hash_pool<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let pool = HASH_POOL
        .as_ref()
        .ok_or_else(|| StoreError::Internal("no hashing threads".into()))?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    pool.send(Box::new(move || {
        let _ = tx.send(f());
    }))
    .map_err(|_| StoreError::Internal("hashing pool stopped".into()))?;
    rx.await
        .map_err(|_| StoreError::Internal("hashing job lost".into()))
}

/// End what lets a user in without their password: every session (but `keep`,
/// the one changing its own password) and every personal access token. Called
/// when the password changes or is reset and when the account is disabled, so a
/// token never outlives the password or the account it was made under.
pub(crate) async fn end_credentials<C: ConnectionTrait>(
    tx: &C,
    user_id: Uuid,
    keep: Option<String>,
) -> Result<(), StoreError> {
    let mut sessions = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(k) = keep {
        sessions = sessions.filter(session::Column::Id.ne(k));
    }
    sessions.exec(tx).await?;
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now())),
        )
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}

/// A session as the web layer needs it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub user: user::Model,
    pub csrf_token: String,
}

/// The parts of a signed-in user the web layer needs, from a session or a token.
impl Store {
    /// A user as a server sees them once signed in (scope and clearance resolved
    /// on the current directory): the demo loader acts as its users, and `kieng
    /// bench` calls the store as them in process.
    /// A command run on the server as an active user (`kieng export`): their
    /// scope and clearance, the command named as the request.
    pub async fn user_ctx(&self, username: &str, command: &str) -> Result<crate::Ctx, StoreError> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let u = user::Entity::find()
            .filter(user::Column::Username.eq(username))
            .filter(user::Column::DisabledAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(crate::Ctx {
            actor: self.actor_of(&u).await?,
            request_id: Some(command.to_string()),
            ip: None,
        })
    }

    pub async fn actor_of(&self, u: &user::Model) -> Result<Actor, StoreError> {
        let graph = self.agency_graph().await?;
        Ok(actor_from(u, &graph))
    }

    /// `actor_of` by user name, as a context without a request.
    pub async fn acting_as(&self, name: &str) -> Result<crate::Ctx, StoreError> {
        let u = self.user_by_name(name).await?.ok_or(StoreError::NotFound)?;
        Ok(crate::Ctx {
            actor: self.actor_of(&u).await?,
            request_id: None,
            ip: None,
        })
    }

    /// The latest end of a lock on any of these keys, if one is still running.
    async fn throttled(
        &self,
        keys: &[String],
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let rows = login_throttle::Entity::find()
            .filter(login_throttle::Column::Key.is_in(keys.to_vec()))
            .all(&self.db)
            .await?;
        let t = now();
        Ok(rows
            .into_iter()
            .filter_map(|r| r.locked_until)
            .filter(|u| *u > t)
            .max())
    }

    /// Count one failure on each counter, in one transaction with its audit
    /// entry; a counter whose window has passed starts again.
    async fn throttle_fail(
        &self,
        keys: &[(Counter, String)],
        origin: &Origin,
        change: Change,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let t = now();
        let window = chrono::Duration::minutes(signin::WINDOW_MINUTES);
        for (counter, key) in keys {
            match login_throttle::Entity::find_by_id(key.clone())
                .one(&tx)
                .await?
            {
                Some(row) => {
                    let fresh = t - row.window_start > window;
                    let failures = if fresh { 1 } else { row.failures + 1 };
                    let mut a = row.into_active_model();
                    a.failures = Set(failures);
                    if fresh {
                        a.window_start = Set(t);
                    }
                    a.locked_until = Set(counter.lock_for(failures).map(|d| t + d));
                    a.update(&tx).await?;
                }
                None => {
                    login_throttle::Entity::insert(login_throttle::ActiveModel {
                        key: Set(key.clone()),
                        failures: Set(1),
                        window_start: Set(t),
                        locked_until: Set(counter.lock_for(1).map(|d| t + d)),
                    })
                    .exec_without_returning(&tx)
                    .await?;
                }
            }
        }
        append(&tx, origin, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forget counters whose window ended a day ago and that hold no lock.
    pub(crate) async fn throttle_prune(&self) -> Result<u64, StoreError> {
        let before = now() - chrono::Duration::days(1);
        let r = login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::WindowStart.lt(before))
            .filter(
                sea_orm::Condition::any()
                    .add(login_throttle::Column::LockedUntil.is_null())
                    .add(login_throttle::Column::LockedUntil.lt(before)),
            )
            .exec(&self.writer)
            .await?;
        Ok(r.rows_affected)
    }

    /// Check a user name and password; on success open a session and return its
    /// cookie value. Every attempt that is checked is audited; one refused while
    /// a lock runs writes nothing (the failure that started the lock was audited),
    /// so an unauthenticated client cannot make the database grow.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        ip: Option<String>,
        user_agent: Option<String>,
        request_id: Option<String>,
    ) -> Result<String, StoreError> {
        let cleaned = kieng_domain::text::clean(username, false).to_lowercase();
        // A name no account can bear is recorded by its first characters only.
        let (username, possible) = match signin::username_key(&cleaned) {
            Some(u) => (u.to_string(), true),
            None => (
                format!(
                    "{}…",
                    cleaned
                        .chars()
                        .take(signin::MAX_USERNAME)
                        .collect::<String>()
                ),
                false,
            ),
        };
        let address = ip.as_deref().unwrap_or("-");
        let keys: Vec<(Counter, String)> = Counter::ALL
            .iter()
            .map(|c| (*c, c.key(&username, address)))
            .collect();
        let mut origin = Origin {
            actor_name: Some(username.clone()),
            ip: ip.clone(),
            request_id,
            ..Default::default()
        };
        let failed = |action: &'static str| Change::new("session", &username, action);
        let key_list: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
        if let Some(until) = self.throttled(&key_list).await? {
            let minutes = ((until - now()).num_seconds() + 59) / 60;
            return Err(StoreError::Throttled(Msg::new(
                format!("Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút."),
                format!("Too many failed sign-ins. Try again in {minutes} minutes."),
            )));
        }
        let found = if possible {
            user::Entity::find()
                .filter(user::Column::Username.eq(username.clone()))
                .one(&self.db)
                .await?
        } else {
            None
        };
        let password_ok = password.chars().count() <= signin::MAX_PASSWORD;
        let ok = match &found {
            Some(u) if password_ok => verify_password(password, &u.password_hash).await,
            _ => {
                // As long as for a real account, whatever was sent.
                verify_password("-", DUMMY_HASH).await;
                false
            }
        };
        let u = match (found, ok) {
            (Some(u), true) => u,
            _ => {
                self.throttle_fail(&keys, &origin, failed("sign_in_failed"))
                    .await?;
                return Err(bad_credentials());
            }
        };
        origin.actor_id = Some(u.id);
        origin.actor_agency_id = Some(u.agency_id);
        if u.disabled_at.is_some() {
            self.audit_alone(&origin, failed("sign_in_disabled"))
                .await?;
            return Err(StoreError::Unauthenticated(Msg::new(
                "Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ quản trị viên.",
                "This account has been disabled. Contact your administrator.",
            )));
        }
        let token = random_secret();
        let tx = self.begin_write().await?;
        // Success clears this address's count for the account; the account's
        // count from everywhere and the address's own count run their course.
        login_throttle::Entity::delete_by_id(Counter::AccountAtAddress.key(&username, address))
            .exec(&tx)
            .await?;
        let t = now();
        session::Entity::insert(session::ActiveModel {
            id: Set(digest(&token)),
            user_id: Set(u.id),
            csrf_token: Set(random_secret()),
            created_at: Set(t),
            last_seen_at: Set(t),
            ip: Set(ip),
            user_agent: Set(user_agent.map(|s| s.chars().take(300).collect())),
        })
        .exec_without_returning(&tx)
        .await?;
        append(
            &tx,
            &origin,
            Change {
                owner_agency_id: Some(u.agency_id),
                ..Change::new("session", u.id, "sign_in")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The session behind a cookie value, if it is still valid. Kept in memory
    /// for `cache::AUTH_TTL`; on a miss one query brings the session, its user and
    /// the agency revision together.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>, StoreError> {
        let id = digest(token);
        if let Some(c) = self.caches.auth_get(&id) {
            let actor = self.refresh_actor(&c).await?;
            return Ok(Some(SessionInfo {
                actor,
                user: c.user,
                csrf_token: c.csrf.unwrap_or_default(),
            }));
        }
        let backend = self.db.get_database_backend();
        let ticket = self.caches.agencies_rev.ticket();
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "SELECT u.*, s.csrf_token AS s_csrf, s.created_at AS s_created, s.last_seen_at AS s_seen, \
                 (SELECT value FROM counters WHERE name = 'agencies_rev') AS s_rev \
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
                [id.clone().into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let u = user::Model::from_query_result(&row, "")?;
        let created: chrono::DateTime<chrono::Utc> = row.try_get("", "s_created")?;
        let seen: chrono::DateTime<chrono::Utc> = row.try_get("", "s_seen")?;
        let csrf_token: String = row.try_get("", "s_csrf")?;
        let rev: i64 = row.try_get("", "s_rev")?;
        self.caches.agencies_rev.note(ticket, rev);
        let t = now();
        let idle = chrono::Duration::from_std(self.config.session_idle)
            .unwrap_or(chrono::Duration::minutes(30));
        let absolute = chrono::Duration::from_std(self.config.session_absolute)
            .unwrap_or(chrono::Duration::hours(12));
        if t.signed_duration_since(seen) > idle || t.signed_duration_since(created) > absolute {
            session::Entity::delete_by_id(id).exec(&self.writer).await?;
            return Ok(None);
        }
        if u.disabled_at.is_some() {
            return Ok(None);
        }
        // Refreshing at most once a minute keeps reads from turning into writes.
        if t.signed_duration_since(seen) > chrono::Duration::seconds(60) {
            session::Entity::update_many()
                .col_expr(
                    session::Column::LastSeenAt,
                    sea_orm::sea_query::Expr::value(t),
                )
                .filter(session::Column::Id.eq(id.clone()))
                .exec(&self.writer)
                .await?;
        }
        let dir = self.directory().await?;
        let actor = actor_from(&u, &dir.graph);
        self.caches.auth_put(
            id,
            CachedAuth {
                loaded: std::time::Instant::now(),
                user: u.clone(),
                csrf: Some(csrf_token.clone()),
                actor: actor.clone(),
                rev: dir.rev,
            },
        );
        Ok(Some(SessionInfo {
            actor,
            user: u,
            csrf_token,
        }))
    }

    /// The cached actor, recomputed if the agency graph moved on since.
    async fn refresh_actor(&self, c: &CachedAuth) -> Result<Actor, StoreError> {
        let dir = self.directory().await?;
        Ok(if dir.rev == c.rev {
            c.actor.clone()
        } else {
            actor_from(&c.user, &dir.graph)
        })
    }

    pub async fn sign_out(&self, token: &str, origin: &Origin) -> Result<(), StoreError> {
        self.caches.auth_forget(&digest(token));
        let tx = self.begin_write().await?;
        session::Entity::delete_by_id(digest(token))
            .exec(&tx)
            .await?;
        append(
            &tx,
            origin,
            Change::new(
                "session",
                origin.actor_id.map(|u| u.to_string()).unwrap_or_default(),
                "sign_out",
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user behind a bearer token, if the token is live (cached like sessions).
    pub async fn token_session(
        &self,
        bearer: &str,
    ) -> Result<Option<(Actor, user::Model)>, StoreError> {
        let key = format!("token:{}", digest(bearer));
        if let Some(c) = self.caches.auth_get(&key) {
            return Ok(Some((self.refresh_actor(&c).await?, c.user)));
        }
        let Some(t) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(digest(bearer)))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(u) = user::Entity::find_by_id(t.user_id).one(&self.db).await? else {
            return Ok(None);
        };
        if u.disabled_at.is_some() {
            return Ok(None);
        }
        if t.last_used_at
            .is_none_or(|l| now().signed_duration_since(l) > chrono::Duration::seconds(60))
        {
            let mut a = t.into_active_model();
            a.last_used_at = Set(Some(now()));
            a.update(&self.writer).await?;
        }
        let dir = self.directory().await?;
        let actor = actor_from(&u, &dir.graph);
        self.caches.auth_put(
            key,
            CachedAuth {
                loaded: std::time::Instant::now(),
                user: u.clone(),
                csrf: None,
                actor: actor.clone(),
                rev: dir.rev,
            },
        );
        Ok(Some((actor, u)))
    }

    /// Create a personal access token; the secret is shown once and only its hash kept.
    pub async fn token_create(
        &self,
        user_id: Uuid,
        label: &str,
        origin: &Origin,
    ) -> Result<(api_token::Model, String), StoreError> {
        let label = kieng_domain::text::clean(label, false);
        let label = if label.is_empty() {
            "API".to_string()
        } else {
            label.chars().take(100).collect()
        };
        let secret = format!("kieng_{}", random_secret());
        let m = api_token::Model {
            id: Uuid::now_v7(),
            user_id,
            label,
            token_hash: digest(&secret),
            created_at: now(),
            last_used_at: None,
            revoked_at: None,
        };
        let tx = self.begin_write().await?;
        api_token::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            origin,
            Change {
                after: serde_json::to_value(&m).ok(),
                ..Change::new("api_token", m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok((m, secret))
    }

    pub async fn token_list(&self, user_id: Uuid) -> Result<Vec<api_token::Model>, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::UserId.eq(user_id))
            .order_by_desc(api_token::Column::CreatedAt)
            .all(&self.db)
            .await?)
    }

    /// Revoke a token: its owner may, and so may an admin whose scope covers the owner.
    pub async fn token_revoke(
        &self,
        id: Uuid,
        by: Option<&Actor>,
        origin: &Origin,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let t = api_token::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(actor) = by
            && t.user_id != actor.user_id
        {
            let owner = user::Entity::find_by_id(t.user_id)
                .one(&tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if !(actor.is_admin() && actor.write.contains(owner.agency_id)) {
                return Err(StoreError::NotFound);
            }
        }
        if t.revoked_at.is_some() {
            return Ok(());
        }
        self.caches.auth_forget(&format!("token:{}", t.token_hash));
        let before = serde_json::to_value(&t).ok();
        let mut a = t.into_active_model();
        a.revoked_at = Set(Some(now()));
        let after = a.update(&tx).await?;
        append(
            &tx,
            origin,
            Change {
                before,
                after: serde_json::to_value(&after).ok(),
                ..Change::new("api_token", id, "revoke")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Change one's own password, knowing the current one; other sessions end.
    pub async fn change_password(
        &self,
        ctx: &crate::Ctx,
        token: Option<&str>,
        current: &str,
        new: &str,
    ) -> Result<(), StoreError> {
        let u = user::Entity::find_by_id(ctx.actor.user_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut e = kieng_domain::FieldErrors::new();
        if !verify_password(current, &u.password_hash).await {
            e.add(
                "current_password",
                Msg::new(
                    "Mật khẩu hiện tại không đúng.",
                    "The current password is not correct.",
                ),
            );
        }
        kieng_domain::user::check_password(&mut e, "new_password", new, &u.username);
        if current == new && e.is_empty() {
            e.add(
                "new_password",
                Msg::new(
                    "Mật khẩu mới phải khác mật khẩu cũ.",
                    "The new password must differ from the old one.",
                ),
            );
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let hash = hash_password(new).await?;
        let tx = self.begin_write().await?;
        let mut a = u.into_active_model();
        a.password_hash = Set(hash);
        a.must_change_password = Set(false);
        a.updated_at = Set(now());
        a.update(&tx).await?;
        end_credentials(&tx, ctx.actor.user_id, token.map(digest)).await?;
        append(
            &tx,
            &ctx.into(),
            Change::new("user", ctx.actor.user_id, "change_password"),
        )
        .await?;
        tx.commit().await?;
        self.caches.auth_forget_user(ctx.actor.user_id);
        Ok(())
    }

    /// Remember the interface language of a user.
    pub async fn set_locale(&self, user_id: Uuid, locale: &str) -> Result<(), StoreError> {
        let locale = if locale == "en" { "en" } else { "vi" };
        user::Entity::update_many()
            .col_expr(
                user::Column::Locale,
                sea_orm::sea_query::Expr::value(locale),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(&self.writer)
            .await?;
        self.caches.auth_forget_user(user_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_readable() {
        assert_ne!(random_secret(), random_secret());
        let p = one_time_password();
        assert_eq!(p.len(), 23);
        assert!(!p.contains('l') && !p.contains('0') && !p.contains('1'));
    }

    #[tokio::test]
    async fn hashes_verify_and_dummy_is_well_formed() {
        let h = hash_password("mây trắng bay về núi").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mây trắng bay về núi", &h).await);
        assert!(!verify_password("khác", &h).await);
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
