//! Generated multilateral campaigns for benchmarks: `candidacies` candidacies
//! led by the first generated agency, each with the word of every UN member
//! over a campaign — one to four words a country (the latest counts), some to
//! a competing candidate, one in eight classified Mật. Loaded in bulk (not
//! audited: a fixture, not input). Deterministic in content.

use kieng_store::entity::{agency, candidacy, country, mechanism, pledge};
use kieng_store::{Store, StoreError, now};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// The generated candidacies' posts start with this: the bench finds them by it.
pub const POST_PREFIX: &str = "Ứng cử đo hiệu năng";

const SUPPORTS: &[&str] = &[
    "written",
    "written",
    "oral",
    "oral",
    "reciprocal",
    "conditional",
    "declined",
    "unknown",
];

/// Load the candidacies and their pledges; returns (candidacies, pledges).
pub async fn load(store: &Store, candidacies: usize) -> Result<(usize, usize), StoreError> {
    if candidacies == 0 {
        return Ok((0, 0));
    }
    let db = store.connection();
    let Some(a) = agency::Entity::find()
        .filter(agency::Column::Code.starts_with("BENCH-"))
        .order_by_asc(agency::Column::Code)
        .one(db)
        .await?
    else {
        return Err(StoreError::Internal("seed the directory first".into()));
    };
    let bodies: Vec<Uuid> = mechanism::Entity::find()
        .select_only()
        .column(mechanism::Column::Id)
        .filter(mechanism::Column::Code.is_in(["UNHRC", "UNSC", "ECOSOC", "ILC", "UNESCO-EB"]))
        .into_tuple()
        .all(db)
        .await?;
    let members: Vec<String> = country::Entity::find()
        .select_only()
        .column(country::Column::Alpha2)
        .filter(country::Column::UnAdmitted.is_not_null())
        .order_by_asc(country::Column::Alpha2)
        .into_tuple()
        .all(db)
        .await?;
    if bodies.is_empty() || members.is_empty() {
        return Err(StoreError::Internal(
            "the shipped mechanisms are missing".into(),
        ));
    }
    let t0 = now();
    let mat = kieng_domain::Classification::Mat as i16;
    let mut rng = crate::Xorshift::new(0x5EED_CAFE_F00D_0001, 0x0BAD_BEEF_1234_5678);
    let mut next = move || rng.next();
    let mut cands = Vec::with_capacity(candidacies);
    let mut pledges = Vec::new();
    for k in 0..candidacies {
        let id = Uuid::now_v7();
        let election = (t0 + chrono::Duration::days(120 + 30 * k as i64)).date_naive();
        cands.push(candidacy::Model {
            id,
            mechanism_id: bodies[k % bodies.len()],
            post: format!("{POST_PREFIX} số {}", k + 1),
            post_fold: kieng_domain::text::fold(&format!("{POST_PREFIX} số {}", k + 1)),
            term: Some("2028–2030".into()),
            election_on: Some(election),
            method: None,
            electorate: "un".into(),
            electorate_size: 193,
            votes_needed: 97,
            competitors: r#"["Ứng viên A","Ứng viên B"]"#.into(),
            status: "campaigning".into(),
            status_note: None,
            owner_agency_id: a.id,
            note: None,
            classification: 0,
            secret_item_id: None,
            version: 1,
            created_at: t0,
            created_by: None,
            updated_at: t0,
            updated_by: None,
            deleted_at: None,
            deleted_by: None,
        });
        for c in &members {
            let r = next();
            let words = 1 + (r % 4) as i64;
            for w in 0..words {
                let r = next();
                let on = t0 - chrono::Duration::days(300 - 60 * w - (r % 50) as i64);
                let competitor = match (r >> 8) % 10 {
                    0 => "Ứng viên A",
                    1 => "Ứng viên B",
                    _ => "",
                };
                pledges.push(pledge::Model {
                    id: Uuid::now_v7(),
                    candidacy_id: id,
                    country_code: c.clone(),
                    partner_id: None,
                    support: SUPPORTS[((r >> 16) % SUPPORTS.len() as u64) as usize].into(),
                    given_on: on.date_naive(),
                    channel: Some("Trao đổi song phương (dữ liệu đo hiệu năng)".into()),
                    activity_id: None,
                    competitor: competitor.into(),
                    note: None,
                    classification: if (r >> 24) % 8 == 0 { mat } else { 0 },
                    secret_item_id: None,
                    version: 1,
                    created_at: on,
                    created_by: None,
                    updated_at: on,
                    updated_by: None,
                    deleted_at: None,
                    deleted_by: None,
                });
            }
        }
    }
    let load = store.bulk_load(&[]).await?;
    load.insert(&cands, 500).await?;
    load.insert(&pledges, 500).await?;
    load.finish().await?;
    Ok((cands.len(), pledges.len()))
}
