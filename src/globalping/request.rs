//! What the author asks Globalping to measure: the test type, the target, where from (places with a
//! probe count each, or "the same probes as an earlier measurement") and the per-type options; the
//! checks that catch a bad request before it costs a test; and the exact `POST /v1/measurements` body.
//!
//! It owns the request side only and performs no I/O: the `net` shell sends [`MeasurementRequest::to_body`]
//! and hands the reply to `measurement`. Field names and limits follow the API's own schema
//! (jsdelivr/globalping `public/v1/components/schemas.yaml` and `src/measurement/schema/*.ts`), as
//! summarised in API-NOTES §6.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::model::host::host_name_problem;

/// Most probes one anonymous measurement may use (`measurement.limits.anonymousTestsPerMeasurement`
/// in jsdelivr/globalping `config/default.cjs`; API-NOTES §6).
pub const ANONYMOUS_PROBES_PER_MEASUREMENT: u32 = 50;
/// Most probes one measurement may use with a token (`authenticatedTestsPerMeasurement`, same file).
pub const AUTHENTICATED_PROBES_PER_MEASUREMENT: u32 = 500;
/// Tests (one per probe) an IP address may start per hour without a token
/// (`measurement.rateLimit.post.anonymousLimit`, reset every 3600 s, same file; API-NOTES §6).
pub const ANONYMOUS_TESTS_PER_HOUR: u32 = 250;
/// Tests per hour with a token (`measurement.rateLimit.post.authenticatedLimit`, same file).
pub const AUTHENTICATED_TESTS_PER_HOUR: u32 = 500;
/// Packets per ping or per MTR hop: 1 to 16 (`packets: Joi.number().min(1).max(16)` in
/// `src/measurement/schema/command-schema.ts`).
pub const MAX_PACKETS: u8 = 16;
/// Probes one typed place asks for when the author gives no count. The API's own default is 1, but
/// a single probe cannot tell a local problem from a regional one; three can disagree with each other.
pub const DEFAULT_PLACE_LIMIT: u32 = 3;

/// The continents as Globalping codes them (the `ContinentCode` enum of the API schema, less AN,
/// where no probe runs), with their English names.
pub const CONTINENTS: [(&str, &str); 6] = [
    ("AF", "Africa"),
    ("AS", "Asia"),
    ("EU", "Europe"),
    ("NA", "North America"),
    ("OC", "Oceania"),
    ("SA", "South America"),
];

/// DNS query types Globalping accepts: the `allowedDnsTypes` list of the API's command schema
/// (`src/measurement/schema/command-schema.ts`) with SVCB, which later versions added.
pub const DNS_QUERY_TYPES: [&str; 16] = [
    "A", "AAAA", "ANY", "CNAME", "DNSKEY", "DS", "HTTPS", "MX", "NS", "NSEC", "PTR", "RRSIG",
    "SOA", "TXT", "SRV", "SVCB",
];

/// HTTP methods the API accepts (the `MeasurementHttpOptions` schema: HEAD, the default, GET, OPTIONS).
pub const HTTP_METHODS: [&str; 3] = ["HEAD", "GET", "OPTIONS"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TestType {
    #[default]
    Ping,
    Traceroute,
    Mtr,
    Dns,
    Http,
}

impl TestType {
    pub const ALL: [TestType; 5] = [
        TestType::Ping,
        TestType::Traceroute,
        TestType::Mtr,
        TestType::Dns,
        TestType::Http,
    ];

    /// The API's name for the type (`type` in requests and responses).
    pub fn as_str(self) -> &'static str {
        match self {
            TestType::Ping => "ping",
            TestType::Traceroute => "traceroute",
            TestType::Mtr => "mtr",
            TestType::Dns => "dns",
            TestType::Http => "http",
        }
    }

    /// The name a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            TestType::Ping => "Ping",
            TestType::Traceroute => "Traceroute",
            TestType::Mtr => "MTR",
            TestType::Dns => "DNS",
            TestType::Http => "HTTP",
        }
    }

    /// The type the API names, in any case (the API itself matches `type` case-insensitively).
    pub fn from_api(text: &str) -> Option<TestType> {
        let lower = text.trim().to_ascii_lowercase();
        TestType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == lower)
    }

    /// The transport protocols the API accepts for this type (upper case), from the command schema.
    pub fn protocols(self) -> &'static [&'static str] {
        match self {
            TestType::Ping => &["ICMP", "TCP"],
            TestType::Traceroute | TestType::Mtr => &["ICMP", "TCP", "UDP"],
            TestType::Dns => &["UDP", "TCP"],
            TestType::Http => &["HTTP", "HTTPS", "HTTP2"],
        }
    }
}

/// One place, as the API's `{"magic": "...", "limit": n}`: Globalping matches the text against
/// country, city, state, continent, region, `AS123`, tags and network names, and `+` joins conditions
/// (`Berlin+Germany`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationSpec {
    pub magic: String,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Locations {
    Places(Vec<LocationSpec>),
    /// The id of an earlier measurement: Globalping reuses its probes, in the same order, for as long
    /// as that measurement is kept (about 7 days).
    SameProbesAs(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TestOptions {
    pub packets: Option<u8>,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    pub ip_version: Option<u8>,
    pub query_type: Option<String>,
    pub resolver: Option<String>,
    pub trace: bool,
    pub http_method: Option<String>,
    pub http_path: Option<String>,
    pub http_query: Option<String>,
    pub http_host: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasurementRequest {
    pub test: TestType,
    pub target: String,
    pub locations: Locations,
    pub options: TestOptions,
}

/// `POST /v1/measurements`, where a measurement is created.
pub fn create_url(base: &str) -> String {
    format!("{}/v1/measurements", base.trim().trim_end_matches('/'))
}

/// `GET /v1/measurements/{id}`. Globalping IDs are short base62 strings; anything else (a tampered
/// notebook or link) is percent-encoded, `.` and `/` included, so it cannot change the path or reach
/// another endpoint.
pub fn measurement_url(base: &str, id: &str) -> String {
    let id: String = id
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect();
    format!("{}/{id}", create_url(base))
}

/// One probe per continent ×`each`, as one click. The places are the continents' *names*, not their
/// codes: Globalping's magic matching prefers the earliest matching field of a probe's index, and
/// the country comes first (`getIndex` in jsdelivr/globalping `src/probe/builder.ts`, used by
/// `magicFilter` in `src/probe/probes-location-filter.ts`), so "AS" would pick probes in American
/// Samoa, "SA" Saudi Arabia, "NA" Namibia and "AF" Afghanistan wherever one is online.
pub fn per_continent(each: u32) -> Vec<LocationSpec> {
    CONTINENTS
        .iter()
        .map(|(_, name)| LocationSpec {
            magic: (*name).to_string(),
            limit: each,
        })
        .collect()
}

/// The name of a continent code ("EU" → "Europe"), for the six where probes run.
pub fn continent_name(code: &str) -> Option<&'static str> {
    let upper = code.trim().to_ascii_uppercase();
    CONTINENTS
        .iter()
        .find(|(c, _)| *c == upper)
        .map(|(_, name)| *name)
}

/// Splits "Europe:5" or "Europe x5" into the place and its count; a place without one gets
/// [`DEFAULT_PLACE_LIMIT`].
fn place(piece: &str) -> Result<LocationSpec, String> {
    let (magic, count) = if let Some((magic, count)) = piece.rsplit_once(':') {
        (magic.trim(), Some(count.trim()))
    } else if let Some((magic, count)) =
        piece
            .rsplit_once(|c: char| c.is_whitespace())
            .filter(|(_, last)| {
                let digits = last.trim_start_matches(['x', '×']);
                digits.len() < last.len()
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
            })
    {
        (magic.trim(), Some(count.trim_start_matches(['x', '×'])))
    } else {
        (piece, None)
    };
    // "Berlin + Germany" means the same as "Berlin+Germany"; the API splits on the bare `+`.
    let magic = magic
        .split('+')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("+");
    if magic.is_empty() || magic.split('+').any(str::is_empty) {
        return Err(format!(
            "\"{piece}\" names no place: write a country, city, continent, network or AS number before the count, e.g. Europe:5"
        ));
    }
    let limit = match count {
        None => DEFAULT_PLACE_LIMIT,
        Some("") => {
            return Err(format!(
                "\"{piece}\" has no number after the \":\": write how many probes, e.g. {magic}:5"
            ));
        }
        Some(count) => {
            if !count.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "\"{count}\" in \"{piece}\" is not a number of probes: write e.g. {magic}:5"
                ));
            }
            match count.parse::<u32>() {
                Ok(0) => {
                    return Err(format!(
                        "\"{piece}\" asks for no probes: the count must be at least 1, e.g. {magic}:1"
                    ));
                }
                Ok(limit) => limit,
                Err(_) => {
                    return Err(format!(
                        "\"{piece}\" asks for more probes than Globalping could ever give ({AUTHENTICATED_PROBES_PER_MEASUREMENT} per measurement at most)"
                    ));
                }
            }
        }
    };
    Ok(LocationSpec { magic, limit })
}

/// Places as the author types them: one per comma, semicolon or line, each with an optional count as `:N` or
/// ` xN` ("Europe:5, AS13335:2, Berlin+Germany, US"). A place without a count gets
/// [`DEFAULT_PLACE_LIMIT`] probes. Empty text is an error, since it would mean "anywhere".
pub fn parse_places(text: &str) -> Result<Vec<LocationSpec>, String> {
    let places = text
        .split([',', '\n', ';'])
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(place)
        .collect::<Result<Vec<_>, _>>()?;
    if places.is_empty() {
        return Err(
            "Say where to measure from: places separated by commas, each with an optional probe count, \
             e.g. Europe:5, AS13335:2, Berlin+Germany (or world:10 for probes spread over the globe)."
                .to_string(),
        );
    }
    Ok(places)
}

/// Upper-case, trimmed; `None` for blank text.
fn upper(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty())
}

fn trimmed(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl MeasurementRequest {
    /// The probes the request asks for: the sum of the places' limits. A request for the same probes
    /// as an earlier measurement gives 0, because only that measurement's reply knows how many
    /// (its `probesCount`), and the API does not count them against the per-measurement cap twice.
    pub fn probes_requested(&self) -> u32 {
        match &self.locations {
            Locations::Places(places) => places
                .iter()
                .fold(0u32, |sum, place| sum.saturating_add(place.limit)),
            Locations::SameProbesAs(_) => 0,
        }
    }

    /// Whether the API would accept the request, checked here so a mistake costs no test; each
    /// message says what to change.
    pub fn validate(&self, authenticated: bool) -> Result<(), String> {
        let target = self.target.trim();
        if target.is_empty() {
            return Err(format!(
                "Enter a target to {}: a host name such as example.com or an IP address.",
                self.test.label()
            ));
        }
        if target.chars().any(char::is_whitespace) {
            return Err(format!(
                "\"{target}\" contains a space: a target is one host name or IP address."
            ));
        }
        if target.contains("://") || target.contains('/') {
            let hint = if self.test == TestType::Http {
                " and put the path in the path field"
            } else {
                ""
            };
            return Err(format!(
                "\"{target}\" looks like a URL: give the host name only (such as example.com){hint}."
            ));
        }
        let target_ip = target
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .ok();
        // The same host-name rules as the Atlas cell and the template (the API refuses such names
        // too, as "must be a valid domain name", but only after the request is sent). A DNS test
        // may ask about the root.
        if target_ip.is_none()
            && let Some(problem) = host_name_problem(target, self.test == TestType::Dns)
        {
            return Err(format!(
                "\"{target}\" {problem}: give a host name such as example.com or an IP address."
            ));
        }
        self.validate_locations(authenticated)?;
        let options = &self.options;
        if let Some(packets) = options.packets
            && matches!(self.test, TestType::Ping | TestType::Mtr)
            && !(1..=MAX_PACKETS).contains(&packets)
        {
            return Err(format!(
                "{packets} packets is not allowed: Globalping sends 1 to {MAX_PACKETS}."
            ));
        }
        if let Some(protocol) = upper(&options.protocol)
            && !self.test.protocols().contains(&protocol.as_str())
        {
            return Err(format!(
                "{} cannot use {protocol}: choose {}.",
                self.test.label(),
                self.test.protocols().join(", ")
            ));
        }
        if let Some(version) = options.ip_version {
            if version != 4 && version != 6 {
                return Err(format!(
                    "IP version {version} does not exist: choose 4 or 6."
                ));
            }
            if target_ip.is_some() {
                return Err(
                    "An IP version can only be chosen for a host name: the address already decides it. \
                     Clear the IP version."
                        .to_string(),
                );
            }
        }
        if let Some(resolver) = trimmed(&options.resolver)
            && resolver.chars().any(char::is_whitespace)
        {
            return Err(format!(
                "\"{resolver}\" is not a resolver: give one IP address or host name."
            ));
        }
        match self.test {
            TestType::Dns => {
                let query_type = upper(&options.query_type).unwrap_or_else(|| "A".to_string());
                if !DNS_QUERY_TYPES.contains(&query_type.as_str()) {
                    return Err(format!(
                        "Globalping cannot ask for {query_type} records: choose one of {}.",
                        DNS_QUERY_TYPES.join(", ")
                    ));
                }
                if query_type == "PTR" && target_ip.is_none() {
                    return Err(format!(
                        "A PTR query needs an IP address as its target, not \"{target}\"."
                    ));
                }
                if query_type != "PTR" && target_ip.is_some() {
                    return Err(format!(
                        "A {query_type} query needs a domain name as its target; to look up the name of \
                         {target}, choose PTR."
                    ));
                }
            }
            TestType::Http => {
                if let Some(path) = trimmed(&options.http_path)
                    && !path.starts_with('/')
                {
                    return Err(format!(
                        "The path \"{path}\" must start with \"/\", e.g. /{path}."
                    ));
                }
                if let Some(method) = upper(&options.http_method)
                    && !HTTP_METHODS.contains(&method.as_str())
                {
                    return Err(format!(
                        "Globalping cannot send {method} requests: choose {}.",
                        HTTP_METHODS.join(", ")
                    ));
                }
                if let Some(host) = trimmed(&options.http_host)
                    && (host.chars().any(char::is_whitespace) || host.contains('/'))
                {
                    return Err(format!(
                        "\"{host}\" is not a Host header: give a host name only, such as example.com."
                    ));
                }
            }
            TestType::Ping | TestType::Traceroute | TestType::Mtr => {}
        }
        Ok(())
    }

    fn validate_locations(&self, authenticated: bool) -> Result<(), String> {
        match &self.locations {
            Locations::SameProbesAs(id) => {
                let id = id.trim();
                let valid = !id.is_empty()
                    && id.len() <= 64
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !valid {
                    return Err(format!(
                        "\"{id}\" is not a Globalping measurement id (letters and digits, such as \
                         PY5fMsREMmIq45VR): run the earlier measurement again from its own cell."
                    ));
                }
                Ok(())
            }
            Locations::Places(places) => {
                if places.is_empty() {
                    return Err(
                        "Say where to measure from, e.g. Europe:5, or world:10 for probes spread over the globe."
                            .to_string(),
                    );
                }
                if let Some(bad) = places.iter().find(|place| place.magic.trim().is_empty()) {
                    return Err(format!(
                        "A place asking for {} probes has no name: write a country, city, continent, network or AS number.",
                        bad.limit
                    ));
                }
                if let Some(bad) = places.iter().find(|place| place.limit == 0) {
                    return Err(format!(
                        "{} asks for no probes: the count must be at least 1.",
                        bad.magic
                    ));
                }
                let cap = if authenticated {
                    AUTHENTICATED_PROBES_PER_MEASUREMENT
                } else {
                    ANONYMOUS_PROBES_PER_MEASUREMENT
                };
                let total = self.probes_requested();
                if total > cap {
                    let advice = if authenticated {
                        "Ask for fewer, or split the places over two measurements.".to_string()
                    } else {
                        format!(
                            "Ask for fewer, or add a Globalping token in Settings (up to {AUTHENTICATED_PROBES_PER_MEASUREMENT})."
                        )
                    };
                    let who = if authenticated {
                        "with your token"
                    } else {
                        "without a token"
                    };
                    return Err(format!(
                        "These places ask for {total} probes; {who} Globalping allows {cap} per measurement. {advice}"
                    ));
                }
                Ok(())
            }
        }
    }

    /// The exact `POST /v1/measurements` body. Each place carries its own `limit`, so the top-level
    /// `limit` is left out: the API refuses both together ("limit per location is not allowed when a
    /// global limit is set", `src/measurement/schema/location-schema.ts`), and a measurement id
    /// brings its own probes. `inProgressUpdates` is on so partial results can be shown while the
    /// probes run. Options the author left unset are omitted, so the API applies its defaults. An
    /// empty list of places is left out too (the API would then pick one probe anywhere), which
    /// `validate` refuses.
    pub fn to_body(&self) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), json!(self.test.as_str()));
        body.insert("target".into(), json!(self.target.trim()));
        match &self.locations {
            Locations::Places(places) if places.is_empty() => {}
            Locations::Places(places) => {
                let places: Vec<Value> = places
                    .iter()
                    .map(|place| json!({"magic": place.magic.trim(), "limit": place.limit}))
                    .collect();
                body.insert("locations".into(), Value::Array(places));
            }
            Locations::SameProbesAs(id) => {
                body.insert("locations".into(), json!(id.trim()));
            }
        }
        body.insert("inProgressUpdates".into(), json!(true));
        let options = self.measurement_options();
        if !options.is_empty() {
            body.insert("measurementOptions".into(), Value::Object(options));
        }
        Value::Object(body)
    }

    fn measurement_options(&self) -> Map<String, Value> {
        let options = &self.options;
        let mut out = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                out.insert(key.to_string(), value);
            }
        };
        let packets = options.packets.map(|p| json!(p));
        let protocol = upper(&options.protocol).map(Value::String);
        let port = options.port.map(|p| json!(p));
        let ip_version = options.ip_version.map(|v| json!(v));
        let resolver = trimmed(&options.resolver).map(Value::String);
        match self.test {
            TestType::Ping | TestType::Mtr => {
                put("packets", packets);
                put("protocol", protocol);
                put("port", port);
                put("ipVersion", ip_version);
            }
            TestType::Traceroute => {
                put("protocol", protocol);
                put("port", port);
                put("ipVersion", ip_version);
            }
            TestType::Dns => {
                put(
                    "query",
                    upper(&options.query_type).map(|kind| json!({"type": kind})),
                );
                put("resolver", resolver);
                put("protocol", protocol);
                put("port", port);
                put("trace", options.trace.then_some(Value::Bool(true)));
                put("ipVersion", ip_version);
            }
            TestType::Http => {
                let mut request = Map::new();
                if let Some(host) = trimmed(&options.http_host) {
                    request.insert("host".into(), Value::String(host));
                }
                if let Some(path) = trimmed(&options.http_path) {
                    request.insert("path".into(), Value::String(path));
                }
                // The API wants the query string without its "?"; authors paste it with one.
                if let Some(query) = trimmed(&options.http_query)
                    .map(|q| q.trim_start_matches('?').to_string())
                    .filter(|q| !q.is_empty())
                {
                    request.insert("query".into(), Value::String(query));
                }
                if let Some(method) = upper(&options.http_method) {
                    request.insert("method".into(), Value::String(method));
                }
                put(
                    "request",
                    (!request.is_empty()).then_some(Value::Object(request)),
                );
                put("protocol", protocol);
                put("port", port);
                put("resolver", resolver);
                put("ipVersion", ip_version);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measurement_urls_keep_ids_inside_their_path_segment() {
        assert_eq!(
            create_url("https://api.globalping.io/"),
            "https://api.globalping.io/v1/measurements"
        );
        assert_eq!(
            measurement_url("https://api.globalping.io", "nzGzfAGL7sZfUs3c"),
            "https://api.globalping.io/v1/measurements/nzGzfAGL7sZfUs3c"
        );
        assert_eq!(
            measurement_url("http://127.0.0.1:9", "../limits?x=1#"),
            "http://127.0.0.1:9/v1/measurements/%2E%2E%2Flimits%3Fx%3D1%23"
        );
    }

    fn fixture(name: &str) -> Value {
        let text = match name {
            "custom" => {
                include_str!("../../tests/fixtures/globalping/create-measurement-ping-custom.json")
            }
            "magic" => include_str!(
                "../../tests/fixtures/globalping/create-measurement-ping-locations-magic.json"
            ),
            "id" => include_str!(
                "../../tests/fixtures/globalping/create-measurement-ping-locations-measurement-id.json"
            ),
            "limit" => include_str!(
                "../../tests/fixtures/globalping/create-measurement-ping-locations-limit.json"
            ),
            _ => unreachable!(),
        };
        serde_json::from_str(text).unwrap()
    }

    fn ping(locations: Locations, options: TestOptions) -> MeasurementRequest {
        MeasurementRequest {
            test: TestType::Ping,
            target: "cdn.jsdelivr.net".into(),
            locations,
            options,
        }
    }

    /// The official request examples, plus what every body of ours carries (`inProgressUpdates`).
    #[test]
    fn bodies_match_the_official_examples() {
        let custom = ping(
            Locations::Places(Vec::new()),
            TestOptions {
                packets: Some(6),
                ..TestOptions::default()
            },
        );
        let mut expected = fixture("custom");
        expected["inProgressUpdates"] = json!(true);
        assert_eq!(custom.to_body(), expected);

        let same = ping(
            Locations::SameProbesAs("1wzMrzLBZfaPoT1c".into()),
            TestOptions::default(),
        );
        let mut expected = fixture("id");
        expected["inProgressUpdates"] = json!(true);
        assert_eq!(same.to_body(), expected);

        // The magic example gives no limits, so each place gets the API's default of 1; ours are
        // always explicit.
        let mut expected = fixture("magic");
        let names: Vec<String> = expected["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["magic"].as_str().unwrap().to_string())
            .collect();
        for location in expected["locations"].as_array_mut().unwrap() {
            location["limit"] = json!(1);
        }
        expected["inProgressUpdates"] = json!(true);
        let magic = ping(
            Locations::Places(
                names
                    .iter()
                    .map(|magic| LocationSpec {
                        magic: magic.clone(),
                        limit: 1,
                    })
                    .collect(),
            ),
            TestOptions::default(),
        );
        assert_eq!(magic.to_body(), expected);
    }

    /// The `country` examples do not map key for key: countries are given through `magic`, which the
    /// API matches against a probe's country code first (`getIndex` puts it at position 0). The
    /// shape is otherwise the same.
    #[test]
    fn country_places_travel_as_magic() {
        let expected = fixture("limit");
        let request = ping(
            Locations::Places(parse_places("DE:4, PL:2").unwrap()),
            TestOptions::default(),
        );
        let body = request.to_body();
        let ours: Vec<(String, u64)> = body["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["magic"].as_str().unwrap().into(),
                    l["limit"].as_u64().unwrap(),
                )
            })
            .collect();
        let theirs: Vec<(String, u64)> = expected["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["country"].as_str().unwrap().into(),
                    l["limit"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(ours, theirs);
        assert_eq!(body["type"], expected["type"]);
        assert_eq!(body["target"], expected["target"]);
        assert!(
            body.get("limit").is_none(),
            "no global limit with per-place limits"
        );
    }

    #[test]
    fn options_go_where_each_type_expects_them() {
        let dns = MeasurementRequest {
            test: TestType::Dns,
            target: " example.com ".into(),
            locations: Locations::Places(per_continent(2)),
            options: TestOptions {
                query_type: Some("aaaa".into()),
                resolver: Some("1.1.1.1".into()),
                protocol: Some("tcp".into()),
                trace: true,
                packets: Some(3),
                http_path: Some("/ignored".into()),
                ..TestOptions::default()
            },
        };
        assert_eq!(
            dns.to_body()["measurementOptions"],
            json!({"query": {"type": "AAAA"}, "resolver": "1.1.1.1", "protocol": "TCP", "trace": true})
        );
        assert_eq!(dns.to_body()["target"], "example.com");
        assert_eq!(dns.to_body()["locations"].as_array().unwrap().len(), 6);
        let http = MeasurementRequest {
            test: TestType::Http,
            target: "example.com".into(),
            locations: Locations::Places(per_continent(1)),
            options: TestOptions {
                http_method: Some("get".into()),
                http_path: Some("/status".into()),
                http_query: Some("?a=1".into()),
                protocol: Some("https".into()),
                port: Some(8443),
                ip_version: Some(6),
                ..TestOptions::default()
            },
        };
        assert_eq!(
            http.to_body()["measurementOptions"],
            json!({"request": {"path": "/status", "query": "a=1", "method": "GET"}, "protocol": "HTTPS", "port": 8443, "ipVersion": 6})
        );
        let trace = MeasurementRequest {
            test: TestType::Traceroute,
            options: TestOptions {
                packets: Some(3),
                protocol: Some("UDP".into()),
                port: Some(53),
                ..TestOptions::default()
            },
            ..http.clone()
        };
        assert_eq!(
            trace.to_body()["measurementOptions"],
            json!({"protocol": "UDP", "port": 53}),
            "traceroute has no packets option"
        );
        let plain = MeasurementRequest {
            test: TestType::Mtr,
            options: TestOptions::default(),
            ..http
        };
        assert!(plain.to_body().get("measurementOptions").is_none());
    }

    #[test]
    fn places_are_parsed_with_counts_and_clear_errors() {
        let places = parse_places("Europe:5, AS13335:2,\nBerlin + Germany, US x4; world").unwrap();
        let pairs: Vec<(&str, u32)> = places.iter().map(|p| (p.magic.as_str(), p.limit)).collect();
        assert_eq!(
            pairs,
            [
                ("Europe", 5),
                ("AS13335", 2),
                ("Berlin+Germany", DEFAULT_PLACE_LIMIT),
                ("US", 4),
                ("world", DEFAULT_PLACE_LIMIT)
            ]
        );
        // A place with a space and no count keeps its space.
        assert_eq!(
            parse_places("North America").unwrap()[0].magic,
            "North America"
        );
        for (text, needle) in [
            ("", "Say where"),
            (" , \n ", "Say where"),
            ("Europe:0", "at least 1"),
            ("Europe:abc", "not a number"),
            ("Europe:-3", "not a number"),
            ("Europe:", "no number"),
            (":5", "names no place"),
            ("Berlin+:2", "names no place"),
            ("Europe:99999999999", "more probes than"),
        ] {
            let error = parse_places(text).unwrap_err();
            assert!(error.contains(needle), "{text:?}: {error}");
        }
    }

    /// Regression: the Globalping target check only refused spaces and URLs, so `a..b`, `-x.com`
    /// or a mistyped `192.0.2.300` were sent for the API to refuse; the Atlas cell refused them. Now
    /// both apply the same rules, and addresses (bracketed too) and the DNS root still pass.
    #[test]
    fn targets_that_are_no_host_name_are_refused_before_sending() {
        let request = |test: TestType, target: &str| MeasurementRequest {
            test,
            target: target.into(),
            ..ping(
                Locations::Places(parse_places("Europe:5").unwrap()),
                TestOptions::default(),
            )
        };
        for (target, problem) in [
            ("a..b", "has an empty label"),
            ("-x.com", "starts or ends with a hyphen"),
            (
                "192.0.2.300",
                "is neither a valid IPv4 address nor a host name",
            ),
            (
                "exa$mple.com",
                "contains characters a host name cannot have",
            ),
            ("example.com:443", "a port cannot be given here"),
        ] {
            let error = request(TestType::Ping, target).validate(false).unwrap_err();
            assert!(error.starts_with(&format!("\"{target}\" ")), "{error}");
            assert!(error.contains(problem), "{error}");
            assert!(
                error.ends_with(": give a host name such as example.com or an IP address."),
                "{error}"
            );
        }
        for (test, target) in [
            (TestType::Ping, "192.0.2.1"),
            (TestType::Http, "[2001:db8::1]"),
            (TestType::Traceroute, "_sip._tcp.example.com"),
            (TestType::Dns, "."),
        ] {
            assert_eq!(request(test, target).validate(false), Ok(()), "{target}");
        }
        assert!(request(TestType::Ping, ".").validate(false).is_err());
    }

    #[test]
    fn validation_says_what_to_do() {
        let good = ping(
            Locations::Places(parse_places("Europe:5").unwrap()),
            TestOptions::default(),
        );
        assert_eq!(good.validate(false), Ok(()));
        let with = |change: &dyn Fn(&mut MeasurementRequest)| {
            let mut request = good.clone();
            change(&mut request);
            request
        };
        let cases: Vec<(MeasurementRequest, bool, &str)> = vec![
            (with(&|r| r.target = "  ".into()), false, "Enter a target"),
            (with(&|r| r.target = "a b".into()), false, "space"),
            (
                with(&|r| r.target = "https://example.com/x".into()),
                false,
                "URL",
            ),
            (
                with(&|r| r.locations = Locations::Places(per_continent(9))),
                false,
                "54 probes; without a token Globalping allows 50",
            ),
            (
                with(&|r| r.locations = Locations::Places(vec![])),
                false,
                "Say where",
            ),
            (
                with(&|r| r.locations = Locations::SameProbesAs("not an id".into())),
                false,
                "not a Globalping measurement id",
            ),
            (with(&|r| r.options.packets = Some(17)), false, "1 to 16"),
            (with(&|r| r.options.packets = Some(0)), false, "1 to 16"),
            (
                with(&|r| r.options.protocol = Some("udp".into())),
                false,
                "ICMP, TCP",
            ),
            (
                with(&|r| r.options.ip_version = Some(5)),
                false,
                "choose 4 or 6",
            ),
            (
                with(&|r| {
                    r.target = "192.0.2.1".into();
                    r.options.ip_version = Some(4);
                }),
                false,
                "only be chosen for a host name",
            ),
            (
                with(&|r| {
                    r.test = TestType::Dns;
                    r.options.query_type = Some("LOC".into());
                }),
                false,
                "cannot ask for LOC",
            ),
            (
                with(&|r| {
                    r.test = TestType::Dns;
                    r.options.query_type = Some("ptr".into());
                }),
                false,
                "needs an IP address",
            ),
            (
                with(&|r| {
                    r.test = TestType::Dns;
                    r.target = "192.0.2.1".into();
                }),
                false,
                "choose PTR",
            ),
            (
                with(&|r| {
                    r.test = TestType::Http;
                    r.options.http_path = Some("npm/jquery".into());
                }),
                false,
                "must start with \"/\"",
            ),
            (
                with(&|r| {
                    r.test = TestType::Http;
                    r.options.http_method = Some("POST".into());
                }),
                false,
                "HEAD, GET, OPTIONS",
            ),
        ];
        for (request, authenticated, needle) in cases {
            let error = request.validate(authenticated).unwrap_err();
            assert!(error.contains(needle), "{request:?}: {error}");
        }
        // A token raises the cap to 500.
        let many = with(&|r| r.locations = Locations::Places(per_continent(80)));
        assert_eq!(many.probes_requested(), 480);
        assert_eq!(many.validate(true), Ok(()));
        assert!(
            many.validate(false)
                .unwrap_err()
                .contains("add a Globalping token")
        );
        let too_many = with(&|r| r.locations = Locations::Places(per_continent(90)));
        assert!(
            too_many
                .validate(true)
                .unwrap_err()
                .contains("with your token")
        );
        // Accepted variants.
        for request in [
            with(&|r| {
                r.test = TestType::Dns;
                r.target = "192.0.2.1".into();
                r.options.query_type = Some("PTR".into());
            }),
            with(&|r| r.locations = Locations::SameProbesAs("PY5fMsREMmIq45VR".into())),
            with(&|r| {
                r.test = TestType::Http;
                r.options.http_path = Some("/npm/jquery".into());
                r.options.http_method = Some("get".into());
            }),
        ] {
            assert_eq!(request.validate(false), Ok(()), "{request:?}");
        }
    }

    #[test]
    fn probes_requested_saturates_and_ignores_reused_probes() {
        let request = ping(
            Locations::Places(vec![
                LocationSpec {
                    magic: "a".into(),
                    limit: u32::MAX,
                },
                LocationSpec {
                    magic: "b".into(),
                    limit: 5,
                },
            ]),
            TestOptions::default(),
        );
        assert_eq!(request.probes_requested(), u32::MAX);
        assert!(request.validate(true).is_err());
        let same = ping(Locations::SameProbesAs("x".into()), TestOptions::default());
        assert_eq!(same.probes_requested(), 0);
    }

    #[test]
    fn types_and_continents() {
        for kind in TestType::ALL {
            assert_eq!(TestType::from_api(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                Value::String(kind.as_str().into())
            );
        }
        assert_eq!(TestType::from_api("HTTP"), Some(TestType::Http));
        assert_eq!(TestType::from_api("ntp"), None);
        assert_eq!(TestType::Http.label(), "HTTP");
        assert_eq!(continent_name("eu"), Some("Europe"));
        assert_eq!(continent_name("AN"), None);
        let names: Vec<String> = per_continent(5).into_iter().map(|p| p.magic).collect();
        assert!(
            !names.iter().any(|n| n.len() == 2),
            "names, not codes: {names:?}"
        );
        // The request survives a notebook save.
        let request = ping(
            Locations::SameProbesAs("abc".into()),
            TestOptions {
                trace: true,
                ..TestOptions::default()
            },
        );
        let saved = serde_json::to_string(&request).unwrap();
        assert_eq!(
            serde_json::from_str::<MeasurementRequest>(&saved).unwrap(),
            request
        );
    }
}
