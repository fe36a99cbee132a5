//! A task's indicators ("chỉ tiêu"): what is counted (a unit), where it
//! stood (the baseline), where it must reach (the target), and the actual
//! figure each progress report gives for its period. Figures are exact
//! decimals, read as officials write them ("1.250", "12,5", "1,250.75").

use crate::error::msgs;
use crate::{FieldErrors, Msg, text};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// The most indicators one task carries.
pub const MAX_INDICATORS: usize = 20;
/// Decimal places a figure keeps.
pub const SCALE_DIGITS: u32 = 4;
const SCALE: i64 = 10_i64.pow(SCALE_DIGITS);
/// Digits before the decimal separator.
const MAX_WHOLE_DIGITS: usize = 13;

/// An exact decimal figure, in ten-thousandths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure(i64);

impl Figure {
    /// The figure in ten-thousandths, as sums are kept.
    pub fn ten_thousandths(&self) -> i64 {
        self.0
    }

    pub fn from_ten_thousandths(n: i64) -> Self {
        Self(n)
    }

    pub fn from_whole(n: i64) -> Option<Self> {
        n.checked_mul(SCALE).map(Self)
    }

    /// Reads a figure as officials write it. Spaces are ignored and a minus
    /// sign may lead. With both "." and "," the last one is the decimal
    /// separator; a lone "," is the decimal separator (Vietnamese usage); a
    /// lone "." separates decimals unless every group after it has exactly
    /// three digits ("1.250", "2.000.000"), when it groups thousands.
    pub fn parse(s: &str) -> Option<Self> {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, s),
        };
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return None;
        }
        let dots = s.matches('.').count();
        let commas = s.matches(',').count();
        let decimal = match (dots, commas) {
            (0, 0) => None,
            (_, 0) => {
                let groups: Vec<&str> = s.split('.').collect();
                let grouped = groups[0].len() <= 3
                    && !groups[0].is_empty()
                    && groups[1..].iter().all(|g| g.len() == 3);
                if grouped || dots > 1 { None } else { Some('.') }
            }
            (0, 1) => Some(','),
            (0, _) => None,
            _ => {
                let last_dot = s.rfind('.')?;
                let last_comma = s.rfind(',')?;
                Some(if last_dot > last_comma { '.' } else { ',' })
            }
        };
        let (whole, frac) = match decimal {
            Some(d) => {
                let (w, f) = s.rsplit_once(d)?;
                if f.contains(['.', ',']) {
                    return None;
                }
                (w.to_string(), f.to_string())
            }
            None => (s.clone(), String::new()),
        };
        // What remains in the whole part are thousands separators: each
        // group after the first has three digits.
        let sep = if decimal == Some('.') { ',' } else { '.' };
        if whole.contains(if sep == ',' { '.' } else { ',' }) {
            return None;
        }
        let groups: Vec<&str> = whole.split(sep).collect();
        if groups.len() > 1
            && (groups[0].is_empty()
                || groups[0].len() > 3
                || groups[1..].iter().any(|g| g.len() != 3))
        {
            return None;
        }
        let whole: String = groups.concat();
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if whole.len() > MAX_WHOLE_DIGITS || frac.len() > SCALE_DIGITS as usize {
            return None;
        }
        let w: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        for _ in frac.len()..SCALE_DIGITS as usize {
            f *= 10;
        }
        let v = w.checked_mul(SCALE)?.checked_add(f)?;
        Some(Self(if negative { -v } else { v }))
    }

    /// "1234.5": how it is stored and sent.
    pub fn canonical(&self) -> String {
        let (whole, frac) = self.parts();
        let sign = if self.0 < 0 { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{frac}")
        }
    }

    /// As a reader writes it: "1.234,5" in Vietnamese, "1,234.5" in English.
    pub fn display(&self, lang_en: bool) -> String {
        let (whole, frac) = self.parts();
        let (group, dec) = if lang_en { (',', '.') } else { ('.', ',') };
        let digits = whole.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{dec}{frac}")
        }
    }

    fn parts(&self) -> (u64, String) {
        let a = self.0.unsigned_abs();
        let scale = SCALE as u64;
        let frac = format!("{:04}", a % scale);
        (a / scale, frac.trim_end_matches('0').to_string())
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

/// How far an actual figure has come from the baseline (zero when none is
/// given) towards the target, in whole percent rounded down: 0 at the
/// baseline or behind it, 100 at the target, more beyond it. An indicator
/// meant to fall (a target below the baseline) is measured the same way.
/// A target equal to the baseline is reached (100) only when the actual
/// equals it.
pub fn achieved(baseline: Option<Figure>, target: Figure, actual: Figure) -> u32 {
    let base = i128::from(baseline.map_or(0, |b| b.0));
    let span = i128::from(target.0) - base;
    let moved = i128::from(actual.0) - base;
    if span == 0 {
        return if actual == target { 100 } else { 0 };
    }
    let pct = moved * 100 / span;
    pct.clamp(0, 999) as u32
}

/// The raw strings of an indicator form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit: String,
    pub baseline: Option<String>,
    #[serde(default)]
    pub target: String,
}

/// A validated indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorInput {
    pub name: String,
    pub unit: String,
    pub baseline: Option<Figure>,
    pub target: Figure,
}

fn bad_figure() -> Msg {
    Msg::new(
        "Ghi một số, ví dụ 12, 12,5 hoặc 1.250.",
        "Write a number, e.g. 12, 12.5 or 1,250.",
    )
}

/// Reads one figure of a form; an empty one is `None` and a bad one names
/// its field.
pub fn figure_field(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<Figure> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    if v.chars().count() > 40 {
        e.add(field, bad_figure());
        return None;
    }
    let f = Figure::parse(v);
    if f.is_none() {
        e.add(field, bad_figure());
    }
    f
}

impl IndicatorInput {
    pub fn parse(f: &IndicatorForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = text::required(&mut e, "name", &f.name, 500);
        let unit = text::required(&mut e, "unit", &f.unit, 60);
        let baseline = figure_field(&mut e, "baseline", f.baseline.as_deref());
        let target = figure_field(&mut e, "target", Some(&f.target));
        if f.target.trim().is_empty() {
            e.add("target", msgs::required());
        }
        match target {
            Some(target) if e.is_empty() => Ok(Self {
                name,
                unit,
                baseline,
                target,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Option<String> {
        Figure::parse(s).map(|x| x.canonical())
    }

    #[test]
    fn figures_are_read_as_officials_write_them() {
        assert_eq!(f("12").as_deref(), Some("12"));
        assert_eq!(f("12,5").as_deref(), Some("12.5"));
        assert_eq!(f("12.5").as_deref(), Some("12.5"));
        assert_eq!(f("1.250").as_deref(), Some("1250"));
        assert_eq!(f("2.000.000").as_deref(), Some("2000000"));
        assert_eq!(f("1.250,75").as_deref(), Some("1250.75"));
        assert_eq!(f("1,250.75").as_deref(), Some("1250.75"));
        assert_eq!(f(" 3 500 ").as_deref(), Some("3500"));
        assert_eq!(f("-4,25").as_deref(), Some("-4.25"));
        assert_eq!(f("0,0001").as_deref(), Some("0.0001"));
        assert_eq!(f(",5").as_deref(), Some("0.5"));
        for bad in [
            "",
            "-",
            "abc",
            "1,2,3",
            "12.34.5",
            "1.2,3.4",
            "0,00001",
            "1e5",
            "12%",
            "1..2",
            "1.25.000",
            "12345678901234",
        ] {
            assert_eq!(f(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn figures_are_shown_in_the_readers_language() {
        let x = Figure::parse("1234567,5").unwrap();
        assert_eq!(x.display(false), "1.234.567,5");
        assert_eq!(x.display(true), "1,234,567.5");
        assert_eq!(Figure::parse("-950").unwrap().display(false), "-950");
        assert_eq!(Figure::from_whole(1000).unwrap().display(true), "1,000");
    }

    #[test]
    fn achievement_runs_from_the_baseline_to_the_target() {
        let n = |s: &str| Figure::parse(s).unwrap();
        assert_eq!(achieved(None, n("40"), n("10")), 25);
        assert_eq!(achieved(Some(n("20")), n("40"), n("20")), 0);
        assert_eq!(achieved(Some(n("20")), n("40"), n("30")), 50);
        assert_eq!(achieved(Some(n("20")), n("40"), n("40")), 100);
        assert_eq!(achieved(Some(n("20")), n("40"), n("50")), 150);
        assert_eq!(achieved(Some(n("20")), n("40"), n("10")), 0);
        // Falling: from 120 cases down to 60.
        assert_eq!(achieved(Some(n("120")), n("60"), n("90")), 50);
        assert_eq!(achieved(Some(n("120")), n("60"), n("130")), 0);
        // A target equal to the baseline.
        assert_eq!(achieved(Some(n("5")), n("5"), n("5")), 100);
        assert_eq!(achieved(Some(n("5")), n("5"), n("4")), 0);
        // Rounded down, capped.
        assert_eq!(achieved(None, n("3"), n("2")), 66);
        assert_eq!(achieved(None, n("0,0001"), n("9999999")), 999);
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let e = IndicatorInput::parse(&IndicatorForm {
            name: " ".into(),
            unit: String::new(),
            baseline: Some("nhiều".into()),
            target: String::new(),
        })
        .unwrap_err();
        for field in ["name", "unit", "baseline", "target"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        let ok = IndicatorInput::parse(&IndicatorForm {
            name: "Số đoàn cấp cao".into(),
            unit: "đoàn".into(),
            baseline: Some(String::new()),
            target: "12".into(),
        })
        .unwrap();
        assert_eq!(ok.baseline, None);
        assert_eq!(ok.target.canonical(), "12");
    }
}
