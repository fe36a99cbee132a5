//! Calendar days: dates as typed, Vietnam's working week and the holiday
//! calendar an administrator keeps, and deadline arithmetic in working days.
//!
//! State agencies work Monday to Friday (the 40-hour week of Decision
//! 188/1999/QĐ-TTg). Public holidays (Tết and the Hùng Kings' day follow the lunar
//! calendar and change every year) and the occasional compensating working
//! Saturday are decided each year, so they are data, not code: `DayOverrides`.

use crate::error::msgs;
use crate::{FieldErrors, Msg, code_enum};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeMap;

pub use crate::agency::parse_date;

code_enum!(
    /// What an administrator says about one day.
    DayKind {
        Holiday = "holiday", "Ngày nghỉ lễ, Tết", "Public holiday";
        Workday = "workday", "Ngày làm việc bù", "Compensating working day";
    }
);

/// The days that do not follow the ordinary week.
#[derive(Debug, Clone, Default)]
pub struct DayOverrides(pub BTreeMap<NaiveDate, DayKind>);

impl DayOverrides {
    /// Is `d` a working day: Monday–Friday unless a holiday, or a declared working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.0.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `start` (the day itself not counted: an
    /// answer due "within 7 working days" of a request received on a Friday is
    /// due on the Tuesday of the week after next when no holiday intervenes).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            match d.checked_add_days(Days::new(1)) {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days from `a` (excluded) to `b` (included); 0 when `b` ≤ `a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> u32 {
        a.iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

/// `d + n` calendar days, saturating at the end of the calendar.
pub fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn date_msg() -> Msg {
    Msg::new(
        "Nhập ngày dạng 25/11/2026.",
        "Enter a date such as 25/11/2026.",
    )
}

/// An optional date field: empty is `None`, anything else must be a date.
pub fn optional_date(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<NaiveDate> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    let d = parse_date(v);
    if d.is_none() {
        e.add(field, date_msg());
    }
    d
}

/// A required date field.
pub fn required_date(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    if v.trim().is_empty() {
        e.add(field, msgs::required());
        return None;
    }
    optional_date(e, field, Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn weekends_are_not_working_days() {
        let h = DayOverrides::default();
        assert!(h.is_working_day(d("2026-11-23"))); // Monday
        assert!(h.is_working_day(d("2026-11-27"))); // Friday
        assert!(!h.is_working_day(d("2026-11-28"))); // Saturday
        assert!(!h.is_working_day(d("2026-11-29"))); // Sunday
    }

    #[test]
    fn seven_working_days_across_a_weekend() {
        let h = DayOverrides::default();
        // Received Friday 20/11: Mon 23 … Tue 1/12 is the 7th working day.
        assert_eq!(h.add_working_days(d("2026-11-20"), 7), d("2026-12-01"));
        // Received Monday 23/11: Tue … Wed 2/12.
        assert_eq!(h.add_working_days(d("2026-11-23"), 7), d("2026-12-02"));
        // Received on a Saturday: counting starts Monday.
        assert_eq!(h.add_working_days(d("2026-11-21"), 1), d("2026-11-23"));
        assert_eq!(h.add_working_days(d("2026-11-23"), 0), d("2026-11-23"));
    }

    #[test]
    fn a_holiday_pushes_the_deadline() {
        let mut h = DayOverrides::default();
        // 2 September (National Day) 2026 is a Wednesday; the 1st is also off.
        h.0.insert(d("2026-09-01"), DayKind::Holiday);
        h.0.insert(d("2026-09-02"), DayKind::Holiday);
        // Received Friday 28/08: Mon 31, (Tue 1, Wed 2 off), Thu 3 … Thu 10/09.
        assert_eq!(h.add_working_days(d("2026-08-28"), 7), d("2026-09-10"));
        assert_eq!(
            DayOverrides::default().add_working_days(d("2026-08-28"), 7),
            d("2026-09-08")
        );
        assert_eq!(h.working_days_between(d("2026-08-28"), d("2026-09-10")), 7);
    }

    #[test]
    fn a_compensating_saturday_counts() {
        let mut h = DayOverrides::default();
        h.0.insert(d("2026-11-28"), DayKind::Workday);
        assert!(h.is_working_day(d("2026-11-28")));
        assert_eq!(h.add_working_days(d("2026-11-27"), 1), d("2026-11-28"));
    }

    #[test]
    fn dates_parse_both_ways() {
        let mut e = FieldErrors::new();
        assert_eq!(
            required_date(&mut e, "x", "25/11/2026"),
            Some(d("2026-11-25"))
        );
        assert_eq!(optional_date(&mut e, "y", Some(" ")), None);
        assert!(e.is_empty());
        assert_eq!(optional_date(&mut e, "z", Some("31/02/2026")), None);
        assert_eq!(required_date(&mut e, "w", ""), None);
        assert!(e.get("z").is_some() && e.get("w").is_some());
    }
}
