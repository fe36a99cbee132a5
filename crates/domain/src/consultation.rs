//! Consultations on hosting an international conference (Decision 06/2020/QĐ-TTg,
//! Art. 5): before deciding, the approver asks the bodies concerned in writing —
//! for a conference the Prime Minister approves, always the Ministry of Foreign
//! Affairs and the Ministry of Public Security — and each answers in writing
//! within 15 days of receiving the request. The officer records whom they asked,
//! when the request was sent and received, and when the answer came.
//!
//! A draft decision to replace Decision 06/2020 was put out for comment in
//! December 2025; until it is issued these are the rules in force.

use crate::activity::{Authority, HOSTED_CONFERENCE};
use crate::days::{add_days, optional_date, required_date};
use crate::error::{FieldErrors, Msg};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Calendar days a consulted body has to answer, from the day it received the
/// request (Art. 5(1)(a), 5(2)(a): "không quá 15 ngày kể từ ngày nhận được").
pub const ANSWER_DAYS: u64 = 15;

/// Most consultations one conference records; more is a mistake or an attack.
pub const MAX_PER_ACTIVITY: usize = 60;

/// Do the Decision's consultations apply to an activity of this type and
/// approver? Only to hosted conferences, and not to those of the Fatherland
/// Front and the political-social organisations, which follow the Party's
/// rules (Art. 1(2)(b)).
pub fn applies(type_code: &str, authority: Option<Authority>) -> bool {
    type_code == HOSTED_CONFERENCE && authority != Some(Authority::PartyRules)
}

/// The bodies the approver must always consult for a conference the Prime
/// Minister approves (Art. 5(1)(a)), as (code, Vietnamese, English).
pub const PRIME_MINISTER_CONSULTS: [(&str, &str, &str); 2] = [
    ("mofa", "Bộ Ngoại giao", "Ministry of Foreign Affairs"),
    ("mps", "Bộ Công an", "Ministry of Public Security"),
];

/// A consultation as submitted (form or API). Dates are dd/mm/yyyy or ISO.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsultationForm {
    /// Whom the approver asked.
    #[serde(default)]
    pub body: String,
    /// The day the request was sent.
    #[serde(default)]
    pub requested_on: String,
    /// The day the body received it; the answer is due 15 days later.
    pub received_on: Option<String>,
    /// The day the written answer came; empty while waiting.
    pub answered_on: Option<String>,
    /// The request's or the answer's document number.
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// A consultation that obeys the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consultation {
    pub body: String,
    pub requested_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

impl ConsultationForm {
    /// Check the form on `today`: a body and the request's date are required,
    /// the dates run sent ≤ received ≤ answered, and none is in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<Consultation, FieldErrors> {
        let mut e = FieldErrors::new();
        let body = crate::text::required(&mut e, "body", &self.body, 300);
        let requested_on = required_date(&mut e, "requested_on", &self.requested_on);
        let received_on = optional_date(&mut e, "received_on", self.received_on.as_deref());
        let answered_on = optional_date(&mut e, "answered_on", self.answered_on.as_deref());
        let reference = crate::text::optional(&mut e, "reference", self.reference.as_deref(), 100);
        let note = crate::text::optional(&mut e, "note", self.note.as_deref(), 1000);
        for (field, d) in [
            ("requested_on", requested_on),
            ("received_on", received_on),
            ("answered_on", answered_on),
        ] {
            if d.is_some_and(|d| d > today) {
                e.add(
                    field,
                    Msg::new("Ngày ở tương lai.", "This date is in the future."),
                );
            }
        }
        if let (Some(r), Some(x)) = (requested_on, received_on)
            && x < r
        {
            e.add(
                "received_on",
                Msg::new("Ngày nhận trước ngày gửi.", "Received before it was sent."),
            );
        }
        if let (Some(r), Some(a)) = (received_on.or(requested_on), answered_on)
            && a < r
        {
            e.add(
                "answered_on",
                Msg::new(
                    "Ngày trả lời trước ngày gửi hoặc nhận.",
                    "Answered before it was sent or received.",
                ),
            );
        }
        let Some(requested_on) = requested_on else {
            return Err(e);
        };
        e.into_result(Consultation {
            body,
            requested_on,
            received_on,
            answered_on,
            reference,
            note,
        })
    }
}

/// Where a consultation stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// Answered; `late` when after the due day.
    Answered { late: bool },
    /// Waiting, with this many days left (0: due today).
    Waiting { days_left: i64 },
    /// Waiting past the due day by this many days.
    Overdue { days: i64 },
}

/// The day the answer is due: 15 days after the body received the request, or
/// after it was sent while the receipt is not recorded (the earlier, stricter
/// reading, so no answer is shown in time that may not be).
pub fn due(requested_on: NaiveDate, received_on: Option<NaiveDate>) -> NaiveDate {
    add_days(received_on.unwrap_or(requested_on), ANSWER_DAYS)
}

/// Where the consultation stands on `today`.
pub fn standing(
    requested_on: NaiveDate,
    received_on: Option<NaiveDate>,
    answered_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Standing {
    let due = due(requested_on, received_on);
    match answered_on {
        Some(a) => Standing::Answered { late: a > due },
        None if today > due => Standing::Overdue {
            days: (today - due).num_days(),
        },
        None => Standing::Waiting {
            days_left: (due - today).num_days(),
        },
    }
}

/// For a conference the Prime Minister approves: the bodies Art. 5(1)(a) names
/// that no recorded consultation mentions, as (code, Vietnamese, English). A
/// body counts as asked when its name (accents and case aside) appears in
/// the consultation's body.
pub fn missing_required<'a>(
    authority: Option<Authority>,
    bodies: impl IntoIterator<Item = &'a str>,
) -> Vec<(&'static str, &'static str, &'static str)> {
    if authority != Some(Authority::PrimeMinister) {
        return Vec::new();
    }
    let asked: Vec<String> = bodies.into_iter().map(crate::text::fold).collect();
    PRIME_MINISTER_CONSULTS
        .into_iter()
        .filter(|(_, vi, en)| {
            let (vi, en) = (crate::text::fold(vi), crate::text::fold(en));
            !asked.iter().any(|b| b.contains(&vi) || b.contains(&en))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn form(body: &str, req: &str) -> ConsultationForm {
        ConsultationForm {
            body: body.into(),
            requested_on: req.into(),
            ..Default::default()
        }
    }

    #[test]
    fn applies_to_hosted_conferences_outside_party_rules() {
        assert!(applies(HOSTED_CONFERENCE, Some(Authority::PrimeMinister)));
        assert!(applies(HOSTED_CONFERENCE, Some(Authority::Other)));
        assert!(applies(HOSTED_CONFERENCE, None));
        assert!(!applies(HOSTED_CONFERENCE, Some(Authority::PartyRules)));
        assert!(!applies("delegation_out", Some(Authority::PrimeMinister)));
    }

    #[test]
    fn due_fifteen_days_after_receipt_or_else_sending() {
        assert_eq!(due(d("2026-03-01"), Some(d("2026-03-04"))), d("2026-03-19"));
        assert_eq!(due(d("2026-03-01"), None), d("2026-03-16"));
        // Calendar days: the Tết break does not stretch it.
        assert_eq!(due(d("2026-02-10"), None), d("2026-02-25"));
    }

    #[test]
    fn standing_on_a_day() {
        let (req, rec) = (d("2026-03-01"), Some(d("2026-03-04")));
        assert_eq!(
            standing(req, rec, None, d("2026-03-19")),
            Standing::Waiting { days_left: 0 }
        );
        assert_eq!(
            standing(req, rec, None, d("2026-03-10")),
            Standing::Waiting { days_left: 9 }
        );
        assert_eq!(
            standing(req, rec, None, d("2026-03-20")),
            Standing::Overdue { days: 1 }
        );
        assert_eq!(
            standing(req, rec, Some(d("2026-03-19")), d("2026-04-30")),
            Standing::Answered { late: false }
        );
        assert_eq!(
            standing(req, rec, Some(d("2026-03-20")), d("2026-04-30")),
            Standing::Answered { late: true }
        );
    }

    #[test]
    fn the_form_wants_a_body_and_the_day_sent() {
        let e = ConsultationForm::default()
            .validate(d("2026-03-01"))
            .unwrap_err();
        assert!(e.get("body").is_some());
        assert!(e.get("requested_on").is_some());
        let c = form("Bộ Công an", "01/03/2026")
            .validate(d("2026-03-01"))
            .unwrap();
        assert_eq!(c.requested_on, d("2026-03-01"));
        assert_eq!(c.answered_on, None);
    }

    #[test]
    fn dates_run_in_order_and_not_ahead() {
        let today = d("2026-03-20");
        let mut f = form("Bộ Ngoại giao", "2026-03-05");
        f.received_on = Some("2026-03-04".into());
        assert!(f.validate(today).unwrap_err().get("received_on").is_some());
        f.received_on = Some("2026-03-06".into());
        f.answered_on = Some("2026-03-05".into());
        assert!(f.validate(today).unwrap_err().get("answered_on").is_some());
        f.answered_on = Some("2026-03-21".into());
        assert!(f.validate(today).unwrap_err().get("answered_on").is_some());
        f.answered_on = Some("2026-03-06".into());
        assert!(f.validate(today).is_ok());
        let f = form("Bộ Ngoại giao", "2026-13-05");
        assert!(f.validate(today).unwrap_err().get("requested_on").is_some());
    }

    #[test]
    fn prime_minister_conferences_consult_foreign_affairs_and_public_security() {
        let pm = Some(Authority::PrimeMinister);
        fn codes(v: Vec<(&'static str, &str, &str)>) -> Vec<&'static str> {
            v.into_iter().map(|x| x.0).collect()
        }
        assert_eq!(codes(missing_required(pm, [])), ["mofa", "mps"]);
        assert_eq!(
            codes(missing_required(pm, ["BỘ NGOẠI GIAO (Cục Lễ tân)"])),
            ["mps"]
        );
        assert!(missing_required(pm, ["Bo Ngoai giao", "Ministry of Public Security"]).is_empty());
        assert!(missing_required(Some(Authority::Other), []).is_empty());
    }
}
