-- World regions (UN M.49 continents and sub-regions, as Unicode CLDR keeps them)
-- and which countries each holds: the partner list's region filter.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    parent TEXT,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL
);
CREATE TABLE country_regions (
    alpha2 TEXT NOT NULL REFERENCES countries(alpha2),
    region TEXT NOT NULL REFERENCES regions(code),
    PRIMARY KEY (alpha2, region)
);
CREATE INDEX country_regions_region ON country_regions (region);
