//! Review reports ("báo cáo tổng kết công tác đối ngoại"): a scope and a
//! period, figures computed from the records and compared with the period
//! before, narrative parts written in Kiềng, and the workflow draft →
//! submitted → approved. What a report counts is read as its reader reads,
//! narrowed to the report's scope and capped at the report's classification;
//! the figures a report is submitted with are frozen and are what is approved.

use crate::days::optional_date;
use crate::error::msgs;
use crate::{Classification, FieldErrors, Msg, code_enum, text};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

code_enum!(
    /// How the period is chosen.
    PeriodKind {
        Year = "year", "Năm", "Year";
        Half = "half", "6 tháng", "Half-year";
        Quarter = "quarter", "Quý", "Quarter";
        Custom = "custom", "Từ ngày đến ngày", "Dates";
    }
);

code_enum!(
    /// Whose records a report counts (always within what its reader sees).
    ScopeKind {
        All = "all", "Toàn bộ hồ sơ được xem", "Everything the reader sees";
        Agency = "agency", "Một cơ quan và các đơn vị trực thuộc", "An agency and its units";
        Pillar = "pillar", "Một trụ cột đối ngoại", "A pillar";
        Province = "province", "Một tỉnh, thành phố", "A province";
    }
);

code_enum!(
    /// Where a report is in its workflow.
    Status {
        Draft = "draft", "Dự thảo", "Draft";
        Submitted = "submitted", "Đã trình", "Submitted";
        Approved = "approved", "Đã duyệt, ban hành", "Approved";
    }
);

code_enum!(
    /// A move in the workflow.
    Move {
        Submit = "submit", "Trình lãnh đạo", "Submit";
        Approve = "approve", "Duyệt, cấp số", "Approve and number";
        Return = "return", "Trả lại để sửa", "Return for changes";
    }
);

code_enum!(
    /// The narrative parts, in the order a review report has them.
    Part {
        Assessment = "assessment", "Đánh giá chung", "Overall assessment";
        Shortcomings = "shortcomings", "Tồn tại, hạn chế và nguyên nhân", "Shortcomings and their causes";
        Lessons = "lessons", "Bài học kinh nghiệm", "Lessons learned";
        Directions = "directions", "Phương hướng, nhiệm vụ thời gian tới", "Directions and tasks ahead";
    }
);

code_enum!(
    /// The urgency mark a document sent upward may carry (Decree 30/2020,
    /// Art. 15 and Annex I: "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC").
    Urgency {
        Khan = "khan", "KHẨN", "Urgent";
        ThuongKhan = "thuong_khan", "THƯỢNG KHẨN", "Very urgent";
        HoaToc = "hoa_toc", "HỎA TỐC", "Immediate";
    }
);

/// The longest narrative part, in characters.
pub const MAX_PART: usize = 50_000;
/// The longest period a report covers (a five-year term and some).
pub const MAX_PERIOD_DAYS: i64 = 6 * 366;
/// The activity statuses a review counts as work carried out or decided:
/// drafts, returned and cancelled activities are not results.
pub const COUNTED_STATUSES: &[&str] = &["approved", "done", "reported"];
/// The levels of a head of delegation a review lists by name (minister and above).
pub const HIGH_LEVELS: &[&str] = &[
    "head_of_state",
    "head_of_government",
    "assembly_chair",
    "vice_president",
    "deputy_prime_minister",
    "assembly_vice_chair",
    "minister",
];

/// A period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn roman(n: u32) -> &'static str {
    ["I", "II", "III", "IV"]
        .get(n.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

impl Period {
    /// A calendar year, a half (1, 2) or a quarter (1–4) of it.
    pub fn of(kind: PeriodKind, year: i32, part: u32) -> Option<Self> {
        let months = match kind {
            PeriodKind::Year => 12,
            PeriodKind::Half => 6,
            PeriodKind::Quarter => 3,
            PeriodKind::Custom => return None,
        };
        let parts = 12 / months;
        let part = if kind == PeriodKind::Year { 1 } else { part };
        if !(1..=parts).contains(&part) {
            return None;
        }
        let from = NaiveDate::from_ymd_opt(year, (part - 1) * months + 1, 1)?;
        let to = from.checked_add_months(Months::new(months))?.pred_opt()?;
        Some(Self { kind, from, to })
    }

    /// The period of the same kind just before: the year before, the half or
    /// quarter before, or as many days ending the day before.
    pub fn previous(&self) -> Self {
        match self.kind {
            PeriodKind::Custom => {
                let days = self.days();
                let to = self.from.pred_opt().unwrap_or(self.from);
                Self {
                    kind: PeriodKind::Custom,
                    from: to - chrono::Duration::days(days - 1),
                    to,
                }
            }
            k => {
                let months = match k {
                    PeriodKind::Year => 12,
                    PeriodKind::Half => 6,
                    _ => 3,
                };
                let from = self
                    .from
                    .checked_sub_months(Months::new(months))
                    .unwrap_or(self.from);
                let to = self.from.pred_opt().unwrap_or(self.from);
                Self { kind: k, from, to }
            }
        }
    }

    /// Days in the period, both ends counted.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// "năm 2026", "6 tháng đầu năm 2026", "quý III năm 2026", "từ 01/02/2026 đến 30/04/2026".
    pub fn label(&self) -> Msg {
        let y = self.from.year();
        let q = self.from.month().div_ceil(3);
        match self.kind {
            PeriodKind::Year => Msg::new(format!("năm {y}"), format!("{y}")),
            PeriodKind::Half if self.from.month() == 1 => {
                Msg::new(format!("6 tháng đầu năm {y}"), format!("first half of {y}"))
            }
            PeriodKind::Half => Msg::new(
                format!("6 tháng cuối năm {y}"),
                format!("second half of {y}"),
            ),
            PeriodKind::Quarter => {
                Msg::new(format!("quý {} năm {y}", roman(q)), format!("Q{q} {y}"))
            }
            PeriodKind::Custom => {
                let (f, t) = (
                    self.from.format("%d/%m/%Y").to_string(),
                    self.to.format("%d/%m/%Y").to_string(),
                );
                Msg::new(format!("từ {f} đến {t}"), format!("{f} to {t}"))
            }
        }
    }
}

/// The raw strings of the report form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period: String,
    pub year: Option<String>,
    /// The half (1, 2) or quarter (1–4).
    pub part: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(default)]
    pub scope: String,
    /// The agency's code, the pillar's code or the province's code.
    pub scope_ref: Option<String>,
    /// The issuing agency's code or id (the reader's own when empty).
    pub agency: Option<String>,
    /// "Kính gửi", one per line.
    pub recipients: Option<String>,
    pub signer_position: Option<String>,
    pub signer_name: Option<String>,
    /// "Nơi nhận", one per line.
    pub copies_to: Option<String>,
    /// khan, thuong_khan, hoa_toc; empty: not urgent.
    pub urgency: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

/// A validated report form, before its references are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub title: String,
    pub period: Period,
    pub scope: ScopeKind,
    pub scope_ref: Option<String>,
    pub agency: Option<String>,
    pub recipients: Vec<String>,
    pub signer_position: String,
    pub signer_name: Option<String>,
    pub copies_to: Vec<String>,
    pub urgency: Option<Urgency>,
}

/// Lines of a list field: trimmed, empty ones dropped, each at most `max`
/// characters, at most `count` lines.
fn lines(
    e: &mut FieldErrors,
    field: &str,
    v: Option<&str>,
    max: usize,
    count: usize,
) -> Vec<String> {
    let out: Vec<String> = v
        .unwrap_or("")
        .lines()
        .map(|l| text::clean(l, false))
        .filter(|l| !l.is_empty())
        .collect();
    if out.len() > count {
        e.add(
            field,
            Msg::new(
                format!("Tối đa {count} dòng."),
                format!("At most {count} lines."),
            ),
        );
    } else if out.iter().any(|l| l.chars().count() > max) {
        e.add(field, msgs::too_long(max));
    }
    out
}

/// The period a form names: a kind (year, half, quarter, dates) with its
/// year and part, or its two dates; problems are added to `e`.
pub fn parse_period(
    e: &mut FieldErrors,
    kind: &str,
    year: Option<&str>,
    part: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Option<Period> {
    let kind = PeriodKind::parse(kind);
    if kind.is_none() {
        e.add("period", msgs::invalid_choice());
    }
    let number = |field: &str, v: Option<&str>, e: &mut FieldErrors| -> Option<i64> {
        match v.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add(field, Msg::new("Ghi một số.", "Write a number."));
                    None
                }
            },
        }
    };
    match kind {
        Some(PeriodKind::Custom) => {
            let from = optional_date(e, "from", from);
            let to = optional_date(e, "to", to);
            match (from, to) {
                (Some(from), Some(to)) if from > to => {
                    e.add(
                        "to",
                        Msg::new(
                            "Ngày kết thúc phải sau ngày bắt đầu.",
                            "The end must come after the start.",
                        ),
                    );
                    None
                }
                (Some(from), Some(to)) if (to - from).num_days() >= MAX_PERIOD_DAYS => {
                    e.add(
                        "to",
                        Msg::new(
                            "Một báo cáo bao quát tối đa 6 năm.",
                            "A report covers at most six years.",
                        ),
                    );
                    None
                }
                (Some(from), Some(to)) => Some(Period {
                    kind: PeriodKind::Custom,
                    from,
                    to,
                }),
                (f, t) => {
                    if f.is_none() && e.get("from").is_none() {
                        e.add("from", msgs::required());
                    }
                    if t.is_none() && e.get("to").is_none() {
                        e.add("to", msgs::required());
                    }
                    None
                }
            }
        }
        Some(k) => {
            let year = number("year", year, e);
            let part = number("part", part, e).unwrap_or(1);
            match year {
                Some(y) if (2000..=2100).contains(&y) => {
                    let p = Period::of(k, y as i32, u32::try_from(part).unwrap_or(0));
                    if p.is_none() {
                        e.add(
                            "part",
                            Msg::new(
                                "Chọn 6 tháng đầu hoặc cuối năm, hoặc quý I–IV.",
                                "Choose the first or second half, or quarter 1–4.",
                            ),
                        );
                    }
                    p
                }
                Some(_) => {
                    e.add(
                        "year",
                        Msg::new("Năm từ 2000 đến 2100.", "A year from 2000 to 2100."),
                    );
                    None
                }
                None => {
                    if e.get("year").is_none() {
                        e.add("year", msgs::required());
                    }
                    None
                }
            }
        }
        None => None,
    }
}

/// Whose records a form names: the kind and, beyond "all", the agency's,
/// pillar's or province's code; problems are added to `e`.
pub fn parse_scope(
    e: &mut FieldErrors,
    scope: &str,
    scope_ref: Option<&str>,
) -> (Option<ScopeKind>, Option<String>) {
    let scope = ScopeKind::parse(scope);
    if scope.is_none() {
        e.add("scope", msgs::invalid_choice());
    }
    let scope_ref = text::optional(e, "scope_ref", scope_ref, 64);
    if scope.is_some_and(|s| s != ScopeKind::All) && scope_ref.is_none() {
        e.add(
            "scope_ref",
            Msg::new(
                "Ghi mã cơ quan, trụ cột hoặc tỉnh của phạm vi.",
                "Name the scope's agency, pillar or province code.",
            ),
        );
    }
    (scope, scope_ref)
}

impl ReportInput {
    pub fn parse(f: &ReportForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", &f.title, 500);
        let period = parse_period(
            &mut e,
            &f.period,
            f.year.as_deref(),
            f.part.as_deref(),
            f.from.as_deref(),
            f.to.as_deref(),
        );
        let (scope, scope_ref) = parse_scope(&mut e, &f.scope, f.scope_ref.as_deref());
        let agency = text::optional(&mut e, "agency", f.agency.as_deref(), 64);
        let recipients = lines(&mut e, "recipients", f.recipients.as_deref(), 300, 20);
        let signer_position =
            text::optional(&mut e, "signer_position", f.signer_position.as_deref(), 200)
                .unwrap_or_else(|| "Thủ trưởng cơ quan".into());
        let signer_name = text::optional(&mut e, "signer_name", f.signer_name.as_deref(), 200);
        let copies_to = lines(&mut e, "copies_to", f.copies_to.as_deref(), 300, 30);
        let urgency = match f
            .urgency
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(u) => {
                let v = Urgency::parse(u);
                if v.is_none() {
                    e.add("urgency", msgs::invalid_choice());
                }
                v
            }
        };
        match (period, scope) {
            (Some(period), Some(scope)) if e.is_empty() => Ok(Self {
                title,
                period,
                scope,
                scope_ref: if scope == ScopeKind::All {
                    None
                } else {
                    scope_ref
                },
                agency,
                recipients,
                signer_position,
                signer_name,
                copies_to,
                urgency,
            }),
            _ => Err(e),
        }
    }
}

/// Where a move takes a report, if it may: writers of the issuing agency
/// submit a draft; its leaders approve or return a submitted one.
pub fn check_move(from: Status, m: Move, writer: bool, leader: bool) -> Result<Status, Msg> {
    match (from, m) {
        (Status::Draft, Move::Submit) if writer => Ok(Status::Submitted),
        (Status::Submitted, Move::Approve | Move::Return) if !leader => Err(Msg::new(
            "Chỉ lãnh đạo cơ quan ban hành duyệt hoặc trả lại báo cáo.",
            "Only the issuing agency's leaders approve or return a report.",
        )),
        (Status::Submitted, Move::Approve) => Ok(Status::Approved),
        (Status::Submitted, Move::Return) => Ok(Status::Draft),
        (Status::Draft, Move::Submit) => Err(Msg::new(
            "Bạn không được trình báo cáo của cơ quan này.",
            "You may not submit this agency's reports.",
        )),
        (Status::Approved, _) => Err(Msg::new(
            "Báo cáo đã được duyệt và ban hành; không thay đổi được nữa.",
            "The report is approved and issued; it no longer changes.",
        )),
        _ => Err(Msg::new(
            "Không thực hiện được bước này ở trạng thái hiện tại.",
            "This step is not possible in the current status.",
        )),
    }
}

/// The symbol of a report: "BC-" and the issuing agency's abbreviation.
pub fn symbol(abbreviation: Option<&str>) -> String {
    match abbreviation.map(str::trim).filter(|s| !s.is_empty()) {
        Some(a) => format!("BC-{}", a.to_uppercase()),
        None => "BC".into(),
    }
}

/// "Số: 05/BC-SNV": numbers below 10 take a leading zero (Decree 30/2020,
/// Annex I, II.3); a report not yet numbered leaves room for the clerk.
pub fn number(seq: Option<i32>, symbol: &str) -> String {
    match seq {
        Some(n) => format!("Số: {n:02}/{symbol}"),
        None => format!("Số:       /{symbol}"),
    }
}

/// One line of a table: a label, the figure for the period and for the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The code it counts (a pillar, a type, a partner's id), for links.
    pub key: String,
    pub vi: String,
    pub en: String,
    pub now: i64,
    pub before: i64,
}

impl Row {
    /// The change, in words: "+3", "−2", "0".
    pub fn change(&self) -> String {
        let d = self.now - self.before;
        match d.cmp(&0) {
            std::cmp::Ordering::Greater => format!("+{d}"),
            std::cmp::Ordering::Less => format!("−{}", -d),
            std::cmp::Ordering::Equal => "0".into(),
        }
    }
}

/// A table of a computed section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub key: String,
    pub vi: String,
    pub en: String,
    pub rows: Vec<Row>,
    /// Whether the rows add up to a total worth a line of its own.
    pub summed: bool,
}

impl Table {
    pub fn new(key: &str, title: Msg, summed: bool) -> Self {
        Self {
            key: key.into(),
            vi: title.vi,
            en: title.en,
            rows: Vec::new(),
            summed,
        }
    }

    pub fn row(mut self, key: &str, label: Msg, now: i64, before: i64) -> Self {
        self.rows.push(Row {
            key: key.into(),
            vi: label.vi,
            en: label.en,
            now,
            before,
        });
        self
    }

    /// Without the rows that are zero in both periods.
    pub fn without_empty(mut self) -> Self {
        self.rows.retain(|r| r.now != 0 || r.before != 0);
        self
    }

    /// The totals of both periods.
    pub fn total(&self) -> (i64, i64) {
        self.rows
            .iter()
            .fold((0, 0), |(a, b), r| (a + r.now, b + r.before))
    }
}

/// A computed section: its tables and the lines it lists by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    pub vi: String,
    pub en: String,
    pub tables: Vec<Table>,
    /// Named lines (high-level delegations, framework upgrades), in time order.
    pub items: Vec<String>,
}

/// What a report counts, as computed or as frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub period: Period,
    pub previous: Period,
    pub sections: Vec<Section>,
    /// The highest classification among the records counted.
    pub holds: Classification,
}

/// Counts by code for two periods, in the order the codes are first given.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    order: Vec<String>,
    counts: std::collections::HashMap<String, (i64, i64)>,
}

impl Tally {
    /// Count `n` for `code` in the period (`now`) or the one before.
    pub fn add(&mut self, code: &str, now: bool, n: i64) {
        let e = self.counts.entry(code.to_string()).or_insert_with(|| {
            self.order.push(code.to_string());
            (0, 0)
        });
        if now {
            e.0 += n;
        } else {
            e.1 += n;
        }
    }

    /// Make sure `code` has a row (zero in both periods if nothing counted).
    pub fn keep(&mut self, code: &str) {
        self.add(code, true, 0);
    }

    /// The table's rows, labelled; codes without a label are "other".
    /// `ordered`: as given; otherwise the largest first (then by label).
    pub fn into_table(self, mut t: Table, label: impl Fn(&str) -> Msg, ordered: bool) -> Table {
        let mut rows: Vec<Row> = self
            .order
            .iter()
            .filter_map(|c| {
                let (now, before) = self.counts.get(c).copied()?;
                let l = label(c);
                Some(Row {
                    key: c.clone(),
                    vi: l.vi,
                    en: l.en,
                    now,
                    before,
                })
            })
            .collect();
        if !ordered {
            rows.sort_by(|a, b| b.now.cmp(&a.now).then_with(|| a.vi.cmp(&b.vi)));
        }
        t.rows = rows;
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn form(period: &str, year: &str, part: &str) -> ReportForm {
        ReportForm {
            title: "Báo cáo tổng kết".into(),
            period: period.into(),
            year: Some(year.into()),
            part: Some(part.into()),
            scope: "all".into(),
            ..Default::default()
        }
    }

    #[test]
    fn periods_and_the_one_before() {
        let y = Period::of(PeriodKind::Year, 2026, 1).unwrap();
        assert_eq!((y.from, y.to), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(
            (y.previous().from, y.previous().to),
            (d("2025-01-01"), d("2025-12-31"))
        );
        let h = Period::of(PeriodKind::Half, 2026, 1).unwrap();
        assert_eq!((h.from, h.to), (d("2026-01-01"), d("2026-06-30")));
        assert_eq!(
            (h.previous().from, h.previous().to),
            (d("2025-07-01"), d("2025-12-31"))
        );
        let q = Period::of(PeriodKind::Quarter, 2026, 3).unwrap();
        assert_eq!((q.from, q.to), (d("2026-07-01"), d("2026-09-30")));
        assert_eq!(q.previous().from, d("2026-04-01"));
        assert_eq!(q.label().vi, "quý III năm 2026");
        assert_eq!(h.label().vi, "6 tháng đầu năm 2026");
        let c = Period {
            kind: PeriodKind::Custom,
            from: d("2026-03-01"),
            to: d("2026-03-10"),
        };
        assert_eq!(c.days(), 10);
        assert_eq!(
            (c.previous().from, c.previous().to),
            (d("2026-02-19"), d("2026-02-28"))
        );
        assert_eq!(c.label().vi, "từ 01/03/2026 đến 10/03/2026");
        assert!(Period::of(PeriodKind::Quarter, 2026, 5).is_none());
        assert!(Period::of(PeriodKind::Half, 2026, 0).is_none());
    }

    #[test]
    fn the_form_names_what_to_fix() {
        let ok = ReportInput::parse(&form("quarter", "2026", "2")).unwrap();
        assert_eq!(ok.period.from, d("2026-04-01"));
        assert_eq!(ok.signer_position, "Thủ trưởng cơ quan");
        assert_eq!(ok.urgency, None);
        let mut f = form("year", "2026", "");
        f.urgency = Some("hoa_toc".into());
        assert_eq!(
            ReportInput::parse(&f).unwrap().urgency,
            Some(Urgency::HoaToc)
        );
        f.urgency = Some("gấp lắm".into());
        assert!(ReportInput::parse(&f).unwrap_err().get("urgency").is_some());
        let e = ReportInput::parse(&form("quarter", "2026", "7")).unwrap_err();
        assert!(e.get("part").is_some());
        let e = ReportInput::parse(&form("year", "1800", "")).unwrap_err();
        assert!(e.get("year").is_some());
        let e = ReportInput::parse(&form("year", "năm nay", "")).unwrap_err();
        assert!(e.get("year").is_some());
        let mut f = form("custom", "", "");
        f.from = Some("10/05/2026".into());
        f.to = Some("01/05/2026".into());
        assert!(ReportInput::parse(&f).unwrap_err().get("to").is_some());
        f.to = Some("01/05/2036".into());
        assert!(ReportInput::parse(&f).unwrap_err().get("to").is_some());
        f.to = Some("31/05/2026".into());
        assert_eq!(ReportInput::parse(&f).unwrap().period.days(), 22);
        let mut f = form("year", "2026", "");
        f.scope = "agency".into();
        assert!(
            ReportInput::parse(&f)
                .unwrap_err()
                .get("scope_ref")
                .is_some()
        );
        f.recipients = Some(
            (0..25)
                .map(|i| format!("Cơ quan {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        f.scope_ref = Some("SNV".into());
        assert!(
            ReportInput::parse(&f)
                .unwrap_err()
                .get("recipients")
                .is_some()
        );
    }

    #[test]
    fn the_workflow_and_who_moves_it() {
        use Move::*;
        use Status::*;
        assert_eq!(check_move(Draft, Submit, true, false), Ok(Submitted));
        assert!(check_move(Draft, Submit, false, false).is_err());
        assert!(check_move(Submitted, Approve, true, false).is_err());
        assert_eq!(check_move(Submitted, Approve, true, true), Ok(Approved));
        assert_eq!(check_move(Submitted, Return, false, true), Ok(Draft));
        assert!(check_move(Draft, Approve, true, true).is_err());
        assert!(check_move(Approved, Return, true, true).is_err());
        assert!(check_move(Approved, Submit, true, true).is_err());
    }

    #[test]
    fn numbers_below_ten_take_a_zero() {
        assert_eq!(number(Some(5), &symbol(Some("snv"))), "Số: 05/BC-SNV");
        assert_eq!(number(Some(12), &symbol(Some("SNV"))), "Số: 12/BC-SNV");
        assert_eq!(number(None, &symbol(None)), "Số:       /BC");
    }

    #[test]
    fn tallies_compare_two_periods() {
        let mut t = Tally::default();
        t.add("party", true, 3);
        t.add("state", false, 2);
        t.add("party", false, 1);
        t.keep("people");
        let table = t.into_table(
            Table::new("pillar", Msg::new("Trụ cột", "Pillar"), true),
            |c| Msg::new(c, c),
            true,
        );
        let rows: Vec<_> = table
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.now, r.before, r.change()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("party", 3, 1, "+2".to_string()),
                ("state", 0, 2, "−2".to_string()),
                ("people", 0, 0, "0".to_string())
            ]
        );
        assert_eq!(table.total(), (3, 3));
        assert_eq!(table.without_empty().rows.len(), 2);
    }
}
