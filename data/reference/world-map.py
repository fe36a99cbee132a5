#!/usr/bin/env python3
"""Regenerate world-map.csv: Natural Earth 1:110m country shapes as SVG paths.

Python 3 standard library only.  The source is fetched OUTSIDE the repo:

    # 1. Natural Earth 1:110m "Admin 0 - Countries" (public domain), GeoJSON,
    #    from the repository nvkelso/natural-earth-vector, release v5.1.2,
    #    commit 9380cca83db5f9aef52d5e762765100745f84b27,
    #    path geojson/ne_110m_admin_0_countries.geojson
    #    (838,726 bytes, 177 features,
    #     sha256 6866c877d39cba9c357620878839b336d569f8c662d3cfab4cb1dbe2d39c977f)
    curl -sSL -o /tmp/ne_110m_admin_0_countries.geojson \
        https://raw.githubusercontent.com/nvkelso/natural-earth-vector/9380cca83db5f9aef52d5e762765100745f84b27/geojson/ne_110m_admin_0_countries.geojson
    #    or, from a clone:
    #    git -C natural-earth-vector show \
    #        9380cca83db5f9aef52d5e762765100745f84b27:geojson/ne_110m_admin_0_countries.geojson \
    #        > /tmp/ne_110m_admin_0_countries.geojson
    sha256sum /tmp/ne_110m_admin_0_countries.geojson

    # 2. Regenerate (from the repository root)
    python3 data/reference/world-map.py /tmp/ne_110m_admin_0_countries.geojson \
        --out data/reference/world-map.csv

The script prints the input's sha256 and warns (it does not stop) when it is
not the one above.  Coordinates are first rounded to 6 decimals, the precision
of that file, so a full-precision export of the same Natural Earth layer (for
example GIScience/ai-assisted-osm-mapping-stats, commit
45c342595f3a6bcad30d9c93ee14d8c71303b6ae, data/ne_110m_admin_0_countries.geojson,
which rounds to the file above byte for byte) gives the same CSV.

Output: world-map.csv, columns alpha2,d, one row per country, sorted by alpha2.

- alpha2: ISO_A2 when it is two capital letters, otherwise ISO_A2_EH
  (France, Norway and Kosovo carry ISO_A2 "-99"; Taiwan carries "CN-TW").
  Features with neither (Northern Cyprus, Somaliland) and Antarctica (AQ) are
  left out.
- d: an SVG path in a 1000 x 500 box, equirectangular:
      x = (lon + 180) / 360 * 1000
      y = (90 - lat) / 180 * 500
  Each ring is "Mx yLx y...Z", coordinates rounded half up to 1 decimal
  (a trailing ".0" is dropped), consecutive duplicate points after rounding
  dropped, the closing point left to "Z", rings of fewer than 3 points dropped.
  Every polygon of a MultiPolygon is a subpath of the same d.  Outer rings
  are written clockwise on screen and holes (South Africa's, round Lesotho)
  anticlockwise, so the default fill-rule (nonzero) leaves holes empty.
- If the file would be over MAX_BYTES, rings whose bounding box is under
  1 unit in both directions are dropped (the script says how many).

Nothing is written unless every check passes; on a failed check the script
prints what is wrong and exits with status 1.
"""

import argparse
import csv
import hashlib
import io
import json
import math
import re
import sys

EXPECTED_SHA256 = "6866c877d39cba9c357620878839b336d569f8c662d3cfab4cb1dbe2d39c977f"
MAX_BYTES = 250_000
SKIP = {"AQ"}  # Antarctica
MUST_HAVE = ["VN", "CN", "US", "RU", "FR", "NO", "JP", "LA", "KH"]
ALPHA2 = re.compile(r"[A-Z]{2}")


def alpha2(props):
    for key in ("ISO_A2", "ISO_A2_EH"):
        v = props.get(key)
        if isinstance(v, str) and ALPHA2.fullmatch(v):
            return v
    return None


def tenths(v):
    """Round half up to tenths; return an integer number of tenths."""
    return int(math.floor(v * 10 + 0.5))


def fmt(t):
    s = "%d.%d" % (abs(t) // 10, abs(t) % 10)
    if s.endswith(".0"):
        s = s[:-2]
    return ("-" + s) if t < 0 else s


def project(lon, lat):
    lon = round(lon, 6)
    lat = round(lat, 6)
    x = (lon + 180.0) / 360.0 * 1000.0
    y = (90.0 - lat) / 180.0 * 500.0
    return tenths(x), tenths(y)


def ring_points(ring):
    pts = []
    for p in ring:
        q = project(p[0], p[1])
        if not pts or pts[-1] != q:
            pts.append(q)
    while len(pts) > 1 and pts[-1] == pts[0]:
        pts.pop()
    return pts


def signed_area(pts):
    """Shoelace sum; positive = clockwise on screen (y grows downward)."""
    s = 0
    n = len(pts)
    for i in range(n):
        x1, y1 = pts[i]
        x2, y2 = pts[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return s


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    raise ValueError("unexpected geometry type %r" % geom["type"])


def country_rings(geom):
    """[(points, is_hole)] with outer rings clockwise and holes anticlockwise."""
    out = []
    for poly in polygons(geom):
        for i, ring in enumerate(poly):
            pts = ring_points(ring)
            if len(pts) < 3:
                continue
            a = signed_area(pts)
            if a == 0:
                continue
            hole = i > 0
            if (a > 0) == hole:
                pts.reverse()
            out.append((pts, hole))
    return out


def small(pts):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return max(xs) - min(xs) < 10 and max(ys) - min(ys) < 10  # tenths: < 1 unit


def path(rings):
    parts = []
    for pts, _ in rings:
        parts.append(
            "M" + "L".join("%s %s" % (fmt(x), fmt(y)) for x, y in pts) + "Z"
        )
    return "".join(parts)


def render(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["alpha2", "d"])
    for code, rings in rows:
        w.writerow([code, path(rings)])
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="ne_110m_admin_0_countries.geojson (or .json)")
    ap.add_argument("--out", default="data/reference/world-map.csv")
    args = ap.parse_args()

    raw = open(args.source, "rb").read()
    sha = hashlib.sha256(raw).hexdigest()
    print("input %s: %d bytes, sha256 %s" % (args.source, len(raw), sha))
    if sha != EXPECTED_SHA256:
        print("warning: not the sha256 named at the top of this script "
              "(%s); check the CSV diff" % EXPECTED_SHA256)
    data = json.loads(raw.decode("utf-8"))

    errors = []
    by_code = {}
    skipped = []
    for f in data["features"]:
        props = f["properties"]
        code = alpha2(props)
        name = props.get("ADMIN") or props.get("NAME")
        if code is None:
            skipped.append("%s (no alpha-2: ISO_A2 %r, ISO_A2_EH %r)"
                           % (name, props.get("ISO_A2"), props.get("ISO_A2_EH")))
            continue
        if code in SKIP:
            skipped.append("%s (%s, left out)" % (name, code))
            continue
        if code in by_code:
            errors.append("two features share %s: %s and %s"
                          % (code, by_code[code][0], name))
            continue
        if props.get("ISO_A2") != code:
            print("note: %s uses ISO_A2_EH %s (ISO_A2 is %r)"
                  % (name, code, props.get("ISO_A2")))
        rings = country_rings(f["geometry"])
        if not rings:
            errors.append("%s (%s) has no ring left after rounding" % (name, code))
        by_code[code] = (name, rings)

    for s in skipped:
        print("skipped: " + s)
    for code in MUST_HAVE:
        if code not in by_code:
            errors.append("missing %s" % code)

    rows = [(code, by_code[code][1]) for code in sorted(by_code)]
    text = render(rows)
    if len(text.encode("utf-8")) > MAX_BYTES:
        dropped = 0
        pruned = []
        for code, rings in rows:
            keep = [r for r in rings if not small(r[0])]
            if not keep:  # never drop a whole country: keep its largest ring
                keep = [max(rings, key=lambda r: abs(signed_area(r[0])))]
            dropped += len(rings) - len(keep)
            pruned.append((code, keep))
        rows = pruned
        text = render(rows)
        print("over %d bytes: dropped %d rings under 1 unit" % (MAX_BYTES, dropped))
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        errors.append("output is %d bytes, over %d" % (size, MAX_BYTES))

    if errors:
        for e in errors:
            print("error: " + e, file=sys.stderr)
        sys.exit(1)

    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    n_rings = sum(len(r) for _, r in rows)
    n_pts = sum(len(p) for _, r in rows for p, _ in r)
    print("wrote %s: %d countries, %d rings, %d points, %d bytes"
          % (args.out, len(rows), n_rings, n_pts, size))


if __name__ == "__main__":
    main()
