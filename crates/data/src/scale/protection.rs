//! Generated citizen protection data for benchmarks: `cases` cases over
//! twenty years in the generated agencies' charge (most of them closed, the
//! last months' open), numbered per year as intake numbers them, and one
//! crisis whose registry holds `crisis_people` citizens in a dozen places,
//! each sealed under the store's personal-data key with its digests, as an
//! import writes them. Loaded in bulk (not audited: a fixture, not input).
//! Deterministic in content.

use kieng_domain::protection::crisis::dup_keys;
use kieng_domain::protection::person::PersonData;
use kieng_store::entity::{agency, crisis, crisis_person, protection_case};
use kieng_store::{Store, StoreError, now};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// The generated crisis's name: the bench finds it by this.
pub const CRISIS_NAME: &str = "Động đất (dữ liệu đo hiệu năng)";

const CATEGORIES: &[&str] = &[
    "detention",
    "fishermen",
    "accident",
    "death",
    "missing",
    "trafficking",
    "stranded",
    "labour",
    "illness",
    "other",
];
const COUNTRIES: &[&str] = &[
    "JP", "KR", "TW", "MY", "TH", "ID", "CN", "DE", "US", "AU", "SA", "RU",
];
const PLACES: &[&str] = &[
    "Antakya",
    "İskenderun",
    "Kahramanmaraş",
    "Gaziantep",
    "Adana",
    "Malatya",
    "Adıyaman",
    "Osmaniye",
    "Hatay",
    "Kilis",
    "Şanlıurfa",
    "Diyarbakır",
];
const STATUSES: &[&str] = &[
    "safe",
    "safe",
    "safe",
    "unconfirmed",
    "unreachable",
    "injured",
    "evacuated",
    "evacuated",
];
const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Linh", "Nam", "Phương",
];

/// Load the cases and the crisis; returns (cases, registry entries).
pub async fn load(
    store: &Store,
    cases: usize,
    crisis_people: usize,
) -> Result<(usize, usize), StoreError> {
    let agencies: Vec<agency::Model> = agency::Entity::find()
        .filter(agency::Column::Code.starts_with("BENCH-"))
        .order_by_asc(agency::Column::Code)
        .all(store.connection())
        .await?;
    if agencies.is_empty() {
        return Err(StoreError::Internal("seed the directory first".into()));
    }
    let t0 = now();
    let mut rng = crate::Xorshift::new(0x1234_5678_9ABC_DEF1, 0x0F1E_2D3C_4B5A_6978);
    let mut next = move || rng.next();
    let mut per_year: std::collections::BTreeMap<i32, i64> = Default::default();
    for start in (0..cases).step_by(20_000) {
        let end = (start + 20_000).min(cases);
        let mut rows = Vec::with_capacity(end - start);
        for k in start..end {
            let r = next();
            let a = &agencies[((r >> 17) % agencies.len() as u64) as usize];
            // Spread evenly over twenty years, oldest first.
            let days_ago = ((cases - k) as i64 * 20 * 365) / cases.max(1) as i64;
            let opened = t0
                - chrono::Duration::days(days_ago)
                - chrono::Duration::minutes((r >> 8) as i64 % 1440);
            let year = chrono::Datelike::year(&opened);
            let seq = per_year.entry(year).or_insert(0);
            *seq += 1;
            let open = days_ago < 90 && (r >> 20) % 4 != 0;
            let status = if open {
                ["new", "triaged", "in_progress", "waiting"][((r >> 24) % 4) as usize]
            } else {
                "closed"
            };
            let severity = ["critical", "high", "high", "normal", "normal", "normal"]
                [((r >> 28) % 6) as usize];
            let hours = match severity {
                "critical" => 2,
                "high" => 24,
                _ => 72,
            };
            rows.push(protection_case::Model {
                id: Uuid::now_v7(),
                number: kieng_domain::protection::case_number(year, *seq),
                agency_id: a.id,
                intake_agency_id: a.id,
                source: "mission".into(),
                category: CATEGORIES[((r >> 32) % CATEGORIES.len() as u64) as usize].into(),
                severity: severity.into(),
                status: status.into(),
                is_open: open,
                summary: format!("Vụ việc công dân cần bảo hộ số {k} (dữ liệu đo hiệu năng)."),
                country_code: COUNTRIES[((r >> 36) % COUNTRIES.len() as u64) as usize].into(),
                place: Some(PLACES[((r >> 40) % PLACES.len() as u64) as usize].into()),
                authority_partner_id: None,
                legal_entity: None,
                officer_id: None,
                opened_at: opened,
                first_contact_due: opened + chrono::Duration::hours(hours),
                first_contact_at: (!open || (r >> 44) % 3 != 0)
                    .then(|| opened + chrono::Duration::hours(1)),
                next_action: None,
                next_action_due: None,
                closed_at: (!open).then(|| opened + chrono::Duration::days(30)),
                legal_hold: false,
                talking_point: None,
                personal_purged_at: None,
                classification: 0,
                secret_item_id: None,
                version: 1,
                created_at: opened,
                created_by: None,
                updated_at: opened,
                updated_by: None,
                deleted_at: None,
                deleted_by: None,
            });
        }
        let load = store.bulk_load(&[]).await?;
        load.insert(&rows, 500).await?;
        load.finish().await?;
    }
    // Intake numbers on from where the generated cases stop.
    let db = store.connection();
    for (year, n) in &per_year {
        let name = format!("protection_case_{year}");
        let mut ins = Query::insert();
        ins.into_table("counters")
            .columns(["name", "value"])
            .values_panic([name.clone().into(), (*n).into()])
            .on_conflict(OnConflict::column("name").update_column("value").to_owned());
        db.execute(&ins).await?;
    }

    let entries = if crisis_people > 0 {
        crisis_registry(store, &agencies[0], crisis_people).await?
    } else {
        0
    };
    store.analyze().await?;
    Ok((cases, entries))
}

/// The crisis and its registry, in the first generated agency's charge.
async fn crisis_registry(store: &Store, a: &agency::Model, n: usize) -> Result<usize, StoreError> {
    let Some(sealer) = store.personal_key().cloned() else {
        return Err(StoreError::Internal(
            "generating a crisis registry needs the personal-data key".into(),
        ));
    };
    let t0 = now();
    let c = crisis::Model {
        id: Uuid::now_v7(),
        name: CRISIS_NAME.into(),
        kind: "earthquake".into(),
        phase: "evacuation".into(),
        is_open: true,
        country_code: "TR".into(),
        area: PLACES.join(", "),
        agency_id: a.id,
        officer_id: None,
        started_on: kieng_store::today() - chrono::Duration::days(10),
        closed_at: None,
        note: None,
        personal_purged_at: None,
        classification: 0,
        version: 1,
        created_at: t0,
        created_by: None,
        updated_at: t0,
        updated_by: None,
        deleted_at: None,
    };
    let load = store.bulk_load(&[]).await?;
    load.insert(std::slice::from_ref(&c), 1).await?;
    load.finish().await?;
    let mut rng = crate::Xorshift::new(0x7777_1111_2222_3333, 0x4444_5555_6666_0001);
    let mut next = move || rng.next();
    for start in (0..n).step_by(10_000) {
        let end = (start + 10_000).min(n);
        let mut rows = Vec::with_capacity(end - start);
        for k in start..end {
            let r = next();
            let data = PersonData {
                full_name: format!(
                    "{} {} {} {k}",
                    FAMILY[(r % FAMILY.len() as u64) as usize],
                    ["Văn", "Thị", "Minh", "Ngọc"][((r >> 8) % 4) as usize],
                    GIVEN[((r >> 12) % GIVEN.len() as u64) as usize]
                ),
                birth_date: chrono::NaiveDate::from_ymd_opt(
                    1950 + ((r >> 16) % 55) as i32,
                    1 + ((r >> 24) % 12) as u32,
                    1 + ((r >> 28) % 28) as u32,
                ),
                passport: Some(format!("B{:08}", k)),
                contact: Some(format!("+90 5{:09}", r % 1_000_000_000)),
                ..Default::default()
            };
            let id = Uuid::now_v7();
            let plain = serde_json::to_vec(&data)
                .map_err(|e| StoreError::Internal(format!("sealing: {e}")))?;
            let (pk, nk) = dup_keys(&data);
            let status = STATUSES[((r >> 32) % STATUSES.len() as u64) as usize];
            rows.push(crisis_person::Model {
                id,
                crisis_id: c.id,
                status: status.into(),
                place: PLACES[((r >> 40) % PLACES.len() as u64) as usize].into(),
                transport: if status == "evacuated" {
                    format!("TK-{}", 100 + (r >> 48) % 40)
                } else {
                    String::new()
                },
                sealed: sealer.seal(id, &plain),
                passport_key: pk.map(|t| sealer.blind(&t)),
                name_key: nk.map(|t| sealer.blind(&t)),
                merged: false,
                merged_into: None,
                case_id: None,
                source: "import".into(),
                version: 1,
                created_at: t0,
                created_by: None,
                updated_at: t0,
                updated_by: None,
            });
        }
        let load = store.bulk_load(&[]).await?;
        load.insert(&rows, 500).await?;
        load.finish().await?;
    }
    // Keep the sealing key's record, as a server would on first start.
    store.sealing_key_check().await?;
    Ok(n)
}
