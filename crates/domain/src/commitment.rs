//! Commitments: anything promised during an activity, in an agreement or in a
//! plan — who owns it, by when, where it stands — and the deadline rules the
//! coordinator's board is built on.

use crate::days::{self, required_date};
use crate::error::msgs;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::NaiveDate;
use serde::Deserialize;

code_enum!(
    /// Where a commitment stands.
    Status {
        Open = "open", "Chưa thực hiện", "Open";
        InProgress = "in_progress", "Đang thực hiện", "In progress";
        Done = "done", "Đã hoàn thành", "Done";
        Dropped = "dropped", "Không thực hiện nữa", "Dropped";
    }
);

code_enum!(
    /// Where the promise was made.
    Source {
        Activity = "activity", "Hoạt động", "Activity";
        Agreement = "agreement", "Văn kiện đã ký", "Agreement";
        Plan = "plan", "Kế hoạch, chương trình", "Plan";
        Case = "case", "Vụ việc bảo hộ công dân", "Citizen protection case";
        Pledge = "pledge", "Cam kết ủng hộ lại khi vận động ứng cử", "Support promised in return for a pledge";
    }
);

/// How close the deadline is, for an open commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// Past its deadline by this many days.
    Overdue(i64),
    /// Due within the window, in this many days (0: today).
    Soon(i64),
    Later,
    /// Done or dropped.
    Closed,
}

impl Status {
    /// Still to be done: on the board while its deadline nears or passes.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

/// Where the deadline stands on `today`, with `soon` days counted as "due soon".
pub fn due(status: Status, due_on: NaiveDate, today: NaiveDate, soon: u64) -> Due {
    if !status.is_open() {
        return Due::Closed;
    }
    let left = (due_on - today).num_days();
    if left < 0 {
        Due::Overdue(-left)
    } else if due_on <= days::add_days(today, soon) {
        Due::Soon(left)
    } else {
        Due::Later
    }
}

/// May a commitment move from `from` to `to` with this note? Dropping and
/// reopening a closed one need a reason.
pub fn check_move(from: Status, to: Status, note: Option<&str>) -> Result<(), Msg> {
    let has_note = note.is_some_and(|n| !n.trim().is_empty());
    if from == to {
        return Err(Msg::new(
            "Cam kết đã ở trạng thái này.",
            "The commitment already has this status.",
        ));
    }
    if to == Status::Dropped && !has_note {
        return Err(Msg::new(
            "Ghi lý do không thực hiện nữa.",
            "Give the reason for dropping it.",
        ));
    }
    if !from.is_open() && to.is_open() && !has_note {
        return Err(Msg::new(
            "Ghi lý do mở lại cam kết.",
            "Give the reason for reopening it.",
        ));
    }
    Ok(())
}

/// The raw strings of a commitment form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentForm {
    #[serde(default)]
    pub title: String,
    pub detail: Option<String>,
    /// activity, agreement or plan.
    #[serde(default)]
    pub source: String,
    /// The activity's or the agreement's id.
    pub source_id: Option<String>,
    /// The plan's name (source "plan").
    pub plan: Option<String>,
    /// The owner agency's code or id.
    #[serde(default)]
    pub owner_agency: String,
    /// The partner it was promised to (name, alias or code); empty: the source's first partner.
    pub partner: Option<String>,
    pub responsible: Option<String>,
    /// The responsible user's username, whose home page lists it.
    pub responsible_user: Option<String>,
    #[serde(default)]
    pub due_on: String,
    pub classification: Option<String>,
    /// The state-secrets catalogue item (code or id) a classified record rests on.
    pub secret_item: Option<String>,
}

/// A validated commitment before its references are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentInput {
    pub title: String,
    pub detail: Option<String>,
    pub source: Source,
    pub source_id: Option<uuid::Uuid>,
    pub plan: Option<String>,
    pub owner_agency: String,
    pub partner: Option<String>,
    pub responsible: Option<String>,
    pub responsible_user: Option<String>,
    pub due_on: NaiveDate,
}

impl CommitmentInput {
    pub fn parse(f: &CommitmentForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", &f.title, 1000);
        let detail = f
            .detail
            .as_deref()
            .map(|s| text::clean(s, true))
            .filter(|s| !s.is_empty());
        if detail.as_ref().is_some_and(|d| d.chars().count() > 10_000) {
            e.add("detail", msgs::too_long(10_000));
        }
        let source = Source::parse(&f.source);
        if source.is_none() {
            e.add("source", msgs::invalid_choice());
        }
        let source_id = match f.source_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let id = s.parse::<uuid::Uuid>().ok();
                if id.is_none() {
                    e.add("source_id", Msg::new("Mã không hợp lệ.", "Not a valid id."));
                }
                id
            }
        };
        let plan = text::optional(&mut e, "plan", f.plan.as_deref(), 500);
        match source {
            Some(Source::Plan) if plan.is_none() => e.add(
                "plan",
                Msg::new("Ghi tên kế hoạch, chương trình.", "Name the plan."),
            ),
            Some(Source::Activity | Source::Agreement | Source::Case | Source::Pledge)
                if source_id.is_none() && e.get("source_id").is_none() =>
            {
                e.add(
                    "source_id",
                    Msg::new(
                        "Chọn hoạt động hoặc văn kiện đã phát sinh cam kết.",
                        "Choose the activity or agreement it comes from.",
                    ),
                )
            }
            _ => {}
        }
        let owner_agency = text::required(&mut e, "owner_agency", &f.owner_agency, 64);
        let partner = text::optional(&mut e, "partner", f.partner.as_deref(), 300);
        let responsible = text::optional(&mut e, "responsible", f.responsible.as_deref(), 200);
        let responsible_user = text::optional(
            &mut e,
            "responsible_user",
            f.responsible_user.as_deref(),
            64,
        );
        let due_on = required_date(&mut e, "due_on", &f.due_on);
        match (source, due_on) {
            (Some(source), Some(due_on)) if e.is_empty() => Ok(Self {
                title,
                detail,
                source,
                source_id: if source == Source::Plan {
                    None
                } else {
                    source_id
                },
                plan: if source == Source::Plan { plan } else { None },
                owner_agency,
                partner,
                responsible,
                responsible_user,
                due_on,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn overdue_and_due_soon() {
        let today = d("2026-11-23");
        assert_eq!(
            due(Status::Open, d("2026-11-22"), today, 14),
            Due::Overdue(1)
        );
        assert_eq!(
            due(Status::InProgress, d("2026-11-23"), today, 14),
            Due::Soon(0)
        );
        assert_eq!(due(Status::Open, d("2026-12-07"), today, 14), Due::Soon(14));
        assert_eq!(due(Status::Open, d("2026-12-08"), today, 14), Due::Later);
        assert_eq!(due(Status::Done, d("2026-01-01"), today, 14), Due::Closed);
        assert_eq!(
            due(Status::Dropped, d("2026-01-01"), today, 14),
            Due::Closed
        );
    }

    #[test]
    fn dropping_and_reopening_need_a_reason() {
        assert!(check_move(Status::Open, Status::Dropped, None).is_err());
        assert!(check_move(Status::Open, Status::Dropped, Some("  ")).is_err());
        assert!(check_move(Status::Open, Status::Dropped, Some("Đối tác rút lại")).is_ok());
        assert!(check_move(Status::Done, Status::Open, None).is_err());
        assert!(check_move(Status::Done, Status::InProgress, Some("Còn thiếu")).is_ok());
        assert!(check_move(Status::Open, Status::Done, None).is_ok());
        assert!(check_move(Status::Open, Status::Open, Some("x")).is_err());
    }

    #[test]
    fn the_form_names_its_source() {
        let mut f = CommitmentForm {
            title: "Cử đoàn chuyên gia".into(),
            source: "activity".into(),
            owner_agency: "BNG".into(),
            due_on: "15/12/2026".into(),
            ..Default::default()
        };
        assert!(
            CommitmentInput::parse(&f)
                .unwrap_err()
                .get("source_id")
                .is_some()
        );
        f.source = "plan".into();
        assert!(
            CommitmentInput::parse(&f)
                .unwrap_err()
                .get("plan")
                .is_some()
        );
        f.plan = Some("Kế hoạch 2027".into());
        f.source_id = Some(uuid::Uuid::nil().to_string());
        let c = CommitmentInput::parse(&f).unwrap();
        assert_eq!(c.source_id, None, "a plan has no record id");
        assert_eq!(c.due_on, d("2026-12-15"));
        f.due_on = "mai".into();
        assert!(
            CommitmentInput::parse(&f)
                .unwrap_err()
                .get("due_on")
                .is_some()
        );
    }
}
