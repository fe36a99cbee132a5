#!/usr/bin/env python3
"""Regenerate countries.csv and provinces.csv (Kiềng reference data).

Python 3 standard library only.  The sources are installed OUTSIDE the repo:

    # 1. ISO 3166-1 / 3166-2 codes: Debian's iso-codes package
    apt-get update && apt-get install -y iso-codes
    #    -> /usr/share/iso-codes/json/iso_3166-1.json, iso_3166-2.json
    #    -> licence: /usr/share/doc/iso-codes/copyright (LGPL-2.1+),
    #       full text /usr/share/common-licenses/LGPL-2.1

    # 2. Country names (vi, en): Unicode CLDR, npm package, into a temp dir
    npm install --prefix /tmp/cldr cldr-localenames-modern@45.0.0
    #    -> /tmp/cldr/node_modules/cldr-localenames-modern/main/{vi,en}/territories.json
    #    (cldr-localenames-modern stops at 45.0.0; to use a newer CLDR install
    #     cldr-localenames-full instead and pass its directory to --cldr)

    # 3. World regions (UN M.49 containment): Unicode CLDR, npm package
    npm install --prefix /tmp/cldr cldr-core@45.0.0
    #    -> /tmp/cldr/node_modules/cldr-core/supplemental/territoryContainment.json

    # 4. Regenerate (from the repository root)
    python3 data/reference/generate.py \
        --iso-codes /usr/share/iso-codes/json \
        --cldr /tmp/cldr/node_modules/cldr-localenames-modern \
        --cldr-core /tmp/cldr/node_modules/cldr-core \
        --provinces-2025 /work/shared/reference/provinces-2025.csv \
        --lgpl-text /usr/share/common-licenses/LGPL-2.1 \
        --iso-codes-copyright /usr/share/doc/iso-codes/copyright \
        --out data/reference

Outputs in --out: countries.csv, provinces.csv, regions.csv,
country-regions.csv, LICENSE-unicode.txt,
LICENSE-iso-codes.txt (the two licence files are copied from the installed
packages).  LICENSES.md is maintained by hand: update the versions in it
from what this script prints.

Nothing is written unless every check passes; on a failed check the script
prints what is wrong and exits with status 1.

CSV format: UTF-8 (no BOM), NFC-normalised, LF line endings, RFC 4180
quoting (only fields that need it are quoted).
"""

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata

# ---------------------------------------------------------------------------
# Provinces: fixed facts that are not in the sources
# ---------------------------------------------------------------------------

# Date the 34-unit structure took effect, and last day of the 63 old units.
NEW_VALID_FROM = "2025-07-01"
OLD_VALID_TO = "2025-06-30"

# Official Vietnamese names where iso-codes' name differs.  Each entry is
# code -> (name iso-codes is known to give, official name).  If iso-codes
# gives the official name already, the entry is simply not needed; if it
# gives a third spelling, the script stops so a human can look.
NAME_OVERRIDES = {
    "VN-26": ("Thừa Thiên-Huế", "Thừa Thiên Huế"),  # no hyphen officially
    "VN-47": ("Kiến Giang", "Kiên Giang"),  # iso-codes typo (ế for ê)
    "VN-SG": ("Hồ Chí Minh", "Thành phố Hồ Chí Minh"),  # official name
}

# Old units that were centrally-run cities (kind = city).  VN-26 (Thừa
# Thiên Huế) became the centrally-run city of Huế on 2025-01-01.
OLD_CITIES = {"VN-HN", "VN-HP", "VN-DN", "VN-CT", "VN-SG", "VN-26"}

# Old units whose successor is not found by name (same name or listed as
# absorbed in provinces-2025.csv): old name -> 2025 unit name.
RENAMED = {"Thừa Thiên Huế": "Huế"}


def nfc(s):
    return unicodedata.normalize("NFC", s.strip())


def fail(errors):
    for e in errors:
        print("ERROR: " + e, file=sys.stderr)
    sys.exit(1)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def csv_text(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow([nfc(x) for x in r])
    return buf.getvalue()


# ---------------------------------------------------------------------------
# countries.csv
# ---------------------------------------------------------------------------

def cldr_territories(cldr_dir, lang):
    path = os.path.join(cldr_dir, "main", lang, "territories.json")
    d = load_json(path)
    return d["main"][lang]["localeDisplayNames"]["territories"]


def build_countries(iso_dir, cldr_dir):
    errors, notes = [], []
    iso = load_json(os.path.join(iso_dir, "iso_3166-1.json"))["3166-1"]
    vi = cldr_territories(cldr_dir, "vi")
    en = cldr_territories(cldr_dir, "en")
    rows, seen = [], set()
    for e in iso:
        a2, a3, num = e["alpha_2"], e["alpha_3"], e["numeric"]
        if not (len(a2) == 2 and a2.isalpha() and a2.isupper()):
            errors.append("bad alpha_2 %r" % a2)
        if not (len(a3) == 3 and a3.isalpha() and a3.isupper()):
            errors.append("bad alpha_3 %r for %s" % (a3, a2))
        if not num.isdigit() or len(num) > 3:
            errors.append("bad numeric %r for %s" % (num, a2))
        num = num.zfill(3)
        if a2 in seen:
            errors.append("duplicate alpha_2 %s" % a2)
        seen.add(a2)
        # Plain key only: never the "-alt-short" / "-alt-variant" forms.
        name_vi, name_en = vi.get(a2), en.get(a2)
        if name_vi is None:
            name_vi = e["name"]
            notes.append("%s: no CLDR vi name, used iso-codes name %r" % (a2, name_vi))
        if name_en is None:
            name_en = e["name"]
            notes.append("%s: no CLDR en name, used iso-codes name %r" % (a2, name_en))
        rows.append([a2, a3, num, name_vi, name_en])
    rows.sort(key=lambda r: r[0])
    for col in (1, 2):
        vals = [r[col] for r in rows]
        if len(set(vals)) != len(vals):
            errors.append("duplicate values in column %d" % col)
    return rows, errors, notes


# ---------------------------------------------------------------------------
# provinces.csv
# ---------------------------------------------------------------------------

def build_provinces(iso_dir, new_csv):
    errors, notes = [], []

    # 2025 units, in file order -> VN34-01 .. VN34-34
    with open(new_csv, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["name", "kind", "absorbed"]:
            errors.append("unexpected header in %s: %r" % (new_csv, reader.fieldnames))
        new = []
        for i, r in enumerate(reader, 1):
            kind = nfc(r["kind"])
            if kind not in ("city", "province"):
                errors.append("2025 unit %r: bad kind %r" % (r["name"], kind))
            absorbed = [nfc(x) for x in (r["absorbed"] or "").split(";") if x.strip()]
            new.append({"code": "VN34-%02d" % i, "name": nfc(r["name"]),
                        "kind": kind, "absorbed": absorbed})
    if len(new) != 34:
        errors.append("expected 34 units in %s, found %d" % (new_csv, len(new)))
    if len({u["name"] for u in new}) != len(new):
        errors.append("duplicate names among 2025 units")

    # Pre-2025 units from ISO 3166-2
    sub = load_json(os.path.join(iso_dir, "iso_3166-2.json"))["3166-2"]
    old = []
    for e in sub:
        code = e["code"]
        if not code.startswith("VN-"):
            continue
        name = nfc(e["name"])
        if code in NAME_OVERRIDES:
            known_iso, official = (nfc(x) for x in NAME_OVERRIDES[code])
            if name == known_iso:
                notes.append("%s: iso-codes name %r replaced by official %r" % (code, name, official))
                name = official
            elif name != official:
                errors.append("%s: iso-codes name %r is neither %r nor %r"
                              % (code, name, known_iso, official))
        kind = "city" if code in OLD_CITIES else "province"
        iso_is_city = e.get("type") == "Municipality"
        if iso_is_city != (kind == "city") and code != "VN-26":
            errors.append("%s: iso-codes type %r disagrees with kind %r" % (code, e.get("type"), kind))
        old.append({"code": code, "name": name, "kind": kind})
    old.sort(key=lambda u: u["code"])
    if len(old) != 63:
        errors.append("expected 63 VN- entries in iso_3166-2.json, found %d" % len(old))
    if len({u["name"] for u in old}) != len(old):
        errors.append("duplicate names among pre-2025 units")

    # Successors
    old_names = {u["name"] for u in old}
    for n in new:
        for a in n["absorbed"]:
            if a not in old_names:
                errors.append("2025 unit %s %r absorbed %r, which is not one of the 63"
                              % (n["code"], n["name"], a))
        if n["name"] not in old_names and n["name"] not in RENAMED.values():
            errors.append("2025 unit %s %r has no pre-2025 unit of the same name "
                          "and no rename entry" % (n["code"], n["name"]))
    for u in old:
        cands = [n for n in new
                 if n["name"] == u["name"] or u["name"] in n["absorbed"]
                 or RENAMED.get(u["name"]) == n["name"]]
        if len(cands) != 1:
            errors.append("%s %r maps to %d successors: %r"
                          % (u["code"], u["name"], len(cands), [c["code"] for c in cands]))
            u["successor"] = ""
        else:
            u["successor"] = cands[0]["code"]
    used = {u["successor"] for u in old}
    for n in new:
        if n["code"] not in used:
            errors.append("2025 unit %s %r has no predecessor" % (n["code"], n["name"]))

    rows = [[n["code"], n["name"], n["kind"], NEW_VALID_FROM, "", "", ""] for n in new]
    rows += [[u["code"], u["name"], u["kind"], "", OLD_VALID_TO, u["successor"], u["code"]]
             for u in old]
    if len(rows) != 97:
        errors.append("expected 97 province rows, got %d" % len(rows))
    return rows, errors, notes


# ---------------------------------------------------------------------------

def versions(cldr_dir):
    out = []
    try:
        pkg = load_json(os.path.join(cldr_dir, "package.json"))
        out.append("CLDR: npm %s %s (cldrVersion %s)"
                   % (pkg.get("name"), pkg.get("version"), pkg.get("cldrVersion")))
    except OSError:
        out.append("CLDR: package.json not found in %s" % cldr_dir)
    try:
        v = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                           capture_output=True, text=True, check=True).stdout
        out.append("iso-codes: Debian package %s" % v)
    except (OSError, subprocess.CalledProcessError):
        out.append("iso-codes: version unknown (dpkg-query not available)")
    return out


# ---------------------------------------------------------------------------
# regions.csv, country-regions.csv (UN M.49 as CLDR keeps it)
# ---------------------------------------------------------------------------

CONTINENTS = ["002", "009", "019", "142", "150"]  # Africa, Oceania, Americas, Asia, Europe


def build_regions(cldr_core_dir, cldr_dir, alpha2s):
    """Continents and sub-regions of UN M.49 from CLDR's territory containment,
    named from CLDR's vi/en territory names; each ISO country in one sub-region."""
    errors = []
    path = os.path.join(cldr_core_dir, "supplemental", "territoryContainment.json")
    tree = load_json(path)["supplemental"]["territoryContainment"]
    vi = cldr_territories(cldr_dir, "vi")
    en = cldr_territories(cldr_dir, "en")
    regions = []
    members = []
    sub_of = {}
    for cont in CONTINENTS:
        if cont not in tree:
            errors.append("territoryContainment lacks continent %s" % cont)
            continue
        regions.append([cont, "", vi.get(cont, ""), en.get(cont, "")])
        for sub in tree[cont]["_contains"]:
            if sub not in tree:
                errors.append("sub-region %s of %s has no containment" % (sub, cont))
                continue
            regions.append([sub, cont, vi.get(sub, ""), en.get(sub, "")])
            for c in tree[sub]["_contains"]:
                if c in sub_of:
                    errors.append("%s is in %s and %s" % (c, sub_of[c], sub))
                sub_of[c] = sub
    for r in regions:
        if not r[2] or not r[3]:
            errors.append("region %s has no vi or en name in CLDR" % r[0])
    for a2 in sorted(alpha2s):
        sub = sub_of.get(a2)
        if sub is None:
            errors.append("%s is in no M.49 sub-region" % a2)
            continue
        cont = next(r[1] for r in regions if r[0] == sub)
        members.append([a2, sub, cont])
    regions.sort(key=lambda r: (r[1] or r[0], r[1] != "", r[0]))
    return regions, members, errors


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--iso-codes", default="/usr/share/iso-codes/json",
                   help="directory holding iso_3166-1.json and iso_3166-2.json")
    p.add_argument("--cldr", required=True,
                   help="cldr-localenames-modern (or -full) package directory")
    p.add_argument("--cldr-core", required=True,
                   help="cldr-core package directory (supplemental/territoryContainment.json)")
    p.add_argument("--provinces-2025", required=True,
                   help="CSV of the 34 units (name,kind,absorbed)")
    p.add_argument("--lgpl-text", default="/usr/share/common-licenses/LGPL-2.1")
    p.add_argument("--iso-codes-copyright", default="/usr/share/doc/iso-codes/copyright")
    p.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = p.parse_args()

    countries, e1, n1 = build_countries(a.iso_codes, a.cldr)
    provinces, e2, n2 = build_provinces(a.iso_codes, a.provinces_2025)
    regions, members, e3 = build_regions(a.cldr_core, a.cldr, [c[0] for c in countries])
    if e1 or e2 or e3:
        fail(e1 + e2 + e3)

    os.makedirs(a.out, exist_ok=True)

    def write(name, text):
        with open(os.path.join(a.out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)

    write("countries.csv", csv_text(["alpha2", "alpha3", "numeric", "name_vi", "name_en"], countries))
    write("regions.csv", csv_text(["code", "parent", "name_vi", "name_en"], regions))
    write("country-regions.csv", csv_text(["alpha2", "subregion", "continent"], members))
    write("provinces.csv", csv_text(
        ["code", "name", "kind", "valid_from", "valid_to", "successor_code", "iso_code"], provinces))

    shutil.copyfile(os.path.join(a.cldr, "LICENSE"), os.path.join(a.out, "LICENSE-unicode.txt"))
    with open(a.iso_codes_copyright, encoding="utf-8") as f:
        cp = f.read()
    with open(a.lgpl_text, encoding="utf-8") as f:
        lgpl = f.read()
    write("LICENSE-iso-codes.txt",
          "Debian iso-codes: copyright and licence statement "
          "(from %s)\n\n%s\n\n%s\n\nFull text of the GNU Lesser General Public "
          "License version 2.1 (from %s)\n\n%s\n\n%s"
          % (a.iso_codes_copyright, "=" * 72, cp.rstrip("\n"), a.lgpl_text, "=" * 72, lgpl))

    for line in versions(a.cldr):
        print(line)
    for line in n1 + n2:
        print("note: " + line)
    print("countries.csv: %d rows" % len(countries))
    print("regions.csv: %d rows; country-regions.csv: %d rows" % (len(regions), len(members)))
    print("provinces.csv: %d rows (%d from 2025-07-01, %d until 2025-06-30)"
          % (len(provinces), sum(1 for r in provinces if r[3]), sum(1 for r in provinces if r[4])))


if __name__ == "__main__":
    main()
