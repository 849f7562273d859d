#!/usr/bin/env python3
"""Generate www/geo/airports.tsv, the airport-code table that src/paths/hints.rs compiles in.

Not run by CI or the build: the table is committed, and this script only documents (and repeats) how it
was made. Inputs are the airportsdata wheel from PyPI (MIT licence, data partly from mwgg/Airports, also
MIT) and a GeoNames city gazetteer (CC BY 4.0). The committed table was joined to the gazetteer as it was
when the table was first made (commit 158ac54, 4,106 cities of population >= 150,000 with 4-decimal
coordinates); the gazetteer was cut to 2,075 cities later (commit f312dc3) and joining to that one would
drop about 500 codes, so the older file is passed explicitly:

    pip download --no-deps airportsdata==20260905 -d /tmp/apd
    git show 158ac54:www/geo/cities.tsv > /tmp/cities-150k.tsv
    python3 .ci/gen-airports.py /tmp/apd/airportsdata-20260905-py3-none-any.whl /tmp/cities-150k.tsv \
        > www/geo/airports.tsv

Without the second argument the script reads www/geo/cities.tsv, the gazetteer of today.

Router names use airport codes as city codes ("ams", "fra", "lhr"), so a code is only useful when it
names a city a router could be in. An airport is kept when it has an IATA code and the city it serves
(airportsdata's `city` field) is a city of the gazetteer in the same country, within MAX_KM of the
airport: the names must match after folding case and accents, allowing one to extend the other by whole
words ("New York" and "New York City", "Frankfurt" and "Frankfurt am Main"). airportsdata has no airport
type (large/medium), so this join is the filter: it drops about 6,000 airstrips and small fields whose
three-letter codes would only be false positives in router names. IATA's metropolitan-area codes (LON,
NYC, TYO…, from the package's iata_macs.csv) are added for the cities of the gazetteer they name.

Each row carries the gazetteer city's name and centre (2 decimals, about 1 km), not the airport's
position: a router named after an airport is in the city the airport serves, often 20-40 km away from
the runway. The last column is the ICAO code (airportsdata's `icao` field) of the airport that has the
row's IATA code, so that `eham` names Amsterdam as `ams` does. It is empty for the metropolitan-area
codes that are not also an airport's code (LON, NYC…: a city has no ICAO code) and for the few airports
whose `icao` field is not four letters (FAA local identifiers such as 8XS8, placeholders such as _BFY),
which are not ICAO codes. The column is last so the five columns before it stay as they were.
"""

import csv
import io
import math
import sys
import unicodedata
import zipfile

MAX_KM = 60.0
AIRPORTS = "airportsdata/airports.csv"
MACS = "airportsdata/iata_macs.csv"


def fold(name):
    """Lower-case ASCII letters and single spaces: 'São Paulo' -> 'sao paulo'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def names_match(a, b):
    a, b = fold(a), fold(b)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return long == short or long.startswith(short + " ")


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def gazetteer(path):
    cities = []
    with open(path, encoding="utf8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, country, lat, lon, population = line.rstrip("\n").split("\t")
            cities.append((name, country, float(lat), float(lon), int(population)))
    return cities


def served_city(cities, name, country, lat, lon):
    """The largest gazetteer city of that name and country near the airport, or None."""
    best = None
    for city in cities:
        if city[1] != country or not names_match(city[0], name):
            continue
        if lat is not None and km(lat, lon, city[2], city[3]) > MAX_KM:
            continue
        if best is None or city[4] > best[4]:
            best = city
    return best


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: gen-airports.py AIRPORTSDATA.whl [CITIES.tsv] > www/geo/airports.tsv")
    cities = gazetteer(sys.argv[2] if len(sys.argv) == 3 else "www/geo/cities.tsv")
    with zipfile.ZipFile(sys.argv[1]) as wheel:
        airports = list(csv.DictReader(io.StringIO(wheel.read(AIRPORTS).decode("utf8"))))
        macs = list(csv.DictReader(io.StringIO(wheel.read(MACS).decode("utf8"))))
    # ICAO code by IATA code, for every airport of the package (airportsdata has no duplicate IATA
    # codes), including those whose own city field did not join but whose code the metropolitan-area
    # list keeps (NGO, Chubu Centrair, for Nagoya).
    icao_of = {}
    for airport in airports:
        code, icao = airport["iata"].strip().upper(), airport["icao"].strip().upper()
        if len(code) == 3 and len(icao) == 4 and icao.isascii() and icao.isalpha():
            icao_of[code] = icao
    rows = {}
    for airport in airports:
        code = airport["iata"].strip().upper()
        if len(code) != 3 or not code.isalpha():
            continue
        city = served_city(
            cities, airport["city"], airport["country"], float(airport["lat"]), float(airport["lon"])
        )
        if city:
            rows[code] = city
    # A metropolitan code names its city outright, so it wins over an airport's own city field where
    # the two codes coincide (IST is the code of Istanbul as well as of its airport in Arnavutköy).
    for mac in macs:
        code = mac["City Code"].strip().upper()
        city = served_city(cities, mac["City Name"], mac["Country"], None, None)
        if city:
            rows[code] = city
    out = sys.stdout
    out.write("#iata\tcity\tcountry\tlat\tlon\ticao\n")
    for code in sorted(rows):
        name, country, lat, lon, _ = rows[code]
        icao = icao_of.get(code, "")
        out.write("%s\t%s\t%s\t%.2f\t%.2f\t%s\n" % (code, name, country, lat, lon, icao))


if __name__ == "__main__":
    main()
