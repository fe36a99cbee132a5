//! Activities of the three pillars (delegations, meetings, conferences): their
//! kinds, the workflow and who may move it, the filing lead time for hosting an
//! international conference, overdue reports, and when two activities need
//! coordinating. Pure rules; the store applies them.

use crate::access::{Actor, Role};
use crate::error::msgs;
use crate::{Classification, FieldErrors, Msg, code_enum, text};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

/// The longest an activity may last. Bounding it lets every "what overlaps this
/// span" query read one bounded index range instead of all earlier history.
pub const MAX_DAYS: i64 = 90;

/// Where a time without a zone is taken to be.
pub const DEFAULT_TZ: &str = "Asia/Ho_Chi_Minh";

/// The built-in activity types (administrators add more): code, Vietnamese, English.
pub const BUILTIN_TYPES: &[(&str, &str, &str)] = &[
    ("outgoing_delegation", "Đoàn ra", "Outgoing delegation"),
    ("incoming_delegation", "Đoàn vào", "Incoming delegation"),
    ("talks", "Hội đàm, hội kiến, tiếp xúc", "Talks or meeting"),
    (
        "call",
        "Điện đàm, hội đàm trực tuyến",
        "Call or online meeting",
    ),
    (
        "conference_hosted",
        "Hội nghị, hội thảo quốc tế tổ chức tại Việt Nam",
        "International conference or seminar hosted in Vietnam",
    ),
    (
        "conference_abroad",
        "Dự hội nghị, hội thảo quốc tế ở nước ngoài",
        "Conference attended abroad",
    ),
    ("signing", "Lễ ký kết", "Signing ceremony"),
    (
        "cultural",
        "Sự kiện văn hóa, quảng bá",
        "Cultural or promotion event",
    ),
];

/// An incoming delegation: several from one partner in a week need coordinating.
pub const INCOMING: &str = "incoming_delegation";
/// Hosting an international conference: the proposal has a filing lead time.
pub const HOSTED_CONFERENCE: &str = "conference_hosted";

code_enum!(
    /// The level of the head of delegation, in protocol order (Decree
    /// 18/2022/NĐ-CP names the key leaders; their deputies follow).
    HeadLevel {
        HeadOfState = "head_of_state", "Lãnh đạo chủ chốt (Tổng Bí thư, Chủ tịch nước)", "Head of state or party";
        HeadOfGovernment = "head_of_government", "Thủ tướng Chính phủ", "Head of government";
        AssemblyChair = "assembly_chair", "Chủ tịch Quốc hội", "Chair of the National Assembly";
        VicePresident = "vice_president", "Phó Chủ tịch nước", "Vice-President";
        DeputyPrimeMinister = "deputy_prime_minister", "Phó Thủ tướng Chính phủ", "Deputy Prime Minister";
        AssemblyViceChair = "assembly_vice_chair", "Phó Chủ tịch Quốc hội", "Vice-Chair of the National Assembly";
        Minister = "minister", "Bộ trưởng và tương đương", "Minister or equivalent";
        ViceMinister = "vice_minister", "Thứ trưởng và tương đương", "Vice-minister or equivalent";
        ProvincialLeader = "provincial_leader", "Lãnh đạo tỉnh, thành phố", "Provincial leader";
        Department = "department", "Cấp vụ, cục, sở", "Department";
        Other = "other", "Khác", "Other";
    }
);

code_enum!(
    /// The external-relations channel beyond the three pillars an activity
    /// belongs to (none: its pillar's own): defence, public security and the
    /// National Assembly carry out external relations of their own, which the
    /// pillars coordinate with.
    Channel {
        Defence = "defence", "Đối ngoại quốc phòng", "Defence external relations";
        PublicSecurity = "public_security", "Đối ngoại công an, an ninh", "Public security external relations";
        NationalAssembly = "national_assembly", "Đối ngoại Quốc hội", "National Assembly external relations";
    }
);

code_enum!(
    /// Where an activity is in its workflow.
    Status {
        Draft = "draft", "Dự thảo", "Draft";
        Submitted = "submitted", "Đã trình", "Submitted";
        Approved = "approved", "Đã duyệt", "Approved";
        Returned = "returned", "Trả lại", "Returned";
        Done = "done", "Đã thực hiện", "Done";
        Reported = "reported", "Đã báo cáo kết quả", "Reported";
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
    }
);

code_enum!(
    /// A move in the workflow.
    Transition {
        Submit = "submit", "Trình duyệt", "Submit";
        Approve = "approve", "Phê duyệt", "Approve";
        Return = "return", "Trả lại", "Return";
        Complete = "complete", "Xác nhận đã thực hiện", "Mark as done";
        Report = "report", "Báo cáo kết quả", "Report the outcome";
        Cancel = "cancel", "Hủy", "Cancel";
    }
);

code_enum!(
    /// Who approves a hosted conference: it sets the filing lead time
    /// (Decision 06/2020/QĐ-TTg, Art. 3, 4). Conferences of the Fatherland
    /// Front and the political-social organisations follow the Party's rules
    /// instead (Art. 1(2)(b)): no lead time of the Decision applies to them.
    Authority {
        PrimeMinister = "prime_minister", "Thủ tướng Chính phủ", "The Prime Minister";
        Other = "other", "Bộ trưởng, Chủ tịch UBND tỉnh hoặc cấp khác", "A minister, provincial chair or other";
        PartyRules = "party_rules", "Theo quy định của Đảng (Mặt trận Tổ quốc, tổ chức chính trị - xã hội)", "Party rules (Fatherland Front, political-social organisations)";
    }
);

impl Status {
    /// Open: still on its way (can be cancelled).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::Submitted | Self::Approved | Self::Returned
        )
    }

    /// Reported and cancelled activities are closed records: no more edits.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Reported | Self::Cancelled)
    }

    /// May it go to the trash? Only what was never decided (a draft, a proposal
    /// returned) or was called off; anything submitted, approved or held is an
    /// official record and is cancelled instead, with a reason.
    pub fn may_trash(self) -> bool {
        matches!(self, Self::Draft | Self::Returned | Self::Cancelled)
    }

    /// The status after `t`, or `None` when the move is not allowed from here.
    pub fn after(self, t: Transition) -> Option<Status> {
        use Status::*;
        match (self, t) {
            (Draft | Returned, Transition::Submit) => Some(Submitted),
            (Submitted, Transition::Approve) => Some(Approved),
            (Submitted, Transition::Return) => Some(Returned),
            (Approved, Transition::Complete) => Some(Done),
            (Done, Transition::Report) => Some(Reported),
            (s, Transition::Cancel) if s.is_open() => Some(Cancelled),
            _ => None,
        }
    }

    /// The moves possible from here, in the order a page offers them.
    pub fn moves(self) -> Vec<Transition> {
        Transition::ALL
            .iter()
            .copied()
            .filter(|t| self.after(*t).is_some())
            .collect()
    }
}

impl Transition {
    /// Approving and returning are a leader's decision.
    pub fn is_decision(self) -> bool {
        matches!(self, Self::Approve | Self::Return)
    }

    /// Returning and cancelling say why; reporting carries the outcome.
    pub fn needs_note(self) -> bool {
        matches!(self, Self::Return | Self::Cancel | Self::Report)
    }
}

/// The longest note a move carries (a reason, or the outcome report).
pub const MAX_NOTE: usize = 50_000;

/// Check move `t` on an activity in `from` that starts at `starts`, made at
/// `now` with `note`: the status it leads to, or what to fix. The move must be
/// one the workflow allows from here; returning and cancelling say why and a
/// report carries the outcome; nothing is marked done before it has started.
pub fn check_move(
    from: Status,
    t: Transition,
    note: Option<&str>,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Status, FieldErrors> {
    let Some(to) = from.after(t) else {
        return Err(FieldErrors::single(
            "transition",
            Msg::new(
                format!(
                    "Không thể «{}» khi hoạt động đang ở trạng thái «{}».",
                    t.label().vi,
                    from.label().vi
                ),
                format!(
                    "Cannot «{}» an activity that is «{}».",
                    t.label().en,
                    from.label().en
                ),
            ),
        ));
    };
    let mut e = FieldErrors::new();
    if t == Transition::Complete && now < starts {
        e.add(
            "transition",
            Msg::new(
                "Hoạt động chưa bắt đầu nên chưa thể xác nhận đã thực hiện.",
                "The activity has not started yet, so it cannot be marked as done.",
            ),
        );
    }
    match note {
        None if t.needs_note() => e.add(
            "note",
            if t == Transition::Report {
                Msg::new("Nhập báo cáo kết quả.", "Write the outcome report.")
            } else {
                Msg::new("Ghi rõ lý do.", "Give the reason.")
            },
        ),
        Some(n) if n.chars().count() > MAX_NOTE => e.add("note", msgs::too_long(MAX_NOTE)),
        _ => {}
    }
    e.into_result(to)
}

/// May `actor` make move `t` on an activity led by `lead` at `class`? Decisions
/// belong to a leader whose scope covers the lead agency; the other moves to
/// anyone who may edit the activity.
pub fn may_move(actor: &Actor, t: Transition, lead: uuid::Uuid, class: Classification) -> bool {
    if t.is_decision() {
        actor.role == Role::Leader && actor.can_write(lead, class)
    } else {
        actor.can_write(lead, class)
    }
}

/// Days between filing and the first day that the rules require for a hosted
/// conference (Decision 06/2020/QĐ-TTg, Art. 4(1)): 40 when the Prime Minister
/// approves, 30 otherwise; none under the Party's rules.
pub fn lead_time_days(a: Authority) -> Option<i64> {
    match a {
        Authority::PrimeMinister => Some(40),
        Authority::Other => Some(30),
        Authority::PartyRules => None,
    }
}

/// For a hosted conference whose dossier reached the approver on `filed`, to
/// start on `starts`: `Some((required, actual))` days when it was filed too
/// late, `None` when in time, under the Party's rules or not a conference. An
/// approver not yet recorded is taken to be the Prime Minister (the longer lead).
pub fn filed_late(
    type_code: &str,
    authority: Option<Authority>,
    filed: NaiveDate,
    starts: NaiveDate,
) -> Option<(i64, i64)> {
    if type_code != HOSTED_CONFERENCE {
        return None;
    }
    let required = lead_time_days(authority.unwrap_or(Authority::PrimeMinister))?;
    let actual = (starts - filed).num_days();
    (actual < required).then_some((required, actual))
}

/// Past its end by more than `grace_days` and still without an outcome report.
pub fn report_overdue(
    status: Status,
    ends: DateTime<Utc>,
    now: DateTime<Utc>,
    grace_days: i64,
) -> bool {
    matches!(status, Status::Approved | Status::Done)
        && now > ends + chrono::Duration::days(grace_days)
}

/// Two time spans overlap, or lie within `days` of each other.
pub fn near(
    a: (DateTime<Utc>, DateTime<Utc>),
    b: (DateTime<Utc>, DateTime<Utc>),
    days: i64,
) -> bool {
    let gap = chrono::Duration::days(days);
    a.0 <= b.1 + gap && b.0 <= a.1 + gap
}

/// Two spans overlap in time (touching ends do not count).
pub fn overlap(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Two instants fall in the same ISO week, in Vietnam's time.
pub fn same_week(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    let tz: Tz = chrono_tz::Asia::Ho_Chi_Minh;
    a.with_timezone(&tz).iso_week() == b.with_timezone(&tz).iso_week()
}

/// Read a local date and time as typed: `2026-12-01T09:00` (the browser's
/// `datetime-local`), `2026-12-01 09:00`, or `01/12/2026 09:00`; a date alone is 00:00.
pub fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    crate::agency::parse_date(s).and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// The instant of a local time in `tz`; a time skipped by a clock change is `None`,
/// a repeated one is the first.
pub fn to_instant(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&local)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

/// The raw strings of an activity form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub type_code: String,
    /// Empty: the lead agency's pillar.
    pub pillar: Option<String>,
    /// Empty: the pillar's own channel (`Channel`).
    pub channel: Option<String>,
    /// The lead agency's code or id.
    #[serde(default)]
    pub lead_agency: String,
    /// Participating agencies' codes, separated by commas or lines (or a list).
    pub agencies: Option<crate::text::Listed>,
    /// Partners by name, alias or code, one per line (or a list).
    pub partners: Option<crate::text::Listed>,
    pub head_name: Option<String>,
    pub head_level: Option<String>,
    /// Members, one per line: "Name — position" (or a list of members).
    pub members: Option<crate::text::Listed<Member>>,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    pub time_zone: Option<String>,
    pub country_code: Option<String>,
    pub city: Option<String>,
    pub purpose: Option<String>,
    pub programme: Option<String>,
    pub inviting_party: Option<String>,
    pub funding: Option<String>,
    pub authority: Option<String>,
    /// The day the dossier reached the approver (dd/mm/yyyy).
    pub filed_on: Option<String>,
    pub decision_number: Option<String>,
    pub decision_date: Option<String>,
    pub approver: Option<String>,
    pub classification: Option<String>,
    /// The state-secrets catalogue item (code or id) a classified record rests on.
    pub secret_item: Option<String>,
}

/// A member of the delegation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub position: Option<String>,
}

/// A member as a form's line shows it: "Name — position".
impl std::fmt::Display for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.position {
            Some(p) => write!(f, "{} — {p}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A validated activity, before its agencies and partners are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityInput {
    pub title: String,
    pub type_code: String,
    pub pillar: Option<crate::agency::Pillar>,
    pub channel: Option<Channel>,
    pub lead_agency: String,
    pub agencies: Vec<String>,
    pub partners: Vec<String>,
    pub head_name: Option<String>,
    pub head_level: Option<HeadLevel>,
    pub members: Vec<Member>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub country_code: Option<String>,
    pub city: Option<String>,
    pub purpose: Option<String>,
    pub programme: Option<String>,
    pub inviting_party: Option<String>,
    pub funding: Option<String>,
    pub authority: Option<Authority>,
    /// The day the dossier reached the approver: a hosted conference's lead
    /// time counts from it.
    pub filed_on: Option<NaiveDate>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub approver: Option<String>,
}

fn long_text(e: &mut FieldErrors, field: &str, v: Option<&str>, max: usize) -> Option<String> {
    let v = v.map(|s| text::clean(s, true)).filter(|s| !s.is_empty());
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        e.add(field, msgs::too_long(max));
    }
    v
}

fn choice<T>(
    e: &mut FieldErrors,
    field: &str,
    v: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        e.add(field, msgs::invalid_choice());
    }
    parsed
}

/// The most partners one activity names.
pub const MAX_PARTNERS: usize = 50;
/// The most agencies one activity names beside its lead.
pub const MAX_AGENCIES: usize = 100;

/// What a form names that only the store can look up: the lead agency,
/// the participating agencies, the partners and the country, read from the
/// form as `ActivityInput::parse` reads them, so the look-ups answer together
/// with the form's own problems (one round of corrections, not two).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Named {
    pub lead_agency: String,
    pub agencies: Vec<String>,
    pub partners: Vec<String>,
    pub country_code: Option<String>,
}

impl ActivityForm {
    pub fn named(&self) -> Named {
        Named {
            lead_agency: text::clean(&self.lead_agency, false),
            agencies: text::listed(self.agencies.as_ref(), &['\n', ',', ';']),
            partners: text::listed(self.partners.as_ref(), &['\n', ';']),
            country_code: self
                .country_code
                .as_deref()
                .map(|c| text::clean(c, false).to_uppercase())
                .filter(|c| !c.is_empty() && c.chars().count() <= 2),
        }
    }
}

impl ActivityInput {
    pub fn parse(f: &ActivityForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", &f.title, 500);
        let type_code = text::required(&mut e, "type_code", &f.type_code, 64);
        let lead_agency = text::required(&mut e, "lead_agency", &f.lead_agency, 64);
        let pillar = choice(
            &mut e,
            "pillar",
            f.pillar.as_deref(),
            crate::agency::Pillar::parse,
        );
        let channel = choice(&mut e, "channel", f.channel.as_deref(), Channel::parse);
        let head_level = choice(
            &mut e,
            "head_level",
            f.head_level.as_deref(),
            HeadLevel::parse,
        );
        let authority = choice(
            &mut e,
            "authority",
            f.authority.as_deref(),
            Authority::parse,
        );
        // Left empty, the zone is the country's (its capital's), else Vietnam's.
        let tz_name = f
            .time_zone
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                f.country_code
                    .as_deref()
                    .and_then(|c| crate::zones::of_country(c).first().copied())
            })
            .unwrap_or(DEFAULT_TZ);
        let time_zone = match tz_name.parse::<Tz>() {
            Ok(tz) => tz,
            Err(_) => {
                e.add(
                    "time_zone",
                    Msg::new(
                        "Múi giờ không hợp lệ; dùng tên IANA như Asia/Ho_Chi_Minh, Europe/Paris.",
                        "Unknown time zone; use an IANA name such as Asia/Ho_Chi_Minh or Europe/Paris.",
                    ),
                );
                chrono_tz::Asia::Ho_Chi_Minh
            }
        };
        let mut instant = |field: &str, v: &str| -> Option<DateTime<Utc>> {
            if v.trim().is_empty() {
                e.add(field, msgs::required());
                return None;
            }
            match parse_local(v).map(|l| to_instant(l, time_zone)) {
                Some(Some(t)) => Some(t),
                Some(None) => {
                    e.add(
                        field,
                        Msg::new(
                            "Giờ này không tồn tại ở múi giờ đã chọn (chuyển giờ mùa hè).",
                            "This time does not exist in the chosen zone (clock change).",
                        ),
                    );
                    None
                }
                None => {
                    e.add(
                        field,
                        Msg::new(
                            "Nhập ngày giờ dạng 01/12/2026 09:00.",
                            "Enter a date and time such as 01/12/2026 09:00.",
                        ),
                    );
                    None
                }
            }
        };
        let starts_at = instant("starts_at", &f.starts_at);
        let ends_at = instant("ends_at", &f.ends_at);
        if let (Some(s), Some(en)) = (starts_at, ends_at) {
            if en < s {
                e.add(
                    "ends_at",
                    Msg::new(
                        "Thời gian kết thúc phải sau thời gian bắt đầu.",
                        "The end must come after the start.",
                    ),
                );
            } else if en - s > chrono::Duration::days(MAX_DAYS) {
                e.add(
                    "ends_at",
                    Msg::new(
                        format!("Một hoạt động kéo dài tối đa {MAX_DAYS} ngày; chương trình dài hơn hãy ghi thành nhiều hoạt động."),
                        format!("An activity lasts at most {MAX_DAYS} days; record a longer programme as several activities."),
                    ),
                );
            }
        }
        let country_code = text::optional(&mut e, "country_code", f.country_code.as_deref(), 2)
            .map(|c| c.to_uppercase());
        let decision_date =
            crate::days::optional_date(&mut e, "decision_date", f.decision_date.as_deref());
        let filed_on = crate::days::optional_date(&mut e, "filed_on", f.filed_on.as_deref());
        let head_name = text::optional(&mut e, "head_name", f.head_name.as_deref(), 200);
        let lines: Vec<Member> = match &f.members {
            None => Vec::new(),
            Some(text::Listed::Text(t)) => text::list(Some(t), &['\n'])
                .into_iter()
                .map(|line| {
                    let mut parts = line.splitn(2, ['—', '–', '|']);
                    let name = text::clean(parts.next().unwrap_or(""), false);
                    let position = parts.next().map(|p| text::clean(p, false));
                    Member { name, position }
                })
                .collect(),
            Some(text::Listed::Items(v)) => v
                .iter()
                .map(|m| Member {
                    name: text::clean(&m.name, false),
                    position: m.position.as_deref().map(|p| text::clean(p, false)),
                })
                .collect(),
        };
        let members = one_line_each(&mut e, head_name.as_deref(), lines);
        if members.len() > 200 {
            e.add(
                "members",
                Msg::new("Tối đa 200 thành viên.", "At most 200 members."),
            );
        }
        let Named {
            agencies, partners, ..
        } = f.named();
        if agencies.len() > MAX_AGENCIES {
            e.add(
                "agencies",
                Msg::new(
                    format!("Tối đa {MAX_AGENCIES} cơ quan phối hợp."),
                    format!("At most {MAX_AGENCIES} participating agencies."),
                ),
            );
        }
        if partners.len() > MAX_PARTNERS {
            e.add(
                "partners",
                Msg::new(
                    format!("Tối đa {MAX_PARTNERS} đối tác."),
                    format!("At most {MAX_PARTNERS} partners."),
                ),
            );
        }
        let input = Self {
            title,
            type_code,
            pillar,
            channel,
            lead_agency,
            agencies,
            partners,
            head_name,
            head_level,
            members,
            starts_at: starts_at.unwrap_or_default(),
            ends_at: ends_at.unwrap_or_default(),
            time_zone,
            country_code,
            city: text::optional(&mut e, "city", f.city.as_deref(), 200),
            purpose: long_text(&mut e, "purpose", f.purpose.as_deref(), 10_000),
            programme: long_text(&mut e, "programme", f.programme.as_deref(), 20_000),
            inviting_party: text::optional(
                &mut e,
                "inviting_party",
                f.inviting_party.as_deref(),
                300,
            ),
            funding: text::optional(&mut e, "funding", f.funding.as_deref(), 300),
            authority,
            filed_on,
            decision_number: text::optional(
                &mut e,
                "decision_number",
                f.decision_number.as_deref(),
                100,
            ),
            decision_date,
            approver: text::optional(&mut e, "approver", f.approver.as_deref(), 200),
        };
        e.into_result(input)
    }
}

/// The delegation's member lines, one per person: blank lines and positions
/// dropped; a line repeating an earlier name is merged when it adds nothing
/// (no position, or the same one) and refused when it would change the
/// person's position; the head of delegation listed again is refused (the
/// head is one person, named once). Nothing a user typed is dropped silently.
fn one_line_each(e: &mut FieldErrors, head: Option<&str>, lines: Vec<Member>) -> Vec<Member> {
    let head = head.map(text::fold);
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut members: Vec<Member> = Vec::new();
    for m in lines {
        let m = Member {
            position: m.position.filter(|p| !p.is_empty()),
            ..m
        };
        if m.name.is_empty() {
            continue;
        }
        let key = text::fold(&m.name);
        if head.as_deref() == Some(key.as_str()) {
            e.add(
                "members",
                Msg::new(
                    format!(
                        "«{}» là trưởng đoàn; không ghi lại trong danh sách thành viên.",
                        m.name
                    ),
                    format!(
                        "«{}» heads the delegation; do not list them again as a member.",
                        m.name
                    ),
                ),
            );
            continue;
        }
        match at.get(&key) {
            None => {
                at.insert(key, members.len());
                members.push(m);
            }
            Some(&i) => {
                let prev = &mut members[i];
                match (&prev.position, m.position) {
                    (_, None) => {}
                    (None, Some(p)) => prev.position = Some(p),
                    (Some(a), Some(b)) if text::fold(a) == text::fold(&b) => {}
                    (Some(_), Some(_)) => e.add(
                        "members",
                        Msg::new(
                            format!(
                                "«{}» có hai dòng với hai chức vụ khác nhau; giữ một dòng.",
                                m.name
                            ),
                            format!(
                                "«{}» has two lines with different positions; keep one.",
                                m.name
                            ),
                        ),
                    ),
                }
            }
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_move_is_checked_whole() {
        use Status::*;
        use Transition as T;
        let starts = at("2027-03-15T01:00:00Z");
        let before = at("2026-12-03T08:00:00Z");
        let after = at("2027-03-15T02:00:00Z");
        assert_eq!(
            check_move(Approved, T::Complete, None, starts, after),
            Ok(Done)
        );
        let e = check_move(Approved, T::Complete, None, starts, before).unwrap_err();
        assert!(e.0.contains_key("transition"), "{e:?}");
        assert!(check_move(Draft, T::Complete, None, starts, after).is_err());
        let e = check_move(Submitted, T::Return, None, starts, before).unwrap_err();
        assert!(e.0.contains_key("note"));
        assert_eq!(
            check_move(Submitted, T::Return, Some("thiếu"), starts, before),
            Ok(Returned)
        );
        let long = "x".repeat(MAX_NOTE + 1);
        assert!(check_move(Done, T::Report, Some(&long), starts, after).is_err());
        assert_eq!(
            check_move(Submitted, T::Approve, Some("đồng ý"), starts, before),
            Ok(Approved)
        );
    }

    #[test]
    fn workflow_moves() {
        use Status::*;
        use Transition as T;
        assert_eq!(Draft.after(T::Submit), Some(Submitted));
        assert_eq!(Returned.after(T::Submit), Some(Submitted));
        assert_eq!(Submitted.after(T::Approve), Some(Approved));
        assert_eq!(Submitted.after(T::Return), Some(Returned));
        assert_eq!(Approved.after(T::Complete), Some(Done));
        assert_eq!(Done.after(T::Report), Some(Reported));
        for s in [Draft, Submitted, Approved, Returned] {
            assert_eq!(s.after(T::Cancel), Some(Cancelled), "{s:?}");
        }
        for s in [Done, Reported, Cancelled] {
            assert_eq!(s.after(T::Cancel), None, "{s:?}");
        }
        assert_eq!(
            Draft.after(T::Approve),
            None,
            "nothing is approved before it is submitted"
        );
        assert_eq!(
            Approved.after(T::Report),
            None,
            "a report follows the activity"
        );
        assert_eq!(Cancelled.moves(), vec![]);
        assert_eq!(Submitted.moves(), vec![T::Approve, T::Return, T::Cancel]);
    }

    #[test]
    fn decisions_belong_to_a_leader_whose_scope_covers_the_lead_agency() {
        use crate::access::{AgencyGraph, AgencyNode, Scope};
        use crate::agency::Pillar;
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let node = AgencyNode {
            parent: None,
            successor: None,
            pillar: Pillar::State,
            also: None,
        };
        let g = AgencyGraph::new([(a, node.clone()), (b, node)]);
        let actor = |role| {
            Actor::resolve(
                uuid::Uuid::new_v4(),
                "x".into(),
                a,
                role,
                Scope::Agency,
                Classification::Mat,
                &g,
            )
        };
        let c = Classification::None;
        assert!(may_move(&actor(Role::Leader), Transition::Approve, a, c));
        assert!(
            !may_move(&actor(Role::Leader), Transition::Approve, b, c),
            "outside the scope"
        );
        assert!(!may_move(&actor(Role::Officer), Transition::Approve, a, c));
        assert!(!may_move(&actor(Role::Admin), Transition::Return, a, c));
        assert!(may_move(&actor(Role::Officer), Transition::Submit, a, c));
        assert!(!may_move(&actor(Role::Viewer), Transition::Submit, a, c));
        assert!(
            !may_move(
                &actor(Role::Leader),
                Transition::Approve,
                a,
                Classification::ToiMat
            ),
            "above clearance"
        );
    }

    #[test]
    fn hosted_conference_lead_time() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let pm = Some(Authority::PrimeMinister);
        assert_eq!(
            filed_late(HOSTED_CONFERENCE, pm, d("2026-11-01"), d("2026-12-11")),
            None,
            "40 days is in time"
        );
        assert_eq!(
            filed_late(HOSTED_CONFERENCE, pm, d("2026-11-02"), d("2026-12-11")),
            Some((40, 39))
        );
        let other = Some(Authority::Other);
        assert_eq!(
            filed_late(HOSTED_CONFERENCE, other, d("2026-11-02"), d("2026-12-11")),
            None
        );
        assert_eq!(
            filed_late(HOSTED_CONFERENCE, other, d("2026-11-20"), d("2026-12-11")),
            Some((30, 21))
        );
        // The Fatherland Front's and mass organisations' conferences follow the
        // Party's rules: never "filed late" under the Decision.
        let party = Some(Authority::PartyRules);
        assert_eq!(
            filed_late(HOSTED_CONFERENCE, party, d("2026-12-10"), d("2026-12-11")),
            None
        );
        assert_eq!(
            filed_late("talks", pm, d("2026-12-10"), d("2026-12-11")),
            None
        );
    }

    #[test]
    fn overdue_reports_and_nearness() {
        let end = at("2026-11-01T10:00:00Z");
        assert!(report_overdue(
            Status::Done,
            end,
            at("2026-11-17T00:00:00Z"),
            15
        ));
        assert!(!report_overdue(
            Status::Done,
            end,
            at("2026-11-15T00:00:00Z"),
            15
        ));
        assert!(!report_overdue(
            Status::Reported,
            end,
            at("2027-01-01T00:00:00Z"),
            15
        ));
        assert!(!report_overdue(
            Status::Cancelled,
            end,
            at("2027-01-01T00:00:00Z"),
            15
        ));
        let a = (at("2026-12-01T00:00:00Z"), at("2026-12-03T00:00:00Z"));
        let b = (at("2026-12-06T00:00:00Z"), at("2026-12-07T00:00:00Z"));
        assert!(!overlap(a, b));
        assert!(near(a, b, 3));
        assert!(!near(a, b, 2));
        assert!(overlap(
            a,
            (at("2026-12-02T00:00:00Z"), at("2026-12-09T00:00:00Z"))
        ));
        // Monday 30/11 and Sunday 06/12/2026 are one ISO week in Vietnam's time.
        assert!(same_week(
            at("2026-11-29T17:00:00Z"),
            at("2026-12-06T16:59:00Z")
        ));
        assert!(!same_week(
            at("2026-11-29T16:59:00Z"),
            at("2026-12-06T00:00:00Z")
        ));
    }

    #[test]
    fn times_are_read_in_the_activity_zone() {
        let f = ActivityForm {
            title: "Đoàn công tác tại Pháp".into(),
            type_code: "outgoing_delegation".into(),
            lead_agency: "BNG".into(),
            starts_at: "2026-07-01T09:00".into(),
            ends_at: "03/07/2026 17:30".into(),
            time_zone: Some("Europe/Paris".into()),
            members: Some("Nguyễn Văn A — Vụ trưởng\nTrần Thị B\nnguyen van a".into()),
            partners: Some("Pháp; Cộng hòa Pháp\nphap".into()),
            ..Default::default()
        };
        let a = ActivityInput::parse(&f).unwrap();
        assert_eq!(
            a.starts_at,
            at("2026-07-01T07:00:00Z"),
            "Paris is UTC+2 in summer"
        );
        assert_eq!(a.ends_at, at("2026-07-03T15:30:00Z"));
        assert_eq!(a.members.len(), 2, "the same name twice is one member");
        // A line that would change a member's position, or names the head again,
        // is refused, never dropped.
        for (head, members) in [
            (
                None,
                "Nguyễn Văn A — Vụ trưởng\nnguyen van a — Phó Vụ trưởng",
            ),
            (Some("Lê Văn C"), "Lê Văn C — Thứ trưởng\nTrần Thị B"),
        ] {
            let e = ActivityInput::parse(&ActivityForm {
                head_name: head.map(str::to_string),
                members: Some(members.into()),
                ..f.clone()
            })
            .unwrap_err();
            assert!(e.0.contains_key("members"), "{members}: {e:?}");
        }
        assert_eq!(a.members[0].position.as_deref(), Some("Vụ trưởng"));
        assert_eq!(a.partners, vec!["Pháp", "Cộng hòa Pháp"]);
        // A time skipped by the clock change, an end before the start, a bad zone.
        let bad = ActivityForm {
            starts_at: "2026-03-29T02:30".into(),
            ends_at: "2026-03-28T10:00".into(),
            ..f.clone()
        };
        let e = ActivityInput::parse(&bad).unwrap_err();
        assert!(e.get("starts_at").is_some());
        let e = ActivityInput::parse(&ActivityForm {
            ends_at: "2026-06-30T10:00".into(),
            ..f.clone()
        })
        .unwrap_err();
        assert!(e.get("ends_at").is_some());
        let e = ActivityInput::parse(&ActivityForm {
            ends_at: "2026-12-01T10:00".into(),
            ..f.clone()
        })
        .unwrap_err();
        assert!(e.get("ends_at").is_some(), "longer than {MAX_DAYS} days");
        let e = ActivityInput::parse(&ActivityForm {
            time_zone: Some("Mars/Base".into()),
            ..f
        })
        .unwrap_err();
        assert!(e.get("time_zone").is_some());
    }

    #[test]
    fn only_undecided_or_cancelled_activities_go_to_the_trash() {
        let trashable: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.may_trash())
            .collect();
        assert_eq!(
            trashable,
            [Status::Draft, Status::Returned, Status::Cancelled]
        );
    }
}
