//! The text a Globalping probe sends with each traceroute and MTR result (`rawOutput`), read back
//! into hops: TTL, the packets of each hop in the order printed, and the router names the probe's
//! own resolver gave. Two things need it. The structured `hops` list can be shorter than the path
//! (the API's documentation examples were trimmed by hand, see `adapt`), and the text is where a
//! traceroute probe prints the name it resolved for every hop.
//!
//! The formats, from the probe's source (jsdelivr/globalping-probe):
//! - traceroute: the stdout of Linux `traceroute -4 -m 20 -w 2 -q 2 -N 20` run under `unbuffer`
//!   (`src/command/traceroute-command.ts`), one line per TTL: ` 8  name (address)  1.105 ms  1.160 ms`,
//!   `*` for a packet that got no answer, a new `name (address)` wherever a later packet of the same
//!   TTL was answered by another router, and `!H`-style ICMP unreachable marks after a time;
//! - MTR: a report the probe writes itself (`src/command/handlers/mtr/parser.ts`, `outputBuilder`):
//!   a `Host … Loss% Drop Rcv Avg StDev Javg` header, then `N. ASnnn name (address)  0.0%  0  2
//!   177.0  0.0  0.0` (`AS???` when the AS is unknown, `AS174 3356` for several), or
//!   `N. AS??? (waiting for reply)` for a hop that never answered. It names the first hop
//!   `_gateway` whatever its address resolves to, and it leaves out hops whose address already
//!   appeared earlier, numbering the rest consecutively.
//!
//! Total: any text gives hops (possibly none) and diagnostics for lines that look like hops but
//! cannot be read; nothing here panics, whatever the probe (or a hostile file) sent. Pure: no I/O.

use std::net::IpAddr;

/// The highest hop number: the IPv4 TTL and the IPv6 hop limit are 8-bit fields (RFC 791 §3.1,
/// RFC 8200 §3).
pub const MAX_TTL: u32 = 255;

/// The most packets kept for one hop. Linux traceroute refuses more than 10 probes per hop
/// (`MAX_PROBES` in traceroute 2.1's `traceroute.c`); Globalping sends 2. A longer line is not a
/// traceroute line, and keeping it whole would let one line of `* * * …` inflate every hop of the
/// adapted result (hops are padded to the same number of packets).
pub const MAX_PACKETS_PER_HOP: usize = 10;

/// Diagnostics kept per output; the rest are counted in one last line.
const MAX_DIAGNOSTICS: usize = 8;

/// Longest router name: a DNS name is at most 253 characters in text form (RFC 1035 §2.3.4).
const MAX_NAME_LENGTH: usize = 253;

/// The label Globalping's MTR report gives its first hop, whatever that address resolves to
/// (`outputBuilder`: `i === 0 ? '_gateway' : …`). It is systemd-resolved's synthetic name for the
/// default gateway, not a name the router's owner published, so it says nothing about the router.
const GATEWAY_ALIAS: &str = "_gateway";

/// One probe packet of a hop, as printed.
#[derive(Debug, Clone, PartialEq)]
pub enum RawPacket {
    /// A router answered. `rtt_ms` is `None` when the line names the router but shows no time.
    Reply { from: String, rtt_ms: Option<f64> },
    /// `*`: no answer within the probe's wait.
    Timeout,
}

/// One hop of the text output.
#[derive(Debug, Clone, PartialEq)]
pub struct RawHop {
    /// The number the line starts with: the TTL for traceroute; for MTR the line's position in the
    /// probe's list, which is the TTL unless the probe left out an earlier hop's repeated address.
    pub ttl: u32,
    /// The packets in the order printed; empty for a hop whose line shows nothing yet.
    pub packets: Vec<RawPacket>,
}

/// What one result's text output says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawPath {
    /// In increasing TTL order, each TTL once.
    pub hops: Vec<RawHop>,
    /// (address, name) as the probe printed them, each address once, only where the name is a name
    /// (see [`reported_name`]).
    pub names: Vec<(String, String)>,
    /// Lines that start like a hop but could not be read, each saying why.
    pub diagnostics: Vec<String>,
}

/// The name a probe reported for `address`, when it is a router name: not the address itself (the
/// API's `resolvedHostname` and traceroute both print the address when there is no PTR record), not
/// another address, not MTR's `_gateway` label, and made of the characters DNS host names use
/// (letters, digits, `-`, `.`, and `_`, which some operators use); a trailing dot is dropped.
/// `None` as well when `address` is not an IP address, since names are keyed by address.
pub fn reported_name(address: &str, name: &str) -> Option<String> {
    let address = address.trim();
    address.parse::<IpAddr>().ok()?;
    let name = name.trim();
    let name = name.strip_suffix('.').unwrap_or(name);
    let is_name = !name.is_empty()
        && name.len() <= MAX_NAME_LENGTH
        && !name.eq_ignore_ascii_case(address)
        && name.parse::<IpAddr>().is_err()
        && name != GATEWAY_ALIAS
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        && name.bytes().any(|b| b.is_ascii_alphabetic());
    is_name.then(|| name.to_string())
}

/// An RTT as traceroute and MTR print it: a plain non-negative decimal. `str::parse` also reads
/// `inf`, `NaN` and `1e999` (as infinity), none of which is a time.
fn rtt(token: &str) -> Option<f64> {
    if !token.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    token
        .parse::<f64>()
        .ok()
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
}

fn address(token: &str) -> Option<String> {
    token.parse::<IpAddr>().ok().map(|a| a.to_string())
}

/// `(203.0.113.1)` → the address inside, when it is one.
fn parenthesised_address(token: &str) -> Option<String> {
    address(token.strip_prefix('(')?.strip_suffix(')')?)
}

/// The hop number a line starts with: `8` for traceroute, `5.` for MTR.
fn leading_ttl(token: &str, suffix: &str) -> Option<Result<u32, String>> {
    let digits = token.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match digits.parse::<u32>() {
        Ok(ttl) if (1..=MAX_TTL).contains(&ttl) => Ok(ttl),
        _ => {
            let shown: String = digits.chars().take(12).collect();
            let more = if shown.len() < digits.len() {
                "…"
            } else {
                ""
            };
            Err(format!(
                "hop number {shown}{more} is not between 1 and {MAX_TTL}"
            ))
        }
    })
}

/// Collects hops in order, names once per address, and capped diagnostics.
#[derive(Default)]
struct Builder {
    path: RawPath,
    unreported: usize,
}

impl Builder {
    fn diagnose(&mut self, line_number: usize, why: &str) {
        if self.path.diagnostics.len() < MAX_DIAGNOSTICS {
            self.path
                .diagnostics
                .push(format!("line {line_number}: {why}"));
        } else {
            self.unreported += 1;
        }
    }

    fn name(&mut self, address: &str, name: &str) {
        if let Some(name) = reported_name(address, name)
            && !self.path.names.iter().any(|(known, _)| known == address)
        {
            self.path.names.push((address.to_string(), name));
        }
    }

    /// Adds a hop unless its TTL does not come after the last one: traceroute prints each TTL once,
    /// in order, so a repeated or earlier number is not part of this path.
    fn hop(&mut self, line_number: usize, hop: RawHop) {
        match self.path.hops.last() {
            Some(last) if last.ttl >= hop.ttl => self.diagnose(
                line_number,
                &format!("hop {} comes after hop {}; left out", hop.ttl, last.ttl),
            ),
            _ => self.path.hops.push(hop),
        }
    }

    fn finish(mut self) -> RawPath {
        if self.unreported > 0 {
            self.path
                .diagnostics
                .push(format!("and {} more lines not read", self.unreported));
        }
        self.path
    }
}

/// The hops of a Linux traceroute output (the module documentation has the format). Words that are
/// none of `*`, a time, `ms`, an address or `name (address)` (such as `!H`, `[AS13335]`, or noise)
/// are passed over.
pub fn traceroute_path(raw_output: &str) -> RawPath {
    let mut builder = Builder::default();
    for (index, line) in raw_output.lines().enumerate() {
        let line_number = index + 1;
        let mut tokens = line.split_whitespace().peekable();
        let Some(first) = tokens.next() else {
            continue;
        };
        // The header ("traceroute to …") and warnings do not start with a number.
        let ttl = match leading_ttl(first, "") {
            None => continue,
            Some(Err(why)) => {
                builder.diagnose(line_number, &why);
                continue;
            }
            Some(Ok(ttl)) => ttl,
        };
        let mut packets = Vec::new();
        let mut from: Option<String> = None;
        // The last word seen, which is the router's name when `(address)` follows it.
        let mut word: Option<&str> = None;
        let mut too_many = false;
        while let Some(token) = tokens.next() {
            let packet = if token == "*" {
                word = None;
                Some(RawPacket::Timeout)
            } else if let Some(ms) = rtt(token).filter(|_| tokens.peek() == Some(&"ms")) {
                tokens.next();
                word = None;
                from.clone().map(|from| RawPacket::Reply {
                    from,
                    rtt_ms: Some(ms),
                })
            } else if let Some(ms) = token.strip_suffix("ms").and_then(rtt) {
                word = None;
                from.clone().map(|from| RawPacket::Reply {
                    from,
                    rtt_ms: Some(ms),
                })
            } else if let Some(inside) = parenthesised_address(token) {
                if let Some(name) = word.take() {
                    builder.name(&inside, name);
                }
                from = Some(inside);
                None
            } else {
                // A bare address is how `traceroute -n` names a router; anything else may be the
                // name of the `(address)` that follows.
                if let Some(bare) = address(token) {
                    from = Some(bare);
                }
                word = Some(token);
                None
            };
            if let Some(packet) = packet {
                if packets.len() < MAX_PACKETS_PER_HOP {
                    packets.push(packet);
                } else {
                    too_many = true;
                }
            }
        }
        if too_many {
            builder.diagnose(
                line_number,
                &format!("more than {MAX_PACKETS_PER_HOP} packets; the first ones kept"),
            );
        }
        builder.hop(line_number, RawHop { ttl, packets });
    }
    builder.finish()
}

/// The hops of a Globalping MTR report (the module documentation has the format). Each hop gets one
/// packet: MTR prints per-hop statistics rather than each packet's time, so the average (`Avg`) is
/// the hop's one RTT sample; a hop that received nothing (`Rcv` 0) names its router without a time,
/// and `(waiting for reply)` is a timeout.
pub fn mtr_path(raw_output: &str) -> RawPath {
    let mut builder = Builder::default();
    for (index, line) in raw_output.lines().enumerate() {
        let line_number = index + 1;
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = tokens.first() else {
            continue;
        };
        // The `Host … Loss%` header does not start with `N.`.
        let ttl = match leading_ttl(first, ".") {
            None => continue,
            Some(Err(why)) => {
                builder.diagnose(line_number, &why);
                continue;
            }
            Some(Ok(ttl)) => ttl,
        };
        let rest = &tokens[1..];
        if rest.iter().any(|t| t.starts_with("(waiting")) {
            builder.hop(
                line_number,
                RawHop {
                    ttl,
                    packets: vec![RawPacket::Timeout],
                },
            );
            continue;
        }
        let Some(at) = rest.iter().position(|t| parenthesised_address(t).is_some()) else {
            builder.diagnose(line_number, "no (address) on an MTR hop line");
            continue;
        };
        let Some(from) = parenthesised_address(rest[at]) else {
            continue;
        };
        // The word before the address is the name, unless it is the AS column.
        if let Some(name) = at.checked_sub(1).and_then(|before| rest.get(before))
            && !name.starts_with("AS")
        {
            builder.name(&from, name);
        }
        // After the address: Loss% Drop Rcv Avg StDev Javg.
        let stats = &rest[at + 1..];
        let received = stats.get(2).and_then(|t| t.parse::<u64>().ok());
        let average = stats.get(3).and_then(|t| rtt(t));
        let loss_read = stats.first().is_some_and(|t| t.ends_with('%'));
        let rtt_ms = match (loss_read, received, average) {
            (true, Some(received), Some(avg)) if received > 0 => Some(avg),
            (true, Some(0), _) => None,
            _ => {
                builder.diagnose(
                    line_number,
                    "the Loss% Drop Rcv Avg columns could not be read; the hop is kept without a time",
                );
                None
            }
        };
        builder.hop(
            line_number,
            RawHop {
                ttl,
                packets: vec![RawPacket::Reply { from, rtt_ms }],
            },
        );
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::globalping::measurement::tests::{MTR, TRACEROUTE};

    fn raw_output(measurement: &str) -> String {
        let json: serde_json::Value = serde_json::from_str(measurement).unwrap();
        json["results"][0]["result"]["rawOutput"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The replies of a hop: (from, RTT).
    type Replies = Vec<(String, Option<f64>)>;

    fn reply(hop: &RawHop) -> Replies {
        hop.packets
            .iter()
            .filter_map(|p| match p {
                RawPacket::Reply { from, rtt_ms } => Some((from.clone(), *rtt_ms)),
                RawPacket::Timeout => None,
            })
            .collect()
    }

    /// The Sydney probe's output: 11 hops of two packets each, the names as printed.
    #[test]
    fn the_traceroute_example_has_eleven_hops() {
        let path = traceroute_path(&raw_output(TRACEROUTE));
        assert!(path.diagnostics.is_empty(), "{:?}", path.diagnostics);
        assert_eq!(
            path.hops.iter().map(|h| h.ttl).collect::<Vec<_>>(),
            (1..=11).collect::<Vec<_>>()
        );
        assert!(path.hops.iter().all(|h| h.packets.len() == 2));
        let at = |ttl: usize| reply(&path.hops[ttl - 1]);
        let address = |a: &str| a.to_string();
        assert_eq!(
            at(1),
            [
                (address("139.99.172.1"), Some(0.315)),
                (address("139.99.172.1"), Some(0.301))
            ]
        );
        assert_eq!(
            at(8),
            [
                (address("103.5.14.220"), Some(1.105)),
                (address("103.5.14.220"), Some(1.160))
            ]
        );
        assert_eq!(
            at(11),
            [
                (address("104.16.85.20"), Some(0.826)),
                (address("104.16.85.20"), Some(0.733))
            ]
        );
        // Only two hops have names; the others print their address twice.
        assert_eq!(
            path.names,
            [
                (address("103.5.14.220"), address("syd-sy2-bb1-a9.au.asia")),
                (address("218.100.52.11"), address("as13335.nsw.ix.asn.au")),
            ]
        );
    }

    /// The Johannesburg probe's report: 7 hops, Avg as each hop's one RTT, `_gateway` not a name.
    #[test]
    fn the_mtr_example_has_seven_hops() {
        let path = mtr_path(&raw_output(MTR));
        assert!(path.diagnostics.is_empty(), "{:?}", path.diagnostics);
        let hops: Vec<(u32, Replies)> = path.hops.iter().map(|h| (h.ttl, reply(h))).collect();
        let expected = [
            ("94.156.93.1", 0.5),
            ("5.188.133.2", 0.3),
            ("10.255.31.184", 0.4),
            ("206.249.1.209", 1.1),
            ("154.54.40.93", 177.0),
            ("149.6.2.38", 176.4),
            ("151.101.1.229", 178.3),
        ];
        assert_eq!(hops.len(), expected.len());
        for (at, ((ttl, replies), (address, avg))) in hops.iter().zip(expected).enumerate() {
            assert_eq!(*ttl as usize, at + 1);
            assert_eq!(replies, &[(address.to_string(), Some(avg))]);
        }
        assert_eq!(
            path.names,
            [(
                "154.54.40.93".to_string(),
                "be2385.ccr21.lon01.atlas.cogentco.com".to_string()
            )]
        );
    }

    #[test]
    fn timeouts_several_routers_and_marks_on_one_line() {
        let text = "traceroute to example.com (93.184.216.34), 20 hops max, 60 byte packets\n\
                     1  * *\n\
                     2  a.example.net (192.0.2.1)  1.5 ms b.example.net (192.0.2.2)  2.25 ms !H\n\
                     3  198.51.100.7  3.000 ms *\n\
                     4  c.example.net (2001:db8::1)  4ms  *\n";
        let path = traceroute_path(text);
        assert!(path.diagnostics.is_empty(), "{:?}", path.diagnostics);
        assert_eq!(
            path.hops[0].packets,
            [RawPacket::Timeout, RawPacket::Timeout]
        );
        assert_eq!(
            reply(&path.hops[1]),
            [
                ("192.0.2.1".to_string(), Some(1.5)),
                ("192.0.2.2".to_string(), Some(2.25))
            ]
        );
        assert_eq!(
            path.hops[2].packets,
            [
                RawPacket::Reply {
                    from: "198.51.100.7".to_string(),
                    rtt_ms: Some(3.0)
                },
                RawPacket::Timeout
            ]
        );
        assert_eq!(
            reply(&path.hops[3]),
            [("2001:db8::1".to_string(), Some(4.0))]
        );
        assert_eq!(
            path.names,
            [
                ("192.0.2.1".to_string(), "a.example.net".to_string()),
                ("192.0.2.2".to_string(), "b.example.net".to_string()),
                ("2001:db8::1".to_string(), "c.example.net".to_string()),
            ]
        );
    }

    #[test]
    fn mtr_silent_hops_several_ases_and_nothing_received() {
        let text = "Host  Loss% Drop Rcv Avg StDev Javg\n\
                    1. AS??? (waiting for reply)\n\
                    2. AS174 3356 r1.example.net (192.0.2.1)  50.0%  1  1  12.5  0.0  0.0\n\
                    3. AS174 r2.example.net (192.0.2.2)  100.0%  2  0  0.0  0.0  0.0\n";
        let path = mtr_path(text);
        assert!(path.diagnostics.is_empty(), "{:?}", path.diagnostics);
        assert_eq!(path.hops[0].packets, [RawPacket::Timeout]);
        assert_eq!(
            reply(&path.hops[1]),
            [("192.0.2.1".to_string(), Some(12.5))]
        );
        assert_eq!(reply(&path.hops[2]), [("192.0.2.2".to_string(), None)]);
        assert_eq!(path.names.len(), 2);
    }

    #[test]
    fn names_are_names() {
        assert_eq!(
            reported_name("103.5.14.220", "syd-sy2-bb1-a9.au.asia."),
            Some("syd-sy2-bb1-a9.au.asia".to_string())
        );
        for (address, name) in [
            ("172.68.208.3", "172.68.208.3"),
            ("2001:db8::a", "2001:DB8::A"),
            ("192.0.2.1", "192.0.2.9"),
            ("94.156.93.1", "_gateway"),
            ("192.0.2.1", "*"),
            ("192.0.2.1", ""),
            ("192.0.2.1", "a name"),
            ("192.0.2.1", "(x)"),
            ("192.0.2.1", "12345"),
            ("*", "router.example.net"),
        ] {
            assert_eq!(reported_name(address, name), None, "{address} {name}");
        }
        assert_eq!(reported_name("192.0.2.1", &"a".repeat(254)), None);
    }

    #[test]
    fn out_of_order_and_out_of_range_lines_are_diagnosed() {
        let text = " 2  a (192.0.2.1)  1 ms\n 1  b (192.0.2.2)  1 ms\n 0  *\n 999999999999999999999  *\n256  *\n 3  *\n";
        let path = traceroute_path(text);
        assert_eq!(path.hops.iter().map(|h| h.ttl).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(path.diagnostics.len(), 4, "{:?}", path.diagnostics);
        assert!(path.diagnostics[0].starts_with("line 2: hop 1 comes after hop 2"));
        let many = format!(" 1 {}\n", "* ".repeat(50));
        let path = traceroute_path(&many);
        assert_eq!(path.hops[0].packets.len(), MAX_PACKETS_PER_HOP);
        assert_eq!(path.diagnostics.len(), 1);
        let lines: String = (0..40).map(|_| "0. x\n").collect();
        let path = mtr_path(&lines);
        assert_eq!(path.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(
            path.diagnostics[MAX_DIAGNOSTICS],
            "and 32 more lines not read"
        );
    }

    /// Every cut of both outputs, garbage lines, huge and odd numbers: hops in order, at most
    /// [`MAX_PACKETS_PER_HOP`] packets each, finite RTTs, no panic.
    #[test]
    fn hostile_output_never_panics() {
        let check =
            |path: &RawPath| {
                assert!(path.hops.windows(2).all(|w| w[0].ttl < w[1].ttl));
                assert!(
                    path.hops.iter().all(|h| (1..=MAX_TTL).contains(&h.ttl)
                        && h.packets.len() <= MAX_PACKETS_PER_HOP)
                );
                for packet in path.hops.iter().flat_map(|h| &h.packets) {
                    if let RawPacket::Reply {
                        from,
                        rtt_ms: Some(ms),
                    } = packet
                    {
                        assert!(ms.is_finite() && *ms >= 0.0 && from.parse::<IpAddr>().is_ok());
                    }
                }
                assert!(path.diagnostics.len() <= MAX_DIAGNOSTICS + 1);
            };
        let mut inputs: Vec<String> = Vec::new();
        for text in [raw_output(TRACEROUTE), raw_output(MTR)] {
            for end in 0..=text.len() {
                if let Some(cut) = text.get(..end) {
                    inputs.push(cut.to_string());
                }
            }
        }
        let huge = "9".repeat(400);
        inputs.extend([
            format!(" 1  a (192.0.2.1)  {huge} ms  {huge}.5 ms"),
            format!("{huge}  *"),
            format!("{huge}. AS1 a (192.0.2.1) 0.0% 0 {huge} {huge} 0 0"),
            " 1  a (192.0.2.1)  inf ms  NaN ms  -1 ms  1e999 ms  +2 ms".to_string(),
            "1. AS1 a (192.0.2.1) 0.0% 0 2 inf 0 0\n2. AS2 (192.0.2.2)\n3.".to_string(),
            " 1  ( ) () (( )) (192.0.2.1 ms ms ms * ( \u{0}\u{7f}é…".to_string(),
            "\r\n\r\n 1\t*\t*\r\n 2 (192.0.2.1)(192.0.2.2) 1 ms".to_string(),
            "1.1.1.1 (1.1.1.1) 1 ms\n1. 1. 1. (1.1.1.1) 1% 1 1 1".to_string(),
            "a".repeat(100_000),
        ]);
        for input in &inputs {
            check(&traceroute_path(input));
            check(&mtr_path(input));
        }
    }
}
