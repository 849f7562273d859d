//! Location hints from router names, in the spirit of CAIDA's Hoiho (M. Luckie, B. Huffaker, A. Marder,
//! Z. Bischof, M. Fletcher and k. claffy, "Learning to Extract Geographic Information from Internet
//! Router Hostnames", CoNEXT 2021) and of DRoP and undns before it: operators write where a router is
//! into its name, as an airport code (`ams`, `fra3`, or the ICAO form `eham`), a CLLI-style city code
//! (`amstnl02`, `frnkge13`) or a city name (`Amsterdam1`, `av2-amsterdam`). This module tokenises a
//! name, looks the tokens up in dictionaries compiled in from openly licensed data, scores each
//! candidate, and checks it against physics: a hint is accepted only if the probe's RTT to the hop
//! allows the distance from the probe to the hinted city.
//!
//! Hoiho learns a regular expression per operator domain from hundreds of thousands of names and RTT
//! constraints; one notebook has a few hundred names, so this module uses fixed rules instead (below)
//! and lets the speed of light veto what the rules get wrong. Pure core: no I/O, never panics on any
//! name (empty, huge, non-ASCII, `..`, over-long labels all give no hints).
//!
//! ## Dictionaries
//! - IATA airport and metropolitan-area codes, and the ICAO code of each of those airports:
//!   `www/geo/airports.tsv`, from the airportsdata package (MIT) joined to the GeoNames gazetteer; see
//!   `www/geo/AIRPORTS-NOTICE.md`. An ICAO code names the same city as the airport's IATA code.
//! - City names: the GeoNames gazetteer of `geo::cities` (CC BY 4.0), folded to lower-case ASCII.
//! - CLLI-style codes: the CLLI code set belongs to iconectiv and is not open (CAIDA's Hoiho API returns
//!   CLLI codes unresolved for that reason: "please contact iconectiv for a dictionary", CAIDA blog,
//!   2023-02-13). [`CLLI_CODES`] is therefore a small table of codes seen in public router names whose
//!   own country label shows where they are, each with its evidence.
//!
//! ## Scoring
//! Many three-letter tokens are not places (`gin`, `ntt`, `net`, `bb`, `cr1`, `core` fragments), and
//! many are airports somewhere (`kst` is Kosti in Sudan, `bar`, `gig`, `acc`). Each candidate scores:
//! - base: 3 for a CLLI code or a city name (six or more specific letters), 2 for an IATA or an ICAO
//!   code (see [`score`] for why ICAO is not scored higher for its extra letter);
//! - +1 when digits follow the letters in the same word (`ams03`, `fra3`, `Amsterdam1`): operators
//!   number their sites, and a numbered word is far more likely a site code than a role;
//! - +1 when the letters are the whole word, alone or with those digits (`ams2`, `ams-ix`,
//!   `av2-amsterdam`), rather than letters inside a longer run (`r1fra3` still counts, by digits);
//! - +1 when the label right after the token's is a two-letter country code that agrees with the hint
//!   (`amstnl02.nl`), −1 when it names another country;
//! - −1 in the first label of a multi-label name, which is usually the interface (`ae-1`, `xe-0-0-0`,
//!   `be2434`);
//! - −1 in the registered-domain label (`ntt`, `cogentco`, `nikhef`), which names the operator; it is
//!   scored down rather than dropped because short names such as `xe-0-0-0.cr1.ams2.nl` keep their site
//!   code there.
//!
//! Tokens on the stop list ([`STOP_WORDS`]: router roles, interface types, access-technology words and
//! operator names) are never hints. No airport code is read from a label that spells an address in hex
//! groups (`2a02-8108-0-eddf`, `2001-db8-dac-1`), where `eddf` is a group, not Frankfurt, and `dac` not
//! Dhaka. A candidate needs a score of
//! at least [`MIN_SCORE`].

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::format;
use crate::geo::{cities, haversine_km};
use crate::infer::Assumptions;

/// The baked airport table: a header line, then `iata, city, country, lat, lon, icao`, tab-separated;
/// `icao` is empty for metropolitan-area codes (a city has no ICAO code).
const AIRPORTS_TSV: &str = include_str!("../../www/geo/airports.tsv");

/// The lowest score a candidate needs to be reported (see the module documentation).
pub const MIN_SCORE: i32 = 2;

/// Added to the speed-of-light bound before a hint is rejected, in km. A city code names a metropolitan
/// area, not a point: a router coded `fra` may be 30 km from Frankfurt's centre, and probe positions are
/// entered by hand. Hoiho allows an RTT fudge for the same reason (`sc_hoiho -f rtt-fudge`). 100 km is
/// one millisecond of round trip in fibre, so it can only spare a hint that is nearly possible.
pub const HINT_TOLERANCE_KM: f64 = 100.0;

/// Longest name considered: a DNS name is at most 253 characters in text form (RFC 1035 §2.3.4 with
/// the 255-octet wire limit); anything longer is not a name and gives no hints.
const MAX_NAME_LENGTH: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
const MAX_LABEL_LENGTH: usize = 63;

/// Tokens that are never location hints: router roles and interface names, access technologies, and
/// the names of operators and their backbones. Several are also airport codes (`bar`, `gig`, `acc`,
/// `asr`, `cpe`, `cor`, `cbr`, `int`, `res`, `bun`, `lnk`, `poo`, `cab`), which is why they are here.
///
/// `cix` is the exchange brand of DE-CIX (and BCIX, ECIX, KCIX, CIX Zagreb…), which members write into
/// the names of their routers on its peering LANs (`de-cix10.net.google.com`, `de-cix.as42456.net`):
/// split on the hyphen, it read as CIX, Chiclayo in Peru. Scored against router names on IXP LANs
/// (`examples/hint_eval.rs`), it was the most frequent wrong hint.
///
/// ICAO codes were checked the same way: the 1,690 four-letter codes of the table against these stop
/// words, against about 280 four-letter words of router names (roles, interfaces, access technologies,
/// protocols, vendors, operators) and against every four-letter token of the host names in
/// `tests/fixtures`. None of the stop words is an ICAO code of the table (`core`, `edge`, `peer`,
/// `cust`, `host`, `port`, `pool`, `link`… are not), and the one router-name word that is, `wall`
/// (WALL, Balikpapan; a firewall's role as in `wall1`), is added below. The English words among the
/// codes (`heat`, `fool`, `kind`, `knew`, `fact`, `watt`) are not router-name words and are left to
/// the speed of light.
pub const STOP_WORDS: &[&str] = &[
    "acc",
    "access",
    "adsl",
    "agg",
    "agr",
    "asr",
    "atlas",
    "backbone",
    "bar",
    "bb",
    "bbr",
    "bdr",
    "bgp",
    "border",
    "bun",
    "bundle",
    "cab",
    "cable",
    "car",
    "cbr",
    "ccr",
    "channel",
    "cix",
    "client",
    "core",
    "cor",
    "cpe",
    "cust",
    "customer",
    "dhcp",
    "dns",
    "dsl",
    "dyn",
    "dynamic",
    "ear",
    "edge",
    "ether",
    "eth",
    "ethernet",
    "fiber",
    "fibre",
    "ftth",
    "gig",
    "gigabitethernet",
    "gin",
    "gpon",
    "gw",
    "gateway",
    "host",
    "int",
    "inet",
    "internet",
    "ip",
    "ipv",
    "irb",
    "ix",
    "lag",
    "level",
    "link",
    "lnk",
    "lo",
    "loopback",
    "mail",
    "mgmt",
    "nat",
    "ncore",
    "net",
    "ntp",
    "ntt",
    "peer",
    "peering",
    "poo",
    "pool",
    "port",
    "pos",
    "ppp",
    "res",
    "router",
    "rtr",
    "server",
    "srv",
    "static",
    "switch",
    "tcore",
    "tele",
    "telia",
    "ten",
    "tengige",
    "transit",
    "vlan",
    "wall",
    "web",
    "www",
];

/// Second-level suffixes under which names are registered (`example.co.uk`), for dropping the public
/// suffix. A short list of those common in router names; anything else is taken as `label.tld`.
const SECOND_LEVEL_SUFFIXES: &[&str] = &[
    "ac.uk", "co.uk", "net.uk", "org.uk", "ad.jp", "co.jp", "ne.jp", "or.jp", "com.au", "net.au",
    "com.br", "net.br", "com.cn", "net.cn", "co.nz", "net.nz", "co.za", "net.za", "com.tr",
    "net.tr", "com.mx", "net.mx", "co.kr", "ne.kr", "com.ar", "net.ar", "com.hk", "net.hk",
    "com.sg", "net.sg", "co.in", "net.in", "net.id", "co.id",
];

/// CLLI-style six-letter site codes (four letters of place, two of region) with the city they name.
/// Each was read in public router names whose next label is the country, which is the evidence for
/// the city: the iperf servers `iperf01.<site>.<cc>.to.gin.ntt.net` of NTT (AS2914) listed in a public
/// NOC script (e.g. `iperf01.amstnl02.nl.to.gin.ntt.net`, `iperf01.frnkge13.de…`,
/// `iperf01.londen03.uk…`), and traceroutes quoted in public READMEs and posts
/// (`ae-6.r02.frnkge03.de.bb.gin.ntt.net`, `p4-0-1-0.r80.nwrknj01.us.bb.verio.net`). Sites whose town
/// is not in the gazetteer (Ashburn `asbnva`, Palo Alto `plalca`, Milpitas `mlpsca`) are left out
/// rather than moved to a larger neighbour; `tkokhk` (Tseung Kwan O) is inside Hong Kong.
pub const CLLI_CODES: &[(&str, &str, &str)] = &[
    ("amstnl", "Amsterdam", "NL"),
    ("atlnga", "Atlanta", "US"),
    ("buchro", "Bucharest", "RO"),
    ("chcgil", "Chicago", "US"),
    ("dllstx", "Dallas", "US"),
    ("frnkge", "Frankfurt am Main", "DE"),
    ("hstntx", "Houston", "US"),
    ("jktajk", "Jakarta", "ID"),
    ("londen", "London", "GB"),
    ("lsanca", "Los Angeles", "US"),
    ("mdrdsp", "Madrid", "ES"),
    ("miamfl", "Miami", "US"),
    ("mlanit", "Milan", "IT"),
    ("nwrknj", "Newark", "US"),
    ("nycmny", "New York City", "US"),
    ("osakjp", "Osaka", "JP"),
    ("parsfr", "Paris", "FR"),
    ("saplbr", "São Paulo", "BR"),
    ("scrmca", "Sacramento", "US"),
    ("seolko", "Seoul", "KR"),
    ("sngpsi", "Singapore", "SG"),
    ("snjsca", "San Jose", "US"),
    ("sttlwa", "Seattle", "US"),
    ("sydnau", "Sydney", "AU"),
    ("taiptw", "Taipei", "TW"),
    ("tkokhk", "Hong Kong", "HK"),
    ("tokyjp", "Tokyo", "JP"),
    ("vienat", "Vienna", "AT"),
];

/// First words too common to stand for one city on their own ("Puerto …", "Saint …").
const GENERIC_FIRST_WORDS: &[&str] = &[
    "ciudad", "greater", "north", "nueva", "nuevo", "puerto", "saint", "sankt", "santa", "santo",
    "south", "villa",
];

/// Which dictionary a hint came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HintSource {
    /// An IATA airport or metropolitan-area code (`ams`, `lon`).
    Iata,
    /// An ICAO airport code (`eham`), naming the city of the airport's IATA code.
    Icao,
    /// A CLLI-style six-letter site code (`amstnl`).
    Clli,
    /// A city's name (`amsterdam`, `newyork`).
    CityName,
}

/// Whether the physics allows a hint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum HintStatus {
    /// The probe's RTT to the hop allows the distance to the city.
    Accepted,
    /// The city is further from the probe than the RTT allows; the reason says by how much.
    Rejected { reason: String },
    /// No check was possible (no probe position or no RTT to the hop); the reason says which.
    Unchecked { reason: String },
}

/// One possible location read from a router name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocationHint {
    /// The letters of the name the hint was read from, lower case (`ams`, `amstnl`, `amsterdam`).
    pub token: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub source: HintSource,
    /// The rule score (see the module documentation); higher is more likely a place.
    pub score: i32,
    /// Great-circle distance from the probe to the city, when the probe's position is known.
    pub distance_km: Option<f64>,
    /// The most the RTT allows (speed of light in fibre plus [`HINT_TOLERANCE_KM`]), when checked.
    pub max_distance_km: Option<f64>,
    #[serde(flatten)]
    pub status: HintStatus,
}

impl LocationHint {
    pub fn is_accepted(&self) -> bool {
        self.status == HintStatus::Accepted
    }
}

/// A place the dictionaries know.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Place {
    city: &'static str,
    country: &'static str,
    lat: f64,
    lon: f64,
}

struct Dictionaries {
    iata: HashMap<String, Place>,
    icao: HashMap<String, Place>,
    clli: HashMap<&'static str, Place>,
    city_names: HashMap<String, Place>,
}

fn dictionaries() -> &'static Dictionaries {
    static DICTIONARIES: OnceLock<Dictionaries> = OnceLock::new();
    DICTIONARIES.get_or_init(|| {
        let Airports { iata, icao } = parse_airports(AIRPORTS_TSV);
        Dictionaries {
            clli: clli_places(&iata),
            city_names: city_name_index(&iata),
            iata,
            icao,
        }
    })
}

/// The airport table by code, lower case: every row by its IATA code, and the rows that have one by
/// their ICAO code too.
struct Airports {
    iata: HashMap<String, Place>,
    icao: HashMap<String, Place>,
}

/// Parses the airport table; malformed lines are skipped, never unwrapped. A row whose ICAO field is
/// missing or not four letters still counts by its IATA code.
fn parse_airports(text: &'static str) -> Airports {
    let mut table = HashMap::new();
    let mut icao_table = HashMap::new();
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        let mut fields = line.split('\t');
        let (Some(code), Some(city), Some(country), Some(lat), Some(lon)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next().and_then(|v| v.trim().parse::<f64>().ok()),
            fields.next().and_then(|v| v.trim().parse::<f64>().ok()),
        ) else {
            continue;
        };
        let icao = fields
            .next()
            .map(str::trim)
            .filter(|icao| icao.len() == 4 && icao.bytes().all(|b| b.is_ascii_alphabetic()));
        let valid = code.len() == 3
            && code.bytes().all(|b| b.is_ascii_alphabetic())
            && country.len() == 2
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        if valid {
            let place = Place {
                city,
                country,
                lat,
                lon,
            };
            if let Some(icao) = icao {
                icao_table.insert(icao.to_ascii_lowercase(), place);
            }
            table.insert(code.to_ascii_lowercase(), place);
        }
    }
    Airports {
        iata: table,
        icao: icao_table,
    }
}

/// The CLLI table joined to the gazetteer for coordinates (largest city of that name and country), or,
/// for a city below the gazetteer's population threshold (Newark), to the airport table, whose rows
/// carry the coordinates of the city each airport serves.
fn clli_places(airports: &HashMap<String, Place>) -> HashMap<&'static str, Place> {
    CLLI_CODES
        .iter()
        .filter_map(|(code, name, country)| {
            let place = cities()
                .iter()
                .find(|city| city.name == *name && city.country_code == *country)
                .map(|city| Place {
                    city: city.name,
                    country: city.country_code,
                    lat: city.lat,
                    lon: city.lon,
                })
                .or_else(|| {
                    airports
                        .values()
                        .find(|place| place.city == *name && place.country == *country)
                        .copied()
                })?;
            Some((*code, place))
        })
        .collect()
}

/// Lower-case ASCII letters of a name, with the accents of Latin letters removed ("São Paulo" →
/// "saopaulo", "Zürich" → "zurich"); `None` when a letter has no ASCII form here (other scripts), so
/// such a name is simply not indexed.
fn fold(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let plain = match c {
            'a'..='z' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            ' ' | '-' | '\'' | '.' | '’' => continue,
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä'
            | 'Å' => 'a',
            'ç' | 'ć' | 'č' | 'Ç' | 'Č' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'É' | 'È' => 'e',
            'ğ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'İ' | 'Í' => 'i',
            'ł' | 'Ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ó' | 'Ö' | 'Ø' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' => 's',
            'ß' => {
                out.push_str("ss");
                continue;
            }
            'ť' | 'ţ' | 'ț' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ú' | 'Ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' | 'Ž' | 'Ż' => 'z',
            _ => return None,
        };
        out.push(plain);
    }
    Some(out)
}

/// City names folded to letters, largest city first for each key (the gazetteer's order). Besides the
/// full name, a multi-word name is also indexed by its first word when that word is specific
/// ("frankfurt" for Frankfurt am Main) and without a trailing "city" ("newyork" for New York City).
fn city_name_index(airports: &HashMap<String, Place>) -> HashMap<String, Place> {
    let mut index: HashMap<String, Place> = HashMap::new();
    // Gazetteer cities first (largest first, so a name shared by two cities means the larger), then the
    // cities the airport table serves that the gazetteer's population threshold leaves out.
    let mut airport_cities: Vec<Place> = airports.values().copied().collect();
    airport_cities.sort_by(|a, b| (a.city, a.country).cmp(&(b.city, b.country)));
    let places = cities()
        .iter()
        .map(|city| Place {
            city: city.name,
            country: city.country_code,
            lat: city.lat,
            lon: city.lon,
        })
        .chain(airport_cities);
    for place in places {
        let Some(full) = fold(place.city) else {
            continue;
        };
        let mut keys = vec![full.clone()];
        let words: Vec<&str> = place.city.split([' ', '-']).collect();
        if words.len() > 1 {
            if let Some(first) = words.first().and_then(|w| fold(w))
                && first.len() >= 6
                && !GENERIC_FIRST_WORDS.contains(&first.as_str())
            {
                keys.push(first);
            }
            if let Some(stripped) = full.strip_suffix("city")
                && stripped.len() >= 4
            {
                keys.push(stripped.to_string());
            }
        }
        for key in keys {
            if key.len() >= 4 && !STOP_WORDS.contains(&key.as_str()) {
                index.entry(key).or_insert(place);
            }
        }
    }
    index
}

/// One run of letters in a router name, with what the scoring rules need to know about where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower-case ASCII letters.
    pub text: String,
    /// Index of its label among the labels kept (public suffix dropped), 0 = leftmost.
    pub label: usize,
    /// Digits follow the letters in the same word.
    pub followed_by_digits: bool,
    /// The letters, with at most trailing digits, are the whole word (between `-`, `_` and `.`).
    pub whole_word: bool,
    /// In the first label of a name with more than one label kept.
    pub in_first_label: bool,
    /// In the registered-domain label (the operator's name).
    pub in_domain: bool,
    /// The label right after this one, when it has exactly two letters (a country code, perhaps).
    pub next_label_country: Option<String>,
    /// The label spells an address in hex groups (see [`spells_address`]).
    pub in_address_label: bool,
}

/// Whether a label is an address written out in hex groups, as ISPs name customer lines after their
/// IPv6 address (`2a02-8108-0-eddf`): at least four words, all hex digits, at least one with a decimal
/// digit. Eleven ICAO codes of the table are spelled with the letters a-f only (`eddf` Frankfurt,
/// `eddb` Berlin, `feff` Bangui…), and a four-letter group of such a label can be one of them by chance.
fn spells_address(label: &str) -> bool {
    let words: Vec<&str> = label.split(['-', '_']).collect();
    words.len() >= 4
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_hexdigit()))
        && words.iter().any(|w| w.bytes().any(|b| b.is_ascii_digit()))
}

/// The labels of a name that can carry hints, lower case, with the public suffix removed; the last one
/// returned is the registered-domain label when the name had a suffix. Empty for anything that is not
/// a plausible DNS name.
fn labels(hostname: &str) -> (Vec<String>, bool) {
    let name = hostname.trim().trim_end_matches('.');
    if name.is_empty() || name.len() > MAX_NAME_LENGTH || !name.is_ascii() {
        return (Vec::new(), false);
    }
    let mut labels: Vec<String> = name
        .split('.')
        .filter(|label| !label.is_empty() && label.len() <= MAX_LABEL_LENGTH)
        .map(str::to_ascii_lowercase)
        .collect();
    if labels.len() < 2 {
        return (labels, false);
    }
    let suffix_labels = match labels.len() {
        n if n >= 3 => {
            let tail = format!("{}.{}", labels[n - 2], labels[n - 1]);
            if SECOND_LEVEL_SUFFIXES.contains(&tail.as_str()) {
                2
            } else {
                1
            }
        }
        _ => 1,
    };
    labels.truncate(labels.len() - suffix_labels);
    (labels, true)
}

/// Tokenises a router name: labels split on `.`, words on `-` and `_`, and words into runs of letters
/// and digits; the public suffix is dropped. Only letter runs are returned (digits are recorded as
/// `followed_by_digits`).
pub fn tokens(hostname: &str) -> Vec<Token> {
    let (labels, has_domain) = labels(hostname);
    let count = labels.len();
    let mut out = Vec::new();
    for (index, label) in labels.iter().enumerate() {
        let next_label_country = labels
            .get(index + 1)
            .filter(|next| next.len() == 2 && next.bytes().all(|b| b.is_ascii_alphabetic()))
            .cloned();
        let in_address_label = spells_address(label);
        for word in label.split(['-', '_']).filter(|w| !w.is_empty()) {
            let runs = runs(word);
            let whole = matches!(runs.as_slice(), [(true, _)] | [(true, _), (false, _)]);
            for (position, (letters, text)) in runs.iter().enumerate() {
                if !letters {
                    continue;
                }
                out.push(Token {
                    text: text.to_string(),
                    label: index,
                    followed_by_digits: runs.get(position + 1).is_some_and(|(l, _)| !l),
                    whole_word: whole,
                    in_first_label: index == 0 && count > 1,
                    in_domain: has_domain && index + 1 == count && count > 1,
                    next_label_country: next_label_country.clone(),
                    in_address_label,
                });
            }
        }
    }
    out
}

/// A word as alternating runs of ASCII letters (true) and other characters (false).
fn runs(word: &str) -> Vec<(bool, &str)> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (offset, c) in word.char_indices() {
        let letter = c.is_ascii_alphabetic();
        if current.is_some_and(|kind| kind != letter) {
            runs.push((current.unwrap_or(letter), &word[start..offset]));
            start = offset;
        }
        current = Some(letter);
    }
    if let Some(kind) = current {
        runs.push((kind, &word[start..]));
    }
    runs
}

/// The country a two-letter label stands for: ISO codes, with `uk` for GB as in `.uk` names.
fn label_country(label: &str) -> String {
    match label {
        "uk" => "GB".to_string(),
        other => other.to_ascii_uppercase(),
    }
}

/// The rule score of a candidate (see the module documentation).
///
/// An ICAO code starts at 2, as an IATA code does, for two reasons that pull opposite ways and roughly
/// cancel. Its extra letter makes a chance match rarer: the table's 1,690 ICAO codes are 0.4% of the
/// 26^4 four-letter strings, its 1,719 IATA codes 9.8% of the 26^3 three-letter ones. But operators
/// seldom use ICAO codes: the dictionaries CAIDA's Hoiho resolves are IATA, CLLI, UN/LOCODE and city
/// names (CAIDA blog, 2023-02-13), so a four-letter token that matches is less likely meant as a
/// place than a three-letter one. Scoring it above IATA would let a stray code outrank a site code in
/// the same name; below, at 1, a code such as `kjfk` in the registered-domain label would need both
/// digits and a whole word to be shown at all. Equal scores keep the order of the name.
fn score(token: &Token, source: HintSource, place: &Place) -> i32 {
    let mut score = match source {
        HintSource::Clli | HintSource::CityName => 3,
        HintSource::Iata | HintSource::Icao => 2,
    };
    if token.followed_by_digits {
        score += 1;
    }
    if token.whole_word {
        score += 1;
    }
    if let Some(country) = &token.next_label_country {
        if label_country(country) == place.country {
            score += 1;
        } else if crate::geo::country_name(&label_country(country)).is_some() {
            score -= 1;
        }
    }
    if token.in_first_label {
        score -= 1;
    }
    if token.in_domain {
        score -= 1;
    }
    score
}

/// The candidate hints of a router name, best first, not yet checked against any RTT (status
/// `Unchecked`). Adjacent words of one label are also tried together as a city name (`new-york`).
pub fn candidates(hostname: &str) -> Vec<LocationHint> {
    let tokens = tokens(hostname);
    let dictionaries = dictionaries();
    let mut found: Vec<LocationHint> = Vec::new();
    let mut push = |token: &Token, source: HintSource, place: &Place| {
        let score = score(token, source, place);
        let duplicate = found
            .iter()
            .any(|h| h.token == token.text && h.city == place.city);
        if score >= MIN_SCORE && !duplicate {
            found.push(LocationHint {
                token: token.text.clone(),
                city: place.city.to_string(),
                country: place.country.to_string(),
                lat: place.lat,
                lon: place.lon,
                source,
                score,
                distance_km: None,
                max_distance_km: None,
                status: HintStatus::Unchecked {
                    reason: "not checked against an RTT".to_string(),
                },
            });
        }
    };
    for token in &tokens {
        let text = token.text.as_str();
        // A label that spells an address in hex groups names a customer line, not a place: its
        // groups can be airport codes by chance (`fab`, `dac`, `eddf`).
        if STOP_WORDS.contains(&text) || token.in_address_label {
            continue;
        }
        if text.len() == 3
            && let Some(place) = dictionaries.iata.get(text)
        {
            push(token, HintSource::Iata, place);
        }
        if text.len() == 4
            && let Some(place) = dictionaries.icao.get(text)
        {
            push(token, HintSource::Icao, place);
        }
        if text.len() == 6
            && let Some(place) = dictionaries.clli.get(text)
        {
            push(token, HintSource::Clli, place);
        }
        if text.len() >= 4
            && let Some(place) = dictionaries.city_names.get(text)
        {
            push(token, HintSource::CityName, place);
        }
    }
    // Two-word city names written with a hyphen or an underscore (`new-york`, `hong_kong`).
    for pair in tokens.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        if first.label != second.label || !first.whole_word {
            continue;
        }
        let joined = format!("{}{}", first.text, second.text);
        if let Some(place) = dictionaries.city_names.get(&joined) {
            let token = Token {
                text: joined,
                ..second.clone()
            };
            push(&token, HintSource::CityName, place);
        }
    }
    // Stable: equal scores keep the order of the name.
    found.sort_by_key(|hint| std::cmp::Reverse(hint.score));
    found
}

/// Checks a hint against physics: the hinted city must be within what the hop's minimum RTT allows
/// from the probe, `rtt_min / 2 × c × fiber_factor` plus [`HINT_TOLERANCE_KM`] (c and the fibre factor
/// as the inference uses them, `infer::Assumptions`).
pub fn check(
    mut hint: LocationHint,
    probe: Option<(f64, f64)>,
    rtt_min_ms: Option<f64>,
    fiber_factor: f64,
) -> LocationHint {
    let Some((lat, lon)) = probe.filter(|(lat, lon)| lat.is_finite() && lon.is_finite()) else {
        hint.status = HintStatus::Unchecked {
            reason: "the probe's position is not known".to_string(),
        };
        return hint;
    };
    let distance_km = haversine_km(lat, lon, hint.lat, hint.lon);
    hint.distance_km = distance_km.is_finite().then_some(distance_km);
    let Some(rtt_ms) = rtt_min_ms.filter(|rtt| rtt.is_finite() && *rtt >= 0.0) else {
        hint.status = HintStatus::Unchecked {
            reason: "the hop has no RTT".to_string(),
        };
        return hint;
    };
    let assumptions = Assumptions {
        fiber_factor,
        ..Assumptions::default()
    };
    let max_km = assumptions.radius_km(rtt_ms) + HINT_TOLERANCE_KM;
    hint.max_distance_km = Some(max_km);
    hint.status = if distance_km <= max_km {
        HintStatus::Accepted
    } else {
        HintStatus::Rejected {
            reason: format!(
                "{} is {} from the probe; {} ms allows at most {}",
                hint.city,
                format::km(distance_km),
                format::ms(Some(rtt_ms)),
                format::km(max_km)
            ),
        }
    };
    hint
}

/// The hints of a router name, each checked against the probe's position and the hop's minimum RTT.
pub fn hints(
    hostname: &str,
    probe: Option<(f64, f64)>,
    rtt_min_ms: Option<f64>,
    fiber_factor: f64,
) -> Vec<LocationHint> {
    candidates(hostname)
        .into_iter()
        .map(|hint| check(hint, probe, rtt_min_ms, fiber_factor))
        .collect()
}

/// The best accepted hint of a list (the highest score; the first of equals).
pub fn best_accepted(hints: &[LocationHint]) -> Option<&LocationHint> {
    let mut best: Option<&LocationHint> = None;
    for hint in hints.iter().filter(|hint| hint.is_accepted()) {
        if best.is_none_or(|b| hint.score > b.score) {
            best = Some(hint);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(name: &str) -> Option<(String, String, HintSource)> {
        candidates(name)
            .first()
            .map(|hint| (hint.city.clone(), hint.country.clone(), hint.source))
    }

    fn city(name: &str) -> Option<String> {
        best(name).map(|(city, _, _)| city)
    }

    /// Router names quoted in public material, each with where it was read. The expected city is what
    /// the name's own conventions say (its country label, or the operator's site code).
    #[test]
    fn real_router_names_give_their_cities() {
        for (name, expected, source) in [
            // The conventions the issue names, as operators write them.
            (
                "ae-1.r21.amstnl02.nl.bb.gin.ntt.net",
                "Amsterdam",
                HintSource::Clli,
            ),
            ("xe-0-0-0.cr1.ams2.nl", "Amsterdam", HintSource::Iata),
            (
                "be2434.ccr42.ams03.atlas.cogentco.com",
                "Amsterdam",
                HintSource::Iata,
            ),
            ("ams-ix.nikhef.net", "Amsterdam", HintSource::Iata),
            (
                "if-ae-2.tcore1.av2-amsterdam.as6453.net",
                "Amsterdam",
                HintSource::CityName,
            ),
            (
                "lag-1.ear3.Amsterdam1.Level3.net",
                "Amsterdam",
                HintSource::CityName,
            ),
            // Traceroutes pasted in public READMEs and posts (found with the code search).
            (
                "r1fra3.core.init7.net",
                "Frankfurt am Main",
                HintSource::Iata,
            ),
            ("r2zrh2.core.init7.net", "Zürich", HintSource::Iata),
            (
                "ae-6.r02.frnkge03.de.bb.gin.ntt.net",
                "Frankfurt am Main",
                HintSource::Clli,
            ),
            (
                "ae-2.r03.amstnl02.nl.bb.gin.ntt.net",
                "Amsterdam",
                HintSource::Clli,
            ),
            (
                "p4-0-1-0.r80.nwrknj01.us.bb.verio.net",
                "Newark",
                HintSource::Clli,
            ),
            (
                "ae-7.r20.snjsca04.us.bb.gin.ntt.net",
                "San Jose",
                HintSource::Clli,
            ),
            ("100ge16-1.core1.lon2.he.net", "London", HintSource::Iata),
            (
                "100ge1-1.core1.nyc4.he.net",
                "New York City",
                HintSource::Iata,
            ),
            ("100ge8-2.core1.ams1.he.net", "Amsterdam", HintSource::Iata),
            (
                "100ge14-1.core1.lax2.he.net",
                "Los Angeles",
                HintSource::Iata,
            ),
            ("100ge0-78.core2.par2.he.net", "Paris", HintSource::Iata),
            (
                "port-channel18.core3.chi1.he.net",
                "Chicago",
                HintSource::Iata,
            ),
            (
                "100ge8-2.core1.mci3.he.net",
                "Kansas City",
                HintSource::Iata,
            ),
            (
                "Port-channel100.ar3.SJC2.gblx.net",
                "San Jose",
                HintSource::Iata,
            ),
            (
                "be3049.agr21.fra03.atlas.cogentco.com",
                "Frankfurt am Main",
                HintSource::Iata,
            ),
            ("ae1.ams10.ip4.tinet.net", "Amsterdam", HintSource::Iata),
            (
                "bu-ether11.cr2-fra5.ip.twelve99.net",
                "Frankfurt am Main",
                HintSource::Iata,
            ),
            (
                "telia-level3-10.NewYork1.Level3.net",
                "New York City",
                HintSource::CityName,
            ),
            (
                "iperf01.londen03.uk.to.gin.ntt.net",
                "London",
                HintSource::Clli,
            ),
            (
                "princeton-university.10gigabitethernet1-1-6.switch1.nyc8.he.net",
                "New York City",
                HintSource::Iata,
            ),
        ] {
            let found = best(name);
            assert_eq!(
                found
                    .as_ref()
                    .map(|(city, _, source)| (city.as_str(), *source)),
                Some((expected, source)),
                "{name}: {:?}",
                candidates(name)
            );
        }
    }

    /// Names with no place in them, from the same public traceroutes and from the recorded PTR answers
    /// (`tests/fixtures/doh/google-json_PTR_200.220.152.22.json`, RIPEstat `reverse-dns-ip.json`).
    #[test]
    fn names_without_places_give_no_hints() {
        for name in [
            "dns1.doctordata.com.br",
            "www.ripe.net",
            "83-183-96-1.cust.tele2.se",
            "virbr0.scarlett.6core.net",
            "ge-1-1-0.eunetworks-1.router.nl.coloclue.net",
            "asd-lc0006-cr101-ae5-0.core.as9143.net",
            "s-b3-pos0-3.telia.net",
        ] {
            assert_eq!(candidates(name), Vec::new(), "{name}");
        }
    }

    /// Tele2's Kista routers (`kst-core-1.pos1-0-0.swip.net`, a public traceroute) carry the IATA code
    /// of Kosti in Sudan: a candidate the speed of light must reject for a probe in Sweden.
    #[test]
    fn a_far_airport_is_rejected_with_the_reason() {
        let hints = hints(
            "kst-core-1.pos1-0-0.swip.net",
            Some((59.40, 17.94)),
            Some(4.1),
            2.0 / 3.0,
        );
        assert_eq!(hints[0].city, "Kosti");
        let HintStatus::Rejected { reason } = &hints[0].status else {
            panic!("{:?}", hints[0]);
        };
        assert!(
            reason == "Kosti is 5,300 km from the probe; 4.1 ms allows at most 510 km",
            "{reason}"
        );
    }

    #[test]
    fn the_speed_of_light_bound() {
        // Amsterdam from a probe in Amsterdam at 0.5 ms: accepted.
        let near = hints(
            "ae1.ams10.ip4.tinet.net",
            Some((52.35, 4.91)),
            Some(0.5),
            2.0 / 3.0,
        );
        assert!(near[0].is_accepted());
        // Tokyo from Amsterdam at 4.1 ms: 9,300 km against 510 km.
        let far = hints(
            "xe-1.tyo2.example.net",
            Some((52.37, 4.90)),
            Some(4.1),
            2.0 / 3.0,
        );
        assert_eq!(far[0].city, "Tokyo");
        assert_eq!(
            far[0].status,
            HintStatus::Rejected {
                reason: "Tokyo is 9,300 km from the probe; 4.1 ms allows at most 510 km"
                    .to_string()
            }
        );
        // The bound: 100 ms in fibre at 2/3 c is 9,993 km, plus the tolerance.
        assert!((far[0].max_distance_km.unwrap() - (4.1 * 299.792_458 / 3.0 + 100.0)).abs() < 1e-9);
        let slow = hints(
            "xe-1.tyo2.example.net",
            Some((52.37, 4.90)),
            Some(100.0),
            2.0 / 3.0,
        );
        assert!(slow[0].is_accepted());
        // Nothing to check against.
        let unplaced = hints("xe-1.tyo2.example.net", None, Some(4.0), 2.0 / 3.0);
        assert!(matches!(unplaced[0].status, HintStatus::Unchecked { .. }));
        let no_rtt = hints("xe-1.tyo2.example.net", Some((0.0, 0.0)), None, 2.0 / 3.0);
        assert!(matches!(no_rtt[0].status, HintStatus::Unchecked { .. }));
        assert!(no_rtt[0].distance_km.is_some());
    }

    #[test]
    fn tokens_follow_labels_words_and_digit_boundaries() {
        let cogent = tokens("be2434.ccr42.ams03.atlas.cogentco.com");
        let texts: Vec<&str> = cogent.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["be", "ccr", "ams", "atlas", "cogentco"]);
        let ams = &cogent[2];
        assert!(ams.followed_by_digits && ams.whole_word && !ams.in_first_label && !ams.in_domain);
        assert!(cogent[4].in_domain);
        assert!(cogent[0].in_first_label);
        let uk = tokens("a.londen03.uk.example.co.uk");
        assert_eq!(uk.last().unwrap().text, "example");
        assert_eq!(uk[1].next_label_country.as_deref(), Some("uk"));
        assert_eq!(
            runs("r1fra3"),
            [(true, "r"), (false, "1"), (true, "fra"), (false, "3")]
        );
    }

    #[test]
    fn stop_words_and_operator_names_are_not_places() {
        for name in [
            "gig0-1.bar1.acc2.example.net",
            "core1.edge2.cpe.example.net",
            "ae-1.bb.gin.ntt.net",
        ] {
            assert_eq!(candidates(name), Vec::new(), "{name}");
        }
        // The airports behind some stop words are in the table: the stop list is what keeps them out.
        let iata = &dictionaries().iata;
        for word in ["gig", "bar", "acc", "bun", "poo"] {
            assert!(iata.contains_key(word), "{word}");
        }
    }

    /// DE-CIX's name on its peering LAN is the exchange's, not Chiclayo's (CIX); the site code beside it
    /// still counts. Names from public traceroutes (`tests/fixtures/hints/traceroute_lines.tsv`).
    #[test]
    fn an_exchange_brand_is_not_an_airport() {
        assert!(dictionaries().iata.contains_key("cix"), "CIX is Chiclayo");
        for name in ["de-cix10.net.google.com", "de-cix20.net.google.com"] {
            assert_eq!(candidates(name), Vec::new(), "{name}");
        }
        for name in [
            "de-cix.fra.google.com",
            "ipv4.de-cix.fra.de.as20485.ttk.ru",
            "de-cix-frankfurt.as13335.net",
        ] {
            assert_eq!(city(name).as_deref(), Some("Frankfurt am Main"), "{name}");
        }
    }

    #[test]
    fn the_dictionaries_are_complete() {
        let d = dictionaries();
        assert_eq!(d.iata.len(), 1_719);
        // Every airport code but eight carries its ICAO code; the 21 metropolitan-area codes that are not
        // also an airport's have none (1,719 − 8 − 21 = 1,690).
        assert_eq!(d.icao.len(), 1_690);
        for (icao, iata) in [
            ("eham", "ams"),
            ("egll", "lhr"),
            ("kjfk", "jfk"),
            ("lfpg", "cdg"),
        ] {
            assert_eq!(d.icao.get(icao), d.iata.get(iata), "{icao} and {iata}");
        }

        assert_eq!(
            d.clli.len(),
            CLLI_CODES.len(),
            "every CLLI city is in the gazetteer or the airport table"
        );
        // Every gazetteer city and every city an airport serves is indexed by at least its full name.
        let named: std::collections::BTreeSet<(&str, &str)> = cities()
            .iter()
            .map(|city| (city.name, city.country_code))
            .chain(d.iata.values().map(|place| (place.city, place.country)))
            .collect();
        assert!(
            d.city_names.len() * 10 >= named.len() * 9,
            "{} keys for {} cities",
            d.city_names.len(),
            named.len()
        );
        assert_eq!(d.city_names.get("newark").map(|p| p.city), Some("Newark"));
        assert_eq!(
            d.city_names.get("frankfurt").map(|p| p.city),
            Some("Frankfurt am Main")
        );
        assert_eq!(
            d.city_names.get("saopaulo").map(|p| p.city),
            Some("São Paulo")
        );
        assert_eq!(d.city_names.get("zurich").map(|p| p.city), Some("Zürich"));
        assert_eq!(fold("Köln"), Some("koln".to_string()));
        assert_eq!(fold("東京"), None);
        // A broken table gives fewer codes, not a panic.
        let broken = parse_airports("#h\nAMS\tAmsterdam\tNL\tx\t4\tEHAM\nXX\tA\tNL\t1\t1\n");
        assert!(broken.iata.is_empty() && broken.icao.is_empty());
        // A row without its ICAO field (as the table was before it had one), with an empty one (REE,
        // whose airportsdata `icao` is the FAA identifier 8XS8), or with one that is not four letters,
        // still counts by its IATA code.
        let partial = parse_airports(
            "AMS\tAmsterdam\tNL\t52.37\t4.89\nREE\tLubbock\tUS\t33.58\t-101.86\t\n\
             KYO\tTampa\tUS\t27.95\t-82.46\tKX39\n",
        );
        assert_eq!(partial.iata.len(), 3);
        assert!(partial.icao.is_empty());
    }

    /// ICAO codes of the table in router names written the way operators write site codes: the code
    /// as a word of its own, numbered or not, in any case. Each names the city of the airport's IATA
    /// code. The names are made up (operators seldom use ICAO codes, see [`score`]); the codes and
    /// cities are the table's.
    #[test]
    fn icao_codes_name_the_city_of_their_airport() {
        for (name, expected) in [
            ("ae-1.eham-core1.example.net", "Amsterdam"),
            ("xe-0-0-0.kjfk1.example.net", "New York City"),
            ("et-3-0-0.egll2.example.net", "London"),
            ("be10.lfpg-pe1.example.net", "Paris"),
            ("hu0-0-0-1.eddf01.example.de", "Frankfurt am Main"),
            // Case does not matter: names are compared in lower case, like the IATA rule.
            ("AE-1.EHAM-CORE1.EXAMPLE.NET", "Amsterdam"),
            ("xe-0-0-0.KJfk1.example.net", "New York City"),
        ] {
            let found = candidates(name);
            assert_eq!(
                found.first().map(|hint| (hint.city.as_str(), hint.source)),
                Some((expected, HintSource::Icao)),
                "{name}: {found:?}"
            );
        }
        // Whole letter runs only: the code inside a longer run is not read (`beham`, `kjfkx`).
        for name in ["ae-1.beham-core1.example.net", "xe-0.kjfkx1.example.net"] {
            assert_eq!(candidates(name), Vec::new(), "{name}");
        }
        // The same scores as the IATA code of the same airport in the same place.
        let icao = &candidates("xe-0-0-0.kjfk1.example.net")[0];
        let iata = &candidates("xe-0-0-0.jfk1.example.net")[0];
        assert_eq!(
            (icao.score, icao.city.as_str()),
            (iata.score, iata.city.as_str())
        );
        assert_eq!(
            serde_json::to_value(HintSource::Icao).ok(),
            Some(serde_json::json!("icao"))
        );
    }

    /// `wall` is the ICAO code of Balikpapan (WALL) and a firewall's role in router names; the stop
    /// list keeps it out. The table has it, so this fails if the stop word is dropped.
    #[test]
    fn an_icao_code_that_is_a_router_word_is_not_a_hint() {
        assert_eq!(
            dictionaries().icao.get("wall").map(|place| place.city),
            Some("Balikpapan")
        );
        for name in ["wall1.dc2.example.net", "ge-0-0-1.WALL-2.example.net"] {
            assert_eq!(candidates(name), Vec::new(), "{name}");
        }
    }

    /// An ISP naming a customer line after its IPv6 address writes hex groups, and `eddf` (Frankfurt)
    /// or `feff` (Bangui) can be one of them; no ICAO code is read from such a label. The same code
    /// as a word of a router's name is still read.
    #[test]
    fn hex_groups_of_an_address_are_not_airport_codes() {
        for name in [
            "2a02-8108-0-eddf.dyn.example.net",
            "2001-db8-feff-1.ip6.example.net",
            "2a02-8108-0-dac.dyn.example.net",
            "2001-db8-dac-1.ip6.example.net",
        ] {
            assert_eq!(candidates(name), Vec::new(), "{name}");
        }
        // The same three letters as a word of a router's name are still read.
        assert_eq!(city("xe-1.dac1.example.net").as_deref(), Some("Dhaka"));
        assert_eq!(
            city("ae-2.eddf-core1.example.net").as_deref(),
            Some("Frankfurt am Main")
        );
        assert!(spells_address("2a02-8108-0-eddf") && !spells_address("eddf-core1"));
        assert!(
            !spells_address("dead-beef-cafe-face"),
            "no digit: words, not an address"
        );
    }

    /// The speed of light applies to an ICAO hint as to any other, through [`hints`], the function the
    /// paths pipeline calls for each hop (`paths::trace`). The probe is RIPE Atlas probe 2748 in
    /// Frankfurt (its position in `tests/fixtures/atlas/probes_page_msm1033154.json`, 50.1115, 8.6795),
    /// and 2.49 ms is its recorded RTT to the DE-CIX hop of msm 1033154.
    #[test]
    fn an_icao_hint_is_checked_against_the_rtt() {
        let frankfurt_probe = Some((50.1115, 8.6795));
        let near = hints(
            "xe-0-0-0.eddf1.example.net",
            frankfurt_probe,
            Some(2.49),
            2.0 / 3.0,
        );
        assert_eq!(near[0].source, HintSource::Icao);
        assert_eq!(near[0].city, "Frankfurt am Main");
        assert!(near[0].is_accepted(), "{:?}", near[0]);
        assert!(near[0].distance_km.is_some_and(|km| km < 10.0));
        let far = hints(
            "xe-0-0-0.kjfk1.example.net",
            frankfurt_probe,
            Some(2.49),
            2.0 / 3.0,
        );
        assert_eq!(far[0].source, HintSource::Icao);
        assert_eq!(
            far[0].status,
            HintStatus::Rejected {
                reason: "New York City is 6,200 km from the probe; 2.5 ms allows at most 350 km"
                    .to_string()
            }
        );
        // 70 ms of round trip reaches New York from Frankfurt (6,200 km needs about 62 ms at 2/3 c).
        let slow = hints(
            "xe-0-0-0.kjfk1.example.net",
            frankfurt_probe,
            Some(70.0),
            2.0 / 3.0,
        );
        assert!(slow[0].is_accepted(), "{:?}", slow[0]);
    }

    #[test]
    fn hostile_names_never_panic() {
        let long_label = "a".repeat(300);
        let long_name = "ams1.".repeat(100);
        let unicode = "Ämsterdam1.例え.テスト";
        for name in [
            "",
            ".",
            "..",
            "...ams1...",
            "-",
            "--_--",
            "1234567890",
            "ams",
            long_label.as_str(),
            long_name.as_str(),
            unicode,
            "\u{0}\u{7f}.ams1.net",
            "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z",
        ] {
            let _ = hints(name, Some((f64::NAN, 0.0)), Some(f64::INFINITY), f64::NAN);
            let _ = hints(name, Some((52.0, 4.0)), Some(-1.0), 5.0);
        }
        assert!(candidates(&long_name).is_empty(), "over 253 characters");
        assert!(candidates(unicode).is_empty());
        let over_long_label = format!("{}.ams1.example.net", "x".repeat(64));
        assert_eq!(city(&over_long_label).as_deref(), Some("Amsterdam"));
        assert_eq!(city("...ams1...").as_deref(), Some("Amsterdam"));
        assert_eq!(city("ams").as_deref(), Some("Amsterdam"));
    }
}
