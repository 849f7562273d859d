//! DNS over HTTPS: the requests the `net` shell sends and the replies it hands back.
//!
//! Three protocols: Google's JSON API (`/resolve?name=&type=&edns_client_subnet=`), Cloudflare's
//! JSON API (`/dns-query?name=&type=` with `Accept: application/dns-json`; it has no subnet
//! parameter and Cloudflare does not forward ECS by policy), and RFC 8484 wire GETs
//! (`?dns=<base64url query>` with `Accept: application/dns-message`) to any endpoint the user adds.
//! Only GETs with an `Accept` header are built: they are CORS "simple" requests (no preflight), and
//! ID 0 makes them cacheable (RFC 8484 §4.1).
//!
//! The JSON format has no RFC; the mirror below reads what Google and Cloudflare document and
//! return (`Status`, `TC`, `RD`, `RA`, `AD`, `CD`, `Question`, `Answer`, `Authority`, `Additional`,
//! `edns_client_subnet`, `Comment`) and tolerates the rest (numbers as strings, missing sections,
//! unknown fields). Only `DohResponse` leaves this module.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::record::{Answer, ClientSubnet, EcsEcho, Flags, Question, Rcode, RecordType};
use super::wire::{self, DecodeError, Message, QueryError};
use crate::model::lenient;

pub const GOOGLE_JSON_ENDPOINT: &str = "https://dns.google/resolve";
pub const CLOUDFLARE_JSON_ENDPOINT: &str = "https://cloudflare-dns.com/dns-query";
/// Google also serves RFC 8484 (its DoH documentation), which makes it a wire-format resolver too.
pub const GOOGLE_WIRE_ENDPOINT: &str = "https://dns.google/dns-query";

/// How a resolver is spoken to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DohProtocol {
    GoogleJson,
    CloudflareJson,
    /// RFC 8484 `application/dns-message` over GET.
    Wire,
}

impl DohProtocol {
    /// Whether a client subnet can be put in the request. The resolver may still ignore it; the
    /// reply says so (see `EcsOutcome`).
    pub fn carries_subnet(self) -> bool {
        !matches!(self, DohProtocol::CloudflareJson)
    }

    /// The `Accept` header: Cloudflare requires `application/dns-json`; RFC 8484 §4.1 uses
    /// `application/dns-message`; Google's JSON API answers JSON whatever is accepted.
    pub fn accept(self) -> &'static str {
        match self {
            DohProtocol::GoogleJson => "application/json",
            DohProtocol::CloudflareJson => "application/dns-json",
            DohProtocol::Wire => "application/dns-message",
        }
    }
}

/// A resolver to ask: a label for people, its endpoint URL and protocol.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Resolver {
    pub label: String,
    pub endpoint: String,
    pub protocol: DohProtocol,
}

/// Why a user-supplied endpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointError(pub String);

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a DoH endpoint: give its https:// URL, e.g. https://dns.example/dns-query",
            self.0
        )
    }
}

impl Resolver {
    pub fn google_json() -> Resolver {
        Resolver {
            label: "Google".to_string(),
            endpoint: GOOGLE_JSON_ENDPOINT.to_string(),
            protocol: DohProtocol::GoogleJson,
        }
    }

    pub fn cloudflare_json() -> Resolver {
        Resolver {
            label: "Cloudflare".to_string(),
            endpoint: CLOUDFLARE_JSON_ENDPOINT.to_string(),
            protocol: DohProtocol::CloudflareJson,
        }
    }

    /// An RFC 8484 endpoint the user adds. Plain http is accepted only for a local server (tests,
    /// a resolver on this machine); the label defaults to the host.
    pub fn rfc8484(label: &str, endpoint: &str) -> Result<Resolver, EndpointError> {
        // Providers publish the URI template of RFC 8484 §3 ("…/dns-query{?dns}"); the variable
        // part is ours to fill.
        let endpoint = endpoint.trim();
        let endpoint = endpoint.strip_suffix("{?dns}").unwrap_or(endpoint);
        let refuse = || EndpointError(endpoint.to_string());
        let rest = endpoint
            .strip_prefix("https://")
            .or_else(|| {
                endpoint
                    .strip_prefix("http://")
                    .filter(|rest| rest.starts_with("127.0.0.1") || rest.starts_with("localhost"))
            })
            .ok_or_else(refuse)?;
        let host = rest.split(['/', '?']).next().unwrap_or_default();
        if host.is_empty()
            || endpoint.contains('#')
            || endpoint
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(refuse());
        }
        let label = label.trim();
        Ok(Resolver {
            label: if label.is_empty() { host } else { label }.to_string(),
            endpoint: endpoint.to_string(),
            protocol: DohProtocol::Wire,
        })
    }
}

/// A GET to send: its URL and `Accept` header, and the subnet it carries (kept so that the reply's
/// echo can be judged against it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DohRequest {
    pub url: String,
    pub accept: &'static str,
    pub subnet: Option<ClientSubnet>,
}

/// Percent-encodes a query parameter value, keeping the unreserved characters of RFC 3986 §2.3 and
/// the `/` and `:` that subnets hold (both allowed in a query, RFC 3986 §3.4).
fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn with_query(endpoint: &str, query: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}{query}")
}

/// The request for `name`/`rtype` to `resolver`, with `subnet` as ECS where the protocol carries one
/// (Cloudflare's JSON API does not: the subnet is dropped and `DohRequest::subnet` is `None`).
pub fn request(
    resolver: &Resolver,
    name: &str,
    rtype: RecordType,
    subnet: Option<ClientSubnet>,
) -> Result<DohRequest, QueryError> {
    let subnet = subnet.filter(|_| resolver.protocol.carries_subnet());
    let url = match resolver.protocol {
        DohProtocol::GoogleJson | DohProtocol::CloudflareJson => {
            let name = wire::validate_name(name)?;
            // Mnemonics where known, numbers otherwise: both APIs accept either, but not the
            // RFC 3597 `TYPE65280` spelling.
            let rtype = rtype
                .mnemonic()
                .map_or_else(|| rtype.code().to_string(), str::to_string);
            let mut query = format!("name={}&type={rtype}", query_value(&name));
            if let Some(subnet) = subnet {
                query.push_str(&format!(
                    "&edns_client_subnet={}",
                    query_value(&subnet.to_string())
                ));
            }
            with_query(&resolver.endpoint, &query)
        }
        DohProtocol::Wire => with_query(
            &resolver.endpoint,
            &format!("dns={}", wire::encode_query_base64url(name, rtype, subnet)?),
        ),
    };
    Ok(DohRequest {
        url,
        accept: resolver.protocol.accept(),
        subnet,
    })
}

/// A DoH reply, from either format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DohResponse {
    pub rcode: Rcode,
    pub flags: Flags,
    pub questions: Vec<Question>,
    pub answers: Vec<Answer>,
    pub authority: Vec<Answer>,
    pub additional: Vec<Answer>,
    pub client_subnet: Option<EcsEcho>,
    /// Google's diagnostics ("Response from 216.239.36.10.").
    pub comment: Option<String>,
    pub nsid: Option<String>,
    /// Records of the JSON that could not be read (and were left out), in words.
    pub problems: Vec<String>,
}

impl From<Message> for DohResponse {
    fn from(message: Message) -> DohResponse {
        let (client_subnet, nsid) = match message.edns {
            Some(edns) => (edns.client_subnet, edns.nsid),
            None => (None, None),
        };
        DohResponse {
            rcode: message.rcode,
            flags: message.flags,
            questions: message.questions,
            answers: message.answers,
            authority: message.authority,
            additional: message.additional,
            client_subnet,
            comment: None,
            nsid,
            problems: Vec::new(),
        }
    }
}

/// Why a DoH reply could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DohError {
    /// The HTTP request failed with this status (the body's message, if it has one).
    Http {
        status: u16,
        detail: Option<String>,
    },
    NotJson {
        detail: String,
    },
    /// JSON, but not a DNS reply (no `Status`), or the resolver's own `{"error": "…"}`.
    NotAReply {
        detail: String,
    },
    Wire {
        error: DecodeError,
    },
}

impl fmt::Display for DohError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DohError::Http { status, detail } => {
                write!(f, "the resolver answered HTTP {status}")?;
                match status {
                    400 => write!(f, " (it refused the query: check the name and type)")?,
                    413 | 414 => write!(f, " (the query is too long for it)")?,
                    415 => write!(f, " (it does not accept this format)")?,
                    429 => write!(f, " (too many requests: wait a minute and retry)")?,
                    _ => {}
                }
                if let Some(detail) = detail {
                    write!(f, ": {detail}")?;
                }
                Ok(())
            }
            DohError::NotJson { detail } => {
                write!(f, "the resolver's reply is not JSON ({detail})")
            }
            DohError::NotAReply { detail } => {
                write!(f, "the resolver's reply is not a DNS answer ({detail})")
            }
            DohError::Wire { error } => error.fmt(f),
        }
    }
}

/// A failed HTTP exchange, with the resolver's message when its body is a JSON `{"error": "…"}`
/// (Google) or a short line of text.
pub fn http_failure(status: u16, body: &str) -> DohError {
    let detail = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|value| {
            value
                .get("error")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .or_else(|| {
            let line = body.trim();
            (!line.is_empty() && line.len() <= 200 && !line.contains('<')).then(|| line.to_string())
        });
    DohError::Http { status, detail }
}

/// A reply of the given protocol, from the raw body.
pub fn parse_reply(protocol: DohProtocol, body: &[u8]) -> Result<DohResponse, DohError> {
    match protocol {
        DohProtocol::Wire => wire::decode(body)
            .map(DohResponse::from)
            .map_err(|error| DohError::Wire { error }),
        DohProtocol::GoogleJson | DohProtocol::CloudflareJson => {
            parse_json(&String::from_utf8_lossy(body))
        }
    }
}

/// The JSON reply as Google and Cloudflare write it. Every field is optional and loosely typed; the
/// conversion below decides what is usable.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JsonReply {
    #[serde(rename = "Status")]
    status: Value,
    #[serde(rename = "TC")]
    tc: Value,
    #[serde(rename = "RD")]
    rd: Value,
    #[serde(rename = "RA")]
    ra: Value,
    #[serde(rename = "AD")]
    ad: Value,
    #[serde(rename = "CD")]
    cd: Value,
    #[serde(rename = "Question")]
    question: Value,
    #[serde(rename = "Answer")]
    answer: Value,
    #[serde(rename = "Authority")]
    authority: Value,
    #[serde(rename = "Additional")]
    additional: Value,
    edns_client_subnet: Value,
    #[serde(rename = "Comment")]
    comment: Value,
    error: Value,
}

fn json_flag(value: &Value) -> bool {
    match value {
        Value::Bool(flag) => *flag,
        other => lenient::unsigned(other).is_some_and(|n| n != 0),
    }
}

/// A record type given as a number (the documented form) or a mnemonic.
fn json_type(value: &Value) -> Option<RecordType> {
    match value {
        Value::String(s) => s.parse().ok(),
        other => lenient::unsigned(other)
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(RecordType),
    }
}

/// An absolute name: the JSON APIs write the trailing dot, but not every server does.
fn absolute(name: &str) -> String {
    let name = name.trim();
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

/// The data as the wire decoder would present it: addresses in canonical form (RFC 5952 for IPv6)
/// and single-name data absolute, so JSON and wire answers compare as equal strings.
fn normalised_data(rtype: RecordType, data: &str) -> String {
    let data = data.trim();
    if rtype.is_address()
        && let Ok(address) = data.parse::<IpAddr>()
    {
        return address.to_string();
    }
    // CNAME, NS, PTR, DNAME: the whole data is one name.
    if [5, 2, 12, 39].contains(&rtype.code()) && !data.is_empty() {
        return absolute(data);
    }
    data.to_string()
}

/// A section (a list of records, or a single record object as some servers write a lone one).
fn json_records(section: &Value, label: &str, problems: &mut Vec<String>) -> Vec<Answer> {
    let items: Vec<&Value> = match section {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        object @ Value::Object(_) => vec![object],
        other => {
            problems.push(format!("the {label} section is not a list ({other})"));
            return Vec::new();
        }
    };
    let mut records = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let name = item.get("name").and_then(Value::as_str);
        let rtype = item.get("type").and_then(json_type);
        let data = item.get("data").and_then(Value::as_str);
        match (name, rtype, data) {
            (Some(name), Some(rtype), Some(data)) => records.push(Answer {
                name: absolute(name),
                rtype,
                ttl: item
                    .get("TTL")
                    .and_then(lenient::unsigned)
                    .and_then(|ttl| u32::try_from(ttl).ok())
                    .unwrap_or(0),
                data: normalised_data(rtype, data),
            }),
            _ => problems.push(format!(
                "{label} record {index} lacks a name, type or data and was left out"
            )),
        }
    }
    records
}

/// Google's echo: "address/scope" as its documentation writes it, or "address/source/scope".
fn json_subnet_echo(value: &Value) -> Option<EcsEcho> {
    let text = value.as_str()?.trim();
    let mut parts = text.split('/');
    let address = parts.next()?.parse::<IpAddr>().ok();
    let numbers: Vec<u8> = parts
        .map(|part| part.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (source_prefix, scope_prefix) = match numbers.as_slice() {
        [scope] => (None, *scope),
        [source, scope] => (Some(*source), *scope),
        _ => return None,
    };
    Some(EcsEcho {
        address,
        source_prefix,
        scope_prefix,
    })
}

/// A JSON reply (Google `/resolve` or Cloudflare `application/dns-json`).
pub fn parse_json(text: &str) -> Result<DohResponse, DohError> {
    let value: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
            DohError::NotJson {
                detail: error.to_string(),
            }
        })?;
    if !value.is_object() {
        return Err(DohError::NotAReply {
            detail: "not a JSON object".to_string(),
        });
    }
    let reply: JsonReply = serde_json::from_value(value).map_err(|error| DohError::NotAReply {
        detail: error.to_string(),
    })?;
    let Some(status) = lenient::unsigned(&reply.status).and_then(|s| u16::try_from(s).ok()) else {
        let detail = reply
            .error
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| "it has no Status".to_string());
        return Err(DohError::NotAReply { detail });
    };
    let mut problems = Vec::new();
    let questions = match &reply.question {
        Value::Array(items) => items.iter().collect(),
        object @ Value::Object(_) => vec![object],
        _ => Vec::new(),
    }
    .into_iter()
    .filter_map(|item| {
        Some(Question {
            name: absolute(item.get("name")?.as_str()?),
            rtype: item.get("type").and_then(json_type)?,
        })
    })
    .collect();
    let comment = match &reply.comment {
        Value::String(text) => Some(text.clone()),
        Value::Array(lines) => Some(
            lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    };
    Ok(DohResponse {
        rcode: Rcode(status),
        flags: Flags {
            qr: true,
            aa: false,
            tc: json_flag(&reply.tc),
            rd: json_flag(&reply.rd),
            ra: json_flag(&reply.ra),
            ad: json_flag(&reply.ad),
            cd: json_flag(&reply.cd),
        },
        questions,
        answers: json_records(&reply.answer, "Answer", &mut problems),
        authority: json_records(&reply.authority, "Authority", &mut problems),
        additional: json_records(&reply.additional, "Additional", &mut problems),
        client_subnet: json_subnet_echo(&reply.edns_client_subnet),
        comment,
        nsid: None,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/doh/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn google_json_requests_carry_the_subnet() {
        let subnet: ClientSubnet = "223.72.90.0/24".parse().unwrap();
        let request = request(
            &Resolver::google_json(),
            "img.alicdn.com",
            RecordType::A,
            Some(subnet),
        )
        .unwrap();
        assert_eq!(
            request.url,
            "https://dns.google/resolve?name=img.alicdn.com&type=A&edns_client_subnet=223.72.90.0/24"
        );
        assert_eq!(request.accept, "application/json");
        assert_eq!(request.subnet, Some(subnet));
        let unknown = super::request(
            &Resolver::google_json(),
            "x.example",
            RecordType(65280),
            None,
        )
        .unwrap();
        assert!(unknown.url.ends_with("type=65280"), "{}", unknown.url);
    }

    #[test]
    fn cloudflare_json_requests_drop_the_subnet() {
        let subnet: ClientSubnet = "192.0.2.0/24".parse().unwrap();
        let request = request(
            &Resolver::cloudflare_json(),
            "example.com.",
            RecordType::AAAA,
            Some(subnet),
        )
        .unwrap();
        assert_eq!(
            request.url,
            "https://cloudflare-dns.com/dns-query?name=example.com.&type=AAAA"
        );
        assert_eq!(request.accept, "application/dns-json");
        assert_eq!(request.subnet, None);
    }

    #[test]
    fn wire_requests_follow_rfc_8484() {
        let resolver = Resolver::rfc8484("", "https://dns.example/dns-query").unwrap();
        assert_eq!(resolver.label, "dns.example");
        let request = request(&resolver, "www.example.com", RecordType::A, None).unwrap();
        assert_eq!(
            request.url,
            "https://dns.example/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"
        );
        assert_eq!(request.accept, "application/dns-message");
        let with_query = Resolver::rfc8484("Mine", "https://dns.example/q?key=1").unwrap();
        assert!(
            super::request(&with_query, "a.example", RecordType::A, None)
                .unwrap()
                .url
                .starts_with("https://dns.example/q?key=1&dns=")
        );
        for bad in [
            "",
            "dns.example",
            "http://dns.example/dns-query",
            "https://",
            "https://a b",
            "https://x/#y",
        ] {
            assert!(Resolver::rfc8484("", bad).is_err(), "{bad}");
        }
        assert!(Resolver::rfc8484("local", "http://127.0.0.1:8053/dns-query").is_ok());
        let template =
            Resolver::rfc8484("", "https://dnsserver.example.net/dns-query{?dns}").unwrap();
        assert_eq!(template.endpoint, "https://dnsserver.example.net/dns-query");
        assert!(matches!(
            super::request(&resolver, "a..b", RecordType::A, None),
            Err(QueryError::InvalidName(_))
        ));
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(query_value("a b&c=d\\"), "a%20b%26c%3Dd%5C");
        assert_eq!(query_value("2001:db8::/48"), "2001:db8::/48");
    }

    /// The echo in the recorded Google reply is "223.72.90.0/24": Google writes "address/scope", so
    /// alicdn's servers tailored the answer to the whole /24.
    #[test]
    fn google_echoes_the_subnet_with_its_scope() {
        let reply = parse_json(&fixture(
            "google-json_A_with-edns_client_subnet_img.alicdn.com.json",
        ))
        .unwrap();
        assert_eq!(reply.rcode, Rcode::NOERROR);
        let echo = reply.client_subnet.unwrap();
        assert_eq!(echo.address, Some("223.72.90.0".parse().unwrap()));
        assert_eq!((echo.source_prefix, echo.scope_prefix), (None, 24));
        let data: Vec<&str> = reply.answers.iter().map(|a| a.data.as_str()).collect();
        assert_eq!(
            data,
            [
                "img.alicdn.com.danuoyi.alicdn.com.",
                "111.32.130.108",
                "111.32.130.109"
            ]
        );
        assert_eq!(reply.answers[0].rtype, RecordType::CNAME);
        assert_eq!(reply.answers[0].ttl, 85493);
        assert!(reply.comment.unwrap().contains("121.42.1.129"));
        assert!(reply.problems.is_empty());
        assert_eq!(
            json_subnet_echo(&Value::String("12.34.56.78/0".to_string()))
                .unwrap()
                .scope_prefix,
            0
        );
        let three = json_subnet_echo(&Value::String("1.2.3.0/24/20".to_string())).unwrap();
        assert_eq!((three.source_prefix, three.scope_prefix), (Some(24), 20));
        for bad in ["", "1.2.3.0", "1.2.3.0/x", "1.2.3.0/1/2/3"] {
            assert_eq!(
                json_subnet_echo(&Value::String(bad.to_string())),
                None,
                "{bad}"
            );
        }
    }

    /// Every recorded JSON reply parses; expected values are read off the files themselves.
    #[test]
    fn every_recorded_json_reply_parses() {
        let cases: [(&str, RecordType, usize, &str); 9] = [
            (
                "cloudflare-json_AAAA_example.com.json",
                RecordType::AAAA,
                1,
                "2606:2800:220:1:248:1893:25c8:1946",
            ),
            (
                "google-json_AAAA_www.google.com.br.json",
                RecordType::AAAA,
                1,
                "2800:3f0:4001:81a::2003",
            ),
            (
                "google-json_ANY_uol.com.br.json",
                RecordType::ANY,
                15,
                "eliot.uol.com.br. root.uol.com.br. 2016046693 7200 3600 432000 900",
            ),
            (
                "google-json_A_cname-chain_servidor.vv8.tv.br.json",
                RecordType::A,
                2,
                "clinicavalinhos.ddns.net.",
            ),
            (
                "google-json_A_uol.com.br_no-comment.json",
                RecordType::A,
                1,
                "200.147.35.149",
            ),
            (
                "google-json_A_with-edns_client_subnet_img.alicdn.com.json",
                RecordType::A,
                3,
                "img.alicdn.com.danuoyi.alicdn.com.",
            ),
            (
                "google-json_A_www.google.com.json",
                RecordType::A,
                1,
                "172.217.25.100",
            ),
            (
                "google-json_PTR_200.220.152.22.json",
                RecordType::PTR,
                1,
                "dns1.doctordata.com.br.",
            ),
            (
                "google-json_SOA_uol.com.br.json",
                RecordType::SOA,
                1,
                "eliot.uol.com.br. root.uol.com.br. 2016046693 7200 3600 432000 900",
            ),
        ];
        for (file, rtype, count, first) in cases {
            let reply = parse_json(&fixture(file)).unwrap();
            assert_eq!(reply.questions[0].rtype, rtype, "{file}");
            assert_eq!(reply.answers.len(), count, "{file}");
            assert_eq!(reply.answers[0].data, first, "{file}");
            assert!(reply.flags.rd && reply.flags.ra, "{file}");
            assert!(reply.problems.is_empty(), "{file}");
        }
        let cloudflare = parse_json(&fixture("cloudflare-json_AAAA_example.com.json")).unwrap();
        assert!(cloudflare.flags.ad);
        assert_eq!(cloudflare.comment, None);
        let any = parse_json(&fixture("google-json_ANY_uol.com.br.json")).unwrap();
        assert!(any.answers.iter().any(|a| a.data == "\"DZC=qvK68EJ\""));
    }

    #[test]
    fn json_of_the_wrong_shape_is_an_error_or_a_problem() {
        for bad in [
            "",
            "nope",
            "[]",
            "42",
            "{}",
            "{\"Status\": \"x\"}",
            "{\"Status\": -1}",
        ] {
            assert!(parse_json(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_json(r#"{"error": "Invalid name"}"#),
            Err(DohError::NotAReply {
                detail: "Invalid name".to_string()
            })
        );
        let odd = r#"{"Status": "3", "TC": 1, "RD": "yes", "Question": {"name": "a.example", "type": "A"},
            "Answer": [{"name": "a.example", "type": 1, "TTL": "60", "data": " 192.0.2.1 "},
                       {"name": 5}, "x", {"name": "b", "type": 99999, "data": "y"}],
            "Authority": "none", "Additional": {"name": "c.", "type": "TXT", "data": "\"t\""},
            "edns_client_subnet": 7, "Comment": ["one", 2, "three"]}"#;
        let reply = parse_json(odd).unwrap();
        assert_eq!(reply.rcode, Rcode::NXDOMAIN);
        assert!(reply.flags.tc && !reply.flags.rd);
        assert_eq!(reply.questions[0].name, "a.example.");
        assert_eq!(reply.answers.len(), 1);
        assert_eq!(reply.answers[0].data, "192.0.2.1");
        assert_eq!(reply.answers[0].ttl, 60);
        assert_eq!(reply.additional[0].rtype, RecordType::TXT);
        assert_eq!(reply.problems.len(), 4, "{:?}", reply.problems);
        assert_eq!(reply.client_subnet, None);
        assert_eq!(reply.comment.as_deref(), Some("one three"));
    }

    #[test]
    fn wire_replies_and_http_failures() {
        let query = wire::encode_query("example.com", RecordType::A, None).unwrap();
        let reply = parse_reply(DohProtocol::Wire, &query).unwrap();
        assert_eq!(reply.questions[0].name, "example.com.");
        assert!(matches!(
            parse_reply(DohProtocol::Wire, b"<html>"),
            Err(DohError::Wire { .. })
        ));
        assert!(parse_reply(DohProtocol::GoogleJson, b"\xff\xfe").is_err());
        assert_eq!(
            http_failure(400, r#"{"error": "Invalid name"}"#).to_string(),
            "the resolver answered HTTP 400 (it refused the query: check the name and type): Invalid name"
        );
        assert_eq!(
            http_failure(502, "<html>bad gateway</html>"),
            DohError::Http {
                status: 502,
                detail: None
            }
        );
    }
}
