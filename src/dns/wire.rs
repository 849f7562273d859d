//! The DNS wire format (RFC 1035 §4): queries for RFC 8484 DoH GETs, and decoding of replies, whether
//! an Atlas `abuf` (base64) or a DoH `application/dns-message` body. Both directions go through the
//! simple-dns crate; this module adds what it lacks: the EDNS Client Subnet option (RFC 7871 §6),
//! NSID (RFC 5001), presentation-format data (see `present`) and a guard against messages whose
//! counts promise more than their bytes hold.
//!
//! Decoding is total: any byte string gives a `Message` or a typed `DecodeError`, never a panic or a
//! hang (tests mutate and truncate real messages thousands of times, and try compression loops).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Serialize;
use simple_dns::rdata::{OPT, OPTCode, RData};
use simple_dns::{CLASS, Name, Packet, PacketFlag, QCLASS, QTYPE, ResourceRecord, TYPE};

use super::present;
use super::record::{Answer, ClientSubnet, EcsEcho, Flags, Question, Rcode, RecordType};

/// The EDNS0 UDP payload size our queries advertise: 1232 bytes, the value agreed for DNS Flag Day
/// 2020 (it is irrelevant over HTTPS but must be present in an OPT record, RFC 6891 §6.1.2).
pub const EDNS_UDP_PAYLOAD: u16 = 1232;
/// EDNS option codes (IANA "DNS EDNS0 Option Codes").
const OPTION_NSID: u16 = 3;
const OPTION_CLIENT_SUBNET: u16 = 8;
/// The smallest question (root name, QTYPE, QCLASS) and resource record (root name, TYPE, CLASS, TTL,
/// RDLENGTH) on the wire, for the plausibility check of the header counts.
const MIN_QUESTION_BYTES: usize = 5;
const MIN_RECORD_BYTES: usize = 11;

/// Base64 as Atlas writes `abuf` (padded) and as RFC 8484 writes `dns=` (unpadded, after the URL-safe
/// characters are mapped back): padding optional, stray trailing bits tolerated.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Why a query could not be built; each says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "error", content = "name", rename_all = "snake_case")]
pub enum QueryError {
    EmptyName,
    /// Internationalised names must be given in their ASCII (punycode) form: resolvers, Google's
    /// JSON API included, expect `xn--` labels.
    NotAscii(String),
    /// An empty label (`a..b`, `.a`), a label over 63 bytes or a name over 255 (RFC 1035 §2.3.4).
    InvalidName(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::EmptyName => write!(f, "enter a domain name to look up"),
            QueryError::NotAscii(name) => write!(
                f,
                "\"{name}\" has non-ASCII characters: write it in its xn-- (punycode) form"
            ),
            QueryError::InvalidName(name) => write!(
                f,
                "\"{name}\" is not a valid domain name: labels are 1 to 63 characters separated by single dots, 255 in all"
            ),
        }
    }
}

/// The name as a resolver should receive it, or why not.
pub fn validate_name(name: &str) -> Result<String, QueryError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(QueryError::EmptyName);
    }
    if !trimmed.is_ascii() {
        return Err(QueryError::NotAscii(trimmed.to_string()));
    }
    // simple-dns silently drops empty labels; a resolver answers 400 or FORMERR, so refuse them here.
    let relative = trimmed.strip_suffix('.').unwrap_or(trimmed);
    let empty_label = trimmed != "." && relative.split('.').any(str::is_empty);
    if empty_label || Name::new(trimmed).is_err() {
        return Err(QueryError::InvalidName(trimmed.to_string()));
    }
    Ok(trimmed.to_string())
}

/// The ECS option data (RFC 7871 §6): FAMILY, SOURCE PREFIX-LENGTH, SCOPE PREFIX-LENGTH (0 in
/// queries), then only as many address bytes as the source prefix covers.
fn client_subnet_option(subnet: &ClientSubnet) -> Vec<u8> {
    let mut data = subnet.family().to_be_bytes().to_vec();
    data.push(subnet.prefix());
    data.push(0);
    let address_bytes: Vec<u8> = match subnet.address() {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    };
    let needed = usize::from(subnet.prefix()).div_ceil(8);
    data.extend_from_slice(&address_bytes[..needed.min(address_bytes.len())]);
    data
}

/// A recursive query (RD set) for `name`/`rtype` in class IN with ID 0, as RFC 8484 §4.1 asks of GET
/// requests so that HTTP caches can share them; with an EDNS0 OPT record carrying an ECS option when
/// a subnet is given.
pub fn encode_query(
    name: &str,
    rtype: RecordType,
    subnet: Option<ClientSubnet>,
) -> Result<Vec<u8>, QueryError> {
    let valid = validate_name(name)?;
    let qname = Name::new(&valid).map_err(|_| QueryError::InvalidName(valid.clone()))?;
    let mut packet = Packet::new_query(0);
    packet.set_flags(PacketFlag::RECURSION_DESIRED);
    packet.questions.push(simple_dns::Question::new(
        qname,
        QTYPE::TYPE(TYPE::from(rtype.code())),
        QCLASS::CLASS(CLASS::IN),
        false,
    ));
    if let Some(subnet) = subnet {
        *packet.opt_mut() = Some(OPT {
            opt_codes: vec![OPTCode {
                code: OPTION_CLIENT_SUBNET,
                data: client_subnet_option(&subnet).into(),
            }],
            udp_packet_size: EDNS_UDP_PAYLOAD,
            version: 0,
        });
    }
    packet
        .build_bytes_vec()
        .map_err(|_| QueryError::InvalidName(valid))
}

/// The query as the `dns` parameter of an RFC 8484 GET: base64url without padding (RFC 8484 §4.1).
pub fn encode_query_base64url(
    name: &str,
    rtype: RecordType,
    subnet: Option<ClientSubnet>,
) -> Result<String, QueryError> {
    encode_query(name, rtype, subnet).map(|bytes| URL_SAFE_NO_PAD.encode(bytes))
}

/// The EDNS0 pseudo-record of a reply (RFC 6891 §6.1.2), with the options this app reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edns {
    pub udp_payload_size: u16,
    pub version: u8,
    pub client_subnet: Option<EcsEcho>,
    /// The name server identifier (RFC 5001): which instance of an anycast service answered.
    pub nsid: Option<String>,
}

/// An ECS option as a reply carries it (RFC 7871 §6): FAMILY, SOURCE and SCOPE PREFIX-LENGTH, then
/// the address bytes the source prefix covers (zero-padded back to a full address here).
fn ecs_echo(data: &[u8]) -> Option<EcsEcho> {
    let (head, address) = data.split_at_checked(4)?;
    let family = u16::from_be_bytes([head[0], head[1]]);
    let address = match family {
        1 if address.len() <= 4 => {
            let mut octets = [0u8; 4];
            octets[..address.len()].copy_from_slice(address);
            Some(IpAddr::V4(Ipv4Addr::from(octets)))
        }
        2 if address.len() <= 16 => {
            let mut octets = [0u8; 16];
            octets[..address.len()].copy_from_slice(address);
            Some(IpAddr::V6(Ipv6Addr::from(octets)))
        }
        _ => None,
    };
    Some(EcsEcho {
        address,
        source_prefix: Some(head[2]),
        scope_prefix: head[3],
    })
}

fn nsid_text(data: &[u8]) -> String {
    // NSID is opaque; most operators put a host name in it, so show text when it is printable.
    if !data.is_empty() && data.iter().all(|byte| (0x20..=0x7e).contains(byte)) {
        String::from_utf8_lossy(data).into_owned()
    } else {
        present::hex(data)
    }
}

/// A decoded message: the header, each section in presentation format, and EDNS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub id: u16,
    pub rcode: Rcode,
    pub flags: Flags,
    pub questions: Vec<Question>,
    pub answers: Vec<Answer>,
    pub authority: Vec<Answer>,
    /// The additional section without the OPT pseudo-record, which is `edns`.
    pub additional: Vec<Answer>,
    pub edns: Option<Edns>,
}

/// Why bytes are not a DNS message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum DecodeError {
    NotBase64,
    /// Fewer bytes than the 12-byte header.
    TooShort {
        length: usize,
    },
    /// The header counts more records than the remaining bytes could possibly hold.
    Truncated {
        length: usize,
    },
    Malformed {
        reason: String,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NotBase64 => write!(f, "the DNS answer is not valid base64"),
            DecodeError::TooShort { length } => write!(
                f,
                "the DNS answer has {length} bytes, fewer than the 12 of a header"
            ),
            DecodeError::Truncated { length } => write!(
                f,
                "the DNS answer ({length} bytes) is cut short: its header counts more records than it holds"
            ),
            DecodeError::Malformed { reason } => {
                write!(f, "the DNS answer is malformed ({reason})")
            }
        }
    }
}

/// Decodes base64 text (Atlas `abuf`, padded; or an RFC 8484 `dns=` value, URL-safe and unpadded).
pub fn decode_base64(text: &str) -> Result<Message, DecodeError> {
    let standard: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            other => other,
        })
        .collect();
    let bytes = LENIENT_BASE64
        .decode(standard)
        .map_err(|_| DecodeError::NotBase64)?;
    decode(&bytes)
}

/// Where each question ends and what it asked, read from the original bytes.
///
/// simple-dns 0.13 refuses a whole message whose question has a QTYPE or QCLASS it has no variant
/// for (TLSA, SSHFP, NSEC3PARAM, …), although RFC 3597 makes unknown types ordinary. So the question
/// section, which starts right after the header and whose first name cannot be compressed, is walked
/// here to keep the true values, and the copy handed to simple-dns gets values it accepts in their
/// place. Only label lengths are read; a name that runs off the end is malformed.
fn neutralise_questions(copy: &mut [u8], count: u16) -> Result<Vec<(u16, u16)>, DecodeError> {
    let cut = || DecodeError::Malformed {
        reason: "the question section is cut short".to_string(),
    };
    let mut asked = Vec::new();
    let mut offset = 12;
    for _ in 0..count {
        loop {
            let length = *copy.get(offset).ok_or_else(cut)?;
            if length & 0xc0 == 0xc0 {
                offset += 2;
                break;
            }
            offset += 1 + usize::from(length);
            if length == 0 {
                break;
            }
        }
        let fields = copy.get_mut(offset..offset + 4).ok_or_else(cut)?;
        let qtype = u16::from_be_bytes([fields[0], fields[1]]);
        let qclass = u16::from_be_bytes([fields[2], fields[3]]);
        if QTYPE::try_from(qtype).is_err() {
            fields[..2].copy_from_slice(&255u16.to_be_bytes());
        }
        if QCLASS::try_from(qclass & 0x7fff).is_err() {
            fields[2..].copy_from_slice(&1u16.to_be_bytes());
        }
        asked.push((qtype, qclass));
        offset += 4;
    }
    Ok(asked)
}

/// The RDATA of one record as bytes, by writing the record back out alone and uncompressed: simple-dns
/// keeps the character strings of TXT and HINFO private, and has no presentation of the types it does
/// not model, both of which need the bytes. The record follows a 12-byte header and a root owner name
/// (1 byte), then TYPE, CLASS, TTL and RDLENGTH (10 bytes).
fn rdata_bytes(record: &ResourceRecord<'_>) -> Option<Vec<u8>> {
    let mut packet = Packet::new_reply(0);
    packet.answers.push(ResourceRecord::new(
        Name::new_unchecked(""),
        record.class,
        0,
        record.rdata.clone(),
    ));
    let bytes = packet.build_bytes_vec().ok()?;
    bytes.get(12 + 1 + 10..).map(<[u8]>::to_vec)
}

fn answer(record: &ResourceRecord<'_>) -> Answer {
    Answer {
        name: present::name(&record.name),
        rtype: RecordType(u16::from(record.rdata.type_code())),
        ttl: record.ttl,
        data: present::rdata(&record.rdata, || rdata_bytes(record)),
    }
}

/// Decodes one DNS message.
pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
    let length = bytes.len();
    if length < 12 {
        return Err(DecodeError::TooShort { length });
    }
    let count = |at: usize| u16::from_be_bytes([bytes[at], bytes[at + 1]]);
    let (questions, records) = (
        count(4),
        usize::from(count(6)) + usize::from(count(8)) + usize::from(count(10)),
    );
    // simple-dns reserves room for every counted record before reading any, so a 12-byte header that
    // claims 4 × 65535 records would cost megabytes (and grow a wasm page's memory for good).
    if usize::from(questions) * MIN_QUESTION_BYTES + records * MIN_RECORD_BYTES > length - 12 {
        return Err(DecodeError::Truncated { length });
    }
    let mut copy = bytes.to_vec();
    // RFC 1035 reserves the Z bit and says receivers should not rely on it; simple-dns refuses the
    // message when it is set, so it is cleared in the copy it reads.
    copy[3] &= !0x40;
    let asked = neutralise_questions(&mut copy, questions)?;
    let packet = Packet::parse(&copy).map_err(|error| DecodeError::Malformed {
        reason: error.to_string(),
    })?;
    let edns = packet.opt().map(|opt| {
        let option = |code: u16| {
            opt.opt_codes
                .iter()
                .find(|option| option.code == code)
                .map(|option| option.data.as_ref())
        };
        Edns {
            udp_payload_size: opt.udp_packet_size,
            version: opt.version,
            client_subnet: option(OPTION_CLIENT_SUBNET).and_then(ecs_echo),
            nsid: option(OPTION_NSID).map(nsid_text),
        }
    });
    Ok(Message {
        id: packet.id(),
        // The 4-bit header RCODE. The extended bits of RFC 6891 §6.1.3 are not merged: simple-dns
        // 0.13 reads them from the wrong byte of the OPT TTL, and they only carry BADVERS and TSIG
        // codes, which a query without EDNS version > 0 or TSIG never provokes.
        rcode: Rcode(u16::from(bytes[3] & 0x0f)),
        flags: Flags {
            qr: packet.has_flags(PacketFlag::RESPONSE),
            aa: packet.has_flags(PacketFlag::AUTHORITATIVE_ANSWER),
            tc: packet.has_flags(PacketFlag::TRUNCATION),
            rd: packet.has_flags(PacketFlag::RECURSION_DESIRED),
            ra: packet.has_flags(PacketFlag::RECURSION_AVAILABLE),
            ad: packet.has_flags(PacketFlag::AUTHENTIC_DATA),
            cd: packet.has_flags(PacketFlag::CHECKING_DISABLED),
        },
        questions: packet
            .questions
            .iter()
            .zip(&asked)
            .map(|(question, (qtype, _))| Question {
                name: present::name(&question.qname),
                rtype: RecordType(*qtype),
            })
            .collect(),
        answers: packet.answers.iter().map(answer).collect(),
        authority: packet.name_servers.iter().map(answer).collect(),
        additional: packet
            .additional_records
            .iter()
            .filter(|record| !matches!(record.rdata, RData::OPT(_)))
            .map(answer)
            .collect(),
        edns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_kit::XorShift;

    #[test]
    fn the_rfc_8484_example_query_is_reproduced() {
        // RFC 8484 §4.1.1: "www.example.com" A, ID 0, RD, no EDNS.
        assert_eq!(
            encode_query_base64url("www.example.com", RecordType::A, None).unwrap(),
            "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"
        );
        // A trailing dot names the same absolute name.
        assert_eq!(
            encode_query_base64url("www.example.com.", RecordType::A, None).unwrap(),
            "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"
        );
    }

    /// The expected strings are what dnspython 2.9.2 writes for the same queries:
    /// `make_query(name, type, use_edns=0, payload=1232, options=[ECSOption(address, prefix)])`, id 0.
    #[test]
    fn ecs_queries_match_dnspython() {
        let v4: ClientSubnet = "192.0.2.0/24".parse().unwrap();
        assert_eq!(
            encode_query_base64url("www.example.com", RecordType::A, Some(v4)).unwrap(),
            "AAABAAABAAAAAAABA3d3dwdleGFtcGxlA2NvbQAAAQABAAApBNAAAAAAAAsACAAHAAEYAMAAAg"
        );
        let v6: ClientSubnet = "2001:db8::/48".parse().unwrap();
        assert_eq!(
            encode_query_base64url("example.com", RecordType::AAAA, Some(v6)).unwrap(),
            "AAABAAABAAAAAAABB2V4YW1wbGUDY29tAAAcAAEAACkE0AAAAAAADgAIAAoAAjAAIAENuAAA"
        );
        // Our own decoder reads the option back, with scope 0 as queries carry.
        let query =
            decode(&encode_query("example.com", RecordType::AAAA, Some(v6)).unwrap()).unwrap();
        let echo = query.edns.unwrap().client_subnet.unwrap();
        assert_eq!((echo.source_prefix, echo.scope_prefix), (Some(48), 0));
        assert_eq!(echo.address, Some("2001:db8::".parse().unwrap()));
        assert!(query.flags.rd && !query.flags.qr);
        assert_eq!(query.questions[0].rtype, RecordType::AAAA);
    }

    #[test]
    fn bad_names_are_refused_with_a_reason() {
        assert_eq!(
            encode_query("  ", RecordType::A, None),
            Err(QueryError::EmptyName)
        );
        assert!(matches!(
            encode_query("ελ.example", RecordType::A, None),
            Err(QueryError::NotAscii(_))
        ));
        for bad in [
            "a..b",
            ".a",
            &"x".repeat(64),
            &format!("{}.com", "a.".repeat(130)),
        ] {
            assert!(
                matches!(
                    encode_query(bad, RecordType::A, None),
                    Err(QueryError::InvalidName(_))
                ),
                "{bad}"
            );
        }
        assert!(encode_query(".", RecordType::NS, None).is_ok());
        assert!(encode_query("xn--qxam.example", RecordType(65280), None).is_ok());
    }

    #[test]
    fn unknown_question_types_decode() {
        // A TLSA question, which simple-dns alone would refuse (QTYPE 52 has no variant there).
        let query = encode_query("_443._tcp.example.com", RecordType(52), None).unwrap();
        let message = decode(&query).unwrap();
        assert_eq!(message.questions[0].rtype, RecordType(52));
        assert_eq!(message.questions[0].name, "_443._tcp.example.com.");
    }

    #[test]
    fn the_z_bit_does_not_make_a_message_unreadable() {
        let mut query = encode_query("example.com", RecordType::A, None).unwrap();
        query[3] |= 0x40;
        assert!(decode(&query).is_ok());
    }

    #[test]
    fn base64_in_both_alphabets_with_or_without_padding() {
        let abuf = "m5GEAAABAAEAAAAABWFzMjUwA25ldAAAAQABwAwAAQABAAAOEAAEwpaoZA==";
        let padded = decode_base64(abuf).unwrap();
        assert_eq!(decode_base64(abuf.trim_end_matches('=')).unwrap(), padded);
        assert_eq!(padded.answers[0].data, "194.150.168.100");
        assert_eq!(decode_base64("not base64!"), Err(DecodeError::NotBase64));
        let url = encode_query_base64url("www.example.com", RecordType::A, None).unwrap();
        assert_eq!(
            decode_base64(&url).unwrap().questions[0].name,
            "www.example.com."
        );
    }

    #[test]
    fn counts_beyond_the_bytes_are_refused_before_any_allocation() {
        let mut header = vec![0u8; 12];
        header[6..12].copy_from_slice(&[0xff; 6]);
        assert_eq!(decode(&header), Err(DecodeError::Truncated { length: 12 }));
        assert_eq!(decode(&[0; 5]), Err(DecodeError::TooShort { length: 5 }));
    }

    /// Every `abuf` of the recorded Atlas DNS results, as bytes.
    fn recorded_abufs() -> Vec<Vec<u8>> {
        let files = [
            include_str!("../../tests/fixtures/atlas/dns_results_sagan.json"),
            include_str!("../../tests/fixtures/atlas/dns_results_reticle.json"),
            include_str!("../../tests/fixtures/atlas/dns_results_ripe-atlas-tools.json"),
            include_str!("../../tests/fixtures/atlas/dns_latest_msm1071935.json"),
            include_str!("../../tests/fixtures/atlas/dns_latest_msm1421267.json"),
        ];
        let mut abufs = Vec::new();
        for text in files {
            let results: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
            for result in &results {
                let sets = result["resultset"].as_array().cloned().unwrap_or_default();
                for response in std::iter::once(result).chain(sets.iter()) {
                    if let Some(abuf) = response["result"]["abuf"].as_str() {
                        abufs.push(LENIENT_BASE64.decode(abuf).unwrap());
                    }
                }
            }
        }
        abufs
    }

    #[test]
    fn every_recorded_abuf_decodes() {
        let abufs = recorded_abufs();
        assert_eq!(abufs.len(), 66);
        for abuf in &abufs {
            assert!(decode(abuf).is_ok());
        }
    }

    /// Hostile bytes: every truncation of every recorded abuf, then 40,000 seeded mutations (byte
    /// flips, inserted and deleted runs, forged counts, stray compression pointers). Decoding must
    /// return, with a message or an error, every time.
    #[test]
    fn mutated_and_truncated_abufs_never_panic() {
        let abufs = recorded_abufs();
        let mut decoded = 0;
        for abuf in &abufs {
            for length in 0..abuf.len() {
                decoded += usize::from(decode(&abuf[..length]).is_ok());
            }
        }
        let mut random = XorShift(0x5eed_1035_8484_7871);
        for round in 0..40_000 {
            let mut bytes = abufs[round % abufs.len()].clone();
            for _ in 0..=random.below(4) {
                let at = random.below(bytes.len());
                match random.below(6) {
                    0 => bytes[at] ^= 1 << random.below(8),
                    1 => bytes[at] = random.next_u64() as u8,
                    2 => bytes.truncate(at),
                    3 => {
                        let run: Vec<u8> = (0..random.below(9))
                            .map(|_| random.next_u64() as u8)
                            .collect();
                        bytes.splice(at..at, run);
                    }
                    4 if bytes.len() >= 12 => {
                        let field = 4 + 2 * random.below(4);
                        let count = (random.next_u64() as u16).to_be_bytes();
                        bytes[field..field + 2].copy_from_slice(&count);
                    }
                    _ if at + 1 < bytes.len() => {
                        // A pointer (RFC 1035 §4.1.4) to anywhere, forward and backward.
                        bytes[at] = 0xc0 | (random.next_u64() as u8 & 0x3f);
                        bytes[at + 1] = random.next_u64() as u8;
                    }
                    _ => {}
                }
                if bytes.is_empty() {
                    break;
                }
            }
            decoded += usize::from(decode(&bytes).is_ok());
            let _ = decode_base64(&String::from_utf8_lossy(&bytes));
        }
        // Some mutations leave a readable message (a changed TTL, say): the decoder did run.
        assert!(decoded > 1000, "{decoded}");
    }

    /// RFC 1035 §4.1.4 pointers may only point backwards in practice; a loop must be an error, not a
    /// hang: a name pointing at itself, a label followed by a pointer back to it, and two pointers
    /// pointing at each other.
    #[test]
    fn compression_pointer_loops_are_malformed() {
        // Header: ID 0, QR, QDCOUNT 0, ANCOUNT 1; then one A record whose owner name is the loop.
        let header = |rest: &[u8]| {
            let mut bytes = vec![0, 0, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0];
            bytes.extend_from_slice(rest);
            bytes
        };
        let record_tail = [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
        let loops = [
            // The owner name at offset 12 is a pointer to offset 12.
            [&[0xc0, 12][..], &record_tail].concat(),
            // "a" then a pointer back to "a": a.a.a.a… until the name limit.
            [&[1, b'a', 0xc0, 12][..], &record_tail].concat(),
            // A pointer to offset 14, where a pointer leads back to 12.
            [&[0xc0, 14, 0xc0, 12][..], &record_tail].concat(),
        ];
        for (number, name) in loops.iter().enumerate() {
            let bytes = header(name);
            assert!(
                matches!(decode(&bytes), Err(DecodeError::Malformed { .. })),
                "loop {number}: {:?}",
                decode(&bytes)
            );
        }
        // The same loop in the question section, which this module walks itself before simple-dns.
        let mut question = vec![
            0, 0, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 0xc0, 12, 0, 1, 0, 1,
        ];
        assert!(decode(&question).is_err());
        question.truncate(15);
        assert!(decode(&question).is_err());
    }
}
