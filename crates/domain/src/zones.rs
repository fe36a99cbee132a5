//! Time zones by country, from the IANA tz database's `zone.tab` (public
//! domain; `data/reference/tz/`): an activity's zone is taken from the place's
//! country, and changed from a list of names where a country has several.

use std::collections::BTreeMap;
use std::sync::LazyLock;

static TABLE: &str = include_str!("../../../data/reference/tz/zone.tab");

/// Where a country has several zones, the capital's comes first.
const CAPITALS: &[(&str, &str)] = &[
    ("AU", "Australia/Sydney"),
    ("BR", "America/Sao_Paulo"),
    ("CA", "America/Toronto"),
    ("CN", "Asia/Shanghai"),
    ("ID", "Asia/Jakarta"),
    ("KZ", "Asia/Almaty"),
    ("MX", "America/Mexico_City"),
    ("RU", "Europe/Moscow"),
    ("US", "America/New_York"),
    ("AR", "America/Argentina/Buenos_Aires"),
    ("CL", "America/Santiago"),
    ("ES", "Europe/Madrid"),
    ("PT", "Europe/Lisbon"),
    ("MN", "Asia/Ulaanbaatar"),
    ("NZ", "Pacific/Auckland"),
];

static BY_COUNTRY: LazyLock<BTreeMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    let mut m: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        if let (Some(cc), Some(_), Some(zone)) = (cols.next(), cols.next(), cols.next()) {
            m.entry(cc).or_default().push(zone);
        }
    }
    for (cc, capital) in CAPITALS {
        if let Some(list) = m.get_mut(cc)
            && let Some(i) = list.iter().position(|z| z == capital)
        {
            let z = list.remove(i);
            list.insert(0, z);
        }
    }
    m
});

static ALL: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v: Vec<&str> = BY_COUNTRY.values().flatten().copied().collect();
    v.sort_unstable();
    v.dedup();
    v
});

/// The zones of a country (ISO 3166-1 alpha-2), the capital's first.
pub fn of_country(cc: &str) -> &'static [&'static str] {
    BY_COUNTRY
        .get(cc.trim().to_ascii_uppercase().as_str())
        .map_or(&[], Vec::as_slice)
}

/// Every zone a country uses, by name: what the form's list offers.
pub fn all() -> &'static [&'static str] {
    &ALL
}

/// Each country with its zones, for the form to follow the country chosen.
pub fn table() -> &'static BTreeMap<&'static str, Vec<&'static str>> {
    &BY_COUNTRY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_gives_its_zone_the_capital_first() {
        assert_eq!(of_country("VN"), ["Asia/Ho_Chi_Minh"]);
        assert_eq!(of_country("jp"), ["Asia/Tokyo"]);
        assert_eq!(of_country("AU")[0], "Australia/Sydney");
        assert_eq!(of_country("US")[0], "America/New_York");
        assert!(of_country("XX").is_empty());
        assert!(all().len() > 300);
        // Every name is one chrono-tz knows.
        for z in all() {
            assert!(z.parse::<chrono_tz::Tz>().is_ok(), "{z}");
        }
    }
}
