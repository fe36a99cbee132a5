//! The leaders' dashboard: a period and a scope chosen at the top, figures
//! compared with the period before, and the months a chart of the period has.
//! What it counts is what the lists behind its figures show for the same
//! period and scope, so each figure opens the list that holds it.

use crate::FieldErrors;
use crate::report::{Period, PeriodKind, ScopeKind, parse_period, parse_scope};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The raw strings of the dashboard's choice (every field may be empty).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DashboardForm {
    pub period: Option<String>,
    pub year: Option<String>,
    /// The half (1, 2) or quarter (1–4).
    pub part: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub scope: Option<String>,
    pub scope_ref: Option<String>,
}

/// What the dashboard shows: a period and whose records.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub period: Period,
    pub scope: ScopeKind,
    pub scope_ref: Option<String>,
}

/// The longest period a dashboard charts month by month (six years, as a
/// report).
pub const MAX_MONTHS: usize = 73;

impl Choice {
    /// Empty fields choose `today`'s year and everything the reader sees.
    pub fn parse(f: &DashboardForm, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        let this_year = today.year().to_string();
        let period = parse_period(
            &mut e,
            f.period
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or("year"),
            if blank(&f.year) {
                Some(this_year.as_str())
            } else {
                f.year.as_deref()
            },
            f.part.as_deref(),
            f.from.as_deref(),
            f.to.as_deref(),
        );
        let (scope, scope_ref) = parse_scope(
            &mut e,
            f.scope
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or("all"),
            f.scope_ref.as_deref(),
        );
        match (period, scope) {
            (Some(period), Some(scope)) if e.is_empty() => Ok(Self {
                period,
                scope,
                scope_ref: if scope == ScopeKind::All {
                    None
                } else {
                    scope_ref
                },
            }),
            _ => Err(e),
        }
    }

    /// The choice as the query string of the lists behind the figures:
    /// the period's days and, beyond "all", the scope.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![
            ("from", self.period.from.format("%Y-%m-%d").to_string()),
            ("to", self.period.to.format("%Y-%m-%d").to_string()),
        ];
        if let Some(r) = &self.scope_ref {
            q.push(("scope", self.scope.as_str().to_string()));
            q.push(("scope_ref", r.clone()));
        }
        q
    }

    /// The same scope for the period before.
    pub fn previous(&self) -> Self {
        Self {
            period: self.period.previous(),
            ..self.clone()
        }
    }

    /// Whether the period is a calendar one (year, half, quarter).
    pub fn is_calendar(&self) -> bool {
        self.period.kind != PeriodKind::Custom
    }
}

/// A figure's change against the period before, in whole percent, rounded
/// half away from zero; `None` when there was nothing before to compare with.
pub fn trend(now: u64, before: u64) -> Option<i64> {
    if before == 0 {
        return None;
    }
    let diff = i128::from(now) - i128::from(before);
    let before = i128::from(before);
    let pct = (diff * 200 + before * diff.signum()) / (before * 2);
    Some(i64::try_from(pct).unwrap_or(i64::MAX))
}

/// The months a period touches, in order: (year, month).
pub fn months(p: &Period) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = (p.from.year(), p.from.month());
    while (y, m) <= (p.to.year(), p.to.month()) && out.len() < MAX_MONTHS {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The first and last day of a month, clipped to the period: what a month's
/// bar opens in the list.
pub fn month_days(p: &Period, (y, m): (i32, u32)) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    Some((first.max(p.from), last.min(p.to)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn empty_choice_is_this_year_and_everything() {
        let c = Choice::parse(&DashboardForm::default(), d(2026, 12, 5)).unwrap();
        assert_eq!(
            (c.period.from, c.period.to),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(c.scope, ScopeKind::All);
        assert_eq!(c.scope_ref, None);
        assert_eq!(
            c.query(),
            vec![("from", "2026-01-01".into()), ("to", "2026-12-31".into())]
        );
        let prev = c.previous();
        assert_eq!(prev.period.from, d(2025, 1, 1));
    }

    #[test]
    fn a_quarter_of_a_pillar_and_bad_choices() {
        let f = DashboardForm {
            period: Some("quarter".into()),
            year: Some("2025".into()),
            part: Some("3".into()),
            scope: Some("pillar".into()),
            scope_ref: Some("party".into()),
            ..Default::default()
        };
        let c = Choice::parse(&f, d(2026, 1, 1)).unwrap();
        assert_eq!(
            (c.period.from, c.period.to),
            (d(2025, 7, 1), d(2025, 9, 30))
        );
        assert!(c.query().contains(&("scope_ref", "party".into())));
        let bad = DashboardForm {
            part: Some("5".into()),
            ..f.clone()
        };
        assert!(
            Choice::parse(&bad, d(2026, 1, 1))
                .unwrap_err()
                .get("part")
                .is_some()
        );
        let no_ref = DashboardForm {
            scope_ref: None,
            ..f
        };
        assert!(
            Choice::parse(&no_ref, d(2026, 1, 1))
                .unwrap_err()
                .get("scope_ref")
                .is_some()
        );
    }

    #[test]
    fn trend_rounds_and_needs_a_base() {
        assert_eq!(trend(5, 0), None);
        assert_eq!(trend(0, 4), Some(-100));
        assert_eq!(trend(150, 100), Some(50));
        assert_eq!(trend(2, 3), Some(-33));
        assert_eq!(trend(1, 8), Some(-88));
        assert_eq!(trend(5, 8), Some(-38));
        assert_eq!(trend(8, 8), Some(0));
        assert_eq!(trend(u64::MAX, 1), Some(i64::MAX));
    }

    #[test]
    fn months_of_a_period_and_their_days() {
        let p = Period {
            kind: PeriodKind::Custom,
            from: d(2025, 11, 15),
            to: d(2026, 2, 3),
        };
        assert_eq!(
            months(&p),
            vec![(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
        );
        assert_eq!(
            month_days(&p, (2025, 11)),
            Some((d(2025, 11, 15), d(2025, 11, 30)))
        );
        assert_eq!(
            month_days(&p, (2026, 2)),
            Some((d(2026, 2, 1), d(2026, 2, 3)))
        );
        assert_eq!(
            month_days(&p, (2025, 12)),
            Some((d(2025, 12, 1), d(2025, 12, 31)))
        );
    }
}
