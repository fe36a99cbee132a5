//! Generated international agreements for the national dataset: `n` agreements
//! signed by the generated agencies with countries over twenty years, each with
//! its status history (signed, then in force, some since expired) and partner,
//! loaded in bulk (not audited: a fixture, not input). Deterministic.

use chrono::{Datelike, Duration};
use kieng_domain::Classification;
use kieng_domain::text::fold;
use kieng_store::entity::{agreement, agreement_partner, agreement_status};
use kieng_store::{Store, StoreError, now};
use uuid::Uuid;

const FIELDS: &[&str] = &[
    "giáo dục và đào tạo",
    "văn hóa, thể thao và du lịch",
    "thương mại và đầu tư",
    "nông nghiệp và phát triển nông thôn",
    "y tế",
    "khoa học và công nghệ",
    "lao động",
    "giao lưu nhân dân",
];
const KINDS: &[(&str, &str)] = &[
    ("memorandum", "Bản ghi nhớ về hợp tác"),
    ("international_agreement", "Thỏa thuận hợp tác"),
    ("memorandum", "Biên bản ghi nhớ hợp tác"),
    ("other", "Kế hoạch hợp tác"),
];
const SIGNERS: &[(&str, &str)] = &[
    ("Thứ trưởng", "vice_minister"),
    ("Chủ tịch Ủy ban nhân dân tỉnh", "provincial_leader"),
    ("Giám đốc Sở", "department"),
    ("Bộ trưởng", "minister"),
];

/// Load `n` agreements; returns how many were written.
pub async fn load(store: &Store, n: usize) -> Result<usize, StoreError> {
    let (agencies, partners) = super::directory::fixture(store).await?;
    let t = now();
    let today = kieng_store::today();
    let mut rng = crate::Xorshift::new(0xD1B5_4A32_D192_ED03, 0x2545_F491_4F6C_DD1D);
    let mut next = move || rng.next();
    let mut written = 0;
    for start in (0..n).step_by(10_000) {
        let end = (start + 10_000).min(n);
        let mut rows = Vec::with_capacity(end - start);
        let mut links = Vec::with_capacity(end - start);
        let mut history = Vec::with_capacity(2 * (end - start));
        for k in start..end {
            let r = next();
            let owner = &agencies[(r % agencies.len() as u64) as usize];
            let p = &partners[((r >> 16) % partners.len() as u64) as usize];
            let (kind, what) = KINDS[k % KINDS.len()];
            let field = FIELDS[(r >> 32) as usize % FIELDS.len()];
            let title = format!("{what} {field} giữa {} và {}", owner.name_vi, p.name_vi);
            let signed = today - Duration::days(((r >> 40) % (20 * 365)) as i64);
            let in_force = signed + Duration::days(((r >> 8) % 60) as i64);
            let years = 3 + (r >> 50) as i64 % 5;
            let term = |from: chrono::NaiveDate| {
                from.with_year(from.year() + years as i32)
                    .unwrap_or(from + Duration::days(365 * years))
            };
            let renewal = ["none", "automatic", "by_agreement"][k % 3];
            // A term that renews itself has rolled on to the current one.
            let mut expires = term(in_force);
            while renewal == "automatic" && expires <= today {
                expires = term(expires);
            }
            let id = Uuid::now_v7();
            let mut steps = vec![("signed", signed), ("in_force", in_force)];
            if expires <= today && renewal != "automatic" {
                steps.push(("expired", expires));
            }
            for (status, on) in &steps {
                history.push(agreement_status::Model {
                    id: Uuid::now_v7(),
                    agreement_id: id,
                    status: (*status).into(),
                    on_date: *on,
                    note: None,
                    at: t,
                    actor_id: None,
                });
            }
            let (status, status_on) = steps[steps.len() - 1];
            let (signer, level) = SIGNERS[(r >> 24) as usize % SIGNERS.len()];
            rows.push(agreement::Model {
                id,
                kind: kind.into(),
                title_fold: fold(&title),
                title_vi: title,
                title_en: None,
                owner_agency_id: owner.id,
                provincial: owner.level == "provincial",
                signed_for: Some(if owner.level == "provincial" {
                    "provincial_committee".into()
                } else {
                    "central_agency".into()
                }),
                signatory: Some(signer.into()),
                signatory_level: Some(level.into()),
                place: Some(if k % 2 == 0 {
                    "Hà Nội".into()
                } else {
                    p.name_vi.clone()
                }),
                status: status.into(),
                status_on,
                signed_on: Some(signed),
                in_force_on: Some(in_force),
                expires_on: Some(expires),
                term: Some(format!("{years} năm")),
                renewal: renewal.into(),
                legal_basis: Some("Luật Thỏa thuận quốc tế năm 2020".into()),
                notes: None,
                activity_id: None,
                secret_item_id: None,
                classification: if k % 40 == 39 {
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
            links.push(agreement_partner::Model {
                agreement_id: id,
                partner_id: p.id,
            });
        }
        let load = store.bulk_load(&[]).await?;
        load.insert(&rows, 500).await?;
        load.insert(&links, 2000).await?;
        load.insert(&history, 1000).await?;
        load.finish().await?;
        written += rows.len();
    }
    Ok(written)
}
