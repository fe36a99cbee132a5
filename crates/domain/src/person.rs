//! People in the partner registry (dignitaries and contacts): the positions they
//! held over time, each at an organisation, country or other partner, dated to a
//! year, a month or a day. A position without an end is held now.

use crate::error::msgs;
use crate::partner::PartialDate;
use crate::{FieldErrors, Msg, text};
use chrono::NaiveDate;
use serde::Deserialize;

/// The raw strings of a position form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PositionForm {
    #[serde(default)]
    pub title: String,
    /// The partner (organisation, country…) where the position is held: id or name.
    pub organisation: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// A validated position (the organisation is still a name or id: the store resolves it).
#[derive(Debug, Clone, PartialEq)]
pub struct PositionInput {
    pub title: String,
    pub organisation: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    pub source: Option<String>,
    pub note: Option<String>,
}

fn partial(e: &mut FieldErrors, field: &str, s: Option<&str>) -> Option<PartialDate> {
    let s = s.map(str::trim).filter(|s| !s.is_empty())?;
    let d = PartialDate::parse(s);
    if d.is_none() {
        e.add(
            field,
            Msg::new(
                "Nhập năm (2016), tháng (05/2008) hoặc ngày (07/10/2024).",
                "Enter a year (2016), a month (05/2008) or a day (07/10/2024).",
            ),
        );
    }
    d
}

impl PositionInput {
    pub fn parse(form: &PositionForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", &form.title, 300);
        let organisation =
            text::optional(&mut e, "organisation", form.organisation.as_deref(), 300);
        let from = partial(&mut e, "from", form.from.as_deref());
        let to = partial(&mut e, "to", form.to.as_deref());
        if let (Some(f), Some(t)) = (from, to)
            && t.date < f.date
        {
            e.add(
                "to",
                Msg::new(
                    "Ngày thôi giữ chức không thể trước ngày bắt đầu.",
                    "The end cannot be before the start.",
                ),
            );
        }
        let source = text::optional(&mut e, "source", form.source.as_deref(), 500);
        let note = form
            .note
            .as_deref()
            .map(|n| text::clean(n, true))
            .filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2_000) {
            e.add("note", msgs::too_long(2_000));
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Self {
            title,
            organisation,
            from,
            to,
            source,
            note,
        })
    }
}

/// Whether a position is held on `today`: started (or undated) and not ended.
/// An end known only to a month or year counts as the end of that month or year.
pub fn is_current(from: Option<PartialDate>, to: Option<PartialDate>, today: NaiveDate) -> bool {
    let started = from.is_none_or(|f| f.date <= today);
    let ended = to.is_some_and(|t| last_day(t) < today);
    started && !ended
}

fn last_day(d: PartialDate) -> NaiveDate {
    use crate::partner::Precision;
    use chrono::Datelike;
    let (y, m) = (d.date.year(), d.date.month());
    let first_after = match d.precision {
        Precision::Day => return d.date,
        Precision::Month if m == 12 => NaiveDate::from_ymd_opt(y + 1, 1, 1),
        Precision::Month => NaiveDate::from_ymd_opt(y, m + 1, 1),
        Precision::Year => NaiveDate::from_ymd_opt(y + 1, 1, 1),
    };
    first_after.and_then(|n| n.pred_opt()).unwrap_or(d.date)
}

/// Order for a person's page and a partner's contacts: positions held now first,
/// then by start, latest first (undated last).
pub fn sort_key(
    from: Option<PartialDate>,
    to: Option<PartialDate>,
    today: NaiveDate,
) -> (bool, std::cmp::Reverse<Option<NaiveDate>>) {
    (
        !is_current(from, to, today),
        std::cmp::Reverse(from.map(|f| f.date)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, from: &str, to: &str) -> PositionForm {
        PositionForm {
            title: title.into(),
            from: Some(from.into()),
            to: Some(to.into()),
            ..Default::default()
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_position_needs_a_title_and_dates_in_order() {
        let e = PositionInput::parse(&form("  ", "2020", "")).unwrap_err();
        assert!(e.0.contains_key("title"));
        let e = PositionInput::parse(&form("Bộ trưởng Ngoại giao", "2021", "2019")).unwrap_err();
        assert!(e.0.contains_key("to"));
        let e = PositionInput::parse(&form("Bộ trưởng", "năm ngoái", "")).unwrap_err();
        assert!(e.0.contains_key("from"));
        let p = PositionInput::parse(&form("Bộ trưởng Ngoại giao", "10/2021", "")).unwrap();
        assert_eq!(p.from.unwrap().date, day(2021, 10, 1));
        assert_eq!(p.to, None);
    }

    #[test]
    fn held_now_until_the_end_of_the_period_it_ended_in() {
        let p = |s: &str| PartialDate::parse(s);
        let today = day(2026, 11, 23);
        assert!(is_current(p("2021"), None, today));
        assert!(is_current(None, None, today));
        assert!(!is_current(p("2027"), None, today), "not started yet");
        assert!(
            is_current(p("2021"), p("11/2026"), today),
            "ends with November"
        );
        assert!(is_current(p("2021"), p("2026"), today));
        assert!(!is_current(p("2021"), p("10/2026"), today));
        assert!(!is_current(p("2021"), p("22/11/2026"), today));
        assert!(is_current(p("2021"), p("23/11/2026"), today));
    }

    #[test]
    fn current_positions_come_first_then_latest_start() {
        let p = |s: &str| PartialDate::parse(s);
        let today = day(2026, 11, 23);
        let mut v = [
            ("old", p("2010"), p("2015")),
            ("now", p("2021"), None),
            ("older", p("2001"), p("2009")),
            ("undated past", None, p("2000")),
        ];
        v.sort_by_key(|(_, f, t)| sort_key(*f, *t, today));
        let order: Vec<&str> = v.iter().map(|x| x.0).collect();
        assert_eq!(order, ["now", "old", "older", "undated past"]);
    }
}
