//! Generated partners beyond the countries of the registry, for the national
//! dataset: organisations (friendship associations, chambers of commerce,
//! parliaments, political parties and sister localities of each country) and
//! people holding positions in them, loaded in bulk (not audited: a fixture, not
//! input). Deterministic: the same sizes give the same names.

use kieng_domain::text::fold;
use kieng_store::entity::{partner, partner_name, person_position};
use kieng_store::{Store, StoreError, now};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Organisation kinds, with their Vietnamese and English name patterns.
const ORGS: &[(&str, &str, &str)] = &[
    (
        "ngo",
        "Hội Hữu nghị {vi} – Việt Nam",
        "{en}–Vietnam Friendship Association",
    ),
    (
        "enterprise",
        "Phòng Thương mại và Công nghiệp {vi}",
        "{en} Chamber of Commerce and Industry",
    ),
    ("parliament", "Quốc hội {vi}", "Parliament of {en}"),
    ("locality", "Thủ đô của {vi}", "Capital of {en}"),
    (
        "other_organisation",
        "Viện Nghiên cứu Quốc tế {vi}",
        "{en} Institute of International Studies",
    ),
];

/// Positions people hold, by the kind of organisation they belong to.
const POSITIONS: &[&str] = &[
    "Chủ tịch",
    "Phó Chủ tịch",
    "Tổng Thư ký",
    "Trưởng ban Quan hệ quốc tế",
    "Giám đốc",
    "Đại sứ",
    "Cố vấn",
];
const GIVEN: &[&str] = &[
    "Anna", "David", "Elena", "Ivan", "Kenji", "Maria", "Ahmed", "Sophie", "Carlos", "Li", "Olga",
    "Peter", "Amina", "Hiroshi", "Laura", "Somchai", "Chantha", "Park", "Juan", "Fatima",
];
const FAMILY: &[&str] = &[
    "Müller",
    "Petrov",
    "Tanaka",
    "García",
    "Smith",
    "Kim",
    "Dubois",
    "Rossi",
    "Silva",
    "Nowak",
    "Sokolov",
    "Chen",
    "Haddad",
    "Jensen",
    "Suzuki",
    "Phommachanh",
    "Sok",
    "Schmidt",
    "Ivanova",
    "Okafor",
];

/// Load `orgs` organisations (five per country, in the order of the ISO codes)
/// and `people` people with a current position in one of them; returns both counts.
pub async fn load(store: &Store, orgs: usize, people: usize) -> Result<(usize, usize), StoreError> {
    let countries: Vec<partner::Model> = partner::Entity::find()
        .filter(partner::Column::Kind.eq("country"))
        .order_by_asc(partner::Column::Code)
        .all(store.connection())
        .await?;
    if countries.is_empty() {
        return Err(StoreError::Internal("the registry has no countries".into()));
    }
    let t = now();
    let row = |kind: &str, country: &partner::Model, vi: String, en: String| {
        let id = Uuid::now_v7();
        let names = vec![
            partner_name::Model {
                partner_id: id,
                name_key: kieng_domain::partner::name_key(&vi),
                name: vi.clone(),
                source: "name_vi".into(),
            },
            partner_name::Model {
                partner_id: id,
                name_key: kieng_domain::partner::name_key(&en),
                name: en.clone(),
                source: "name_en".into(),
            },
        ];
        let p = partner::Model {
            id,
            kind: kind.into(),
            code: None,
            country_code: country.country_code.clone(),
            name_fold: fold(&format!("{vi} {en}")),
            name_vi: vi,
            name_en: Some(en),
            abbreviation: None,
            neighbour: false,
            traditional_friend: false,
            notes: None,
            merged_into_id: None,
            owner_agency_id: Uuid::nil(),
            secret_item_id: None,
            classification: 0,
            version: 1,
            created_at: t,
            created_by: None,
            updated_at: t,
            updated_by: None,
            deleted_at: None,
            deleted_by: None,
        };
        (p, names)
    };
    let mut made: Vec<partner::Model> = Vec::with_capacity(orgs);
    let mut names: Vec<partner_name::Model> = Vec::new();
    for i in 0..orgs {
        let c = &countries[i % countries.len()];
        let (kind, vi, en) = ORGS[(i / countries.len()) % ORGS.len()];
        let en_name = c.name_en.clone().unwrap_or_else(|| c.name_vi.clone());
        let (p, n) = row(
            kind,
            c,
            vi.replace("{vi}", &c.name_vi),
            en.replace("{en}", &en_name),
        );
        made.push(p);
        names.extend(n);
    }
    let mut positions: Vec<person_position::Model> = Vec::new();
    let since = chrono::NaiveDate::from_ymd_opt(2015, 1, 1);
    for i in 0..people {
        let c = &countries[(i * 7) % countries.len()];
        let name = format!(
            "{} {}",
            GIVEN[i % GIVEN.len()],
            FAMILY[(i / GIVEN.len()) % FAMILY.len()]
        );
        // Names repeat across countries; the country tells them apart.
        let (p, n) = row("person", c, name.clone(), name);
        let org = (!made.is_empty()).then(|| made[i % made.len()].id);
        positions.push(person_position::Model {
            id: Uuid::now_v7(),
            person_id: p.id,
            organisation_id: org,
            title: POSITIONS[i % POSITIONS.len()].into(),
            from_date: since,
            from_precision: since.map(|_| "year".into()),
            to_date: None,
            to_precision: None,
            source: None,
            note: None,
            created_at: t,
            created_by: None,
            deleted_at: None,
            deleted_by: None,
        });
        made.push(p);
        names.extend(n.into_iter().take(1));
    }
    let load = store.bulk_load(&[]).await?;
    load.insert(&made, 1000).await?;
    load.insert(&names, 2000).await?;
    load.insert(&positions, 1000).await?;
    load.finish().await?;
    Ok((orgs, people))
}
