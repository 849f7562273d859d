//! Record data in presentation format, the text form of RFC 1035 §5.1 that `dig` prints: names
//! with their trailing dot and escapes, quoted character strings, base64 keys, hex digests, RRSIG
//! times, NSEC type bitmaps, SVCB/HTTPS parameters (RFC 9460 §2.1) and the RFC 3597 generic form
//! for types without one.
//!
//! The wire decoding itself is simple-dns's (see `wire`); this module only turns its values into the
//! strings the app shows and compares. It reads no bytes from outside except the record data slices
//! it is handed, and never panics on them.

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use simple_dns::rdata::{RData, SVCB, SVCParam};
use simple_dns::{CharacterString, Name};

use super::record::RecordType;

/// Appends one byte of presentation text: `\` before the bytes in `special`, printable ASCII from
/// `lowest` up as itself, anything else as `\DDD` (RFC 1035 §5.1).
fn push_escaped(text: &mut String, byte: u8, special: &[u8], lowest: u8) {
    if special.contains(&byte) {
        text.push('\\');
        text.push(char::from(byte));
    } else if (lowest..=0x7e).contains(&byte) {
        text.push(char::from(byte));
    } else {
        let _ = write!(text, "\\{byte:03}");
    }
}

/// A domain name as `dig` prints it: absolute with a trailing dot, the root as ".", and label bytes
/// outside printable ASCII (space included), or with a meaning in master files, escaped (RFC 1035
/// §5.1, RFC 4343 §2.1).
pub fn name(name: &Name<'_>) -> String {
    let mut text = String::new();
    for label in name.get_labels() {
        for &byte in label.as_ref() {
            push_escaped(&mut text, byte, b".\\\"();@$", 0x21);
        }
        text.push('.');
    }
    if text.is_empty() {
        text.push('.');
    }
    text
}

/// A <character-string> in quotes, with `"` and `\` escaped and bytes outside printable ASCII as
/// `\DDD` (RFC 1035 §5.1), as dig and dnspython print TXT data.
pub fn quoted(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + 2);
    text.push('"');
    for &byte in bytes {
        push_escaped(&mut text, byte, b"\"\\", 0x20);
    }
    text.push('"');
    text
}

/// Every <character-string> of an RDATA made only of them (TXT, SPF, HINFO), each quoted, separated
/// by spaces. `None` when a length byte runs past the end, which a decoded record never has.
pub fn character_strings(rdata: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    let mut rest = rdata;
    while let Some((&length, tail)) = rest.split_first() {
        let (string, after) = tail.split_at_checked(usize::from(length))?;
        parts.push(quoted(string));
        rest = after;
    }
    Some(parts.join(" "))
}

fn character_string(string: &CharacterString<'_>) -> String {
    // simple-dns keeps the bytes private and shows them as (lossy) UTF-8; these strings are ASCII in
    // practice (NAPTR flags, services, regexps), and TXT never comes through here.
    quoted(string.to_string().as_bytes())
}

/// Upper-case hex without separators, as RFC 4034 §5.3 writes a DS digest.
pub fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02X}");
    }
    text
}

/// The RFC 3597 §5 generic form, `\# LENGTH HEX`, for data of a type without a presentation format.
pub fn generic(rdata: &[u8]) -> String {
    if rdata.is_empty() {
        "\\# 0".to_string()
    } else {
        format!("\\# {} {}", rdata.len(), hex(rdata))
    }
}

/// An RRSIG time as `YYYYMMDDHHmmSS` in UTC (RFC 4034 §3.2). The wire value is seconds modulo 2^32
/// (serial number arithmetic, RFC 1982), read here as seconds since 1970 like dig does.
pub fn rrsig_time(seconds: u32) -> String {
    let seconds = i64::from(seconds);
    let (year, month, day) = crate::format::civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The types an NSEC type bitmap lists (RFC 4034 §4.1.2): window number × 256 plus the bit index,
/// most significant bit first.
fn type_bitmap(windows: &[(u8, &[u8])]) -> Vec<RecordType> {
    let mut types = Vec::new();
    for (window, bitmap) in windows {
        for (index, byte) in bitmap.iter().enumerate() {
            for bit in 0..8u16 {
                if byte & (0x80 >> bit) != 0 {
                    // index < 32 (the window is at most 32 bytes), so this stays below 65536.
                    let code = u16::from(*window) * 256 + (index as u16) * 8 + bit;
                    types.push(RecordType(code));
                }
            }
        }
    }
    types
}

/// SVCB and HTTPS data (RFC 9460 §2.1): priority, target, then `key=value` parameters in key order,
/// spelled as dig 9.18 does (ALPN list quoted, hints comma-separated, ECH in base64).
fn service_binding(record: &SVCB<'_>) -> String {
    let mut text = format!("{} {}", record.priority, name(&record.target));
    for param in record.iter_params() {
        text.push(' ');
        match param {
            SVCParam::Mandatory(keys) => {
                let keys: Vec<String> = keys.iter().map(|key| svc_key_name(*key)).collect();
                let _ = write!(text, "mandatory={}", keys.join(","));
            }
            SVCParam::Alpn(ids) => {
                let ids: Vec<String> = ids
                    .iter()
                    .map(|id| id.to_string().replace('\\', "\\\\").replace(',', "\\,"))
                    .collect();
                let _ = write!(text, "alpn={}", quoted(ids.join(",").as_bytes()));
            }
            SVCParam::NoDefaultAlpn => text.push_str("no-default-alpn"),
            SVCParam::Port(port) => {
                let _ = write!(text, "port={port}");
            }
            SVCParam::Ipv4Hint(addresses) => {
                let addresses: Vec<String> = addresses
                    .iter()
                    .map(|address| Ipv4Addr::from(*address).to_string())
                    .collect();
                let _ = write!(text, "ipv4hint={}", addresses.join(","));
            }
            SVCParam::Ech(config) => {
                let _ = write!(text, "ech={}", STANDARD.encode(config));
            }
            SVCParam::Ipv6Hint(addresses) => {
                let addresses: Vec<String> = addresses
                    .iter()
                    .map(|address| Ipv6Addr::from(*address).to_string())
                    .collect();
                let _ = write!(text, "ipv6hint={}", addresses.join(","));
            }
            SVCParam::InvalidKey => text.push_str("key65535"),
            SVCParam::Unknown(key, value) => {
                let _ = write!(text, "key{key}={}", quoted(value));
            }
        }
    }
    text
}

/// The registered SvcParamKey names (RFC 9460 §14.3.2); others are `keyNNNNN`.
fn svc_key_name(key: u16) -> String {
    match key {
        0 => "mandatory".to_string(),
        1 => "alpn".to_string(),
        2 => "no-default-alpn".to_string(),
        3 => "port".to_string(),
        4 => "ipv4hint".to_string(),
        5 => "ech".to_string(),
        6 => "ipv6hint".to_string(),
        other => format!("key{other}"),
    }
}

/// The presentation form of one record's data. `raw` gives the record's RDATA as bytes (see
/// `wire::rdata_bytes`); it is called only where simple-dns keeps the bytes private (TXT, HINFO) or
/// has no presentation of its own (the RFC 3597 generic form).
pub fn rdata(data: &RData<'_>, raw: impl FnOnce() -> Option<Vec<u8>>) -> String {
    let generic_of_raw = |bytes: Option<Vec<u8>>| match bytes {
        Some(bytes) => generic(&bytes),
        None => "\\# ?".to_string(),
    };
    match data {
        RData::A(a) => Ipv4Addr::from(a.address).to_string(),
        RData::AAAA(aaaa) => Ipv6Addr::from(aaaa.address).to_string(),
        RData::NS(target) => name(&target.0),
        RData::CNAME(target) => name(&target.0),
        RData::PTR(target) => name(&target.0),
        RData::MX(mx) => format!("{} {}", mx.preference, name(&mx.exchange)),
        RData::SOA(soa) => format!(
            "{} {} {} {} {} {} {}",
            name(&soa.mname),
            name(&soa.rname),
            soa.serial,
            // simple-dns types these i32; on the wire they are unsigned 32-bit (RFC 1035 §3.3.13).
            soa.refresh as u32,
            soa.retry as u32,
            soa.expire as u32,
            soa.minimum
        ),
        RData::TXT(_) | RData::HINFO(_) => {
            let bytes = raw();
            match bytes.as_deref().and_then(character_strings) {
                Some(text) => text,
                None => generic_of_raw(bytes),
            }
        }
        RData::SRV(srv) => format!(
            "{} {} {} {}",
            srv.priority,
            srv.weight,
            srv.port,
            name(&srv.target)
        ),
        RData::NAPTR(naptr) => format!(
            "{} {} {} {} {} {}",
            naptr.order,
            naptr.preference,
            character_string(&naptr.flags),
            character_string(&naptr.services),
            character_string(&naptr.regexp),
            name(&naptr.replacement)
        ),
        RData::CAA(caa) => format!("{} {} {}", caa.flag, caa.tag, quoted(&caa.value)),
        RData::DS(ds) => format!(
            "{} {} {} {}",
            ds.key_tag,
            ds.algorithm,
            ds.digest_type,
            hex(&ds.digest)
        ),
        RData::DNSKEY(key) => format!(
            "{} {} {} {}",
            key.flags,
            key.protocol,
            key.algorithm,
            STANDARD.encode(&key.public_key)
        ),
        RData::RRSIG(sig) => format!(
            "{} {} {} {} {} {} {} {} {}",
            RecordType(sig.type_covered),
            sig.algorithm,
            sig.labels,
            sig.original_ttl,
            rrsig_time(sig.signature_expiration),
            rrsig_time(sig.signature_inception),
            sig.key_tag,
            name(&sig.signer_name),
            STANDARD.encode(&sig.signature)
        ),
        RData::NSEC(nsec) => {
            let windows: Vec<(u8, &[u8])> = nsec
                .type_bit_maps
                .iter()
                .map(|map| (map.window_block, map.bitmap.as_ref()))
                .collect();
            let mut text = name(&nsec.next_name);
            for rtype in type_bitmap(&windows) {
                let _ = write!(text, " {rtype}");
            }
            text
        }
        RData::SVCB(record) => service_binding(record),
        RData::HTTPS(record) => service_binding(&record.0),
        RData::NULL(_, unknown) => generic(unknown.get_data()),
        _ => generic_of_raw(raw()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_absolute_and_escaped() {
        assert_eq!(name(&Name::new_unchecked("")), ".");
        assert_eq!(name(&Name::new_unchecked("ripe.net")), "ripe.net.");
        let odd = simple_dns::Label::new_unchecked(&b"a.b \x07"[..]);
        assert_eq!(
            name(&Name::new_with_labels(&[odd])),
            "a\\.b\\032\\007.".to_string()
        );
    }

    #[test]
    fn character_strings_escape_like_dig() {
        assert_eq!(
            character_strings(b"\x0aHere be \xff!\x02\"\\").unwrap(),
            "\"Here be \\255!\" \"\\\"\\\\\""
        );
        assert_eq!(character_strings(b"").unwrap(), "");
        assert_eq!(character_strings(b"\x00").unwrap(), "\"\"");
        assert_eq!(character_strings(b"\x05abc"), None);
    }

    #[test]
    fn rrsig_times_are_utc() {
        // 20140424145101 in sagan's sample #6 (checked with dnspython) is 1398351061.
        assert_eq!(rrsig_time(1_398_351_061), "20140424145101");
        assert_eq!(rrsig_time(0), "19700101000000");
        assert_eq!(rrsig_time(u32::MAX), "21060207062815");
    }

    #[test]
    fn nsec_bitmaps_list_their_types() {
        // "A AAAA SSHFP RRSIG NSEC" from sagan's sample #25: window 0, bits 1, 28, 44, 46, 47.
        let bitmap = [0x40, 0, 0, 8, 0, 0x0b];
        let types: Vec<String> = type_bitmap(&[(0, &bitmap)])
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(types, ["A", "AAAA", "SSHFP", "RRSIG", "NSEC"]);
        assert_eq!(type_bitmap(&[(1, &[0x80])]), vec![RecordType(256)]);
    }

    #[test]
    fn generic_data_has_its_length() {
        assert_eq!(generic(b"Hi"), "\\# 2 4869");
        assert_eq!(generic(b""), "\\# 0");
    }
}
