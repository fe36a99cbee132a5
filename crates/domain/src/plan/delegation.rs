//! The yearly delegation plan against what happened: each planned delegation
//! (outgoing or incoming, a partner, the head's level, a month) is matched to
//! the activity that carried it out — suggested by Kiềng, confirmed by an
//! officer — and what was done outside the plan is listed beside it.

use super::{Deadline, DeadlineKind};
use crate::activity::HeadLevel;
use crate::error::msgs;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

code_enum!(
    /// Which way a delegation travels: the activity types of the same codes.
    Direction {
        Outgoing = "outgoing_delegation", "Đoàn ra", "Outgoing delegation";
        Incoming = "incoming_delegation", "Đoàn vào", "Incoming delegation";
    }
);

code_enum!(
    /// What became of a planned delegation.
    Outcome {
        Held = "held", "Đã thực hiện", "Held";
        Pending = "pending", "Chưa đến hạn", "Not yet due";
        NotHeld = "not_held", "Chưa thực hiện", "Not held";
        Dropped = "dropped", "Không thực hiện", "Dropped";
    }
);

/// A planned delegation is held once an officer confirms the activity that
/// carried it out; dropped when an officer records why it will not go ahead;
/// otherwise not held once its month is over, and not yet due before.
pub fn outcome(month: NaiveDate, matched: bool, dropped: bool, today: NaiveDate) -> Outcome {
    if matched {
        Outcome::Held
    } else if dropped {
        Outcome::Dropped
    } else if (today.year(), today.month()) > (month.year(), month.month()) {
        Outcome::NotHeld
    } else {
        Outcome::Pending
    }
}

/// How many months apart two dates' months are.
fn months_apart(a: NaiveDate, b: NaiveDate) -> u32 {
    let m = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    (m(a) - m(b)).unsigned_abs()
}

/// How well an activity (of the planned direction, lead agency and partner)
/// fits a planned delegation: 3 in the planned month, 1 a month either side,
/// one more when the head's level is the planned one; none further away.
pub fn fit(
    month: NaiveDate,
    level: Option<&str>,
    starts_on: NaiveDate,
    activity_level: Option<&str>,
) -> Option<u8> {
    let base = match months_apart(month, starts_on) {
        0 => 3,
        1 => 1,
        _ => return None,
    };
    let same_level = level.is_some() && level == activity_level;
    Some(base + u8::from(same_level))
}

/// The raw strings of a planned delegation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelegationForm {
    #[serde(default)]
    pub direction: String,
    /// The partner's id or name.
    #[serde(default)]
    pub partner: String,
    pub head_level: Option<String>,
    /// "6/2026", "tháng 6/2026" or a day in the month.
    #[serde(default)]
    pub month: String,
    /// The lead agency's code or id; empty: the plan's issuing agency.
    pub lead_agency: Option<String>,
    pub purpose: Option<String>,
    pub classification: Option<String>,
}

/// A validated planned delegation before its partner and agency are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegationInput {
    pub direction: Direction,
    pub partner: String,
    pub head_level: Option<HeadLevel>,
    /// The first day of the planned month.
    pub month: NaiveDate,
    pub lead_agency: Option<String>,
    pub purpose: Option<String>,
}

impl DelegationInput {
    pub fn parse(f: &DelegationForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let direction = Direction::parse(&f.direction);
        if direction.is_none() {
            e.add("direction", msgs::invalid_choice());
        }
        let partner = text::required(&mut e, "partner", &f.partner, 300);
        let head_level = match f.head_level.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) => {
                let h = HeadLevel::parse(l);
                if h.is_none() {
                    e.add("head_level", msgs::invalid_choice());
                }
                h
            }
        };
        let month = match Deadline::parse(&f.month) {
            Some(d) if matches!(d.kind, DeadlineKind::Month | DeadlineKind::Day) => {
                NaiveDate::from_ymd_opt(d.due.year(), d.due.month(), 1)
            }
            _ => {
                e.add(
                    "month",
                    Msg::new(
                        "Ghi tháng dự kiến dạng 6/2026 hoặc tháng 6/2026.",
                        "Write the planned month as 6/2026.",
                    ),
                );
                None
            }
        };
        let lead_agency = text::optional(&mut e, "lead_agency", f.lead_agency.as_deref(), 64);
        let purpose = text::optional(&mut e, "purpose", f.purpose.as_deref(), 2000);
        match (direction, month) {
            (Some(direction), Some(month)) if e.is_empty() => Ok(Self {
                direction,
                partner,
                head_level,
                month,
                lead_agency,
                purpose,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn outcome_turns_at_the_end_of_the_month() {
        let june = d(2026, 6, 1);
        assert_eq!(
            outcome(june, false, false, d(2026, 6, 30)),
            Outcome::Pending
        );
        assert_eq!(outcome(june, false, false, d(2026, 7, 1)), Outcome::NotHeld);
        assert_eq!(outcome(june, true, false, d(2026, 7, 1)), Outcome::Held);
        assert_eq!(outcome(june, true, true, d(2026, 5, 1)), Outcome::Held);
        assert_eq!(outcome(june, false, true, d(2026, 5, 1)), Outcome::Dropped);
        assert_eq!(
            outcome(d(2026, 12, 1), false, false, d(2027, 1, 1)),
            Outcome::NotHeld
        );
    }

    #[test]
    fn fit_prefers_the_planned_month_and_level() {
        let june = d(2026, 6, 1);
        let m = Some("minister");
        assert_eq!(fit(june, m, d(2026, 6, 30), m), Some(4));
        assert_eq!(fit(june, m, d(2026, 6, 2), Some("vice_minister")), Some(3));
        assert_eq!(fit(june, None, d(2026, 7, 1), None), Some(1));
        assert_eq!(fit(june, None, d(2026, 5, 31), None), Some(1));
        assert_eq!(fit(june, m, d(2026, 8, 1), m), None);
        assert_eq!(fit(d(2026, 12, 1), None, d(2027, 1, 5), None), Some(1));
    }

    #[test]
    fn forms_name_each_field() {
        let f = DelegationForm {
            direction: "outgoing_delegation".into(),
            partner: "Nhật Bản".into(),
            head_level: Some("minister".into()),
            month: "tháng 6/2026".into(),
            ..Default::default()
        };
        let i = DelegationInput::parse(&f).unwrap();
        assert_eq!(i.month, d(2026, 6, 1));
        assert_eq!(i.head_level, Some(HeadLevel::Minister));
        let e = DelegationInput::parse(&DelegationForm {
            direction: "x".into(),
            month: "quý II/2026".into(),
            head_level: Some("king".into()),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["direction", "partner", "month", "head_level"] {
            assert!(e.0.contains_key(f), "{f}: {e:?}");
        }
    }
}
