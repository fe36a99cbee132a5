//! Every number a request names is bounded: a page of a list, a year. Query
//! structs read them through these (`#[serde(deserialize_with = …)]`), so a
//! number outside its range is a 400 that says the range, never an overflow or
//! a clamp the reader cannot see; the OpenAPI document states the same ranges.

use serde::{Deserialize, Deserializer, de::Error};

/// The last page any list offers (100,000 pages of 50 rows).
pub const MAX_PAGE: u64 = 100_000;
/// Years a record can be about.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

fn in_range<'de, D: Deserializer<'de>, T: Deserialize<'de> + PartialOrd + std::fmt::Display>(
    d: D,
    name: &str,
    low: T,
    high: T,
) -> Result<Option<T>, D::Error> {
    match Option::<T>::deserialize(d)? {
        Some(v) if v < low || v > high => Err(D::Error::custom(format!(
            "{name} must be {low}–{high} (got {v})"
        ))),
        v => Ok(v),
    }
}

/// A page number, 1 to `MAX_PAGE`.
pub fn page<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    in_range(d, "page", 1, MAX_PAGE)
}

/// A page number as a `usize`, 1 to `MAX_PAGE`.
pub fn page_usize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    in_range(d, "page", 1, MAX_PAGE as usize)
}

/// A year, `MIN_YEAR` to `MAX_YEAR`.
pub fn year<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    in_range(d, "year", MIN_YEAR, MAX_YEAR)
}

/// A day, typed as dd/mm/yyyy (as every page shows it) or yyyy-mm-dd (the
/// API); absent is none, anything else (empty too) says how to write it.
pub fn day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => crate::agency::parse_date(&s)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("a day is written dd/mm/yyyy (got {s:?})"))),
    }
}

/// A date typed as yyyy-mm-dd or yyyy-mm-ddTHH:MM, written back the way
/// every page shows dates: dd/mm/yyyy (HH:MM); anything else as typed.
pub fn dmy(s: &str) -> String {
    let t = s.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.format("%d/%m/%Y").to_string();
    }
    for f in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return d.format("%d/%m/%Y %H:%M").to_string();
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_written_day_first() {
        assert_eq!(super::dmy("2027-03-15"), "15/03/2027");
        assert_eq!(super::dmy("2027-03-15T09:30"), "15/03/2027 09:30");
        assert_eq!(super::dmy("15/03/2027"), "15/03/2027");
        assert_eq!(super::dmy("hôm qua"), "hôm qua");
        #[derive(serde::Deserialize)]
        struct D {
            #[serde(default, deserialize_with = "super::day")]
            from: Option<chrono::NaiveDate>,
        }
        let d: D = serde_json::from_str(r#"{"from": "03/12/2026"}"#).unwrap();
        assert_eq!(d.from, chrono::NaiveDate::from_ymd_opt(2026, 12, 3));
        let d: D = serde_json::from_str(r#"{"from": "2026-12-03"}"#).unwrap();
        assert_eq!(d.from, chrono::NaiveDate::from_ymd_opt(2026, 12, 3));
        assert!(serde_json::from_str::<D>(r#"{"from": "12/31/2026"}"#).is_err());
    }

    #[derive(serde::Deserialize, Debug)]
    struct Q {
        #[serde(default, deserialize_with = "super::page")]
        page: Option<u64>,
        #[serde(default, deserialize_with = "super::year")]
        year: Option<i32>,
    }

    fn q(s: &str) -> Result<Q, serde_urlencoded::de::Error> {
        serde_urlencoded::from_str(s)
    }

    #[test]
    fn numbers_outside_their_range_are_refused_by_name() {
        assert_eq!(q("page=3&year=2026").unwrap().page, Some(3));
        assert_eq!(q("").unwrap().page, None);
        assert!(
            q("page=0")
                .unwrap_err()
                .to_string()
                .contains("page must be 1–100000")
        );
        assert!(q("page=9223372036854775808").is_err());
        assert!(q("page=18446744073709551616").is_err());
        assert!(q("year=1899").is_err());
        assert!(q("year=abc").is_err());
        assert_eq!(q("year=2200").unwrap().year, Some(2200));
    }
}
