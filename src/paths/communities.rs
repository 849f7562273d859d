//! BGP community meanings, for the standard (RFC 1997) and large (RFC 8092) communities that
//! `model::community` parses (re-exported here), where a dictionary can be shipped with its source.
//! The dictionary holds the IANA well-known communities and a few operators' published schemes, each
//! entry with the URL it was read at; what the dictionary lacks may be read in the community's AS's
//! own aut-num remarks when they were fetched (`paths::remarks`), shown with the remark line;
//! anything else is decoded by structure only ("AS3356 community 3356:2001, meaning not in the
//! dictionary"), never guessed.
//!
//! Pure core: no I/O, never panics; text that is not a community is `None`.

use serde::Serialize;

use super::remarks::{AutNumMeanings, Found, find_large, find_standard};

/// The community values and their parsing are the model's (`model::community`); the meanings are
/// this module's.
pub use crate::model::community::{Community, LargeCommunity, parse_large_list, parse_list};

/// Which values of an AS's communities an entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Values {
    One(u16),
    Range(u16, u16),
}

/// One dictionary entry: who defines it, which values, what they mean and where that was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    asn: u16,
    values: Values,
    meaning: &'static str,
    source: &'static str,
}

const fn one(asn: u16, value: u16, meaning: &'static str, source: &'static str) -> Entry {
    Entry {
        asn,
        values: Values::One(value),
        meaning,
        source,
    }
}

const fn range(
    asn: u16,
    low: u16,
    high: u16,
    meaning: &'static str,
    source: &'static str,
) -> Entry {
    Entry {
        asn,
        values: Values::Range(low, high),
        meaning,
        source,
    }
}

const RFC_1997: &str = "https://www.rfc-editor.org/rfc/rfc1997";
const RFC_3765: &str = "https://www.rfc-editor.org/rfc/rfc3765";
const RFC_7611: &str = "https://www.rfc-editor.org/rfc/rfc7611";
const RFC_7999: &str = "https://www.rfc-editor.org/rfc/rfc7999";
const RFC_8326: &str = "https://www.rfc-editor.org/rfc/rfc8326";
/// NTT's published customer community policy (AS2914), read in its "BGP customer communities" page.
const NTT: &str = "http://www.gin.ntt.net/support/policy/routing.cfm";
/// The same policy as NTT's US site published it, which lists the communities marked on routes sent
/// to customers (2914:410, 2914:420).
const NTT_US: &str = "http://us.ntt.net/about/policy/routing.cfm";
/// GTT's (AS3257) community document, "2. Egress communities".
const GTT: &str = "https://www.gtt.net/?p=57288";
/// Level 3's (AS3356) internal route-type communities, as listed next to WilTel's (AS7911) in the
/// community guide One Step keeps for AS7911 ("7911:7 -- 3356:123 - Customer Routes", "7911:2 --
/// 3356:666 - Peer Routes").
const LEVEL3_VIA_AS7911: &str = "https://onestep.net/communities/as7911/";

/// The shipped dictionary. Well-known communities are those of the IANA registry that their RFCs
/// define; operator entries only where the operator's scheme was read at the cited URL. One entry a
/// line, as a table is read.
#[rustfmt::skip]
const DICTIONARY: &[Entry] = &[
    one(65535, 0, "GRACEFUL_SHUTDOWN: the sender is about to take this path down for maintenance; prefer another (RFC 8326)", RFC_8326),
    one(65535, 1, "ACCEPT_OWN: accept this route even though it carries the receiver's own originator ID (RFC 7611)", RFC_7611),
    one(65535, 666, "BLACKHOLE: the origin asks for traffic to this prefix to be dropped, typically during a denial-of-service attack (RFC 7999)", RFC_7999),
    one(65535, 65281, "NO_EXPORT: not to be advertised outside the receiving AS or confederation (RFC 1997)", RFC_1997),
    one(65535, 65282, "NO_ADVERTISE: not to be advertised to any other BGP peer (RFC 1997)", RFC_1997),
    one(65535, 65283, "NO_EXPORT_SUBCONFED: not to be advertised to external peers, even within a confederation (RFC 1997)", RFC_1997),
    one(65535, 65284, "NOPEER: need not be advertised to bilateral peers (RFC 3765)", RFC_3765),
    one(2914, 410, "NTT: an NTT or NTT customer route", NTT_US),
    one(2914, 420, "NTT: a route learned from a peer", NTT_US),
    one(2914, 411, "NTT: customer asks NTT to prepend once towards NTT's customers", NTT),
    one(2914, 412, "NTT: customer asks NTT to prepend twice towards NTT's customers", NTT),
    one(2914, 413, "NTT: customer asks NTT to prepend three times towards NTT's customers", NTT),
    one(2914, 421, "NTT: customer asks NTT to prepend once towards NTT's peers", NTT),
    one(2914, 422, "NTT: customer asks NTT to prepend twice towards NTT's peers", NTT),
    one(2914, 423, "NTT: customer asks NTT to prepend three times towards NTT's peers", NTT),
    one(2914, 429, "NTT: customer asks NTT not to advertise the route to any peer", NTT),
    one(2914, 435, "NTT: local preference 50 only beyond the connected country", NTT),
    one(2914, 436, "NTT: local preference 50 only beyond the connected region", NTT),
    one(2914, 439, "NTT: customer asks NTT not to advertise the route to peers outside the region", NTT),
    one(2914, 450, "NTT: customer fallback (local preference 96)", NTT),
    one(2914, 460, "NTT: peer backup (local preference 98)", NTT),
    one(2914, 470, "NTT: treat as a peer route (local preference 100)", NTT),
    one(2914, 480, "NTT: customer backup (local preference 110)", NTT),
    one(2914, 490, "NTT: customer default (local preference 120)", NTT),
    one(2914, 666, "NTT: blackhole", NTT),
    one(3257, 4000, "GTT: a GTT customer route", GTT),
    one(3257, 5000, "GTT: a GTT-originated route", GTT),
    range(3257, 4400, 4499, "GTT: learned at a European exchange point", GTT),
    range(3257, 4500, 4599, "GTT: learned at a US exchange point", GTT),
    one(3257, 50001, "GTT: route originated in Europe", GTT),
    one(3257, 50002, "GTT: route originated in the US and Canada", GTT),
    one(3257, 50003, "GTT: route originated in Asia", GTT),
    one(3257, 50110, "GTT: route originated in central Europe", GTT),
    one(3257, 50111, "GTT: route originated in outer Europe", GTT),
    one(3257, 50120, "GTT: route originated on the US east coast", GTT),
    one(3257, 50121, "GTT: route originated on the US west coast", GTT),
    one(3257, 50122, "GTT: route originated in outer regions of the US and Canada", GTT),
    one(3257, 50130, "GTT: route originated in Asia", GTT),
    one(3257, 51100, "GTT: route originated on the US east coast", GTT),
    one(3257, 51101, "GTT: route originated in New York (NYC)", GTT),
    one(3257, 51102, "GTT: route originated in Washington (WAS)", GTT),
    one(3257, 51103, "GTT: route originated in Miami (MIA)", GTT),
    one(3257, 51104, "GTT: route originated in Atlanta (ATL)", GTT),
    one(3257, 51105, "GTT: route originated in Boston (BOS)", GTT),
    one(3257, 51106, "GTT: route originated in Philadelphia (PHI)", GTT),
    one(3257, 51200, "GTT: route originated on the US west coast", GTT),
    one(3257, 51201, "GTT: route originated in San Jose (SJC)", GTT),
    one(3257, 51202, "GTT: route originated in Los Angeles (LAX)", GTT),
    one(3257, 51203, "GTT: route originated in Palo Alto (PAO)", GTT),
    one(3257, 51204, "GTT: route originated in Seattle (SEA)", GTT),
    one(3257, 51205, "GTT: route originated in Phoenix (PHX)", GTT),
    one(3356, 123, "Level 3 (Lumen): a customer route", LEVEL3_VIA_AS7911),
    one(3356, 666, "Level 3 (Lumen): a peer route", LEVEL3_VIA_AS7911),
];

/// What a community means, as far as the dictionary and its structure say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// The community as written (`"2914:410"`, `"26162:0:6939"`).
    pub community: String,
    /// The AS whose numbering the community uses, when it names one.
    pub asn: Option<u32>,
    /// The meaning from the dictionary, when it has one.
    pub meaning: Option<String>,
    /// Where the meaning was read.
    pub source: Option<String>,
    /// When the meaning comes from the AS's aut-num remarks: the line it was read in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<RemarkEvidence>,
    /// One plain sentence for a reader, with the meaning or what the structure alone says.
    pub note: String,
}

/// The aut-num remark a meaning was read in: whose, which registry, and the line as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemarkEvidence {
    pub asn: u32,
    /// The registry the aut-num came from ("RIPE", "RADB", "LEVEL3").
    pub registry: String,
    /// The pattern the line gives (`8283:2:nnn`), which may cover more than this community.
    pub key: String,
    /// The remark line exactly as received.
    pub line: String,
}

impl RemarkEvidence {
    /// "from the aut-num remarks of AS3356 (source: LEVEL3 via RIPEstat whois)": said before the line.
    pub fn origin(&self) -> String {
        format!(
            "from the aut-num remarks of AS{} (source: {} via RIPEstat whois)",
            self.asn, self.registry
        )
    }
}

/// A decoding whose meaning was read in aut-num remarks.
fn from_remark(text: String, asn: u32, found: Found<'_>) -> Decoded {
    let evidence = RemarkEvidence {
        asn: found.asn,
        registry: found.source.to_string(),
        key: found.meaning.key.clone(),
        line: found.meaning.line.clone(),
    };
    let origin = evidence.origin();
    Decoded {
        note: format!(
            "{text}: {} ({origin}: {})",
            found.meaning.meaning, found.meaning.line
        ),
        community: text,
        asn: Some(asn),
        meaning: Some(found.meaning.meaning.clone()),
        source: Some(origin),
        remark: Some(evidence),
    }
}

/// Decodes a standard community with the dictionary, else with the aut-num remarks read for its AS
/// (`remarks` may hold any ASes'), else by its structure.
pub fn decode_with(community: Community, remarks: &[AutNumMeanings]) -> Decoded {
    let decoded = decode(community);
    if decoded.meaning.is_some() {
        return decoded;
    }
    match find_standard(remarks, community) {
        Some(found) => from_remark(decoded.community, u32::from(community.asn), found),
        None => decoded,
    }
}

/// Decodes a large community with the aut-num remarks read for its global administrator, else by
/// its structure.
pub fn decode_large_with(community: LargeCommunity, remarks: &[AutNumMeanings]) -> Decoded {
    let decoded = decode_large(community);
    match find_large(remarks, community) {
        Some(found) => from_remark(decoded.community, community.global, found),
        None => decoded,
    }
}

/// Whether an AS's own registry objects could say what its communities mean: not AS 0 or AS_TRANS
/// (RFC 6793), not documentation (RFC 5398), private-use (RFC 6996) or reserved numbers.
pub fn has_registry_entry(asn: u32) -> bool {
    !(asn == 0
        || asn == 23_456
        || (64_496..=131_071).contains(&asn)
        || is_private_asn(asn)
        || asn == u32::MAX)
}

/// Private-use AS numbers (RFC 6996 §5: 64512–65534 in 16 bits).
fn is_private_asn(asn: u32) -> bool {
    (64_512..=65_534).contains(&asn) || (4_200_000_000..=4_294_967_294).contains(&asn)
}

/// Decodes a standard community with the dictionary, or by its structure.
pub fn decode(community: Community) -> Decoded {
    let text = community.to_string();
    let entry = DICTIONARY.iter().find(|entry| {
        entry.asn == community.asn
            && match entry.values {
                Values::One(value) => value == community.value,
                Values::Range(low, high) => (low..=high).contains(&community.value),
            }
    });
    if let Some(entry) = entry {
        return Decoded {
            community: text.clone(),
            asn: (community.asn != 65535).then_some(u32::from(community.asn)),
            meaning: Some(entry.meaning.to_string()),
            source: Some(entry.source.to_string()),
            remark: None,
            note: format!("{text}: {}", entry.meaning),
        };
    }
    let asn = u32::from(community.asn);
    let note = match community.asn {
        0 => format!(
            "{text}: AS 0 is reserved (RFC 7607) and RFC 1997 reserves this range; the meaning is \
             set by whoever attached it and is not in the dictionary"
        ),
        65535 => format!(
            "{text}: in the well-known range that RFC 1997 reserves, but not one this dictionary \
             knows"
        ),
        _ if is_private_asn(asn) => format!(
            "{text}: AS{asn} is a private-use AS number (RFC 6996), so the meaning is local to the \
             network that set it"
        ),
        _ => format!("AS{asn} community {text}, meaning not in the dictionary"),
    };
    Decoded {
        community: text,
        asn: (community.asn != 0 && community.asn != 65535).then_some(asn),
        meaning: None,
        source: None,
        remark: None,
        note,
    }
}

/// Decodes a large community by its structure: no operator's large communities are in the
/// dictionary.
pub fn decode_large(community: LargeCommunity) -> Decoded {
    let text = community.to_string();
    let note = if is_private_asn(community.global) {
        format!(
            "{text}: AS{} is a private-use AS number (RFC 6996), so the meaning is local to the \
             network that set it",
            community.global
        )
    } else {
        format!(
            "AS{} large community {text} (functions {}:{}), meaning not in the dictionary",
            community.global, community.local1, community.local2
        )
    };
    Decoded {
        community: text,
        asn: Some(community.global),
        meaning: None,
        source: None,
        remark: None,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOKING_GLASS: &str =
        include_str!("../../tests/fixtures/ripestat/looking-glass.TRIMMED.json");

    #[test]
    fn well_known_communities_decode_with_their_rfcs() {
        for (text, name, rfc) in [
            ("65535:65281", "NO_EXPORT", "rfc1997"),
            ("65535:65282", "NO_ADVERTISE", "rfc1997"),
            ("65535:65283", "NO_EXPORT_SUBCONFED", "rfc1997"),
            ("65535:65284", "NOPEER", "rfc3765"),
            ("65535:666", "BLACKHOLE", "rfc7999"),
            ("65535:0", "GRACEFUL_SHUTDOWN", "rfc8326"),
        ] {
            let decoded = decode(Community::parse(text).unwrap());
            assert!(
                decoded.meaning.as_deref().unwrap().starts_with(name),
                "{text}"
            );
            assert!(decoded.source.as_deref().unwrap().ends_with(rfc), "{text}");
            assert_eq!(decoded.asn, None);
        }
    }

    #[test]
    fn operator_schemes_only_where_read_and_structure_otherwise() {
        let ntt = decode(Community::parse("2914:420").unwrap());
        assert_eq!(
            ntt.meaning.as_deref(),
            Some("NTT: a route learned from a peer")
        );
        assert_eq!(ntt.asn, Some(2914));
        let gtt = decode(Community::parse("3257:4471").unwrap());
        assert_eq!(
            gtt.meaning.as_deref(),
            Some("GTT: learned at a European exchange point")
        );
        let unknown = decode(Community::parse("3356:2001").unwrap());
        assert_eq!(unknown.meaning, None);
        assert_eq!(
            unknown.note,
            "AS3356 community 3356:2001, meaning not in the dictionary"
        );
        assert!(
            decode(Community::parse("65100:1").unwrap())
                .note
                .contains("private-use")
        );
        assert!(
            decode(Community::parse("0:2906").unwrap())
                .note
                .contains("RFC 7607")
        );
        assert!(
            decode(Community::parse("65535:9").unwrap())
                .note
                .contains("well-known range")
        );
        // Every entry cites a source and no two entries overlap.
        for (i, a) in DICTIONARY.iter().enumerate() {
            assert!(a.source.starts_with("http"), "{}", a.meaning);
            for b in &DICTIONARY[i + 1..] {
                let span = |e: &Entry| match e.values {
                    Values::One(v) => (v, v),
                    Values::Range(l, h) => (l, h),
                };
                let ((al, ah), (bl, bh)) = (span(a), span(b));
                assert!(
                    a.asn != b.asn || ah < bl || bh < al,
                    "{} / {}",
                    a.meaning,
                    b.meaning
                );
            }
        }
    }

    #[test]
    fn the_communities_of_the_recorded_looking_glass_parse() {
        let value: serde_json::Value = serde_json::from_str(LOOKING_GLASS).unwrap();
        let mut standard = 0;
        let mut large = 0;
        for rrc in value["data"]["rrcs"].as_array().unwrap() {
            for peer in rrc["peers"].as_array().unwrap() {
                let text = peer["community"].as_str().unwrap();
                let parsed = parse_list(text);
                assert_eq!(parsed.len(), text.split_whitespace().count(), "{text}");
                standard += parsed.len();
                large += parse_large_list(peer["largeCommunity"].as_str().unwrap()).len();
            }
        }
        assert_eq!(
            (standard, large),
            (31, 1),
            "counted independently with Python"
        );
        let decoded = decode_large(LargeCommunity::parse("26162:0:6939").unwrap());
        assert_eq!(
            decoded.note,
            "AS26162 large community 26162:0:6939 (functions 0:6939), meaning not in the dictionary"
        );
    }

    #[test]
    fn the_dictionary_comes_first_then_the_remarks_of_the_communitys_own_as() {
        use crate::paths::remarks;
        use crate::ripestat::whois;
        let reply = whois::parse(include_str!(
            "../../tests/fixtures/ripestat/whois-AS8283.GENERATED-FROM-REAL.json"
        ))
        .unwrap();
        let books = [remarks::read(&reply.aut_nums(8283)[0])];
        let read = decode_with(Community::parse("8283:50").unwrap(), &books);
        assert_eq!(
            read.meaning.as_deref(),
            Some("Set LOCAL_PREF to 50 (default is 100)")
        );
        assert_eq!(read.asn, Some(8283));
        assert_eq!(
            read.note,
            "8283:50: Set LOCAL_PREF to 50 (default is 100) (from the aut-num remarks of AS8283 \
             (source: RIPE via RIPEstat whois): 8283:50   | 8283:1:50  | Set LOCAL_PREF to 50 \
             (default is 100))"
        );
        // AS8283's row for 65535:666 is not AS8283's to define: the RFC meaning stands.
        let blackhole = decode_with(Community::parse("65535:666").unwrap(), &books);
        assert!(blackhole.meaning.unwrap().starts_with("BLACKHOLE"));
        assert_eq!(blackhole.remark, None);
        // One AS's remarks never explain another's communities.
        assert_eq!(
            decode_with(Community::parse("8284:50").unwrap(), &books).meaning,
            None
        );
        let large = decode_large_with(LargeCommunity::parse("8283:4:174").unwrap(), &books);
        assert_eq!(
            large.meaning.as_deref(),
            Some("Do not export to peer AS nnn")
        );
        assert_eq!(large.remark.map(|r| r.key).as_deref(), Some("8283:4:nnn"));
        for (asn, expected) in [
            (3356, true),
            (8283, true),
            (131_072, true),
            (0, false),
            (23_456, false),
            (64_496, false),
            (64_512, false),
            (65_535, false),
            (65_551, false),
            (4_200_000_000, false),
            (u32::MAX, false),
        ] {
            assert_eq!(has_registry_entry(asn), expected, "AS{asn}");
        }
    }
}
