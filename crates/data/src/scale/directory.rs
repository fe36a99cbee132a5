//! A generated directory for benchmarks: thousands of agencies across the three
//! pillars and levels, and users spread over them, loaded in bulk. Deterministic:
//! the same sizes give the same names. Not audited (it is a fixture, not input).

use kieng_domain::Classification;
use kieng_domain::text::fold;
use kieng_store::bulk::Touched;
use kieng_store::entity::{agency, province, user};
use kieng_store::{Store, StoreError, now};
use sea_orm::EntityTrait;
use uuid::Uuid;

const UNITS: &[&str] = &[
    "Văn phòng",
    "Vụ Tổng hợp",
    "Vụ Hợp tác quốc tế",
    "Phòng Lãnh sự",
    "Phòng Hợp tác quốc tế",
    "Phòng Quản lý đoàn ra, đoàn vào",
    "Phòng Thông tin đối ngoại",
    "Phòng Ngoại giao kinh tế",
    "Ban Hữu nghị",
    "Trung tâm Dịch vụ đối ngoại",
];

/// Sizes of the generated directory.
#[derive(Debug, Clone, Copy)]
pub struct DirectorySize {
    pub agencies: usize,
    pub users: usize,
}

/// Load `size` agencies and users into an empty directory; returns the user
/// names (all share `password`). Refuses a database that already has users
/// beyond the bootstrap.
pub async fn seed(
    store: &Store,
    size: DirectorySize,
    password: &str,
) -> Result<Vec<String>, StoreError> {
    if store.user_count().await? > 0 {
        return Err(StoreError::Internal(
            "benchmark data goes into a fresh database".into(),
        ));
    }
    store.bootstrap().await?;
    let provinces: Vec<province::Model> = store
        .provinces()
        .await?
        .into_iter()
        .filter(|p| p.valid_to.is_none())
        .collect();
    let countries = store.countries().await?;
    let t = now();
    let mut rows: Vec<agency::Model> = Vec::with_capacity(size.agencies);
    let pillars = ["state", "party", "people"];
    // Roots: one per pillar and level, then sub-units under them.
    let mut roots: Vec<Uuid> = Vec::new();
    for i in 0..size.agencies {
        let id = Uuid::now_v7();
        let pillar = pillars[i % 3];
        let (level, name, country, province, parent) = if i < 60 {
            let p = &provinces[i % provinces.len()];
            let kind = [
                "Sở Ngoại vụ",
                "Ban Đối ngoại Tỉnh ủy",
                "Liên hiệp các tổ chức hữu nghị",
            ][i % 3];
            roots.push(id);
            (
                "provincial",
                format!("{kind} {}", p.name),
                None,
                Some(p.code.clone()),
                None,
            )
        } else if i < 60 + 120 {
            let c = &countries[(i * 7) % countries.len()];
            roots.push(id);
            (
                "mission",
                format!("Đại sứ quán Việt Nam tại {} ({i})", c.name_vi),
                Some(c.alpha2.clone()),
                None,
                None,
            )
        } else {
            let parent = roots[i % roots.len()];
            (
                "central",
                format!("{} số {}", UNITS[i % UNITS.len()], i),
                None,
                None,
                Some(parent),
            )
        };
        let level = if parent.is_some() {
            rows.iter()
                .find(|r| Some(r.id) == parent)
                .map(|r| r.level.clone())
                .unwrap_or(level.into())
        } else {
            level.into()
        };
        let (country, province) = match level.as_str() {
            "mission" => (
                country.or_else(|| Some(countries[i % countries.len()].alpha2.clone())),
                None,
            ),
            "provincial" => (
                None,
                province.or_else(|| Some(provinces[i % provinces.len()].code.clone())),
            ),
            _ => (None, None),
        };
        rows.push(agency::Model {
            id,
            code: format!("BENCH-{i:06}"),
            name_fold: fold(&name),
            name_vi: name,
            name_en: None,
            abbreviation: None,
            pillar: pillar.into(),
            also_pillar: None,
            level,
            parent_id: parent,
            country_code: country,
            province_code: province,
            commune_code: None,
            status: "active".into(),
            successor_id: None,
            owner_agency_id: id,
            secret_item_id: None,
            classification: if i % 50 == 49 {
                Classification::Mat as i16
            } else {
                0
            },
            version: 1,
            created_at: t,
            created_by: None,
            updated_at: t,
            updated_by: None,
            deleted_at: None,
            deleted_by: None,
        });
    }
    let load = store.bulk_load(&[]).await?;
    load.insert(&rows, 1000).await?;
    let hash = kieng_store::auth::hash_password(password).await?;
    let mut names = Vec::with_capacity(size.users);
    let roles = [
        "officer",
        "officer",
        "officer",
        "viewer",
        "coordinator",
        "leader",
        "admin",
    ];
    let users: Vec<user::Model> = (0..size.users)
        .map(|i| {
            let a = &rows[i % rows.len().max(1)];
            let username = format!("bench{i:05}");
            names.push(username.clone());
            let role = roles[i % roles.len()];
            user::Model {
                id: Uuid::now_v7(),
                username,
                display_name: format!("Cán bộ {i}"),
                agency_id: a.id,
                role: role.into(),
                scope: if role == "coordinator" {
                    "pillar".into()
                } else {
                    "agency".into()
                },
                clearance: Classification::Mat as i16,
                password_hash: hash.clone(),
                must_change_password: false,
                locale: "vi".into(),
                disabled_at: None,
                version: 1,
                created_at: t,
                created_by: None,
                updated_at: t,
                updated_by: None,
            }
        })
        .collect();
    load.insert(&users, 1000).await?;
    load.touched(Touched::Agencies).await?;
    load.finish().await?;
    Ok(names)
}

/// The generated agencies (by code) and the registry's countries (by ISO code):
/// what every generator spreads its records over.
pub async fn fixture(
    store: &Store,
) -> Result<(Vec<agency::Model>, Vec<kieng_store::entity::partner::Model>), StoreError> {
    use kieng_store::entity::partner;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let agencies = agency::Entity::find()
        .filter(agency::Column::Code.starts_with("BENCH-"))
        .order_by_asc(agency::Column::Code)
        .all(store.connection())
        .await?;
    let countries = partner::Entity::find()
        .filter(partner::Column::Kind.eq("country"))
        .order_by_asc(partner::Column::Code)
        .all(store.connection())
        .await?;
    if agencies.is_empty() || countries.is_empty() {
        return Err(StoreError::Internal("seed the directory first".into()));
    }
    Ok((agencies, countries))
}

/// What an earlier generator left in this database: the generated users'
/// names in order (they share the password it was given) and how many of
/// each record there are — for `kieng bench --existing`.
pub async fn existing(store: &Store) -> Result<(Vec<String>, super::Sizes), StoreError> {
    use kieng_store::entity::{
        activity, agreement, commitment, partner, plan, plan_progress, plan_task,
    };
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    let names: Vec<String> = user::Entity::find()
        .select_only()
        .column(user::Column::Username)
        .filter(user::Column::Username.like("bench0%"))
        .order_by_asc(user::Column::Username)
        .into_tuple()
        .all(store.connection())
        .await?;
    let kind = |k: &'static str| partner::Entity::find().filter(partner::Column::Kind.eq(k));
    let sizes = super::Sizes {
        agencies: agency::Entity::find()
            .filter(agency::Column::Code.starts_with("BENCH-"))
            .count(store.connection())
            .await? as usize,
        users: names.len(),
        organisations: kind("organisation").count(store.connection()).await? as usize,
        people: kind("person").count(store.connection()).await? as usize,
        activities: activity::Entity::find().count(store.connection()).await? as usize,
        agreements: agreement::Entity::find().count(store.connection()).await? as usize,
        commitments: commitment::Entity::find().count(store.connection()).await? as usize,
        plans: plan::Entity::find().count(store.connection()).await? as usize,
        tasks: plan_task::Entity::find().count(store.connection()).await? as usize,
        progress: plan_progress::Entity::find()
            .count(store.connection())
            .await? as usize,
        cases: kieng_store::entity::protection_case::Entity::find()
            .count(store.connection())
            .await? as usize,
        crisis_people: kieng_store::entity::crisis_person::Entity::find()
            .count(store.connection())
            .await? as usize,
        candidacies: kieng_store::entity::candidacy::Entity::find()
            .count(store.connection())
            .await? as usize,
    };
    if names.is_empty() || sizes.agencies == 0 {
        return Err(StoreError::Internal(
            "no generated data here: run kieng bench without --existing first".into(),
        ));
    }
    Ok((names, sizes))
}
