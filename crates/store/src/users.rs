//! Users: created, changed, disabled and reset by administrators within their
//! scope — never granted more scope or clearance than the administrator holds —
//! and by the command line for the first administrator.

use crate::audit::{Change, Origin, append, from_rank, rank};
use crate::auth::{hash_password, one_time_password};
use crate::entity::{agency, user};
use crate::{Ctx, Page, Store, StoreError, now};
use kieng_domain::user::{UserForm, UserInput, check_password};
use kieng_domain::{Classification, FieldErrors, Msg, Role, Scope};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use uuid::Uuid;

pub const PER_PAGE: u64 = 50;
/// The agency a fresh deployment starts with, so the first administrator has a home.
pub const ROOT_AGENCY_CODE: &str = "HETHONG";

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    #[serde(flatten)]
    pub user: user::Model,
    pub agency_name: String,
}

fn snapshot(u: &user::Model) -> serde_json::Value {
    serde_json::to_value(u).unwrap_or(serde_json::Value::Null)
}

fn scope_rank(s: Scope) -> u8 {
    match s {
        Scope::Agency => 0,
        Scope::Pillar => 1,
        Scope::All => 2,
    }
}

impl Store {
    /// The display names of these users, in one read (none when there are none).
    pub(crate) async fn user_names(
        &self,
        ids: Vec<Uuid>,
    ) -> Result<std::collections::HashMap<Uuid, String>, StoreError> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        Ok(user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect())
    }

    /// Make sure the root agency exists (first start, `migrate`, `user add`).
    pub async fn bootstrap(&self) -> Result<(), StoreError> {
        if self.agency_by_code(ROOT_AGENCY_CODE).await?.is_some()
            || agency::Entity::find().count(&self.db).await? > 0
        {
            return Ok(());
        }
        let tx = self.begin_write().await?;
        let id = Uuid::now_v7();
        let t = now();
        let m = agency::Model {
            id,
            code: ROOT_AGENCY_CODE.into(),
            name_vi: "Bộ phận quản trị hệ thống".into(),
            name_en: Some("System administration".into()),
            abbreviation: None,
            name_fold: kieng_domain::text::fold("Bộ phận quản trị hệ thống"),
            pillar: "state".into(),
            also_pillar: None,
            level: "central".into(),
            parent_id: None,
            country_code: None,
            province_code: None,
            commune_code: None,
            status: "active".into(),
            successor_id: None,
            owner_agency_id: id,
            classification: 0,
            secret_item_id: None,
            version: 1,
            created_at: t,
            created_by: None,
            updated_at: t,
            updated_by: None,
            deleted_at: None,
            deleted_by: None,
        };
        agency::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        crate::counters::bump(&tx, crate::counters::AGENCIES).await?;
        let origin = Origin {
            actor_name: Some("system".into()),
            ..Default::default()
        };
        append(
            &tx,
            &origin,
            Change {
                after: serde_json::to_value(&m).ok(),
                owner_agency_id: Some(id),
                ..Change::new("agency", id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user_count(&self) -> Result<u64, StoreError> {
        Ok(user::Entity::find().count(&self.db).await?)
    }

    /// If nobody can sign in yet, create `admin` with a one-time password to print.
    pub async fn ensure_first_admin(&self) -> Result<Option<(String, String)>, StoreError> {
        if self.user_count().await? > 0 {
            return Ok(None);
        }
        self.bootstrap().await?;
        let root = self
            .agency_by_code(ROOT_AGENCY_CODE)
            .await?
            .ok_or(StoreError::NotFound)?;
        let password = one_time_password();
        let input = UserInput {
            username: "admin".into(),
            display_name: "Quản trị viên".into(),
            agency_id: root.id,
            role: Role::Admin,
            scope: Scope::All,
            clearance: self.config.max_classification,
        };
        self.insert_user(
            None,
            &Origin {
                actor_name: Some("system".into()),
                ..Default::default()
            },
            &input,
            &password,
            true,
        )
        .await?;
        Ok(Some(("admin".into(), password)))
    }

    /// `kieng user add`: no actor; the password comes from the operator.
    pub async fn user_add_cli(
        &self,
        input: &UserInput,
        password: &str,
    ) -> Result<user::Model, StoreError> {
        let mut e = FieldErrors::new();
        check_password(&mut e, "password", password, &input.username);
        if !e.is_empty() {
            return Err(e.into());
        }
        let origin = Origin {
            actor_name: Some("cli".into()),
            ..Default::default()
        };
        self.insert_user(None, &origin, input, password, false)
            .await
    }

    async fn insert_user(
        &self,
        by: Option<Uuid>,
        origin: &Origin,
        input: &UserInput,
        password: &str,
        must_change: bool,
    ) -> Result<user::Model, StoreError> {
        let hash = hash_password(password).await?;
        let tx = self.begin_write().await?;
        self.check_user_refs(&tx, input, None).await?;
        let t = now();
        let m = user::Model {
            id: Uuid::now_v7(),
            username: input.username.clone(),
            display_name: input.display_name.clone(),
            agency_id: input.agency_id,
            role: input.role.as_str().into(),
            scope: input.scope.as_str().into(),
            clearance: rank(input.clearance),
            password_hash: hash,
            must_change_password: must_change,
            locale: "vi".into(),
            disabled_at: None,
            version: 1,
            created_at: t,
            created_by: by,
            updated_at: t,
            updated_by: by,
        };
        user::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            origin,
            Change {
                owner_agency_id: Some(m.agency_id),
                after: Some(snapshot(&m)),
                ..Change::new("user", m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    async fn check_user_refs<C: ConnectionTrait>(
        &self,
        db: &C,
        input: &UserInput,
        this: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        match agency::Entity::find_by_id(input.agency_id).one(db).await? {
            Some(a) if a.deleted_at.is_none() && a.status == "active" => {}
            Some(_) => e.add(
                "agency_id",
                Msg::new(
                    "Cơ quan này đã sáp nhập, giải thể hoặc bị xóa.",
                    "This agency was merged, dissolved or deleted.",
                ),
            ),
            None => e.add(
                "agency_id",
                Msg::new("Không có cơ quan này.", "No such agency."),
            ),
        }
        let dup = user::Entity::find()
            .filter(user::Column::Username.eq(input.username.clone()))
            .one(db)
            .await?;
        if dup.is_some_and(|d| Some(d.id) != this) {
            e.add(
                "username",
                Msg::new(
                    "Tên đăng nhập này đã có người dùng.",
                    "This user name is taken.",
                ),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e.into()) }
    }

    /// What an administrator may grant: within their own scope, clearance and agencies.
    fn may_grant(ctx: &Ctx, input: &UserInput) -> Result<(), StoreError> {
        let a = &ctx.actor;
        if !a.is_admin() {
            return Err(StoreError::forbidden());
        }
        if !a.write.contains(input.agency_id) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "agency_id",
                Msg::new(
                    "Cơ quan này nằm ngoài phạm vi quản lý của bạn.",
                    "This agency is outside your scope.",
                ),
            )));
        }
        let mut e = FieldErrors::new();
        if input.clearance > a.clearance {
            e.add(
                "clearance",
                Msg::new(
                    "Không thể cấp mức tiếp cận cao hơn của chính bạn.",
                    "You cannot grant a clearance above your own.",
                ),
            );
        }
        if scope_rank(input.scope) > scope_rank(a.scope) {
            e.add(
                "scope",
                Msg::new(
                    "Không thể cấp phạm vi rộng hơn của chính bạn.",
                    "You cannot grant a wider scope than your own.",
                ),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e.into()) }
    }

    /// Load a user the admin manages, or NotFound.
    async fn managed_user<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<user::Model, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        match user::Entity::find_by_id(id).one(db).await? {
            Some(u) if ctx.actor.write.contains(u.agency_id) => Ok(u),
            _ => Err(StoreError::NotFound),
        }
    }

    /// Every user the administrator's list holds under this search, by name:
    /// what the list's export holds.
    pub async fn user_export_rows(
        &self,
        ctx: &Ctx,
        q: Option<&str>,
    ) -> Result<Vec<UserView>, StoreError> {
        crate::all_pages(50, |page| self.user_list(ctx, Some(page), q)).await
    }

    pub async fn user_list(
        &self,
        ctx: &Ctx,
        page: Option<u64>,
        q: Option<&str>,
    ) -> Result<Page<UserView>, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let mut query = user::Entity::find();
        if let Some(ids) = ctx.actor.write.ids() {
            query = query.filter(user::Column::AgencyId.is_in(ids));
        }
        if let Some(q) = q
            .map(|s| kieng_domain::text::clean(s, false).to_lowercase())
            .filter(|s| !s.is_empty())
        {
            query = query.filter(
                sea_orm::Condition::any()
                    .add(user::Column::Username.contains(q.clone()))
                    .add(user::Column::DisplayName.contains(q)),
            );
        }
        let total = query.clone().count(&self.db).await?;
        let page = Ord::clamp(page.unwrap_or(1), 1, Ord::max(total.div_ceil(PER_PAGE), 1));
        let users = query
            .order_by_asc(user::Column::Username)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let items = self.with_agency_names(users).await?;
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Users of agencies in the reader's read scope whose name or user name
    /// holds `q` (with or without diacritics), at most `limit`: what a form's
    /// "responsible" picker offers. Disabled accounts are left out.
    pub async fn user_choices(
        &self,
        ctx: &Ctx,
        q: &str,
        limit: usize,
    ) -> Result<Vec<UserView>, StoreError> {
        use kieng_domain::text::fold;
        let q = fold(q);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = user::Entity::find().filter(user::Column::DisabledAt.is_null());
        if let Some(ids) = ctx.actor.read.ids() {
            query = query.filter(user::Column::AgencyId.is_in(ids));
        }
        // Names are matched folded, so the scope's users are read (bounded)
        // and matched here.
        let users: Vec<user::Model> = query
            .order_by_asc(user::Column::Username)
            .limit(5_000)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|u| fold(&u.username).contains(&q) || fold(&u.display_name).contains(&q))
            .take(limit)
            .collect();
        self.with_agency_names(users).await
    }

    /// Users the admin manages who have not yet set their own password (a
    /// new account or a reset one), oldest first: at most `limit`, and how many.
    pub async fn users_waiting(
        &self,
        ctx: &Ctx,
        limit: u64,
    ) -> Result<(u64, Vec<UserView>), StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let mut query = user::Entity::find()
            .filter(user::Column::MustChangePassword.eq(true))
            .filter(user::Column::DisabledAt.is_null());
        if let Some(ids) = ctx.actor.write.ids() {
            query = query.filter(user::Column::AgencyId.is_in(ids));
        }
        let total = query.clone().count(&self.db).await?;
        let users = query
            .order_by_asc(user::Column::UpdatedAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        Ok((total, self.with_agency_names(users).await?))
    }

    async fn with_agency_names(
        &self,
        users: Vec<user::Model>,
    ) -> Result<Vec<UserView>, StoreError> {
        let ids: Vec<Uuid> = users.iter().map(|u| u.agency_id).collect();
        let names: std::collections::HashMap<Uuid, String> = agency::Entity::find()
            .select_only()
            .columns([agency::Column::Id, agency::Column::NameVi])
            .filter(agency::Column::Id.is_in(ids))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        Ok(users
            .into_iter()
            .map(|u| UserView {
                agency_name: names.get(&u.agency_id).cloned().unwrap_or_default(),
                user: u,
            })
            .collect())
    }

    pub async fn user_get(&self, ctx: &Ctx, id: Uuid) -> Result<UserView, StoreError> {
        let u = if id == ctx.actor.user_id {
            user::Entity::find_by_id(id)
                .one(&self.db)
                .await?
                .ok_or(StoreError::NotFound)?
        } else {
            Self::managed_user(&self.db, ctx, id).await?
        };
        Ok(self.with_agency_names(vec![u]).await?.remove(0))
    }

    /// Create a user with a one-time password (returned once, to hand over).
    pub async fn user_create(
        &self,
        ctx: &Ctx,
        form: &UserForm,
    ) -> Result<(user::Model, String), StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let input = UserInput::parse(form, self.config.max_classification)?;
        Self::may_grant(ctx, &input)?;
        let password = one_time_password();
        let m = self
            .insert_user(
                Some(ctx.actor.user_id),
                &ctx.into(),
                &input,
                &password,
                true,
            )
            .await?;
        Ok((m, password))
    }

    pub async fn user_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &UserForm,
    ) -> Result<user::Model, StoreError> {
        let input = UserInput::parse(form, self.config.max_classification)?;
        let tx = self.begin_write().await?;
        let before = Self::managed_user(&tx, ctx, id).await?;
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        Self::may_grant(ctx, &input)?;
        if id == ctx.actor.user_id && (input.role != Role::Admin) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "role",
                Msg::new(
                    "Bạn không thể tự bỏ quyền quản trị của mình.",
                    "You cannot remove your own administrator role.",
                ),
            )));
        }
        self.check_user_refs(&tx, &input, Some(id)).await?;
        let mut a = before.clone().into_active_model();
        a.username = Set(input.username);
        a.display_name = Set(input.display_name);
        a.agency_id = Set(input.agency_id);
        a.role = Set(input.role.as_str().into());
        a.scope = Set(input.scope.as_str().into());
        a.clearance = Set(rank(input.clearance));
        a.version = Set(before.version + 1);
        a.updated_at = Set(now());
        a.updated_by = Set(Some(ctx.actor.user_id));
        let after = a.update(&tx).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.agency_id),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new("user", id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        self.caches.auth_forget_user(id);
        Ok(after)
    }

    /// Disable or re-enable; a disabled user's sessions end at once, their records stay.
    pub async fn user_set_disabled(
        &self,
        ctx: &Ctx,
        id: Uuid,
        disabled: bool,
    ) -> Result<user::Model, StoreError> {
        if id == ctx.actor.user_id {
            return Err(StoreError::Forbidden(Msg::new(
                "Bạn không thể tự vô hiệu hóa tài khoản của mình.",
                "You cannot disable your own account.",
            )));
        }
        let tx = self.begin_write().await?;
        let before = Self::managed_user(&tx, ctx, id).await?;
        let after = set_disabled(&tx, &ctx.into(), before, disabled).await?;
        tx.commit().await?;
        self.caches.auth_forget_user(id);
        Ok(after)
    }

    /// A new one-time password; the user must change it at next sign-in.
    pub async fn user_reset_password(&self, ctx: &Ctx, id: Uuid) -> Result<String, StoreError> {
        // One's own password is changed knowing the current one: a session left
        // open must not be enough to take the account over.
        if id == ctx.actor.user_id {
            return Err(StoreError::Forbidden(Msg::new(
                "Hãy đổi mật khẩu của chính bạn ở trang Tài khoản (cần mật khẩu hiện tại).",
                "Change your own password on the Account page (it needs the current one).",
            )));
        }
        let password = one_time_password();
        let hash = hash_password(&password).await?;
        let tx = self.begin_write().await?;
        let before = Self::managed_user(&tx, ctx, id).await?;
        reset_password(&tx, &ctx.into(), before, hash).await?;
        tx.commit().await?;
        self.caches.auth_forget_user(id);
        Ok(password)
    }

    /// Command-line versions, acting as the operator of the machine.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<user::Model>, StoreError> {
        Ok(user::Entity::find()
            .filter(user::Column::Username.eq(username.trim().to_lowercase()))
            .one(&self.db)
            .await?)
    }

    pub async fn user_list_all(&self) -> Result<Vec<UserView>, StoreError> {
        let users = user::Entity::find()
            .order_by_asc(user::Column::Username)
            .all(&self.db)
            .await?;
        self.with_agency_names(users).await
    }

    pub async fn user_disable_cli(&self, username: &str) -> Result<(), StoreError> {
        let u = self
            .user_by_name(username)
            .await?
            .ok_or(StoreError::NotFound)?;
        let tx = self.begin_write().await?;
        set_disabled(
            &tx,
            &Origin {
                actor_name: Some("cli".into()),
                ..Default::default()
            },
            u,
            true,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user_reset_password_cli(
        &self,
        username: &str,
        password: Option<&str>,
    ) -> Result<String, StoreError> {
        let u = self
            .user_by_name(username)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (password, must_change) = match password {
            Some(p) => {
                let mut e = FieldErrors::new();
                check_password(&mut e, "password", p, &u.username);
                if !e.is_empty() {
                    return Err(e.into());
                }
                (p.to_string(), false)
            }
            None => (one_time_password(), true),
        };
        let hash = hash_password(&password).await?;
        let tx = self.begin_write().await?;
        let u = reset_password(
            &tx,
            &Origin {
                actor_name: Some("cli".into()),
                ..Default::default()
            },
            u,
            hash,
        )
        .await?;
        if !must_change {
            let mut a = u.into_active_model();
            a.must_change_password = Set(false);
            a.update(&tx).await?;
        }
        tx.commit().await?;
        Ok(password)
    }

    pub fn clearance_of(u: &user::Model) -> Classification {
        from_rank(u.clearance)
    }
}

async fn set_disabled<C: ConnectionTrait>(
    tx: &C,
    origin: &Origin,
    before: user::Model,
    disabled: bool,
) -> Result<user::Model, StoreError> {
    let mut a = before.clone().into_active_model();
    a.disabled_at = Set(if disabled { Some(now()) } else { None });
    a.version = Set(before.version + 1);
    a.updated_at = Set(now());
    a.updated_by = Set(origin.actor_id);
    let after = a.update(tx).await?;
    if disabled {
        crate::auth::end_credentials(tx, before.id, None).await?;
    }
    append(
        tx,
        origin,
        Change {
            owner_agency_id: Some(after.agency_id),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
            ..Change::new(
                "user",
                before.id,
                if disabled { "disable" } else { "enable" },
            )
        },
    )
    .await?;
    Ok(after)
}

async fn reset_password<C: ConnectionTrait>(
    tx: &C,
    origin: &Origin,
    before: user::Model,
    hash: String,
) -> Result<user::Model, StoreError> {
    let mut a = before.clone().into_active_model();
    a.password_hash = Set(hash);
    a.must_change_password = Set(true);
    a.version = Set(before.version + 1);
    a.updated_at = Set(now());
    let after = a.update(tx).await?;
    crate::auth::end_credentials(tx, before.id, None).await?;
    append(
        tx,
        origin,
        Change {
            owner_agency_id: Some(after.agency_id),
            ..Change::new("user", before.id, "reset_password")
        },
    )
    .await?;
    Ok(after)
}
