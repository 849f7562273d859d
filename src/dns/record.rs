//! DNS domain types shared by every source (Atlas `abuf`, DoH JSON, DoH wire replies): record types,
//! response codes, answers in presentation format, and client subnets (EDNS Client Subnet, RFC 7871).
//!
//! These are validated values the rest of the app can compare and show; nothing here reads a wire or
//! JSON format. Record data is kept as text in the presentation format of RFC 1035 §5.1 as `dig`
//! prints it, because that is what a reader recognises and what DoH JSON already carries, so answers
//! from different sources compare as strings.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A resource record type (RFC 1035 §3.2.2 and the IANA "Resource Record (RR) TYPEs" registry).
///
/// A newtype over the 16-bit code rather than an enum, so that every code has exactly one value:
/// an unknown type stays what it is on the wire and prints as `TYPE65280` (RFC 3597 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordType(pub u16);

/// Mnemonics of the types this app names, from the IANA registry.
const TYPE_NAMES: [(u16, &str); 28] = [
    (1, "A"),
    (2, "NS"),
    (5, "CNAME"),
    (6, "SOA"),
    (12, "PTR"),
    (13, "HINFO"),
    (15, "MX"),
    (16, "TXT"),
    (28, "AAAA"),
    (29, "LOC"),
    (33, "SRV"),
    (35, "NAPTR"),
    (39, "DNAME"),
    (41, "OPT"),
    (43, "DS"),
    (44, "SSHFP"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (59, "CDS"),
    (60, "CDNSKEY"),
    (64, "SVCB"),
    (65, "HTTPS"),
    (99, "SPF"),
    (257, "CAA"),
];

impl RecordType {
    pub const A: RecordType = RecordType(1);
    pub const NS: RecordType = RecordType(2);
    pub const CNAME: RecordType = RecordType(5);
    pub const SOA: RecordType = RecordType(6);
    pub const PTR: RecordType = RecordType(12);
    pub const MX: RecordType = RecordType(15);
    pub const TXT: RecordType = RecordType(16);
    pub const AAAA: RecordType = RecordType(28);
    pub const SRV: RecordType = RecordType(33);
    pub const OPT: RecordType = RecordType(41);
    pub const DS: RecordType = RecordType(43);
    pub const RRSIG: RecordType = RecordType(46);
    pub const DNSKEY: RecordType = RecordType(48);
    pub const SVCB: RecordType = RecordType(64);
    pub const HTTPS: RecordType = RecordType(65);
    pub const ANY: RecordType = RecordType(255);
    pub const CAA: RecordType = RecordType(257);

    /// The types a DNS cell offers to query, in the order the issue lists them.
    pub const QUERYABLE: [RecordType; 13] = [
        RecordType::A,
        RecordType::AAAA,
        RecordType::CNAME,
        RecordType::NS,
        RecordType::SOA,
        RecordType::TXT,
        RecordType::MX,
        RecordType::PTR,
        RecordType::HTTPS,
        RecordType::SRV,
        RecordType::CAA,
        RecordType::DS,
        RecordType::DNSKEY,
    ];

    pub fn code(self) -> u16 {
        self.0
    }

    /// The registry mnemonic, if this app knows one ("ANY" is the QTYPE 255 of RFC 1035 §3.2.3).
    pub fn mnemonic(self) -> Option<&'static str> {
        if self.0 == 255 {
            return Some("ANY");
        }
        TYPE_NAMES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| *name)
    }

    /// A or AAAA: the types whose data is an address.
    pub fn is_address(self) -> bool {
        self == RecordType::A || self == RecordType::AAAA
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(name) => f.write_str(name),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

impl Serialize for RecordType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordType {
    /// From the text `Display` writes (a saved notebook keeps the types a cell asked for).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a record type given as text was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRecordType(pub String);

impl fmt::Display for UnknownRecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a record type: use a name such as A, AAAA, MX or a number from 1 to 65535",
            self.0
        )
    }
}

impl FromStr for RecordType {
    type Err = UnknownRecordType;

    /// Reads a mnemonic (any case), a number, or the RFC 3597 §5 form `TYPE123`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let upper = trimmed.to_ascii_uppercase();
        if upper == "ANY" {
            return Ok(RecordType::ANY);
        }
        if let Some((code, _)) = TYPE_NAMES.iter().find(|(_, name)| *name == upper) {
            return Ok(RecordType(*code));
        }
        let digits = upper.strip_prefix("TYPE").unwrap_or(&upper);
        match digits.parse::<u16>() {
            Ok(code) if code > 0 => Ok(RecordType(code)),
            _ => Err(UnknownRecordType(trimmed.to_string())),
        }
    }
}

/// A response code: the 4-bit RCODE of the header (RFC 1035 §4.1.1), with the names of the IANA
/// "DNS RCODEs" registry. Unknown values print as `RCODE12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rcode(pub u16);

const RCODE_NAMES: [&str; 11] = [
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
    "NXRRSET", "NOTAUTH", "NOTZONE",
];

impl Rcode {
    pub const NOERROR: Rcode = Rcode(0);
    pub const FORMERR: Rcode = Rcode(1);
    pub const SERVFAIL: Rcode = Rcode(2);
    pub const NXDOMAIN: Rcode = Rcode(3);
    pub const NOTIMP: Rcode = Rcode(4);
    pub const REFUSED: Rcode = Rcode(5);

    pub fn name(self) -> Option<&'static str> {
        RCODE_NAMES.get(usize::from(self.0)).copied()
    }

    /// Whether the resolver gave an answer about the name (NOERROR, possibly with no records, or
    /// NXDOMAIN: "this name does not exist"), as opposed to failing to resolve it.
    pub fn is_answer(self) -> bool {
        self == Rcode::NOERROR || self == Rcode::NXDOMAIN
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "RCODE{}", self.0),
        }
    }
}

impl Serialize for Rcode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One resource record as a reader sees it: owner name (absolute, with the trailing dot), type, TTL
/// in seconds, and the record data in presentation format (`194.150.168.100`, `10 mx.example.`,
/// `"v=spf1 -all"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Answer {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: RecordType,
    pub ttl: u32,
    pub data: String,
}

/// The header bits of a message (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2), which DoH JSON
/// also reports (`TC`, `RD`, `RA`, `AD`, `CD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Flags {
    pub qr: bool,
    pub aa: bool,
    pub tc: bool,
    pub rd: bool,
    pub ra: bool,
    pub ad: bool,
    pub cd: bool,
}

/// A question: the name asked (absolute) and the type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: RecordType,
}

/// A client subnet as sent in an EDNS Client Subnet option (RFC 7871 §6): an address, with every
/// bit past `prefix` zero, and the prefix length ("SOURCE PREFIX-LENGTH").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientSubnet {
    address: IpAddr,
    prefix: u8,
}

/// Why a client subnet given as text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSubnet(pub String);

impl fmt::Display for InvalidSubnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a client subnet: write an address and a prefix length, e.g. 192.0.2.0/24 or 2001:db8::/48",
            self.0
        )
    }
}

impl ClientSubnet {
    /// A subnet from an address and a prefix length; host bits are cleared, as RFC 7871 §6 requires
    /// ("ADDRESS ... MUST be truncated to the number of bits indicated by the SOURCE PREFIX-LENGTH").
    pub fn new(address: IpAddr, prefix: u8) -> Option<ClientSubnet> {
        let bits = match address {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        if prefix > bits {
            return None;
        }
        let address = match address {
            IpAddr::V4(v4) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
            }
            IpAddr::V6(v6) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
            }
        };
        Some(ClientSubnet { address, prefix })
    }

    pub fn address(&self) -> IpAddr {
        self.address
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The ECS FAMILY: 1 for IPv4, 2 for IPv6 (IANA "Address Family Numbers", RFC 7871 §6).
    pub fn family(&self) -> u16 {
        match self.address {
            IpAddr::V4(_) => 1,
            IpAddr::V6(_) => 2,
        }
    }

    /// Whether `address` lies inside this subnet.
    pub fn contains(&self, address: IpAddr) -> bool {
        ClientSubnet::new(address, self.prefix).is_some_and(|other| other.address == self.address)
    }
}

impl fmt::Display for ClientSubnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl Serialize for ClientSubnet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClientSubnet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for ClientSubnet {
    type Err = InvalidSubnet;

    /// Reads `address/prefix`; a bare address means the whole address (/32 or /128).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidSubnet(text.trim().to_string());
        let trimmed = text.trim();
        let (address, prefix) = match trimmed.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (trimmed, None),
        };
        let address: IpAddr = address.parse().map_err(|_| invalid())?;
        let prefix = match prefix {
            Some(prefix) => prefix.parse::<u8>().map_err(|_| invalid())?,
            None if address.is_ipv4() => 32,
            None => 128,
        };
        ClientSubnet::new(address, prefix).ok_or_else(invalid)
    }
}

/// The client subnet a reply echoes (RFC 7871 §6). The SCOPE PREFIX-LENGTH says for how much of the
/// subnet the answer holds; 0 means the answer was not chosen for the subnet at all. Google's JSON
/// API writes its echo as "address/scope" (its documentation), so the source prefix is not always
/// known; `address` is `None` for an address family other than IPv4 or IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EcsEcho {
    pub address: Option<IpAddr>,
    pub source_prefix: Option<u8>,
    pub scope_prefix: u8,
}

/// What a reply says about the client subnet it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EcsOutcome {
    /// The query carried no subnet.
    NotSent,
    /// A subnet was sent but the reply carries no ECS option: RFC 7871 §7.2.2 says a reply without
    /// it comes from a resolver that does not support ECS (or stripped it).
    NotEchoed { sent: ClientSubnet },
    /// Echoed with SCOPE PREFIX-LENGTH 0: the answer is not specific to the subnet (RFC 7871 §7.2.1),
    /// so this vantage did not really emulate a client there.
    Ignored { sent: ClientSubnet },
    /// Echoed with a non-zero scope: the answer was chosen for clients in `scope_prefix` bits of the
    /// subnet.
    Honoured {
        sent: ClientSubnet,
        scope_prefix: u8,
    },
}

impl EcsOutcome {
    /// Reads an echo against what was sent; `echo_scope` is the SCOPE PREFIX-LENGTH of the reply's
    /// option, `None` when the reply had no option.
    pub fn from_echo(sent: Option<ClientSubnet>, echo_scope: Option<u8>) -> EcsOutcome {
        match (sent, echo_scope) {
            (None, _) => EcsOutcome::NotSent,
            (Some(sent), None) => EcsOutcome::NotEchoed { sent },
            (Some(sent), Some(0)) => EcsOutcome::Ignored { sent },
            (Some(sent), Some(scope_prefix)) => EcsOutcome::Honoured { sent, scope_prefix },
        }
    }

    pub fn honoured(&self) -> bool {
        matches!(self, EcsOutcome::Honoured { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_types_read_and_print_every_form() {
        assert_eq!("aaaa".parse::<RecordType>(), Ok(RecordType::AAAA));
        assert_eq!("HTTPS".parse::<RecordType>(), Ok(RecordType::HTTPS));
        assert_eq!("28".parse::<RecordType>(), Ok(RecordType::AAAA));
        assert_eq!("TYPE65280".parse::<RecordType>(), Ok(RecordType(65280)));
        assert_eq!("any".parse::<RecordType>(), Ok(RecordType::ANY));
        assert!("0".parse::<RecordType>().is_err());
        assert!("65536".parse::<RecordType>().is_err());
        assert!("AXFR?".parse::<RecordType>().is_err());
        assert_eq!(RecordType(65280).to_string(), "TYPE65280");
        assert_eq!(RecordType::CAA.to_string(), "CAA");
        for rtype in RecordType::QUERYABLE {
            assert_eq!(rtype.to_string().parse::<RecordType>(), Ok(rtype));
        }
        assert_eq!(
            serde_json::to_string(&RecordType::MX).unwrap(),
            "\"MX\"".to_string()
        );
        assert_eq!(
            serde_json::from_str::<RecordType>("\"TYPE65280\"").unwrap(),
            RecordType(65280)
        );
        assert!(serde_json::from_str::<RecordType>("\"NOPE\"").is_err());
    }

    #[test]
    fn rcodes_have_registry_names() {
        assert_eq!(Rcode(3).to_string(), "NXDOMAIN");
        assert_eq!(Rcode(4).to_string(), "NOTIMP");
        assert_eq!(Rcode(12).to_string(), "RCODE12");
        assert!(Rcode::NXDOMAIN.is_answer());
        assert!(!Rcode::SERVFAIL.is_answer());
    }

    #[test]
    fn client_subnets_clear_host_bits() {
        let subnet: ClientSubnet = "223.72.90.77/24".parse().unwrap();
        assert_eq!(subnet.to_string(), "223.72.90.0/24");
        assert_eq!(subnet.family(), 1);
        assert!(subnet.contains("223.72.90.200".parse().unwrap()));
        assert!(!subnet.contains("223.72.91.1".parse().unwrap()));
        let v6: ClientSubnet = "2001:db8:1234::1/48".parse().unwrap();
        assert_eq!(v6.to_string(), "2001:db8:1234::/48");
        assert_eq!("0.0.0.0/0".parse::<ClientSubnet>().unwrap().prefix(), 0);
        assert_eq!("192.0.2.1".parse::<ClientSubnet>().unwrap().prefix(), 32);
        let json = serde_json::to_string(&subnet).unwrap();
        assert_eq!(serde_json::from_str::<ClientSubnet>(&json).unwrap(), subnet);
        for bad in [
            "",
            "/24",
            "1.2.3.4/33",
            "::/129",
            "1.2.3/24",
            "1.2.3.4/-1",
            "x/1",
        ] {
            assert!(bad.parse::<ClientSubnet>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ecs_outcomes_follow_rfc_7871() {
        let sent: ClientSubnet = "192.0.2.0/24".parse().unwrap();
        assert_eq!(EcsOutcome::from_echo(None, Some(24)), EcsOutcome::NotSent);
        assert_eq!(
            EcsOutcome::from_echo(Some(sent), None),
            EcsOutcome::NotEchoed { sent }
        );
        assert_eq!(
            EcsOutcome::from_echo(Some(sent), Some(0)),
            EcsOutcome::Ignored { sent }
        );
        assert!(EcsOutcome::from_echo(Some(sent), Some(20)).honoured());
    }
}
