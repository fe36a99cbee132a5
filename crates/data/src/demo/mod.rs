//! Demo data: agencies of all three pillars at central, provincial and mission
//! level (with two 2025 mergers as lineage), and one user per role. It goes
//! through the same services as real input, so it is audited like everything else.

use kieng_domain::agency::{AgencyForm, LineageForm};
use kieng_domain::user::{UserForm, UserInput};
use kieng_domain::{Classification, Role, Scope};
mod activities;
mod agreements;
mod multilateral;
mod plans;
mod protection;
mod reports;

use kieng_store::auth::one_time_password;
use kieng_store::{Ctx, Store, StoreError};

/// code, name, English name, abbreviation, pillar, level, parent code, country, province
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const AGENCIES: &[Row] = &[
    (
        "UBND-SLL",
        "Ủy ban nhân dân xã Sì Lở Lầu",
        "People's Committee of Si Lo Lau Commune",
        "",
        "state",
        "commune",
        "",
        "",
        "03562",
    ),
    (
        "BNG",
        "Bộ Ngoại giao",
        "Ministry of Foreign Affairs",
        "BNG",
        "state",
        "central",
        "",
        "",
        "",
    ),
    (
        "BNG-LS",
        "Cục Lãnh sự",
        "Consular Department",
        "",
        "state",
        "central",
        "BNG",
        "",
        "",
    ),
    (
        "BNG-NGKT",
        "Vụ Tổng hợp kinh tế",
        "Department of Economic Affairs",
        "",
        "state",
        "central",
        "BNG",
        "",
        "",
    ),
    (
        "BNG-NVNONN",
        "Ủy ban Nhà nước về người Việt Nam ở nước ngoài",
        "State Committee for Overseas Vietnamese",
        "",
        "state",
        "central",
        "BNG",
        "",
        "",
    ),
    (
        "DSQ-JP",
        "Đại sứ quán Việt Nam tại Nhật Bản",
        "Embassy of Viet Nam in Japan",
        "",
        "state",
        "mission",
        "BNG",
        "JP",
        "",
    ),
    (
        "DSQ-US",
        "Đại sứ quán Việt Nam tại Hoa Kỳ",
        "Embassy of Viet Nam in the United States",
        "",
        "state",
        "mission",
        "BNG",
        "US",
        "",
    ),
    (
        "DSQ-FR",
        "Đại sứ quán Việt Nam tại Pháp",
        "Embassy of Viet Nam in France",
        "",
        "state",
        "mission",
        "BNG",
        "FR",
        "",
    ),
    (
        "TLSQ-SYD",
        "Tổng Lãnh sự quán Việt Nam tại Sydney",
        "Consulate General of Viet Nam in Sydney",
        "",
        "state",
        "mission",
        "BNG",
        "AU",
        "",
    ),
    (
        "SNV-HN",
        "Sở Ngoại vụ Hà Nội",
        "Ha Noi Department of Foreign Affairs",
        "",
        "state",
        "provincial",
        "",
        "",
        "VN34-01",
    ),
    (
        "SNV-HCM",
        "Sở Ngoại vụ Thành phố Hồ Chí Minh",
        "Ho Chi Minh City Department of Foreign Affairs",
        "",
        "state",
        "provincial",
        "",
        "",
        "VN34-05",
    ),
    (
        "SNV-DN",
        "Sở Ngoại vụ Đà Nẵng",
        "Da Nang Department of Foreign Affairs",
        "",
        "state",
        "provincial",
        "",
        "",
        "VN34-04",
    ),
    (
        "SNV-QNAM",
        "Sở Ngoại vụ Quảng Nam",
        "Quang Nam Department of Foreign Affairs",
        "",
        "state",
        "provincial",
        "",
        "",
        "VN34-04",
    ),
    (
        "BDNTW",
        "Ban Đối ngoại Trung ương",
        "Central External Relations Commission",
        "BĐNTW",
        "party",
        "central",
        "",
        "",
        "",
    ),
    (
        "TU-HP-DN",
        "Ban Đối ngoại Thành ủy Hải Phòng",
        "External Relations Committee of the Hai Phong Party Committee",
        "",
        "party",
        "provincial",
        "",
        "",
        "VN34-03",
    ),
    (
        "LHHN",
        "Liên hiệp các tổ chức hữu nghị Việt Nam",
        "Viet Nam Union of Friendship Organisations",
        "VUFO",
        "people",
        "central",
        "",
        "",
        "",
    ),
    (
        "MTTQ",
        "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
        "Central Committee of the Viet Nam Fatherland Front",
        "MTTQVN",
        "people",
        "central",
        "",
        "",
        "",
    ),
    (
        "LHHN-HCM",
        "Liên hiệp các tổ chức hữu nghị Thành phố Hồ Chí Minh",
        "Ho Chi Minh City Union of Friendship Organisations",
        "HUFO",
        "people",
        "provincial",
        "",
        "",
        "VN34-05",
    ),
];

/// One printed line per demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub agency: String,
    pub password: String,
}

/// Fill an empty database. Refuses a database that already has users.
pub async fn load(store: &Store) -> Result<Vec<DemoAccount>, StoreError> {
    if store.user_count().await? > 0 {
        return Err(StoreError::Internal(
            "the database already has users; demo data goes into a fresh database".into(),
        ));
    }
    store.bootstrap().await?;
    let root = store
        .agency_by_code(kieng_store::users::ROOT_AGENCY_CODE)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut accounts = Vec::new();
    let admin_password = one_time_password();
    let admin = UserInput {
        username: "admin".into(),
        display_name: "Quản trị hệ thống".into(),
        agency_id: root.id,
        role: Role::Admin,
        scope: Scope::All,
        clearance: store.config.max_classification,
    };
    let admin = store.user_add_cli(&admin, &admin_password).await?;
    accounts.push(DemoAccount {
        username: "admin".into(),
        role: Role::Admin,
        agency: root.name_vi.clone(),
        password: admin_password,
    });
    let ctx = Ctx {
        actor: store.actor_of(&admin).await?,
        request_id: Some("demo".into()),
        ip: None,
    };

    secret_items(store, &ctx).await?;
    for (code, name, en, abbr, pillar, level, parent, country, province) in AGENCIES {
        let parent_id = match *parent {
            "" => None,
            p => store.agency_by_code(p).await?.map(|a| a.id.to_string()),
        };
        let form = AgencyForm {
            code: code.to_string(),
            name_vi: name.to_string(),
            name_en: Some(en.to_string()),
            abbreviation: Some(abbr.to_string()),
            pillar: pillar.to_string(),
            // The ministry carries out the Party's external work since 2025.
            also_pillar: (*code == "BNG").then(|| "party".to_string()),
            level: level.to_string(),
            parent_id,
            country_code: Some(country.to_string()),
            // A commune-level agency's place is its commune's code.
            province_code: (*level != "commune").then(|| province.to_string()),
            commune_code: (*level == "commune").then(|| province.to_string()),
            classification: None,
            secret_item: None,
        };
        store.agency_create(&ctx, &form).await?;
    }
    let id = |code: &'static str| async move {
        store
            .agency_by_code(code)
            .await?
            .map(|a| a.id)
            .ok_or(StoreError::NotFound)
    };
    let ctx_ref = &ctx;
    let merge = |from: &'static str, into: &'static str, date: &'static str, note: &'static str| async move {
        let (from, into) = (id(from).await?, id(into).await?);
        let form = LineageForm {
            kind: "merged_into".into(),
            effective_date: date.into(),
            related_agency_id: Some(into.to_string()),
            note: Some(note.into()),
            ..Default::default()
        };
        store
            .agency_lineage_add(ctx_ref, from, &form)
            .await
            .map(|_| ())
    };
    merge("BDNTW", "BNG", "2025-03-01", "Dữ liệu minh họa: chức năng đối ngoại Đảng chuyển về Bộ Ngoại giao trong đợt sắp xếp bộ máy năm 2025.").await?;
    merge(
        "SNV-QNAM",
        "SNV-DN",
        "2025-07-01",
        "Dữ liệu minh họa: tỉnh Quảng Nam hợp nhất vào thành phố Đà Nẵng từ 01/07/2025.",
    )
    .await?;

    let people: [(&str, &str, Role, Scope, Classification, &str); 5] = [
        (
            "lanhdao",
            "Nguyễn Văn An",
            Role::Leader,
            Scope::Pillar,
            Classification::Mat,
            "BNG",
        ),
        (
            "dieuphoi",
            "Trần Thị Bình",
            Role::Coordinator,
            Scope::All,
            Classification::Mat,
            "BNG",
        ),
        (
            "chuyenvien",
            "Lê Minh Châu",
            Role::Officer,
            Scope::Agency,
            Classification::None,
            "SNV-HN",
        ),
        (
            "canbo.dsq",
            "Phạm Quốc Dũng",
            Role::Officer,
            Scope::Agency,
            Classification::Mat,
            "DSQ-JP",
        ),
        (
            "nguoixem",
            "Hoàng Thu Hà",
            Role::Viewer,
            Scope::Agency,
            Classification::None,
            "LHHN",
        ),
    ];
    for (username, display, role, scope, clearance, agency) in people {
        let agency_id = id(agency).await?;
        let form = UserForm {
            username: username.into(),
            display_name: display.into(),
            agency_id: agency_id.to_string(),
            role: role.as_str().into(),
            scope: scope.as_str().into(),
            clearance: clearance
                .min(store.config.max_classification)
                .as_str()
                .into(),
            password: None,
        };
        let (u, _) = store.user_create(&ctx, &form).await?;
        // Demo accounts get a password to print and keep, not one to change at once.
        let password = store
            .user_reset_password_cli(&u.username, Some(&one_time_password()))
            .await?;
        let agency_name = store
            .agency_by_code(agency)
            .await?
            .map(|a| a.name_vi)
            .unwrap_or_default();
        accounts.push(DemoAccount {
            username: username.into(),
            role,
            agency: agency_name,
            password,
        });
    }
    activities::load(store, &ctx).await?;
    agreements::load(store, &ctx).await?;
    contacts(store, &ctx).await?;
    reports::load(store).await?;
    plans::load(store).await?;
    protection::load(store).await?;
    protection::load_crisis(store).await?;
    multilateral::load(store).await?;
    Ok(accounts)
}

/// Demo people: invented contacts (marked as such), each with a past and a
/// present position, so a country's dossier shows its key contacts.
/// (title, held at, from, to).
type DemoPosition = (&'static str, &'static str, &'static str, &'static str);
const DEMO_PEOPLE: &[(&str, &str, &str, &[DemoPosition])] = &[
    (
        "Tanaka Hiroshi (nhân vật minh họa)",
        "Tanaka Hiroshi",
        "JP",
        &[
            (
                "Vụ trưởng Vụ Đông Nam Á, Bộ Ngoại giao",
                "Nhật Bản",
                "04/2024",
                "",
            ),
            ("Tham tán Công sứ tại Hà Nội", "Nhật Bản", "2019", "03/2024"),
        ],
    ),
    (
        "Kim Min-ji (nhân vật minh họa)",
        "Kim Min-ji",
        "KR",
        &[
            ("Thị trưởng (minh họa)", "Hàn Quốc", "07/2022", ""),
            ("Nghị sĩ Quốc hội", "Hàn Quốc", "2016", "2022"),
        ],
    ),
];

async fn contacts(store: &Store, ctx: &Ctx) -> Result<(), StoreError> {
    for (name, en, country, positions) in DEMO_PEOPLE {
        let form = kieng_domain::partner::PartnerForm {
            kind: "person".into(),
            name_vi: name.to_string(),
            name_en: Some(en.to_string()),
            country_code: Some(country.to_string()),
            notes: Some("Dữ liệu minh họa, không phải người thật.".into()),
            ..Default::default()
        };
        let p = store.partner_create(ctx, &form, true).await?;
        for (title, at, from, to) in *positions {
            let f = kieng_domain::person::PositionForm {
                title: title.to_string(),
                organisation: Some(at.to_string()),
                from: Some(from.to_string()),
                to: Some(to.to_string()),
                source: Some("Dữ liệu minh họa".into()),
                note: None,
            };
            store.person_position_add(ctx, p.id, &f).await?;
        }
    }
    Ok(())
}

/// Demo catalogue items, one per level, so classified demo records have a
/// basis. Their wording is an illustration, said so on every item: a
/// deployment's administrator enters the items of the catalogue its body
/// applies (for foreign affairs, the Prime Minister's Decision 1178/QĐ-TTg of
/// 4 August 2020) and retires these.
async fn secret_items(store: &Store, ctx: &Ctx) -> Result<(), StoreError> {
    const CATALOGUE: &str = "Dữ liệu minh họa — thay bằng mục của Quyết định số 1178/QĐ-TTg ngày 04/08/2020 (danh mục bí mật nhà nước lĩnh vực đối ngoại)";
    for (code, level, title) in [
        (
            "DEMO-M-01",
            "mat",
            "Minh họa: nội dung tham vấn, trao đổi với đối tác nước ngoài chưa công bố",
        ),
        (
            "DEMO-TM-01",
            "toi_mat",
            "Minh họa: phương án, chủ trương đàm phán với nước ngoài chưa công bố",
        ),
        (
            "DEMO-TUM-01",
            "tuyet_mat",
            "Minh họa: chủ trương, chiến lược đối ngoại chưa công bố",
        ),
    ] {
        let form = kieng_domain::secret_item::SecretItemForm {
            code: code.into(),
            catalogue: CATALOGUE.into(),
            title: title.into(),
            level: level.into(),
        };
        store.secret_item_create(ctx, &form).await?;
    }
    Ok(())
}
