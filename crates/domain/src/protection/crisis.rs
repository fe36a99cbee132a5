//! Crises: an earthquake, a conflict, an epidemic or a mass arrest that puts
//! many citizens in one area at risk at once. A crisis has a phase and a
//! registry of the citizens in the area — imported from a mission's community
//! lists or added by phone — each with a status, a place and the flight or
//! bus that takes them out. Their personal data is sealed like a case's
//! (`person::PersonData`); the place and status are the statistics the
//! boards count and stay in clear.
//!
//! Two entries are the same person when they share a passport number, or a
//! folded full name and a birth date (`dup_keys`); merging keeps the entry
//! first registered, fills its blanks from the other (`merge`) and keeps the
//! status that says most (`PersonStatus::weight`).

use super::person::{PersonData, PersonForm, PersonInput, Role as PersonRole};
use crate::error::msgs;
use crate::import::{Layout, Problem, SheetColumn};
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What happened.
    Kind {
        Earthquake = "earthquake", "Động đất", "Earthquake";
        Disaster = "disaster", "Thiên tai (bão, lũ, sóng thần)", "Natural disaster (storm, flood, tsunami)";
        Conflict = "conflict", "Xung đột, chiến sự", "Armed conflict";
        Epidemic = "epidemic", "Dịch bệnh", "Epidemic";
        MassArrest = "mass_arrest", "Bắt giữ hàng loạt", "Mass arrest";
        Other = "other", "Khác", "Other";
    }
);

code_enum!(
    /// How far the response has gone.
    Phase {
        Precaution = "precaution", "Theo dõi, khuyến cáo", "Precaution";
        Restriction = "restriction", "Hạn chế đi lại", "Restriction";
        Voluntary = "voluntary_departure", "Khuyến cáo rời khỏi khu vực", "Voluntary departure";
        Evacuation = "evacuation", "Sơ tán", "Evacuation";
        Closed = "closed", "Kết thúc", "Closed";
    }
);

code_enum!(
    /// Where one citizen in the area stands.
    PersonStatus {
        Unconfirmed = "unconfirmed", "Chưa xác minh", "Unconfirmed";
        Safe = "safe", "An toàn", "Safe";
        Unreachable = "unreachable", "Không liên lạc được", "Unreachable";
        Injured = "injured", "Bị thương", "Injured";
        Evacuated = "evacuated", "Đã sơ tán", "Evacuated";
        Deceased = "deceased", "Tử vong", "Deceased";
    }
);

impl Phase {
    pub fn is_open(self) -> bool {
        self != Self::Closed
    }
}

impl PersonStatus {
    /// How much a status says, for merging two entries of one person: a
    /// death or an injury is never overwritten by an older "safe", an
    /// evacuation outranks being safe in place, and anything known outranks
    /// "unreachable" and "unconfirmed".
    pub fn weight(self) -> u8 {
        match self {
            Self::Unconfirmed => 0,
            Self::Unreachable => 1,
            Self::Safe => 2,
            Self::Evacuated => 3,
            Self::Injured => 4,
            Self::Deceased => 5,
        }
    }

    /// The colour class of a status on the boards.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Safe | Self::Evacuated => "ok",
            Self::Unconfirmed => "muted",
            Self::Unreachable | Self::Injured => "warn",
            Self::Deceased => "grave",
        }
    }
}

/// Most people in one crisis's registry.
pub const MAX_PEOPLE: usize = 200_000;
/// Most rows one community list imports (a larger list goes in several files).
pub const MAX_IMPORT_ROWS: usize = 20_000;
/// Longest place or transport label.
pub const MAX_PLACE: usize = 200;

/// A crisis as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CrisisForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    /// Empty: "precaution".
    pub phase: Option<String>,
    /// ISO alpha-2 code or the country's name.
    #[serde(default)]
    pub country: String,
    /// The area: provinces, cities, a region.
    #[serde(default)]
    pub area: String,
    /// The mission (or agency) in charge, by code; empty: the reader's.
    pub agency: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd; empty: today.
    pub started_on: Option<String>,
    pub note: Option<String>,
    /// For an edit: the version read.
    #[serde(default)]
    pub version: Option<i32>,
}

/// A validated crisis.
#[derive(Debug, Clone, PartialEq)]
pub struct CrisisInput {
    pub name: String,
    pub kind: Kind,
    pub phase: Phase,
    pub country: String,
    pub area: String,
    pub agency: Option<String>,
    pub started_on: NaiveDate,
    pub note: Option<String>,
}

impl CrisisInput {
    pub fn parse(f: &CrisisForm, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = text::required(&mut e, "name", &f.name, 200);
        let kind = Kind::parse(&f.kind);
        if kind.is_none() {
            e.add("kind", msgs::invalid_choice());
        }
        let phase = match f.phase.as_deref().map(str::trim) {
            None | Some("") => Some(Phase::Precaution),
            Some(p) => Phase::parse(p),
        };
        if phase.is_none() {
            e.add("phase", msgs::invalid_choice());
        }
        let country = text::required(&mut e, "country", &f.country, 100);
        let area = text::required(&mut e, "area", &f.area, 500);
        let agency = text::optional(&mut e, "agency", f.agency.as_deref(), 64);
        let started_on = match f.started_on.as_deref().map(str::trim) {
            None | Some("") => Some(today),
            Some(s) => crate::days::parse_date(s).filter(|d| *d <= today),
        };
        if started_on.is_none() {
            e.add(
                "started_on",
                Msg::new(
                    "Ghi ngày bắt đầu dạng 06/02/2023, không ở tương lai.",
                    "Write the start date as 06/02/2023, not in the future.",
                ),
            );
        }
        let note = text::optional(&mut e, "note", f.note.as_deref(), super::MAX_TEXT);
        match (kind, phase, started_on) {
            (Some(kind), Some(phase), Some(started_on)) if e.is_empty() => Ok(Self {
                name,
                kind,
                phase,
                country,
                area,
                agency,
                started_on,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// A citizen in the area as submitted (by phone, or a row of a list).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub full_name: String,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub passport: Option<String>,
    pub id_number: Option<String>,
    pub contact: Option<String>,
    pub note: Option<String>,
    /// Empty: "unconfirmed".
    pub status: Option<String>,
    /// Where they are: a city, a district, a shelter (never an address).
    pub place: Option<String>,
    /// The flight or bus taking them out.
    pub transport: Option<String>,
}

/// A validated entry: the sealed part and the counted part.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryInput {
    pub data: PersonData,
    pub status: PersonStatus,
    pub place: String,
    pub transport: String,
}

/// A place or transport label as counted: spaces folded, at most `MAX_PLACE`.
fn label_text(e: &mut FieldErrors, field: &str, v: Option<&str>) -> String {
    text::optional(e, field, v, MAX_PLACE).unwrap_or_default()
}

fn status_of(e: &mut FieldErrors, v: Option<&str>) -> Option<PersonStatus> {
    match v.map(str::trim) {
        None | Some("") => Some(PersonStatus::Unconfirmed),
        Some(s) => {
            let folded = crate::text::fold(s);
            let st = PersonStatus::ALL.iter().copied().find(|p| {
                p.as_str() == s
                    || crate::text::fold(p.label().get("vi")) == folded
                    || crate::text::fold(p.label().get("en")) == folded
            });
            if st.is_none() {
                e.add(
                    "status",
                    Msg::new(
                        format!(
                            "Tình trạng là một trong: {}.",
                            PersonStatus::ALL
                                .iter()
                                .map(|p| p.label().get("vi").to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        format!(
                            "The status is one of: {}.",
                            PersonStatus::ALL
                                .iter()
                                .map(|p| p.label().get("en").to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                );
            }
            st
        }
    }
}

impl EntryInput {
    pub fn parse(f: &EntryForm, today: NaiveDate) -> Result<Self, FieldErrors> {
        let person = PersonInput::parse(
            &PersonForm {
                role: PersonRole::Citizen.as_str().into(),
                full_name: f.full_name.clone(),
                birth_date: f.birth_date.clone(),
                gender: f.gender.clone(),
                passport: f.passport.clone(),
                id_number: f.id_number.clone(),
                contact: f.contact.clone(),
                health: None,
                note: f.note.clone(),
            },
            today,
        );
        let mut e = match &person {
            Ok(_) => FieldErrors::new(),
            Err(fe) => fe.clone(),
        };
        let status = status_of(&mut e, f.status.as_deref());
        let place = label_text(&mut e, "place", f.place.as_deref());
        let transport = label_text(&mut e, "transport", f.transport.as_deref());
        match (person, status) {
            (Ok(p), Some(status)) if e.is_empty() => Ok(Self {
                data: p.data,
                status,
                place,
                transport,
            }),
            _ => Err(e),
        }
    }
}

/// A change of one entry's status, place or transport.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    /// Absent: unchanged; empty: cleared.
    pub place: Option<String>,
    pub transport: Option<String>,
    #[serde(default)]
    pub version: i32,
}

/// A validated change.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusInput {
    pub status: PersonStatus,
    pub place: Option<String>,
    pub transport: Option<String>,
}

impl StatusInput {
    pub fn parse(f: &StatusForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let status = if f.status.trim().is_empty() {
            e.add("status", msgs::invalid_choice());
            None
        } else {
            status_of(&mut e, Some(&f.status))
        };
        let place = f
            .place
            .as_deref()
            .map(|p| label_text(&mut e, "place", Some(p)));
        let transport = f
            .transport
            .as_deref()
            .map(|t| label_text(&mut e, "transport", Some(t)));
        match status {
            Some(status) if e.is_empty() => Ok(Self {
                status,
                place,
                transport,
            }),
            _ => Err(e),
        }
    }
}

/// The two texts that identify a person, before they are digested with the
/// deployment's key (`store::protection::seal::Sealer::blind`): the passport
/// number, and the folded full name with the birth date. Either may be
/// missing (no passport; no birth date).
pub fn dup_keys(p: &PersonData) -> (Option<String>, Option<String>) {
    let passport = p
        .passport
        .as_deref()
        .map(super::person::document_number)
        .filter(|n| !n.is_empty())
        .map(|n| format!("passport:{n}"));
    let name = crate::text::fold(&p.full_name);
    let name_birth = match (name.is_empty(), p.birth_date) {
        (false, Some(d)) => Some(format!("name:{name}|{d}")),
        _ => None,
    };
    (passport, name_birth)
}

/// Whether two entries are one person, from their digested keys
/// (`dup_keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Same {
    /// The same passport, or the same name and birth date with no passport
    /// telling them apart: merged without asking.
    Yes,
    /// The same name and birth date but two different passports (a renewed
    /// passport, or two people): added, and listed for the team to decide.
    Possibly,
    No,
}

/// The rule of `Same`, on (passport, name and birth date) keys.
pub fn same_person(
    passport: Option<&str>,
    name: Option<&str>,
    other_passport: Option<&str>,
    other_name: Option<&str>,
) -> Same {
    match (passport, other_passport) {
        (Some(a), Some(b)) if a == b => return Same::Yes,
        _ => {}
    }
    match (name, other_name) {
        (Some(a), Some(b)) if a == b => match (passport, other_passport) {
            (Some(_), Some(_)) => Same::Possibly,
            _ => Same::Yes,
        },
        _ => Same::No,
    }
}

/// Two entries of one person merged: what the kept entry lacks is taken
/// from the other; what both hold, the kept entry's wins.
pub fn merge(kept: &PersonData, other: &PersonData) -> PersonData {
    fn or(a: &Option<String>, b: &Option<String>) -> Option<String> {
        a.clone().or_else(|| b.clone())
    }
    PersonData {
        full_name: if kept.full_name.trim().is_empty() {
            other.full_name.clone()
        } else {
            kept.full_name.clone()
        },
        birth_date: kept.birth_date.or(other.birth_date),
        gender: or(&kept.gender, &other.gender),
        passport: or(&kept.passport, &other.passport),
        id_number: or(&kept.id_number, &other.id_number),
        contact: or(&kept.contact, &other.contact),
        health: or(&kept.health, &other.health),
        note: {
            // A second passport is kept in the note, never dropped.
            let other_passport = match (&kept.passport, &other.passport) {
                (Some(a), Some(b)) if a != b => {
                    Some(format!("Hộ chiếu khác / other passport: {b}"))
                }
                _ => None,
            };
            let notes: Vec<&String> = [&kept.note, &other.note, &other_passport]
                .into_iter()
                .flatten()
                .collect();
            let mut out: Vec<&String> = Vec::new();
            for n in notes {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            (!out.is_empty()).then(|| {
                out.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        },
    }
}

/// The status a merged entry keeps: the one that says most.
pub fn merged_status(a: PersonStatus, b: PersonStatus) -> PersonStatus {
    if b.weight() > a.weight() { b } else { a }
}

/// One place's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceCount {
    /// "" for people whose place is not known.
    pub place: String,
    pub total: u64,
    /// In the order of `PersonStatus::ALL`.
    pub by_status: Vec<u64>,
}

/// A crisis's counts: by status, and by place and status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: u64,
    /// In the order of `PersonStatus::ALL`.
    pub by_status: Vec<u64>,
    /// Largest first.
    pub places: Vec<PlaceCount>,
}

/// The counts from the database's groups (status, place, number). A status
/// the code no longer knows is counted in the total only.
pub fn counts(groups: &[(String, String, u64)]) -> Counts {
    let n = PersonStatus::ALL.len();
    let mut c = Counts {
        total: 0,
        by_status: vec![0; n],
        places: Vec::new(),
    };
    let mut places: std::collections::BTreeMap<&str, PlaceCount> = Default::default();
    for (status, place, k) in groups {
        c.total += k;
        let p = places.entry(place.as_str()).or_insert_with(|| PlaceCount {
            place: place.clone(),
            total: 0,
            by_status: vec![0; n],
        });
        p.total += k;
        if let Some(i) = PersonStatus::ALL.iter().position(|s| s.as_str() == status) {
            c.by_status[i] += k;
            p.by_status[i] += k;
        }
    }
    c.places = places.into_values().collect();
    c.places.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.place.is_empty().cmp(&b.place.is_empty()))
            .then_with(|| a.place.cmp(&b.place))
    });
    c
}

/// A column of a community list: the registry's export, or the lists
/// missions keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    FullName,
    BirthDate,
    Gender,
    Passport,
    IdNumber,
    Contact,
    Place,
    Status,
    Transport,
    Note,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Self::FullName,
        Self::BirthDate,
        Self::Gender,
        Self::Passport,
        Self::IdNumber,
        Self::Contact,
        Self::Place,
        Self::Status,
        Self::Transport,
        Self::Note,
    ];
}

impl SheetColumn for Column {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn required() -> &'static [Self] {
        &[Self::FullName]
    }

    fn label(self) -> Msg {
        let (vi, en) = match self {
            Self::FullName => ("Họ và tên", "Full name"),
            Self::BirthDate => ("Ngày sinh", "Birth date"),
            Self::Gender => ("Giới tính", "Gender"),
            Self::Passport => ("Số hộ chiếu", "Passport number"),
            Self::IdNumber => ("Số định danh", "ID number"),
            Self::Contact => ("Liên hệ", "Contact"),
            Self::Place => ("Nơi ở hiện tại", "Current place"),
            Self::Status => ("Tình trạng", "Status"),
            Self::Transport => ("Chuyến", "Flight or bus"),
            Self::Note => ("Ghi chú", "Note"),
        };
        Msg::new(vi, en)
    }

    fn also_called(self) -> &'static [&'static str] {
        match self {
            Self::FullName => &["Họ tên", "Tên", "Name"],
            Self::BirthDate => &["Năm sinh", "Ngày tháng năm sinh", "Date of birth", "DOB"],
            Self::Gender => &["Nam/Nữ", "Sex"],
            Self::Passport => &["Hộ chiếu", "Số HC", "Passport"],
            Self::IdNumber => &["CCCD", "Số CCCD", "CMND", "Số căn cước"],
            Self::Contact => &["Điện thoại", "Số điện thoại", "SĐT", "Phone"],
            Self::Place => &["Địa điểm", "Nơi ở", "Khu vực", "Place", "Location"],
            Self::Status => &["Trạng thái"],
            Self::Transport => &["Chuyến bay", "Phương tiện", "Flight", "Bus"],
            Self::Note => &["Notes"],
        }
    }

    fn of_field(field: &str) -> Option<Self> {
        Some(match field {
            "full_name" => Self::FullName,
            "birth_date" => Self::BirthDate,
            "gender" => Self::Gender,
            "passport" => Self::Passport,
            "id_number" => Self::IdNumber,
            "contact" => Self::Contact,
            "place" => Self::Place,
            "status" => Self::Status,
            "transport" => Self::Transport,
            "note" => Self::Note,
            _ => return None,
        })
    }

    fn unknown() -> Msg {
        Msg::new(
            "Cột không rõ: dùng đúng tên cột như tệp xuất danh sách công dân của sự kiện.",
            "Unknown column: use the headings of the crisis registry's export.",
        )
    }
}

/// The community list's layout.
pub type EntryLayout = Layout<Column>;

/// One data row read into an entry; `None` for a blank row.
pub fn row_entry(
    layout: &EntryLayout,
    row: usize,
    cells: &[String],
    today: NaiveDate,
) -> Option<Result<EntryInput, Vec<Problem>>> {
    if layout.blank(cells) {
        return None;
    }
    let formulas = layout.formulas(row, cells);
    if !formulas.is_empty() {
        return Some(Err(formulas));
    }
    let v = |c| layout.value(cells, c);
    let form = EntryForm {
        full_name: v(Column::FullName).unwrap_or_default(),
        birth_date: v(Column::BirthDate),
        gender: v(Column::Gender),
        passport: v(Column::Passport),
        id_number: v(Column::IdNumber),
        contact: v(Column::Contact),
        note: v(Column::Note),
        status: v(Column::Status),
        place: v(Column::Place),
        transport: v(Column::Transport),
    };
    Some(EntryInput::parse(&form, today).map_err(|e| layout.field_problems(row, &e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_person_is_the_same_by_passport_or_by_name_and_birth_date() {
        let a = PersonData {
            full_name: "Nguyễn Văn An".into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 4, 25),
            passport: Some("C1234567".into()),
            ..Default::default()
        };
        let b = PersonData {
            full_name: "  NGUYEN van  an ".into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 4, 25),
            ..Default::default()
        };
        let (pa, na) = dup_keys(&a);
        let (pb, nb) = dup_keys(&b);
        assert_eq!(pa.as_deref(), Some("passport:C1234567"));
        assert_eq!(pb, None);
        assert_eq!(na, nb);
        // A name without a birth date identifies no one.
        let c = PersonData {
            full_name: "Nguyễn Văn An".into(),
            ..Default::default()
        };
        assert_eq!(dup_keys(&c), (None, None));
    }

    #[test]
    fn two_passports_tell_a_shared_name_and_birth_date_apart() {
        use Same::*;
        assert_eq!(same_person(Some("p1"), None, Some("p1"), None), Yes);
        assert_eq!(same_person(Some("p1"), Some("n"), None, Some("n")), Yes);
        assert_eq!(same_person(None, Some("n"), None, Some("n")), Yes);
        assert_eq!(
            same_person(Some("p1"), Some("n"), Some("p2"), Some("n")),
            Possibly
        );
        assert_eq!(
            same_person(Some("p1"), Some("n"), Some("p2"), Some("m")),
            No
        );
        assert_eq!(same_person(None, None, None, None), No);
    }

    #[test]
    fn merging_fills_blanks_and_keeps_the_status_that_says_most() {
        let kept = PersonData {
            full_name: "Trần Thị Bình".into(),
            contact: Some("+81 90 0000 0000".into()),
            note: Some("ở cùng con".into()),
            ..Default::default()
        };
        let other = PersonData {
            full_name: "Tran Thi Binh".into(),
            passport: Some("B7654321".into()),
            contact: Some("other".into()),
            note: Some("cần thuốc".into()),
            ..Default::default()
        };
        let m = merge(&kept, &other);
        assert_eq!(m.full_name, "Trần Thị Bình");
        assert_eq!(m.passport.as_deref(), Some("B7654321"));
        assert_eq!(m.contact.as_deref(), Some("+81 90 0000 0000"));
        assert_eq!(m.note.as_deref(), Some("ở cùng con\ncần thuốc"));
        use PersonStatus::*;
        assert_eq!(merged_status(Safe, Unconfirmed), Safe);
        assert_eq!(merged_status(Safe, Injured), Injured);
        assert_eq!(merged_status(Deceased, Evacuated), Deceased);
        assert_eq!(merged_status(Unreachable, Safe), Safe);
    }

    #[test]
    fn counts_group_by_place_and_status() {
        let g = vec![
            ("safe".to_string(), "Antakya".to_string(), 3u64),
            ("injured".to_string(), "Antakya".to_string(), 1),
            ("safe".to_string(), "".to_string(), 10),
            ("unconfirmed".to_string(), "Adana".to_string(), 2),
        ];
        let c = counts(&g);
        assert_eq!(c.total, 16);
        let safe = PersonStatus::ALL
            .iter()
            .position(|s| *s == PersonStatus::Safe)
            .unwrap();
        assert_eq!(c.by_status[safe], 13);
        assert_eq!(c.places[0].place, "");
        assert_eq!(c.places[1].place, "Antakya");
        assert_eq!(c.places[1].total, 4);
        assert_eq!(c.by_status.iter().sum::<u64>(), c.total);
        assert_eq!(counts(&[]).total, 0);
    }

    #[test]
    fn a_community_list_row_is_read_by_its_headings() {
        let l = EntryLayout::read(&s(&[
            "STT",
            "Họ tên",
            "Năm sinh",
            "Số HC",
            "SĐT",
            "Địa điểm",
            "Trạng thái",
        ]));
        // "STT" is not a column of the registry.
        assert!(l.is_err());
        let l = EntryLayout::read(&s(&[
            "Họ tên",
            "Ngày sinh",
            "Số HC",
            "SĐT",
            "Địa điểm",
            "Trạng thái",
        ]))
        .unwrap();
        let e = row_entry(
            &l,
            2,
            &s(&[
                "Lê Văn Cường",
                "01/02/1985",
                "c 765-4321",
                "+90 5",
                "Hatay",
                "an toàn",
            ]),
            today(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.data.passport.as_deref(), Some("C7654321"));
        assert_eq!(e.status, PersonStatus::Safe);
        assert_eq!(e.place, "Hatay");
        let bad = row_entry(&l, 3, &s(&["", "31/02/1985", "", "", "", "lost"]), today())
            .unwrap()
            .unwrap_err();
        let cols: Vec<_> = bad.iter().filter_map(|p| p.column.as_deref()).collect();
        for c in ["Họ tên", "Ngày sinh", "Trạng thái"] {
            assert!(cols.contains(&c), "{c} in {cols:?}");
        }
        assert!(bad.iter().all(|p| p.row == 3));
        assert!(row_entry(&l, 4, &s(&["", "", "", "", "", ""]), today()).is_none());
    }

    #[test]
    fn a_crisis_needs_a_name_a_kind_an_area_and_a_past_start() {
        let ok = CrisisInput::parse(
            &CrisisForm {
                name: "Động đất Thổ Nhĩ Kỳ".into(),
                kind: "earthquake".into(),
                country: "TR".into(),
                area: "Hatay, Kahramanmaraş".into(),
                started_on: Some("06/02/2023".into()),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(ok.phase, Phase::Precaution);
        let e = CrisisInput::parse(
            &CrisisForm {
                kind: "meteor".into(),
                started_on: Some("01/01/2030".into()),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        for f in ["name", "kind", "country", "area", "started_on"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
