//! Citizen protection ("bảo hộ công dân"): cases of Vietnamese citizens and
//! legal entities in distress abroad — the intake taken in under a minute,
//! the full record, the workflow and who may move it, the timeline of
//! actions, the first-contact clock by severity, and who is on a case's team
//! and so sees its personal data (`person`).

pub mod crisis;
pub mod fund;
pub mod person;

use crate::days::DayOverrides;
use crate::error::msgs;
use crate::{FieldErrors, Msg, Role, code_enum, text};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use serde::Deserialize;
use uuid::Uuid;

code_enum!(
    /// What happened to the citizen.
    Category {
        Detention = "detention", "Bị bắt, tạm giữ, tạm giam", "Detention or arrest";
        Fishermen = "fishermen", "Ngư dân, tàu cá bị bắt giữ", "Fishermen and vessels held";
        Accident = "accident", "Tai nạn, thương tích", "Accident or injury";
        Death = "death", "Tử vong, đưa thi hài, tro cốt về nước", "Death and repatriation of remains";
        Missing = "missing", "Mất tích, mất liên lạc", "Missing person";
        Trafficking = "trafficking", "Mua bán người", "Trafficking";
        Stranded = "stranded", "Mắc kẹt, mất giấy tờ", "Stranded or lost papers";
        Labour = "labour", "Tranh chấp lao động", "Labour dispute";
        Illness = "illness", "Ốm đau, bệnh tật", "Illness";
        Disaster = "disaster", "Thiên tai, xung đột", "Disaster or conflict";
        Other = "other", "Khác", "Other";
    }
);

code_enum!(
    /// How urgent: sets the first-contact clock.
    Severity {
        Critical = "critical", "Khẩn cấp", "Critical";
        High = "high", "Cao", "High";
        Normal = "normal", "Bình thường", "Normal";
    }
);

code_enum!(
    /// Where a case stands.
    Status {
        New = "new", "Mới tiếp nhận", "New";
        Triaged = "triaged", "Đã phân loại", "Triaged";
        InProgress = "in_progress", "Đang xử lý", "In progress";
        Waiting = "waiting", "Chờ phía nước ngoài", "Waiting on the foreign side";
        Resolved = "resolved", "Đã giải quyết", "Resolved";
        Closed = "closed", "Đã đóng", "Closed";
    }
);

code_enum!(
    /// Who told us.
    Source {
        Hotline = "hotline", "Đường dây nóng", "Hotline";
        Mission = "mission", "Cơ quan đại diện", "A mission";
        Authority = "authority", "Thông báo của nhà chức trách nước ngoài", "Notice from the foreign authority";
        Press = "press", "Báo chí", "The press";
        Family = "family", "Gia đình", "The family";
    }
);

code_enum!(
    /// A step taken on a case.
    ActionKind {
        Call = "call", "Gọi điện, liên lạc", "Call";
        Note = "note", "Công hàm, văn bản", "Diplomatic note or letter";
        Visit = "visit", "Thăm lãnh sự", "Consular visit";
        Hearing = "hearing", "Phiên tòa, làm việc với cơ quan chức năng", "Hearing or meeting with the authorities";
        Payment = "payment", "Chi trả, tạm ứng", "Payment";
        Handover = "handover", "Bàn giao", "Handover";
        Other = "other", "Việc khác", "Other";
    }
);

code_enum!(
    /// A move of the workflow.
    Move {
        Triage = "triage", "Phân loại", "Triage";
        Start = "start", "Bắt đầu xử lý", "Start work";
        Wait = "wait", "Chờ phía nước ngoài", "Wait on the foreign side";
        Resume = "resume", "Tiếp tục xử lý", "Resume";
        Resolve = "resolve", "Đã giải quyết", "Resolve";
        Close = "close", "Đóng hồ sơ", "Close";
        Reopen = "reopen", "Mở lại", "Reopen";
    }
);

impl Status {
    /// Still being worked: counted on the boards, its clocks running.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }
}

impl Move {
    /// Where the move goes from `from`, or why it may not.
    pub fn target(self, from: Status) -> Result<Status, Msg> {
        use Status as S;
        let to = match (self, from) {
            (Self::Triage, S::New) => S::Triaged,
            (Self::Start, S::New | S::Triaged) => S::InProgress,
            (Self::Wait, S::Triaged | S::InProgress) => S::Waiting,
            (Self::Resume, S::Waiting) => S::InProgress,
            (Self::Resolve, S::Triaged | S::InProgress | S::Waiting) => S::Resolved,
            (Self::Close, S::Resolved) => S::Closed,
            (Self::Reopen, S::Resolved | S::Closed) => S::InProgress,
            _ => {
                return Err(Msg::new(
                    format!(
                        "Không thể \"{}\" hồ sơ đang ở trạng thái \"{}\".",
                        self.label().vi,
                        from.label().vi
                    ),
                    format!(
                        "A case that is \"{}\" cannot be moved to \"{}\".",
                        from.label().en,
                        self.label().en
                    ),
                ));
            }
        };
        Ok(to)
    }

    /// Whether the move needs its reason written (reopening does).
    pub fn needs_reason(self) -> bool {
        self == Self::Reopen
    }

    /// The moves offered on a case in `status`.
    pub fn offered(status: Status) -> Vec<Move> {
        Self::ALL
            .iter()
            .copied()
            .filter(|m| m.target(status).is_ok())
            .collect()
    }
}

/// The first-contact clocks: how long after intake the citizen (or whoever
/// called) must have been reached, by severity. Configuration, with these
/// defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub critical_hours: u32,
    pub high_hours: u32,
    /// Working days for a normal case.
    pub normal_working_days: u32,
}

impl Default for Clocks {
    fn default() -> Self {
        Self {
            critical_hours: 2,
            high_hours: 24,
            normal_working_days: 3,
        }
    }
}

fn vn() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}

/// When first contact is due for a case of `severity` taken in at `opened`:
/// critical and high count hours on the clock; normal counts working days in
/// Vietnam, due at the end (23:59:59) of the last one.
pub fn first_contact_due(
    severity: Severity,
    opened: DateTime<Utc>,
    clocks: &Clocks,
    days: &DayOverrides,
) -> DateTime<Utc> {
    match severity {
        Severity::Critical => opened + Duration::hours(i64::from(clocks.critical_hours)),
        Severity::High => opened + Duration::hours(i64::from(clocks.high_hours)),
        Severity::Normal => {
            let local = opened.with_timezone(&vn()).date_naive();
            let last = days.add_working_days(local, clocks.normal_working_days);
            let end = last
                .succ_opt()
                .unwrap_or(last)
                .and_hms_opt(0, 0, 0)
                .unwrap_or(NaiveDateTime::MIN);
            vn().from_local_datetime(&end)
                .single()
                .map(|d| d.with_timezone(&Utc) - Duration::seconds(1))
                .unwrap_or(opened)
        }
    }
}

/// A clock as boards show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", content = "minutes", rename_all = "snake_case")]
pub enum Clock {
    /// First contact made.
    Met,
    /// This many minutes left.
    Left(i64),
    /// Late by this many minutes.
    Overdue(i64),
}

/// Where the first-contact clock stands at `now`.
pub fn clock(due: DateTime<Utc>, contacted: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Clock {
    if contacted.is_some() {
        return Clock::Met;
    }
    let left = (due - now).num_minutes();
    if left < 0 {
        Clock::Overdue(-left)
    } else {
        Clock::Left(left)
    }
}

impl Clock {
    /// "còn 1 giờ 20 phút" / "quá hạn 3 ngày 2 giờ".
    pub fn label(self) -> Msg {
        fn span(m: i64, vi: bool) -> String {
            let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
            let mut parts = Vec::new();
            let units = if vi {
                ["ngày", "giờ", "phút"]
            } else {
                ["d", "h", "min"]
            };
            if d > 0 {
                parts.push(format!("{d} {}", units[0]));
            }
            if h > 0 {
                parts.push(format!("{h} {}", units[1]));
            }
            if d == 0 && (min > 0 || parts.is_empty()) {
                parts.push(format!("{min} {}", units[2]));
            }
            parts.join(" ")
        }
        match self {
            Self::Met => Msg::new("Đã liên lạc", "Contacted"),
            Self::Left(m) => Msg::new(
                format!("Còn {}", span(m, true)),
                format!("{} left", span(m, false)),
            ),
            Self::Overdue(m) => Msg::new(
                format!("Quá hạn {}", span(m, true)),
                format!("Overdue by {}", span(m, false)),
            ),
        }
    }
}

/// How long a closed case keeps its people's personal data, by default
/// (configuration: `[protection] retention_years`).
pub const RETENTION_YEARS: u32 = 5;

/// Is a case's personal data due for removal at `now`: closed more than
/// `years` years ago and not under a legal hold? The case itself and its
/// counts stay.
pub fn purge_due(
    closed_at: Option<DateTime<Utc>>,
    legal_hold: bool,
    years: u32,
    now: DateTime<Utc>,
) -> bool {
    match closed_at {
        Some(c) if !legal_hold => c < retention_cutoff(now, years),
        _ => false,
    }
}

/// The instant before which a closed case's personal data goes.
pub fn retention_cutoff(now: DateTime<Utc>, years: u32) -> DateTime<Utc> {
    now.checked_sub_months(chrono::Months::new(years.saturating_mul(12)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// What decides who is on a case's team.
#[derive(Debug, Clone, Copy)]
pub struct Team<'a> {
    /// The assigned officer.
    pub officer: Option<Uuid>,
    /// Colleagues named on the case.
    pub colleagues: &'a [Uuid],
    /// The mission (or agency) in charge.
    pub mission: Uuid,
    /// The consular department, when the deployment names one.
    pub consular: Option<Uuid>,
}

/// Is the reader on the case's team — the assigned officer, a named
/// colleague, or a leader of the mission in charge or of the consular
/// department? Only they see its personal data; everyone else who may see the
/// case sees it masked.
pub fn on_team(user: Uuid, agency: Uuid, role: Role, t: &Team) -> bool {
    t.officer == Some(user)
        || t.colleagues.contains(&user)
        || (role == Role::Leader && (agency == t.mission || t.consular == Some(agency)))
}

/// Longest free text on a case.
pub const MAX_TEXT: usize = 10_000;
/// Most people on one case (a crisis registry holds the thousands).
pub const MAX_PEOPLE: usize = 200;
/// Most colleagues named on one case.
pub const MAX_TEAM: usize = 30;

/// The intake: a short form the hotline fills in under a minute.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub severity: String,
    /// Empty: "other", refined at triage.
    pub category: Option<String>,
    /// What happened, in a few lines.
    #[serde(default)]
    pub summary: String,
    /// The country (ISO alpha-2 code or name as the registry knows it).
    #[serde(default)]
    pub country: String,
    /// The place: city, port, prison, hospital.
    pub place: Option<String>,
    /// The mission (or agency) in charge, by code; empty: the intake agency.
    pub agency: Option<String>,
    /// Who called: a name and a way to reach them (personal data).
    pub caller_name: Option<String>,
    pub caller_contact: Option<String>,
    /// The citizen concerned, when known (personal data).
    pub citizen_name: Option<String>,
}

/// A validated intake.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeInput {
    pub source: Source,
    pub severity: Severity,
    pub category: Category,
    pub summary: String,
    pub country: String,
    pub place: Option<String>,
    pub agency: Option<String>,
    pub caller: Option<person::PersonInput>,
    pub citizen: Option<person::PersonInput>,
}

impl IntakeInput {
    pub fn parse(f: &IntakeForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let source = Source::parse(f.source.trim());
        if source.is_none() {
            e.add("source", msgs::invalid_choice());
        }
        let severity = Severity::parse(f.severity.trim());
        if severity.is_none() {
            e.add("severity", msgs::invalid_choice());
        }
        let category = match f.category.as_deref().map(str::trim) {
            None | Some("") => Some(Category::Other),
            Some(c) => {
                let c = Category::parse(c);
                if c.is_none() {
                    e.add("category", msgs::invalid_choice());
                }
                c
            }
        };
        let summary = text::required(&mut e, "summary", &f.summary, MAX_TEXT);
        let country = text::required(&mut e, "country", &f.country, 100);
        let place = text::optional(&mut e, "place", f.place.as_deref(), 300);
        let agency = text::optional(&mut e, "agency", f.agency.as_deref(), 64);
        let caller_name = text::optional(&mut e, "caller_name", f.caller_name.as_deref(), 200);
        let caller_contact =
            text::optional(&mut e, "caller_contact", f.caller_contact.as_deref(), 300);
        let citizen_name = text::optional(&mut e, "citizen_name", f.citizen_name.as_deref(), 200);
        let caller =
            (caller_name.is_some() || caller_contact.is_some()).then(|| person::PersonInput {
                role: person::Role::Caller,
                data: person::PersonData {
                    full_name: caller_name.unwrap_or_default(),
                    contact: caller_contact,
                    ..Default::default()
                },
            });
        let citizen = citizen_name.map(|n| person::PersonInput {
            role: person::Role::Citizen,
            data: person::PersonData {
                full_name: n,
                ..Default::default()
            },
        });
        match (source, severity, category) {
            (Some(source), Some(severity), Some(category)) if e.is_empty() => Ok(Self {
                source,
                severity,
                category,
                summary,
                country,
                place,
                agency,
                caller,
                citizen,
            }),
            _ => Err(e),
        }
    }
}

/// The full record of a case, as edited after intake.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub country: String,
    pub place: Option<String>,
    /// The mission (or agency) in charge, by code.
    #[serde(default)]
    pub agency: String,
    /// The assigned officer's username.
    pub officer: Option<String>,
    /// The foreign authority involved: a partner, by name, alias or code.
    pub authority: Option<String>,
    /// The Vietnamese legal entity concerned, when a company is.
    pub legal_entity: Option<String>,
    /// The next action and its due date (dd/mm/yyyy).
    pub next_action: Option<String>,
    pub next_action_due: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    /// "1" (or "on", "true"): keep the personal data past retention.
    pub legal_hold: Option<String>,
    /// A line for the next meeting with the country (no personal data).
    pub talking_point: Option<String>,
}

/// A validated full record, before its references are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInput {
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
    pub country: String,
    pub place: Option<String>,
    pub agency: String,
    pub officer: Option<String>,
    pub authority: Option<String>,
    pub legal_entity: Option<String>,
    pub next_action: Option<String>,
    pub next_action_due: Option<NaiveDate>,
    pub legal_hold: bool,
    pub talking_point: Option<String>,
}

impl CaseInput {
    pub fn parse(f: &CaseForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let category = Category::parse(f.category.trim());
        if category.is_none() {
            e.add("category", msgs::invalid_choice());
        }
        let severity = Severity::parse(f.severity.trim());
        if severity.is_none() {
            e.add("severity", msgs::invalid_choice());
        }
        let summary = text::required(&mut e, "summary", &f.summary, MAX_TEXT);
        let country = text::required(&mut e, "country", &f.country, 100);
        let place = text::optional(&mut e, "place", f.place.as_deref(), 300);
        let agency = text::required(&mut e, "agency", &f.agency, 64);
        let officer = text::optional(&mut e, "officer", f.officer.as_deref(), 64);
        let authority = text::optional(&mut e, "authority", f.authority.as_deref(), 300);
        let legal_entity = text::optional(&mut e, "legal_entity", f.legal_entity.as_deref(), 300);
        let next_action = text::optional(&mut e, "next_action", f.next_action.as_deref(), 1000);
        let next_action_due =
            crate::days::optional_date(&mut e, "next_action_due", f.next_action_due.as_deref());
        let talking_point =
            text::optional(&mut e, "talking_point", f.talking_point.as_deref(), 1000);
        if next_action_due.is_some() && next_action.is_none() {
            e.add(
                "next_action",
                Msg::new(
                    "Ghi việc cần làm tiếp theo cho hạn này.",
                    "Say what the next action is for this due date.",
                ),
            );
        }
        match (category, severity) {
            (Some(category), Some(severity)) if e.is_empty() => Ok(Self {
                category,
                severity,
                summary,
                country,
                place,
                agency,
                officer,
                authority,
                legal_entity,
                next_action,
                next_action_due,
                legal_hold: matches!(
                    f.legal_hold.as_deref().map(str::trim),
                    Some("1" | "on" | "true" | "yes")
                ),
                talking_point,
            }),
            _ => Err(e),
        }
    }
}

/// An action on the timeline, as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub kind: String,
    /// When it happened (dd/mm/yyyy, optionally HH:MM); empty: now.
    pub at: Option<String>,
    #[serde(default)]
    pub note: String,
    /// Whether this action was the first contact with the citizen or caller.
    #[serde(default)]
    pub first_contact: Option<String>,
}

/// A validated action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionInput {
    pub kind: ActionKind,
    pub at: Option<DateTime<Utc>>,
    pub note: String,
    pub first_contact: bool,
}

/// A moment as officials type it: "05/12/2026 14:30", "05/12/2026" (at
/// 00:00), or ISO 8601; Vietnam's time.
pub fn parse_moment(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    let local = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| crate::days::parse_date(s).and_then(|d| d.and_hms_opt(0, 0, 0)))?;
    vn().from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

impl ActionInput {
    pub fn parse(f: &ActionForm, now: DateTime<Utc>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = ActionKind::parse(f.kind.trim());
        if kind.is_none() {
            e.add("kind", msgs::invalid_choice());
        }
        let note = text::required(&mut e, "note", &f.note, MAX_TEXT);
        let at = match f.at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match parse_moment(s) {
                Some(t) if t <= now + Duration::minutes(5) => Some(t),
                Some(_) => {
                    e.add(
                        "at",
                        Msg::new(
                            "Việc đã làm không thể ở thời điểm tương lai.",
                            "An action taken cannot be in the future.",
                        ),
                    );
                    None
                }
                None => {
                    e.add(
                        "at",
                        Msg::new(
                            "Ghi thời điểm dạng 05/12/2026 14:30.",
                            "Write the time as 05/12/2026 14:30.",
                        ),
                    );
                    None
                }
            },
        };
        let first_contact = matches!(
            f.first_contact.as_deref().map(str::trim),
            Some("1" | "true" | "on" | "yes")
        );
        match kind {
            Some(kind) if e.is_empty() => Ok(Self {
                kind,
                at,
                note,
                first_contact,
            }),
            _ => Err(e),
        }
    }
}

/// A case's number: "BH-2026-00042", the year of intake and its place in it.
pub fn case_number(year: i32, seq: i64) -> String {
    format!("BH-{year}-{seq:05}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_workflow_moves_only_where_it_may() {
        use Status as S;
        assert_eq!(Move::Triage.target(S::New), Ok(S::Triaged));
        assert_eq!(Move::Start.target(S::New), Ok(S::InProgress));
        assert_eq!(Move::Wait.target(S::InProgress), Ok(S::Waiting));
        assert_eq!(Move::Resume.target(S::Waiting), Ok(S::InProgress));
        assert_eq!(Move::Resolve.target(S::Waiting), Ok(S::Resolved));
        assert_eq!(Move::Close.target(S::Resolved), Ok(S::Closed));
        assert_eq!(Move::Reopen.target(S::Closed), Ok(S::InProgress));
        assert!(Move::Close.target(S::InProgress).is_err());
        assert!(Move::Triage.target(S::Triaged).is_err());
        assert!(Move::Reopen.target(S::InProgress).is_err());
        assert_eq!(Move::offered(S::Closed), vec![Move::Reopen]);
        assert!(Move::Reopen.needs_reason() && !Move::Close.needs_reason());
        assert!(!S::Resolved.is_open() && S::Waiting.is_open());
    }

    #[test]
    fn first_contact_is_due_by_severity() {
        let c = Clocks::default();
        let days = DayOverrides::default();
        // Friday 04/12/2026 10:00 in Hà Nội.
        let opened = at("2026-12-04T10:00:00+07:00");
        assert_eq!(
            first_contact_due(Severity::Critical, opened, &c, &days),
            at("2026-12-04T12:00:00+07:00")
        );
        assert_eq!(
            first_contact_due(Severity::High, opened, &c, &days),
            at("2026-12-05T10:00:00+07:00")
        );
        // Three working days after a Friday: Wednesday, to its last second.
        assert_eq!(
            first_contact_due(Severity::Normal, opened, &c, &days),
            at("2026-12-09T23:59:59+07:00")
        );
        let mut hol = DayOverrides::default();
        hol.0.insert(
            NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            crate::days::DayKind::Holiday,
        );
        assert_eq!(
            first_contact_due(Severity::Normal, opened, &c, &hol),
            at("2026-12-10T23:59:59+07:00")
        );
    }

    #[test]
    fn a_closed_case_loses_its_personal_data_after_the_period_unless_held() {
        let now = at("2031-06-01T00:00:00Z");
        let closed = Some(at("2026-05-31T23:59:59Z"));
        assert!(purge_due(closed, false, 5, now));
        assert!(!purge_due(closed, true, 5, now), "a legal hold stops it");
        assert!(!purge_due(Some(at("2026-06-01T00:00:01Z")), false, 5, now));
        assert!(!purge_due(None, false, 5, now), "an open case keeps it");
        assert_eq!(retention_cutoff(now, 5), at("2026-06-01T00:00:00Z"));
    }

    #[test]
    fn the_clock_reads_left_overdue_or_met() {
        let due = at("2026-12-04T12:00:00Z");
        assert_eq!(
            clock(due, None, at("2026-12-04T10:40:00Z")),
            Clock::Left(80)
        );
        assert_eq!(
            clock(due, None, at("2026-12-05T13:00:00Z")),
            Clock::Overdue(1500)
        );
        assert_eq!(
            clock(
                due,
                Some(at("2026-12-05T13:00:00Z")),
                at("2026-12-06T00:00:00Z")
            ),
            Clock::Met
        );
        assert_eq!(Clock::Left(80).label().vi, "Còn 1 giờ 20 phút");
        assert_eq!(Clock::Overdue(1500).label().en, "Overdue by 1 d 1 h");
        assert_eq!(Clock::Left(0).label().vi, "Còn 0 phút");
    }

    #[test]
    fn the_team_is_the_officer_colleagues_and_the_leaders_in_charge() {
        let (officer, colleague, other) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let (mission, consular, elsewhere) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let t = Team {
            officer: Some(officer),
            colleagues: &[colleague],
            mission,
            consular: Some(consular),
        };
        assert!(on_team(officer, elsewhere, Role::Officer, &t));
        assert!(on_team(colleague, mission, Role::Viewer, &t));
        assert!(on_team(other, mission, Role::Leader, &t));
        assert!(on_team(other, consular, Role::Leader, &t));
        // The mission's other officers, a coordinator, an administrator: masked.
        assert!(!on_team(other, mission, Role::Officer, &t));
        assert!(!on_team(other, mission, Role::Coordinator, &t));
        assert!(!on_team(other, mission, Role::Admin, &t));
        assert!(!on_team(other, elsewhere, Role::Leader, &t));
    }

    #[test]
    fn an_intake_needs_source_severity_what_and_where() {
        let e = IntakeInput::parse(&IntakeForm::default()).unwrap_err();
        for f in ["source", "severity", "summary", "country"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let i = IntakeInput::parse(&IntakeForm {
            source: "hotline".into(),
            severity: "critical".into(),
            summary: "Tàu cá QNg 90123 bị bắt giữ".into(),
            country: "ID".into(),
            caller_name: Some("Trần Thị B".into()),
            caller_contact: Some("0912 345 678".into()),
            citizen_name: Some("Trần Văn C".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(i.category, Category::Other);
        assert_eq!(
            i.caller.unwrap().data.contact.as_deref(),
            Some("0912 345 678")
        );
        assert_eq!(i.citizen.unwrap().role, person::Role::Citizen);
    }

    #[test]
    fn actions_are_dated_as_typed_and_never_ahead() {
        let now = at("2026-12-05T08:00:00Z");
        let a = ActionInput::parse(
            &ActionForm {
                kind: "visit".into(),
                at: Some("05/12/2026 14:30".into()),
                note: "Thăm lãnh sự tại trại giam".into(),
                first_contact: Some("on".into()),
            },
            now,
        )
        .unwrap();
        assert_eq!(a.at, Some(at("2026-12-05T14:30:00+07:00")));
        assert!(a.first_contact);
        let e = ActionInput::parse(
            &ActionForm {
                kind: "visit".into(),
                at: Some("06/12/2026 09:00".into()),
                note: "x".into(),
                first_contact: None,
            },
            now,
        )
        .unwrap_err();
        assert!(e.get("at").is_some());
        assert_eq!(case_number(2026, 42), "BH-2026-00042");
    }
}
