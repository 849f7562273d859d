//! The DNS reply a Globalping DNS result stands for, rebuilt as a wire message (RFC 1035 §4) so it can
//! travel as an Atlas `abuf` and be read by the same decoder, matrix and views as Atlas DNS results.
//!
//! Globalping reports each answer record as text: the probe splits `dig`'s answer line on whitespace
//! and joins the fields after the fourth with single spaces (`parseValue` in
//! jsdelivr/globalping-probe `src/command/handlers/dig/shared.ts`), so `value` is the record data in
//! presentation format (RFC 1035 §5.1). This module reads that text back into record data for the
//! types whose presentation format is well defined and common in answers (A, AAAA, NS, CNAME, PTR,
//! MX, TXT, SOA, SRV, CAA, DS, DNSKEY, RRSIG, NSEC, and any type in the RFC 3597 `\# len hex` form);
//! the wire encoding itself is simple-dns's. A record it cannot read is left out and said so, never
//! guessed. It reads nothing but the strings it is given and never panics on them.

use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use simple_dns::rdata::{
    A, AAAA, CAA, CNAME, DNSKEY, DS, MX, NS, NSEC, NULL, OPT, OPTCode, PTR, RData, RRSIG, SOA, SRV,
    TXT,
};
use simple_dns::{
    CLASS, CharacterString, Name, Packet, PacketFlag, QCLASS, QTYPE, ResourceRecord, TYPE,
};

use super::measurement::DnsAnswer;
use crate::dns::RecordType;

/// EDNS option code of the name server identifier (RFC 5001 §2.3, IANA "DNS EDNS0 Option Codes").
const OPTION_NSID: u16 = 3;

/// What `dig` printed about EDNS in the reply: the resolver's UDP payload size and its NSID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdnsSeen {
    pub udp_payload: u16,
    pub nsid: Option<Vec<u8>>,
}

/// The reply as wire bytes, with the records that could not be carried over and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub bytes: Vec<u8>,
    pub answer_count: usize,
    pub additional_count: usize,
    /// One line per record left out: "TXT record of example.com.: …".
    pub skipped: Vec<String>,
}

/// Reads the `OPT PSEUDOSECTION` of `dig` output: `; EDNS: version: 0, flags:; udp: 512` and
/// `; NSID: 67 70 64 6e 73 2d 73 79 64 ("gpdns-syd")` (hex bytes, then the text; newer dig prints
/// only the quoted text). `None` when the reply had no EDNS.
pub fn edns_from_dig(raw_output: &str) -> Option<EdnsSeen> {
    let edns_line = raw_output
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("; EDNS:"))?;
    let udp_payload = edns_line
        .split("udp:")
        .nth(1)
        .and_then(|rest| {
            rest.trim()
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(512);
    let nsid = raw_output
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("; NSID:"))
        .and_then(|rest| {
            let rest = rest.trim();
            let hex: Option<Vec<u8>> = rest
                .split_whitespace()
                .take_while(|token| !token.starts_with('('))
                .map(|token| {
                    (token.len() == 2)
                        .then(|| u8::from_str_radix(token, 16).ok())
                        .flatten()
                })
                .collect();
            match hex {
                Some(bytes) if !bytes.is_empty() => Some(bytes),
                _ => {
                    let quoted = rest.split('"').nth(1)?;
                    (!quoted.is_empty()).then(|| quoted.as_bytes().to_vec())
                }
            }
        });
    Some(EdnsSeen { udp_payload, nsid })
}

/// The name a PTR query for an address asks (RFC 1035 §3.5 `in-addr.arpa`, RFC 3596 §2.5 `ip6.arpa`).
pub fn reverse_name(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa.")
        }
        IpAddr::V6(v6) => {
            let mut name = String::new();
            for byte in v6.octets().iter().rev() {
                let _ = write!(name, "{:x}.{:x}.", byte & 0x0f, byte >> 4);
            }
            name.push_str("ip6.arpa.");
            name
        }
    }
}

/// A name as the wire carries it. `dns::wire::validate_name` refuses what simple-dns would silently
/// change (empty labels such as `a..b`, which it drops).
fn owned_name(text: &str) -> Result<Name<'static>, String> {
    let valid = crate::dns::wire::validate_name(text).map_err(|error| error.to_string())?;
    Name::new(&valid)
        .map(Name::into_owned)
        .map_err(|_| format!("\"{valid}\" is not a domain name"))
}

fn number<T: std::str::FromStr>(token: Option<&&str>, what: &str) -> Result<T, String> {
    let token = token.ok_or_else(|| format!("the {what} is missing"))?;
    token
        .parse()
        .map_err(|_| format!("the {what} \"{token}\" is not a number in range"))
}

fn hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err("the hex data has an odd number of digits".to_string());
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| "the hex data has a non-hex digit".to_string())
        })
        .collect()
}

fn base64_bytes(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(compact)
        .map_err(|_| "the key or signature is not base64".to_string())
}

/// The <character-string>s of presentation text (RFC 1035 §5.1): quoted strings with `\X` and
/// `\DDD` escapes, or bare words. Longer strings than a length byte allows are split at 255.
fn character_strings(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let bytes = text.as_bytes();
    let mut strings = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        let quoted = bytes[at] == b'"';
        if quoted {
            at += 1;
        }
        let mut current = Vec::new();
        let mut closed = !quoted;
        while at < bytes.len() {
            let byte = bytes[at];
            if quoted && byte == b'"' {
                closed = true;
                at += 1;
                break;
            }
            if !quoted && byte.is_ascii_whitespace() {
                break;
            }
            if byte == b'\\' {
                let digits = bytes.get(at + 1..at + 4);
                if let Some(digits) = digits.filter(|d| d.iter().all(u8::is_ascii_digit)) {
                    let value = digits
                        .iter()
                        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
                    current.push(
                        u8::try_from(value)
                            .map_err(|_| format!("the escape \\{value} is not a byte"))?,
                    );
                    at += 4;
                } else if let Some(&next) = bytes.get(at + 1) {
                    current.push(next);
                    at += 2;
                } else {
                    return Err("the text ends in a lone backslash".to_string());
                }
                continue;
            }
            current.push(byte);
            at += 1;
        }
        if !closed {
            return Err("a quoted string is not closed".to_string());
        }
        if current.is_empty() {
            strings.push(Vec::new());
        }
        strings.extend(current.chunks(255).map(<[u8]>::to_vec));
    }
    Ok(strings)
}

/// `YYYYMMDDHHmmSS` (RFC 4034 §3.2) or plain seconds, as an RRSIG time.
fn rrsig_time(token: Option<&&str>) -> Result<u32, String> {
    let token = *token.ok_or("a signature time is missing")?;
    let seconds = if token.len() == 14 && token.bytes().all(|b| b.is_ascii_digit()) {
        let iso = format!(
            "{}-{}-{}T{}:{}:{}",
            &token[..4],
            &token[4..6],
            &token[6..8],
            &token[8..10],
            &token[10..12],
            &token[12..14]
        );
        crate::atlas::api::parse_time(&iso).map_err(|_| format!("\"{token}\" is not a time"))?
    } else {
        token
            .parse::<i64>()
            .map_err(|_| format!("\"{token}\" is not a time"))?
    };
    u32::try_from(seconds).map_err(|_| format!("\"{token}\" is outside the 32-bit time range"))
}

fn type_code(token: &str) -> Result<u16, String> {
    token
        .parse::<RecordType>()
        .map(RecordType::code)
        .map_err(|_| format!("\"{token}\" is not a record type"))
}

/// Record data holds at most 65535 bytes (RDLENGTH is 16 bits, RFC 1035 §3.2.1); text this long
/// could not fit once encoded, so it is refused before anything is built.
const MAX_VALUE_CHARS: usize = 60_000;

/// Record data from its presentation text.
fn rdata(rtype: RecordType, value: &str) -> Result<RData<'static>, String> {
    let value = value.trim();
    if value.len() > MAX_VALUE_CHARS {
        return Err(format!(
            "its data ({} characters) is longer than one record can hold",
            value.len()
        ));
    }
    if let Some(generic) = value.strip_prefix("\\#") {
        // RFC 3597 §5: `\# <length> <hex>` carries any type's data.
        let mut tokens = generic.split_whitespace();
        let length: usize = tokens
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or("the generic form has no length")?;
        let bytes = hex_bytes(&tokens.collect::<String>())?;
        if bytes.len() != length {
            return Err(format!(
                "the generic form says {length} bytes but holds {}",
                bytes.len()
            ));
        }
        let data = NULL::new(&bytes)
            .map_err(|_| "the data is too long".to_string())?
            .into_owned();
        return Ok(RData::NULL(rtype.code(), data));
    }
    let tokens: Vec<&str> = value.split_whitespace().collect();
    let rest = |from: usize| tokens.get(from..).unwrap_or_default().join(" ");
    let data = match rtype.mnemonic().unwrap_or_default() {
        "A" => RData::A(A::from(
            value
                .parse::<Ipv4Addr>()
                .map_err(|_| format!("\"{value}\" is not an IPv4 address"))?,
        )),
        "AAAA" => RData::AAAA(AAAA::from(
            value
                .parse::<Ipv6Addr>()
                .map_err(|_| format!("\"{value}\" is not an IPv6 address"))?,
        )),
        "NS" => RData::NS(NS(owned_name(value)?)),
        "CNAME" => RData::CNAME(CNAME(owned_name(value)?)),
        "PTR" => RData::PTR(PTR(owned_name(value)?)),
        "MX" => RData::MX(MX {
            preference: number(tokens.first(), "preference")?,
            exchange: owned_name(tokens.get(1).ok_or("the exchange is missing")?)?,
        }),
        "TXT" => {
            let mut txt = TXT::new();
            for string in character_strings(value)? {
                let string = CharacterString::new(&string)
                    .map_err(|_| "a string is too long".to_string())?
                    .into_owned();
                txt.add_char_string(string);
            }
            RData::TXT(txt)
        }
        "SOA" => {
            if tokens.len() != 7 {
                return Err(format!("an SOA has 7 fields, this has {}", tokens.len()));
            }
            // simple-dns types refresh, retry and expire as i32; on the wire they are unsigned
            // 32-bit (RFC 1035 §3.3.13), so the bits are carried over as they are.
            let unsigned = |at: usize, what: &str| number::<u32>(tokens.get(at), what);
            RData::SOA(SOA {
                mname: owned_name(tokens[0])?,
                rname: owned_name(tokens[1])?,
                serial: unsigned(2, "serial")?,
                refresh: unsigned(3, "refresh")? as i32,
                retry: unsigned(4, "retry")? as i32,
                expire: unsigned(5, "expire")? as i32,
                minimum: unsigned(6, "minimum")?,
            })
        }
        "SRV" => RData::SRV(SRV {
            priority: number(tokens.first(), "priority")?,
            weight: number(tokens.get(1), "weight")?,
            port: number(tokens.get(2), "port")?,
            target: owned_name(tokens.get(3).ok_or("the target is missing")?)?,
        }),
        "CAA" => {
            let tag = tokens.get(1).ok_or("the tag is missing")?;
            let values = character_strings(&rest(2))?;
            RData::CAA(CAA {
                flag: number(tokens.first(), "flag")?,
                tag: CharacterString::new(tag.as_bytes())
                    .map_err(|_| "the tag is too long".to_string())?
                    .into_owned(),
                value: values.concat().into(),
            })
        }
        "DS" => RData::DS(DS {
            key_tag: number(tokens.first(), "key tag")?,
            algorithm: number(tokens.get(1), "algorithm")?,
            digest_type: number(tokens.get(2), "digest type")?,
            digest: hex_bytes(&rest(3))?.into(),
        }),
        "DNSKEY" => RData::DNSKEY(DNSKEY {
            flags: number(tokens.first(), "flags")?,
            protocol: number(tokens.get(1), "protocol")?,
            algorithm: number(tokens.get(2), "algorithm")?,
            public_key: base64_bytes(&rest(3))?.into(),
        }),
        "RRSIG" => RData::RRSIG(RRSIG {
            type_covered: type_code(tokens.first().ok_or("the type covered is missing")?)?,
            algorithm: number(tokens.get(1), "algorithm")?,
            labels: number(tokens.get(2), "label count")?,
            original_ttl: number(tokens.get(3), "original TTL")?,
            signature_expiration: rrsig_time(tokens.get(4))?,
            signature_inception: rrsig_time(tokens.get(5))?,
            key_tag: number(tokens.get(6), "key tag")?,
            signer_name: owned_name(tokens.get(7).ok_or("the signer is missing")?)?,
            signature: base64_bytes(&rest(8))?.into(),
        }),
        "NSEC" => {
            let next = owned_name(tokens.first().ok_or("the next name is missing")?)?;
            let types = tokens
                .get(1..)
                .unwrap_or_default()
                .iter()
                .map(|token| type_code(token).map(TYPE::from))
                .collect::<Result<Vec<_>, _>>()?;
            RData::NSEC(NSEC::from_types(next, &types))
        }
        _ => {
            return Err(format!(
                "{rtype} data is not converted (only its RFC 3597 \\# form would be)"
            ));
        }
    };
    Ok(data)
}

fn class(text: &str) -> Result<CLASS, String> {
    match text.trim().to_ascii_uppercase().as_str() {
        "" | "IN" => Ok(CLASS::IN),
        "CH" => Ok(CLASS::CH),
        "HS" => Ok(CLASS::HS),
        "CS" => Ok(CLASS::CS),
        other => Err(format!("the class \"{other}\" is unknown")),
    }
}

fn record(answer: &DnsAnswer) -> Result<ResourceRecord<'static>, String> {
    let rtype: RecordType = answer
        .rtype
        .parse()
        .map_err(|_| format!("\"{}\" is not a record type", answer.rtype))?;
    Ok(ResourceRecord::new(
        owned_name(&answer.name)?,
        class(&answer.class)?,
        answer.ttl.unwrap_or(0),
        rdata(rtype, &answer.value)?,
    ))
}

/// The question of the reply: the target, or for PTR queries of an address its reverse name.
fn question_name(target: &str, qtype: RecordType) -> String {
    let bare = target.trim().trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(address) if qtype == RecordType(12) => reverse_name(address),
        _ => target.trim().to_string(),
    }
}

/// Builds the reply to `target`/`qtype` with response code `rcode` and `answers`, flagged as coming
/// from a recursive resolver (RD, RA) or, for the last step of a trace, as authoritative (AA). The
/// ID is 0: dig's is not reported. `Err` only when the question itself cannot be encoded.
pub fn encode_reply(
    target: &str,
    qtype: RecordType,
    rcode: u16,
    answers: &[DnsAnswer],
    edns: Option<&EdnsSeen>,
    authoritative: bool,
) -> Result<Reply, String> {
    let question = question_name(target, qtype);
    let qname = owned_name(&question)?;
    let mut packet = Packet::new_reply(0);
    packet.set_flags(if authoritative {
        PacketFlag::RESPONSE | PacketFlag::AUTHORITATIVE_ANSWER
    } else {
        PacketFlag::RESPONSE | PacketFlag::RECURSION_DESIRED | PacketFlag::RECURSION_AVAILABLE
    });
    let code = qtype.code();
    packet.questions.push(simple_dns::Question::new(
        qname,
        QTYPE::try_from(code).unwrap_or(QTYPE::TYPE(TYPE::from(code))),
        QCLASS::CLASS(CLASS::IN),
        false,
    ));
    let mut skipped = Vec::new();
    for answer in answers {
        match record(answer) {
            Ok(record) => packet.answers.push(record),
            Err(why) => skipped.push(format!(
                "{} record of {} (\"{}\") left out: {why}",
                answer.rtype, answer.name, answer.value
            )),
        }
    }
    let nsid = edns.and_then(|edns| edns.nsid.clone()).unwrap_or_default();
    if let Some(edns) = edns {
        let opt_codes = if nsid.is_empty() {
            Vec::new()
        } else {
            vec![OPTCode {
                code: OPTION_NSID,
                data: nsid.as_slice().into(),
            }]
        };
        *packet.opt_mut() = Some(OPT {
            opt_codes,
            udp_packet_size: edns.udp_payload,
            version: 0,
        });
    }
    let answer_count = packet.answers.len();
    let additional_count = usize::from(edns.is_some());
    let mut bytes = packet
        .build_bytes_vec()
        .map_err(|error| format!("the reply could not be encoded: {error}"))?;
    // The header's 4-bit RCODE (RFC 1035 §4.1.1), written directly so that every code a resolver
    // can send survives, not only those simple-dns names.
    if let Some(flags) = bytes.get_mut(3) {
        *flags = (*flags & 0xf0) | (rcode & 0x0f) as u8;
    }
    Ok(Reply {
        bytes,
        answer_count,
        additional_count,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Rcode;
    use crate::dns::wire::decode;
    use crate::test_kit::XorShift;

    fn answer(rtype: &str, value: &str) -> DnsAnswer {
        DnsAnswer {
            name: "example.com.".into(),
            rtype: rtype.into(),
            ttl: Some(300),
            class: "IN".into(),
            value: value.into(),
        }
    }

    /// Each value in the presentation format dig prints comes back from the decoder as the same
    /// text, so answers from Globalping and from Atlas `abuf`s compare as strings.
    #[test]
    fn presentation_text_survives_the_round_trip() {
        let values = [
            ("A", "151.101.1.229"),
            ("AAAA", "2a04:4e42::485"),
            ("NS", "ns1.gcorelabs.net."),
            ("CNAME", "jsdelivr.map.fastly.net."),
            ("PTR", "one.one.one.one."),
            ("MX", "10 mx.example.com."),
            ("TXT", "\"v=spf1 include:_spf.google.com ~all\""),
            ("TXT", "\"part one\" \"part \\\"two\\\"\" \"caf\\195\\169\""),
            (
                "SOA",
                "ns1.example.com. hostmaster.example.com. 2023071401 7200 3600 1209600 300",
            ),
            ("SRV", "10 60 5060 sip.example.com."),
            ("CAA", "0 issue \"letsencrypt.org\""),
            (
                "DS",
                "35886 8 2 7862B27F5F516EBE19680444D4CE5E762981931842C465F00236401D8BD973EE",
            ),
            (
                "DNSKEY",
                "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
            ),
            (
                "RRSIG",
                "NS 8 0 518400 20230727050000 20230714040000 11019 . pU6YT+mpbxCmYTvPIpmujeuOZGvCxDVtJ/uaHdwosmjsnZWcvZgQvHJlLi0gl3HcpSSYTGAmMsi27yvGYh0Vm+7gtcuZMTTcsCZmZnz6bv+OAapDZDqhnWfKmp5tj4ew5tibSXVCDFPmjX0Tt01ly4e5Z+xn5K+AyQqtAIHOoB2weZ/K9sqUMqXgYZZVXjjkNkhO7FE8CtUNi3ZDOVkKvSIHeT1LLFOwAvCDCtnL9rqka9xb0ZoKZCf8Q3JicirNnRGNjA/9Rn3XenyYwuI0K8f3xrIhDg7CdKRvgL8C9oLfCMvtr1HuMfQbNQq4MYrsv17eWfE45ccyLRLYCIqSfQ==",
            ),
            ("NSEC", "www.example.com. A NS SOA RRSIG NSEC DNSKEY"),
            ("TLSA", "\\# 4 0A000001"),
        ];
        let answers: Vec<DnsAnswer> = values.iter().map(|(t, v)| answer(t, v)).collect();
        let reply = encode_reply("example.com", RecordType::A, 0, &answers, None, false).unwrap();
        assert!(reply.skipped.is_empty(), "{:?}", reply.skipped);
        assert_eq!(reply.answer_count, values.len());
        let message = decode(&reply.bytes).unwrap();
        assert_eq!(message.rcode, Rcode::NOERROR);
        assert!(message.flags.qr && message.flags.rd && message.flags.ra && !message.flags.aa);
        assert_eq!(message.questions[0].name, "example.com.");
        assert_eq!(message.questions[0].rtype, RecordType::A);
        for ((rtype, value), decoded) in values.iter().zip(&message.answers) {
            assert_eq!(decoded.rtype.to_string(), *rtype);
            assert_eq!(decoded.ttl, 300);
            assert_eq!(decoded.name, "example.com.");
            assert_eq!(decoded.data, *value, "{rtype}");
        }
    }

    /// dig breaks long digests into groups and Globalping keeps the spaces; the decoder writes the
    /// digest in one piece, as RFC 4034 §5.3 does.
    #[test]
    fn split_digests_and_keys_are_joined() {
        let reply = encode_reply(
            "net",
            RecordType::DS,
            0,
            &[answer(
                "DS",
                "35886 8 2 7862B27F5F516EBE19680444D4CE5E762981931842C465F00236401D 8BD973EE",
            )],
            None,
            true,
        )
        .unwrap();
        let message = decode(&reply.bytes).unwrap();
        assert!(message.flags.aa && !message.flags.ra);
        assert_eq!(
            message.answers[0].data,
            "35886 8 2 7862B27F5F516EBE19680444D4CE5E762981931842C465F00236401D8BD973EE"
        );
    }

    #[test]
    fn unreadable_records_are_left_out_and_said() {
        let answers = [
            answer("A", "151.101.1.229"),
            // What the 2023 example of a DNS trace reports: the last token of a multi-token record.
            answer("RRSIG", "CIqSfQ=="),
            answer("DS", "8BD973EE"),
            answer("NSEC3", "NSEC3PARAM"),
            answer("HTTPS", "1 . alpn=\"h2\""),
            answer("A", "not an address"),
            answer("MX", "ten mx.example."),
            answer("TXT", "\"unterminated"),
            answer("BOGUS", "x"),
            DnsAnswer {
                class: "XX".into(),
                ..answer("A", "192.0.2.1")
            },
            DnsAnswer {
                name: "bad..name".into(),
                ..answer("A", "192.0.2.1")
            },
        ];
        let reply = encode_reply("example.com", RecordType::A, 3, &answers, None, false).unwrap();
        assert_eq!(reply.answer_count, 1);
        assert_eq!(
            reply.skipped.len(),
            answers.len() - 1,
            "{:?}",
            reply.skipped
        );
        assert!(reply.skipped[0].starts_with("RRSIG record of example.com."));
        let message = decode(&reply.bytes).unwrap();
        assert_eq!(message.rcode, Rcode::NXDOMAIN);
        assert_eq!(message.answers.len(), 1);
        assert!(encode_reply("bad..name", RecordType::A, 0, &[], None, false).is_err());
    }

    #[test]
    fn edns_and_nsid_come_from_the_dig_output() {
        let raw = include_str!(
            "../../tests/fixtures/globalping/get-simple-dns-measurement-response.json"
        );
        let value: serde_json::Value = serde_json::from_str(raw).unwrap();
        let output = value["results"][0]["result"]["rawOutput"].as_str().unwrap();
        let edns = edns_from_dig(output).unwrap();
        assert_eq!(
            edns,
            EdnsSeen {
                udp_payload: 512,
                nsid: Some(b"gpdns-syd".to_vec())
            }
        );
        assert_eq!(
            edns_from_dig("; EDNS: version: 0, flags:; udp: 1232\n; NSID: (\"ams01\")")
                .unwrap()
                .nsid,
            Some(b"ams01".to_vec())
        );
        assert_eq!(edns_from_dig("no edns here"), None);
        let reply = encode_reply(
            "cdn.jsdelivr.net",
            RecordType::A,
            0,
            &[],
            Some(&edns),
            false,
        )
        .unwrap();
        let message = decode(&reply.bytes).unwrap();
        let decoded = message.edns.unwrap();
        assert_eq!(decoded.nsid.as_deref(), Some("gpdns-syd"));
        assert_eq!(decoded.udp_payload_size, 512);
        assert_eq!(reply.additional_count, 1);
    }

    #[test]
    fn ptr_questions_ask_the_reverse_name() {
        assert_eq!(
            reverse_name("192.0.2.1".parse().unwrap()),
            "1.2.0.192.in-addr.arpa."
        );
        assert!(reverse_name("2001:db8::1".parse().unwrap()).starts_with(
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
        ));
        let reply = encode_reply("1.1.1.1", RecordType(12), 0, &[], None, false).unwrap();
        let message = decode(&reply.bytes).unwrap();
        assert_eq!(message.questions[0].name, "1.1.1.1.in-addr.arpa.");
        let any = encode_reply("example.com", RecordType::ANY, 0, &[], None, false).unwrap();
        assert_eq!(
            decode(&any.bytes).unwrap().questions[0].rtype,
            RecordType::ANY
        );
    }

    #[test]
    fn hostile_values_never_panic() {
        let mut rng = XorShift(0x0005_eed0_fd15_c0de);
        let mut next = move || rng.next_u64();
        let alphabet = b"0123456789abcdefABCDEF .\"\\#:+/=-";
        for rtype in [
            "A", "AAAA", "NS", "MX", "TXT", "SOA", "SRV", "CAA", "DS", "DNSKEY", "RRSIG", "NSEC",
            "TLSA",
        ] {
            for _ in 0..200 {
                let length = (next() % 40) as usize;
                let value: String = (0..length)
                    .map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize]))
                    .collect();
                let reply = encode_reply(
                    "example.com",
                    RecordType::A,
                    0,
                    &[answer(rtype, &value)],
                    None,
                    false,
                )
                .unwrap();
                assert!(decode(&reply.bytes).is_ok(), "{rtype} {value:?}");
            }
        }
        // Data too long for one record is left out rather than written with a wrapped length.
        let long = format!("\"{}\"", "x".repeat(70_000));
        let reply = encode_reply(
            "example.com",
            RecordType::TXT,
            0,
            &[answer("TXT", &long), answer("A", "192.0.2.1")],
            None,
            false,
        )
        .unwrap();
        assert_eq!((reply.answer_count, reply.skipped.len()), (1, 1));
        assert_eq!(decode(&reply.bytes).unwrap().answers[0].data, "192.0.2.1");
    }
}
