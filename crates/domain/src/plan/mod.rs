//! Programmes and plans: the documents that carry the external line down to
//! each agency (strategies, programmes, đề án, the yearly external-affairs
//! programme and delegation plan, implementation plans of a resolution), the
//! tree of tasks under each, progress reported by each task's lead agency, and
//! the one rule that turns deadline, progress and elapsed time into a status.

pub mod delegation;
pub mod import;
pub mod indicator;

use crate::days::{optional_date, parse_date, required_date};
use crate::error::msgs;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

code_enum!(
    /// What kind of document a plan is.
    Kind {
        Strategy = "strategy", "Chiến lược", "Strategy";
        Programme = "programme", "Chương trình", "Programme";
        Plan = "plan", "Kế hoạch", "Plan";
        Project = "project", "Đề án", "Project (đề án)";
        YearlyProgramme = "yearly_programme", "Chương trình đối ngoại hằng năm", "Yearly external-affairs programme";
        DelegationPlan = "delegation_plan", "Kế hoạch đoàn ra, đoàn vào hằng năm", "Yearly delegation plan";
        Implementation = "implementation", "Kế hoạch thực hiện nghị quyết, chỉ thị", "Implementation plan of a resolution or directive";
    }
);

code_enum!(
    /// Where a plan is in its life.
    Status {
        Draft = "draft", "Dự thảo", "Draft";
        Issued = "issued", "Đã ban hành", "Issued";
        InProgress = "in_progress", "Đang triển khai", "In progress";
        Closed = "closed", "Đã kết thúc", "Closed";
    }
);

code_enum!(
    /// A move of a plan's status.
    Move {
        Issue = "issue", "Ban hành", "Issue";
        Start = "start", "Bắt đầu triển khai", "Start";
        Close = "close", "Kết thúc", "Close";
        Reopen = "reopen", "Mở lại", "Reopen";
    }
);

impl Move {
    /// The status a move leads to from `from`, if it may be made; reopening
    /// needs a reason.
    pub fn apply(self, from: Status, note: Option<&str>) -> Result<Status, Msg> {
        let to = match (self, from) {
            (Self::Issue, Status::Draft) => Status::Issued,
            (Self::Start, Status::Issued) => Status::InProgress,
            (Self::Close, Status::Issued | Status::InProgress) => Status::Closed,
            (Self::Reopen, Status::Closed) => Status::InProgress,
            _ => {
                return Err(Msg::new(
                    format!(
                        "Không thể «{}» khi kế hoạch ở trạng thái «{}».",
                        self.label().vi,
                        from.label().vi
                    ),
                    format!(
                        "A plan that is \"{}\" cannot be moved by \"{}\".",
                        from.label().en,
                        self.label().en
                    ),
                ));
            }
        };
        if self == Self::Reopen && note.is_none_or(|n| n.trim().is_empty()) {
            return Err(Msg::new(
                "Ghi lý do mở lại kế hoạch.",
                "Give the reason for reopening the plan.",
            ));
        }
        Ok(to)
    }

    /// The moves open from `from`.
    pub fn open_from(from: Status) -> Vec<Move> {
        Self::ALL
            .iter()
            .copied()
            .filter(|m| m.apply(from, Some("x")).is_ok())
            .collect()
    }
}

code_enum!(
    /// How precisely a deadline is set: officials write "tháng 6/2026",
    /// "quý III/2026" or "năm 2026" as often as a date.
    DeadlineKind {
        Day = "day", "Ngày", "Day";
        Month = "month", "Tháng", "Month";
        Quarter = "quarter", "Quý", "Quarter";
        Year = "year", "Năm", "Year";
    }
);

/// A task's deadline: its precision and the last day it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    /// The last day of the day, month, quarter or year.
    pub due: NaiveDate,
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

fn last_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

fn year_of(s: &str) -> Option<i32> {
    let y: i32 = s.trim().parse().ok()?;
    (1945..=2200).contains(&y).then_some(y)
}

impl Deadline {
    /// Read a deadline as officials write it: "30/06/2026" (or 2026-06-30),
    /// "6/2026" or "tháng 6/2026", "quý III/2026", "Q3/2026" or "quý 3 năm
    /// 2026", "2026" or "năm 2026".
    pub fn parse(s: &str) -> Option<Self> {
        if s.len() > 40 {
            return None;
        }
        if let Some(d) = parse_date(s) {
            return Some(Self {
                kind: DeadlineKind::Day,
                due: d,
            });
        }
        // "quý III/2026" folds to "quy iii 2026"; the word "năm" is left out.
        let folded = crate::text::fold(s);
        let mut words: Vec<&str> = folded.split(' ').filter(|w| *w != "nam").collect();
        let kind = match words.first().copied() {
            Some("quy") => {
                words.remove(0);
                DeadlineKind::Quarter
            }
            Some("thang") => {
                words.remove(0);
                DeadlineKind::Month
            }
            Some(w) if w.len() == 2 && w.starts_with('q') => {
                words[0] = &w[1..];
                DeadlineKind::Quarter
            }
            _ => match words.len() {
                1 => DeadlineKind::Year,
                2 => DeadlineKind::Month,
                _ => DeadlineKind::Day,
            },
        };
        let due = match (kind, words.as_slice()) {
            (DeadlineKind::Year, [y]) => NaiveDate::from_ymd_opt(year_of(y)?, 12, 31)?,
            (DeadlineKind::Month, [m, y]) => {
                let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
                last_of_month(year_of(y)?, m)?
            }
            (DeadlineKind::Quarter, [q, y]) => {
                let q = match q.to_ascii_uppercase().as_str() {
                    "1" | "I" => 1,
                    "2" | "II" => 2,
                    "3" | "III" => 3,
                    "4" | "IV" => 4,
                    _ => return None,
                };
                last_of_month(year_of(y)?, q * 3)?
            }
            (DeadlineKind::Day, [d, m, y]) => {
                NaiveDate::from_ymd_opt(year_of(y)?, m.parse().ok()?, d.parse().ok()?)?
            }
            _ => return None,
        };
        Some(Self { kind, due })
    }

    /// The deadline as it was set, in the language's words.
    pub fn label(&self) -> Msg {
        let (y, m) = (self.due.year(), self.due.month());
        match self.kind {
            DeadlineKind::Day => {
                let d = self.due.format("%d/%m/%Y").to_string();
                Msg::new(d.clone(), d)
            }
            DeadlineKind::Month => Msg::new(format!("tháng {m}/{y}"), format!("{m}/{y}")),
            DeadlineKind::Quarter => {
                let q = ROMAN[((m - 1) / 3) as usize];
                Msg::new(format!("quý {q}/{y}"), format!("Q{}/{y}", (m - 1) / 3 + 1))
            }
            DeadlineKind::Year => Msg::new(format!("năm {y}"), y.to_string()),
        }
    }
}

code_enum!(
    /// A task's (or a plan's) computed status: see `state`.
    State {
        NotStarted = "not_started", "Chưa bắt đầu", "Not started";
        OnTrack = "on_track", "Đúng tiến độ", "On track";
        AtRisk = "at_risk", "Có nguy cơ chậm", "At risk";
        Late = "late", "Trễ hạn", "Late";
        Done = "done", "Hoàn thành", "Done";
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
    }
);

/// How many percentage points progress may trail the share of time elapsed
/// before a task is at risk.
pub const AT_RISK_GAP: u32 = 20;

/// The rule, in the words the interface shows beside every status.
pub fn rule() -> Msg {
    Msg::new(
        format!(
            "Hoàn thành: tiến độ 100%. Trễ hạn: đã qua hạn mà chưa hoàn thành. \
             Có nguy cơ chậm: tiến độ thấp hơn tỉ lệ thời gian đã trôi qua \
             (từ ngày bắt đầu của kế hoạch đến hạn) quá {AT_RISK_GAP} điểm phần trăm. \
             Chưa bắt đầu: chưa \
             báo cáo tiến độ nào trên 0%. Còn lại: đúng tiến độ. Tiến độ của nhiệm vụ \
             có nhiệm vụ con là bình quân tiến độ các nhiệm vụ con theo trọng số, của \
             cả kế hoạch là bình quân các nhiệm vụ chính bạn được xem (không tính nhiệm \
             vụ đã hủy)."
        ),
        format!(
            "Done: 100% progress. Late: past the deadline and not done. At risk: \
             progress trails the share of time elapsed (from the plan's start to the \
             deadline) by more than {AT_RISK_GAP} points. Not started: no progress above 0% reported. Otherwise: on track. \
             A task with sub-tasks takes the weighted mean of its sub-tasks' progress, \
             the plan that of the main tasks you see (cancelled ones left out)."
        ),
    )
}

/// The share of the time from `start` to `due` (both days counted) that has
/// passed by the end of `today`, in percent.
pub fn elapsed(start: NaiveDate, due: NaiveDate, today: NaiveDate) -> u32 {
    if today < start {
        return 0;
    }
    if today >= due {
        return 100;
    }
    let total = (due - start).num_days() + 1;
    let gone = (today - start).num_days() + 1;
    (gone * 100 / total) as u32
}

/// The status of one task (or a plan) on `today`.
pub fn state(
    progress: u8,
    cancelled: bool,
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
) -> State {
    if cancelled {
        State::Cancelled
    } else if progress >= 100 {
        State::Done
    } else if today > due {
        State::Late
    } else if u32::from(progress) + AT_RISK_GAP < elapsed(start, due, today) {
        State::AtRisk
    } else if progress == 0 {
        State::NotStarted
    } else {
        State::OnTrack
    }
}

/// Where a task due in a review's period stood at the period's end (or
/// today, if sooner), as the review report counts it: `on_time` (done by its
/// deadline: its last report, which brought it to 100%, on or before it),
/// `late` (done after its deadline, within the period), `overdue` (past its
/// deadline, not done), `open` (not yet due), `cancelled`.
pub fn review_outcome(
    progress: u8,
    cancelled: bool,
    due: NaiveDate,
    reported_on: Option<NaiveDate>,
    period_to: NaiveDate,
    today: NaiveDate,
) -> &'static str {
    let end = Ord::min(period_to, today);
    match (cancelled, progress >= 100, reported_on) {
        (true, _, _) => "cancelled",
        (false, true, Some(d)) if d <= due => "on_time",
        (false, true, Some(d)) if d <= period_to => "late",
        (false, true, None) => "on_time",
        _ if due < end => "overdue",
        _ => "open",
    }
}

/// The review's rows for tasks, in order.
pub const REVIEW_OUTCOMES: [&str; 5] = ["on_time", "late", "overdue", "open", "cancelled"];

/// What the tree computation knows of one task.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    /// Index of the parent in the same slice; `None` for a top-level task.
    pub parent: Option<usize>,
    pub weight: u32,
    /// The latest progress its lead agency reported.
    pub progress: u8,
    pub cancelled: bool,
    pub due: NaiveDate,
}

/// One task's computed progress and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Computed {
    pub progress: u8,
    pub state: State,
}

/// The weighted mean progress of `kids` (cancelled ones left out; weights of
/// zero count as one when every weight is zero), or `None` if none count.
pub fn roll_up(kids: impl IntoIterator<Item = (u32, u8)>) -> Option<u8> {
    let kids: Vec<(u64, u64)> = kids
        .into_iter()
        .map(|(w, p)| (u64::from(w), u64::from(p)))
        .collect();
    if kids.is_empty() {
        return None;
    }
    let total: u64 = kids.iter().map(|(w, _)| w).sum();
    let (sum, total) = if total == 0 {
        (kids.iter().map(|(_, p)| p).sum::<u64>(), kids.len() as u64)
    } else {
        (kids.iter().map(|(w, p)| w * p).sum::<u64>(), total)
    };
    // Rounded down: 99.6% is not done.
    Some((sum / total).min(100) as u8)
}

/// Every task's computed progress and status, and the plan's, from the
/// plan's start and end: a task with sub-tasks (and the plan) takes their
/// weighted progress; linear in the tasks, with no recursion.
pub fn compute(
    tasks: &[Facts],
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> (Vec<Computed>, Computed) {
    let n = tasks.len();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        match t.parent.filter(|p| *p < n && *p != i) {
            Some(p) => kids[p].push(i),
            None => roots.push(i),
        }
    }
    // Parents before children, then walked backwards: children first.
    let mut order = Vec::with_capacity(n);
    let mut stack = roots.clone();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(kids[i].iter().copied());
    }
    let mut out = vec![
        Computed {
            progress: 0,
            state: State::NotStarted,
        };
        n
    ];
    for &i in order.iter().rev() {
        let t = &tasks[i];
        let counted = kids[i]
            .iter()
            .filter(|k| !tasks[**k].cancelled)
            .map(|k| (tasks[*k].weight, out[*k].progress));
        let progress = roll_up(counted).unwrap_or(t.progress);
        out[i] = Computed {
            progress,
            state: state(progress, t.cancelled, start, t.due, today),
        };
    }
    let progress = roll_up(
        roots
            .iter()
            .filter(|r| !tasks[**r].cancelled)
            .map(|r| (tasks[*r].weight, out[*r].progress)),
    )
    .unwrap_or(0);
    let plan = Computed {
        progress,
        state: state(progress, false, start, end, today),
    };
    (out, plan)
}

/// A task number as officials write it ("1", "1.2", "2.3.1", "1.2." too):
/// the position at each level, from 1.
pub fn parse_number(s: &str) -> Option<Vec<u32>> {
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    s.split('.')
        .map(|p| p.trim().parse::<u32>().ok().filter(|n| *n >= 1))
        .collect()
}

/// The longest period a plan covers (a ten-year strategy with its vision).
pub const MAX_PLAN_YEARS: i32 = 30;
/// The most tasks one plan holds.
pub const MAX_TASKS: usize = 5_000;
/// The most coordinating agencies of one task.
pub const MAX_COORDINATING: usize = 30;
/// The most records one progress report cites as evidence.
pub const MAX_EVIDENCE: usize = 20;

/// The raw strings of a plan form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// The issuing agency's code or id.
    #[serde(default)]
    pub owner_agency: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<String>,
    #[serde(default)]
    pub period_from: String,
    #[serde(default)]
    pub period_to: String,
    pub summary: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    /// A template's code: its tasks are copied into the new plan.
    pub template: Option<String>,
}

/// A validated plan before its agency is looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    pub kind: Kind,
    pub title: String,
    pub owner_agency: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub summary: Option<String>,
}

fn long_text(e: &mut FieldErrors, field: &str, v: Option<&str>, max: usize) -> Option<String> {
    let v = v.map(|s| text::clean(s, true)).filter(|s| !s.is_empty());
    if v.as_ref().is_some_and(|d| d.chars().count() > max) {
        e.add(field, msgs::too_long(max));
    }
    v
}

impl PlanInput {
    pub fn parse(f: &PlanForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = Kind::parse(&f.kind);
        if kind.is_none() {
            e.add("kind", msgs::invalid_choice());
        }
        let title = text::required(&mut e, "title", &f.title, 1000);
        let owner_agency = text::required(&mut e, "owner_agency", &f.owner_agency, 64);
        let decision_number =
            text::optional(&mut e, "decision_number", f.decision_number.as_deref(), 100);
        let decision_date = optional_date(&mut e, "decision_date", f.decision_date.as_deref());
        let from = required_date(&mut e, "period_from", &f.period_from);
        let to = required_date(&mut e, "period_to", &f.period_to);
        if let (Some(a), Some(b)) = (from, to) {
            if b < a {
                e.add(
                    "period_to",
                    Msg::new(
                        "Ngày kết thúc phải sau ngày bắt đầu.",
                        "The end must come after the start.",
                    ),
                );
            } else if b.year() - a.year() > MAX_PLAN_YEARS {
                e.add(
                    "period_to",
                    Msg::new(
                        format!("Kỳ kế hoạch dài nhất {MAX_PLAN_YEARS} năm."),
                        format!("A plan covers at most {MAX_PLAN_YEARS} years."),
                    ),
                );
            }
        }
        let summary = long_text(&mut e, "summary", f.summary.as_deref(), 20_000);
        match (kind, from, to) {
            (Some(kind), Some(period_from), Some(period_to)) if e.is_empty() => Ok(Self {
                kind,
                title,
                owner_agency,
                decision_number,
                decision_date,
                period_from,
                period_to,
                summary,
            }),
            _ => Err(e),
        }
    }
}

/// The raw strings of the form that saves a plan's tasks as a template.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TemplateForm {
    /// A short code: letters without diacritics, digits and hyphens
    /// ("XIV-DOI-NGOAI"), kept in capitals.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub title: String,
    /// The document its tasks carry out.
    #[serde(default)]
    pub source: String,
}

/// A validated template form.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateInput {
    pub code: String,
    pub title: String,
    pub source: String,
}

impl TemplateInput {
    /// A template is offered to every agency, so it is made only from an
    /// unclassified plan and carries only its unclassified, live tasks.
    pub fn parse(f: &TemplateForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = text::required(&mut e, "code", &f.code, 40).to_uppercase();
        if !code.is_empty()
            && !code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        {
            e.add(
                "code",
                Msg::new(
                    "Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang, ví dụ XIV-DOI-NGOAI.",
                    "The code holds only letters without diacritics, digits and hyphens, e.g. XIV-DOI-NGOAI.",
                ),
            );
        }
        let title = text::required(&mut e, "title", &f.title, 500);
        let source = text::required(&mut e, "source", &f.source, 1000);
        e.into_result(Self {
            code,
            title,
            source,
        })
    }
}

/// The raw strings of a task form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    pub title: String,
    pub output: Option<String>,
    /// The lead agency's code or id.
    #[serde(default)]
    pub lead_agency: String,
    /// Coordinating agencies' codes, separated by commas or new lines.
    pub coordinating: Option<String>,
    #[serde(default)]
    pub deadline: String,
    pub weight: Option<String>,
    /// The parent task's id; empty: a top-level task.
    pub parent: Option<String>,
    /// The sentence of the source document the task carries out.
    pub source_quote: Option<String>,
    /// "on": the task is cancelled.
    pub cancelled: Option<String>,
    pub cancel_reason: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

/// A validated task before its agencies are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskInput {
    pub title: String,
    pub output: Option<String>,
    pub lead_agency: String,
    pub coordinating: Vec<String>,
    pub deadline: Deadline,
    pub weight: u32,
    pub parent: Option<uuid::Uuid>,
    pub source_quote: Option<String>,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
}

impl TaskInput {
    pub fn parse(f: &TaskForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", &f.title, 2000);
        let output = long_text(&mut e, "output", f.output.as_deref(), 2000);
        let lead_agency = text::required(&mut e, "lead_agency", &f.lead_agency, 64);
        let coordinating = text::list(f.coordinating.as_deref(), &[',', ';', '\n']);
        if coordinating.len() > MAX_COORDINATING {
            e.add(
                "coordinating",
                Msg::new(
                    format!("Nhiều nhất {MAX_COORDINATING} cơ quan phối hợp."),
                    format!("At most {MAX_COORDINATING} coordinating agencies."),
                ),
            );
        }
        let deadline = if f.deadline.trim().is_empty() {
            e.add("deadline", msgs::required());
            None
        } else {
            let d = Deadline::parse(&f.deadline);
            if d.is_none() {
                e.add(
                    "deadline",
                    Msg::new(
                        "Ghi hạn dạng 30/06/2026, tháng 6/2026, quý II/2026 hoặc năm 2026.",
                        "Write the deadline as 30/06/2026, 6/2026, Q2/2026 or 2026.",
                    ),
                );
            }
            d
        };
        let weight = match f.weight.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 1,
            Some(w) => match w.parse::<u32>() {
                Ok(w) if w <= 100 => w,
                _ => {
                    e.add(
                        "weight",
                        Msg::new(
                            "Trọng số là số nguyên từ 0 đến 100.",
                            "The weight is a whole number from 0 to 100.",
                        ),
                    );
                    1
                }
            },
        };
        let parent = match f.parent.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let id = s.parse::<uuid::Uuid>().ok();
                if id.is_none() {
                    e.add("parent", Msg::new("Mã không hợp lệ.", "Not a valid id."));
                }
                id
            }
        };
        let source_quote = long_text(&mut e, "source_quote", f.source_quote.as_deref(), 4000);
        let cancelled = f.cancelled.as_deref().is_some_and(|v| !v.trim().is_empty());
        let cancel_reason =
            text::optional(&mut e, "cancel_reason", f.cancel_reason.as_deref(), 1000);
        if cancelled && cancel_reason.is_none() {
            e.add(
                "cancel_reason",
                Msg::new(
                    "Ghi lý do hủy nhiệm vụ.",
                    "Give the reason for cancelling the task.",
                ),
            );
        }
        match deadline {
            Some(deadline) if e.is_empty() => Ok(Self {
                title,
                output,
                lead_agency,
                coordinating,
                deadline,
                weight,
                parent,
                source_quote,
                cancelled,
                cancel_reason: if cancelled { cancel_reason } else { None },
            }),
            _ => Err(e),
        }
    }
}

code_enum!(
    /// What kind of record a progress report cites.
    EvidenceKind {
        Activity = "activity", "Hoạt động", "Activity";
        Agreement = "agreement", "Văn kiện đã ký", "Agreement";
        Commitment = "commitment", "Cam kết", "Commitment";
    }
);

/// The raw strings of a progress report.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    pub percent: String,
    /// The period reported on, as a deadline is written ("quý III/2026").
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub done: String,
    pub problems: Option<String>,
    /// Records picked as evidence, each "kind:id", separated by commas or new lines.
    pub evidence: Option<String>,
    /// The actual figure of each of the task's indicators for the period:
    /// (indicator id, figure as written); an empty figure is not reported.
    #[serde(default)]
    pub actuals: Vec<(String, String)>,
}

/// A validated progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressInput {
    pub percent: u8,
    pub period: Deadline,
    pub done: String,
    pub problems: Option<String>,
    pub evidence: Vec<(EvidenceKind, uuid::Uuid)>,
    pub actuals: Vec<(uuid::Uuid, indicator::Figure)>,
}

/// The form field of an indicator's actual figure.
pub fn actual_field(indicator: uuid::Uuid) -> String {
    format!("actual_{indicator}")
}

impl ProgressInput {
    pub fn parse(f: &ProgressForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let percent = match f.percent.trim().trim_end_matches('%').trim().parse::<u8>() {
            Ok(p) if p <= 100 => Some(p),
            _ => {
                e.add(
                    "percent",
                    Msg::new(
                        "Tiến độ là số nguyên từ 0 đến 100.",
                        "Progress is a whole number from 0 to 100.",
                    ),
                );
                None
            }
        };
        let period = Deadline::parse(&f.period);
        if period.is_none() {
            e.add(
                "period",
                Msg::new(
                    "Ghi kỳ báo cáo dạng tháng 6/2026, quý II/2026 hoặc năm 2026.",
                    "Write the period as 6/2026, Q2/2026 or 2026.",
                ),
            );
        }
        let done = long_text(&mut e, "done", Some(&f.done), 10_000).unwrap_or_default();
        if done.is_empty() {
            e.add("done", msgs::required());
        }
        let problems = long_text(&mut e, "problems", f.problems.as_deref(), 10_000);
        let mut evidence = Vec::new();
        for item in text::list(f.evidence.as_deref(), &[',', '\n', ' ']) {
            let parsed = item.split_once(':').and_then(|(k, id)| {
                Some((
                    EvidenceKind::parse(k)?,
                    id.trim().parse::<uuid::Uuid>().ok()?,
                ))
            });
            match parsed {
                Some(p) if !evidence.contains(&p) => evidence.push(p),
                Some(_) => {}
                None => {
                    e.add(
                        "evidence",
                        Msg::new(
                            "Chọn bằng chứng từ danh sách hồ sơ.",
                            "Pick the evidence from the records.",
                        ),
                    );
                    break;
                }
            }
        }
        if evidence.len() > MAX_EVIDENCE {
            e.add(
                "evidence",
                Msg::new(
                    format!("Nhiều nhất {MAX_EVIDENCE} bằng chứng mỗi báo cáo."),
                    format!("At most {MAX_EVIDENCE} pieces of evidence per report."),
                ),
            );
        }
        let mut actuals = Vec::new();
        for (id, v) in f.actuals.iter().take(indicator::MAX_INDICATORS + 1) {
            let Ok(id) = id.trim().parse::<uuid::Uuid>() else {
                e.add(
                    "percent",
                    Msg::new("Chỉ tiêu không hợp lệ.", "Not a valid indicator."),
                );
                break;
            };
            let field = actual_field(id);
            if let Some(fig) = indicator::figure_field(&mut e, &field, Some(v))
                && !actuals.iter().any(|(a, _)| *a == id)
            {
                actuals.push((id, fig));
            }
        }
        match (percent, period) {
            (Some(percent), Some(period)) if e.is_empty() => Ok(Self {
                percent,
                period,
                done,
                problems,
                evidence,
                actuals,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_review_counts_a_task_where_it_stood_at_the_periods_end() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let (due, to, today) = (d(6, 30), d(6, 30), d(12, 5));
        assert_eq!(
            review_outcome(100, false, due, Some(due), to, today),
            "on_time"
        );
        assert_eq!(review_outcome(100, false, due, None, to, today), "on_time");
        // Done after the deadline: late within the period; overdue at the
        // period's end when the report came after it.
        let q3 = d(9, 30);
        assert_eq!(
            review_outcome(100, false, d(6, 1), Some(d(6, 20)), to, today),
            "late"
        );
        assert_eq!(
            review_outcome(100, false, d(6, 1), Some(d(7, 1)), to, today),
            "overdue"
        );
        assert_eq!(
            review_outcome(100, false, d(6, 1), Some(d(7, 1)), q3, today),
            "late"
        );
        assert_eq!(
            review_outcome(60, false, d(6, 29), None, to, today),
            "overdue"
        );
        // Due on the period's last day: still open at its end.
        assert_eq!(review_outcome(60, false, due, None, to, today), "open");
        // A period not yet over is judged today.
        assert_eq!(
            review_outcome(60, false, d(12, 10), None, d(12, 31), d(12, 5)),
            "open"
        );
        assert_eq!(
            review_outcome(60, false, d(12, 1), None, d(12, 31), d(12, 5)),
            "overdue"
        );
        assert_eq!(review_outcome(100, true, due, None, to, today), "cancelled");
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn deadlines_are_read_as_officials_write_them() {
        let p = |s: &str| Deadline::parse(s).map(|x| (x.kind, x.due));
        assert_eq!(p("30/06/2026"), Some((DeadlineKind::Day, d("2026-06-30"))));
        assert_eq!(p("2026-06-30"), Some((DeadlineKind::Day, d("2026-06-30"))));
        assert_eq!(p("6/2026"), Some((DeadlineKind::Month, d("2026-06-30"))));
        assert_eq!(
            p("tháng 2/2028"),
            Some((DeadlineKind::Month, d("2028-02-29")))
        );
        assert_eq!(
            p("Tháng 12/2026"),
            Some((DeadlineKind::Month, d("2026-12-31")))
        );
        assert_eq!(
            p("quý III/2026"),
            Some((DeadlineKind::Quarter, d("2026-09-30")))
        );
        assert_eq!(p("Q1/2027"), Some((DeadlineKind::Quarter, d("2027-03-31"))));
        assert_eq!(
            p("Quý 4 năm 2026"),
            Some((DeadlineKind::Quarter, d("2026-12-31")))
        );
        assert_eq!(p("2026"), Some((DeadlineKind::Year, d("2026-12-31"))));
        assert_eq!(p("năm 2030"), Some((DeadlineKind::Year, d("2030-12-31"))));
        for bad in ["", "13/2026", "quý V/2026", "31/02/2026", "sớm", "99999"] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_deadline_is_shown_as_it_was_set() {
        let l = |s: &str| Deadline::parse(s).unwrap().label();
        assert_eq!(l("quý 3/2026").vi, "quý III/2026");
        assert_eq!(l("quý 3/2026").en, "Q3/2026");
        assert_eq!(l("6/2026").vi, "tháng 6/2026");
        assert_eq!(l("2026").vi, "năm 2026");
        assert_eq!(l("01/07/2026").vi, "01/07/2026");
        // Its label reads back as the same deadline.
        for s in ["quý 3/2026", "6/2026", "2026", "01/07/2026"] {
            assert_eq!(Deadline::parse(&l(s).vi), Deadline::parse(s));
        }
    }

    #[test]
    fn the_status_rule_at_its_boundaries() {
        let start = d("2026-01-01");
        let due = d("2026-12-31");
        let s = |p: u8, today: &str| state(p, false, start, due, d(today));
        // Before the start: nothing expected yet.
        assert_eq!(s(0, "2025-12-01"), State::NotStarted);
        // Half the year gone (elapsed 49% on 30/06): 29% is on track, 28% at risk.
        assert_eq!(elapsed(start, due, d("2026-06-30")), 49);
        assert_eq!(s(29, "2026-06-30"), State::OnTrack);
        assert_eq!(s(28, "2026-06-30"), State::AtRisk);
        // Nothing reported while little time has passed: not started; later, at risk.
        assert_eq!(s(0, "2026-02-01"), State::NotStarted);
        assert_eq!(s(0, "2026-04-01"), State::AtRisk);
        // The deadline day itself is still in time; the day after is late.
        assert_eq!(s(79, "2026-12-31"), State::AtRisk);
        assert_eq!(s(80, "2026-12-31"), State::OnTrack);
        assert_eq!(s(80, "2027-01-01"), State::Late);
        assert_eq!(s(99, "2027-01-01"), State::Late);
        // Done is done, early or late; cancelled above all.
        assert_eq!(s(100, "2027-06-01"), State::Done);
        assert_eq!(
            state(100, true, start, due, d("2026-06-01")),
            State::Cancelled
        );
        // A one-day task on its day.
        assert_eq!(state(0, false, due, due, due), State::AtRisk);
        assert_eq!(state(85, false, due, due, due), State::OnTrack);
    }

    #[test]
    fn progress_rolls_up_by_weight_and_leaves_out_cancelled_tasks() {
        assert_eq!(roll_up([(3, 100), (1, 0)]), Some(75));
        assert_eq!(roll_up([(0, 100), (0, 50)]), Some(75));
        assert_eq!(roll_up([(1, 100), (0, 0)]), Some(100));
        assert_eq!(roll_up([(2, 99), (1, 100)]), Some(99));
        assert_eq!(roll_up(std::iter::empty()), None);

        let start = d("2026-01-01");
        let end = d("2026-12-31");
        let today = d("2026-03-01");
        let t = |parent, weight, progress, cancelled, due: &str| Facts {
            parent,
            weight,
            progress,
            cancelled,
            due: d(due),
        };
        let tasks = [
            t(None, 2, 0, false, "2026-12-31"),      // 0: parent of 1, 2, 3
            t(Some(0), 3, 100, false, "2026-06-30"), // 1
            t(Some(0), 1, 20, false, "2026-12-31"),  // 2
            t(Some(0), 5, 0, true, "2026-12-31"),    // 3: cancelled
            t(None, 1, 10, false, "2026-02-15"),     // 4: late
        ];
        let (c, plan) = compute(&tasks, start, end, today);
        assert_eq!(c[0].progress, 80); // (3×100 + 1×20) / 4
        assert_eq!(c[0].state, State::OnTrack);
        assert_eq!(c[2].state, State::OnTrack);
        assert_eq!(c[1].state, State::Done);
        assert_eq!(c[3].state, State::Cancelled);
        assert_eq!(c[4].state, State::Late);
        // The plan: (2×80 + 1×10) / 3 = 56.
        assert_eq!(plan.progress, 56);
        assert_eq!(plan.state, State::OnTrack);

        // A parent's own report is replaced by its sub-tasks' progress; a
        // parent whose sub-tasks are all cancelled keeps its own.
        let tasks = [
            t(None, 1, 90, false, "2026-12-31"),
            t(Some(0), 1, 10, false, "2026-12-31"),
            t(None, 1, 30, false, "2026-12-31"),
            t(Some(2), 1, 100, true, "2026-12-31"),
        ];
        let (c, _) = compute(&tasks, start, end, today);
        assert_eq!(c[0].progress, 10);
        assert_eq!(c[2].progress, 30);
    }

    #[test]
    fn a_deep_tree_is_computed_without_recursion() {
        let day = d("2026-12-31");
        let tasks: Vec<Facts> = (0..100_000)
            .map(|i: usize| Facts {
                parent: i.checked_sub(1),
                weight: 1,
                progress: 40,
                cancelled: false,
                due: day,
            })
            .collect();
        let (c, plan) = compute(&tasks, d("2026-01-01"), day, d("2026-03-01"));
        assert_eq!(c[0].progress, 40);
        assert_eq!(plan.progress, 40);
    }

    #[test]
    fn plan_moves_follow_the_workflow() {
        assert_eq!(Move::Issue.apply(Status::Draft, None), Ok(Status::Issued));
        assert_eq!(
            Move::Start.apply(Status::Issued, None),
            Ok(Status::InProgress)
        );
        assert_eq!(
            Move::Close.apply(Status::InProgress, None),
            Ok(Status::Closed)
        );
        assert!(Move::Start.apply(Status::Draft, None).is_err());
        assert!(Move::Reopen.apply(Status::Closed, None).is_err());
        assert_eq!(
            Move::Reopen.apply(Status::Closed, Some("Bổ sung nhiệm vụ")),
            Ok(Status::InProgress)
        );
        assert_eq!(
            Move::open_from(Status::Issued),
            vec![Move::Start, Move::Close]
        );
        assert!(Move::open_from(Status::Closed).contains(&Move::Reopen));
    }

    #[test]
    fn task_numbers_are_read_by_level() {
        assert_eq!(parse_number("1"), Some(vec![1]));
        assert_eq!(parse_number("1.2."), Some(vec![1, 2]));
        assert_eq!(parse_number(" 2.3.1 "), Some(vec![2, 3, 1]));
        assert_eq!(parse_number("0.1"), None);
        assert_eq!(parse_number("a"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn a_template_needs_a_plain_code_a_title_and_its_source() {
        let e = TemplateInput::parse(&TemplateForm {
            code: "Đại hội 14".into(),
            title: String::new(),
            source: " ".into(),
        })
        .unwrap_err();
        for f in ["code", "title", "source"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let ok = TemplateInput::parse(&TemplateForm {
            code: " xiv-doi-ngoai ".into(),
            title: "Nhiệm vụ đối ngoại trọng tâm nhiệm kỳ Đại hội XIV".into(),
            source: "Văn kiện Đại hội đại biểu toàn quốc lần thứ XIV".into(),
        })
        .unwrap();
        assert_eq!(ok.code, "XIV-DOI-NGOAI");
    }

    #[test]
    fn forms_name_every_bad_field() {
        let e = PlanInput::parse(&PlanForm {
            kind: "x".into(),
            period_from: "01/01/2027".into(),
            period_to: "01/01/2026".into(),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["kind", "title", "owner_agency", "period_to"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let e = TaskInput::parse(&TaskForm {
            title: "Nhiệm vụ".into(),
            lead_agency: "BNG".into(),
            deadline: "sớm".into(),
            weight: Some("101".into()),
            cancelled: Some("on".into()),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["deadline", "weight", "cancel_reason"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let ok = TaskInput::parse(&TaskForm {
            title: "Nhiệm vụ".into(),
            lead_agency: "BNG".into(),
            coordinating: Some("SNV-HN, BCĐNTW\nSNV-HN".into()),
            deadline: "quý IV/2026".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.coordinating.len(), 2);
        assert_eq!(ok.weight, 1);
        let id = uuid::Uuid::nil();
        let p = ProgressInput::parse(&ProgressForm {
            percent: "40%".into(),
            period: "quý 3/2026".into(),
            done: "Đã tổ chức hội thảo.".into(),
            evidence: Some(format!("activity:{id}, activity:{id}")),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.percent, 40);
        assert_eq!(p.evidence, vec![(EvidenceKind::Activity, id)]);
        let e = ProgressInput::parse(&ProgressForm {
            percent: "120".into(),
            evidence: Some("x".into()),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["percent", "period", "done", "evidence"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
