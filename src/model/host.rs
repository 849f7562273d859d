//! The one host-name check: why a text is not a DNS name usable as a measurement target or query
//! (RFC 1035 lengths, RFC 1123 characters, the hints for a URL, a port or a mistyped address), as a
//! typed problem. Atlas, Globalping and the "investigate a host" template word it in their own
//! sentences; this file owns the rules only, and decides nothing about IP literals, which each
//! caller parses as its service accepts them.

use std::fmt;

/// What is wrong with a would-be host name. Displayed, it is the end of a sentence that starts with
/// the name ("The target \"a..b\" has an empty label …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostProblem {
    /// Spaces, tabs, newlines or other control characters.
    SpaceOrControl,
    /// Internationalised names travel in their `xn--` form.
    NotAscii,
    /// A scheme (`https://`) or a path.
    LooksLikeUrl,
    /// A colon that is not part of an IPv6 address: most often a port.
    StrayColon,
    /// The root ("."), where a host is wanted.
    Root,
    /// Over 253 characters without the final dot.
    TooLong,
    /// Two dots in a row, or a leading dot.
    EmptyLabel,
    /// A label over 63 characters.
    LabelTooLong,
    /// A character other than letters, digits, `-` and `_`.
    BadCharacter,
    /// A label that starts or ends with `-`.
    HyphenAtEdge,
    /// An all-numeric last label: a mistyped IPv4 address.
    NumericTopLabel,
}

impl fmt::Display for HostProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HostProblem::SpaceOrControl => "contains spaces or control characters",
            HostProblem::NotAscii => {
                "contains non-ASCII characters: write an internationalised name in its xn-- form"
            }
            HostProblem::LooksLikeUrl => {
                "looks like a URL: give the host name only, e.g. example.com"
            }
            HostProblem::StrayColon => {
                "is neither a valid IPv6 address nor a host name (a port cannot be given here)"
            }
            HostProblem::Root => "is the DNS root, not a host",
            HostProblem::TooLong => "is longer than the 253 characters a DNS name may have",
            HostProblem::EmptyLabel => "has an empty label (two dots in a row, or a leading dot)",
            HostProblem::LabelTooLong => "has a label longer than 63 characters",
            HostProblem::BadCharacter => {
                "contains characters a host name cannot have (only letters, digits, - and _)"
            }
            HostProblem::HyphenAtEdge => "has a label that starts or ends with a hyphen",
            HostProblem::NumericTopLabel => "is neither a valid IPv4 address nor a host name",
        })
    }
}

/// Why `name` is not a DNS name usable as a target or query, or `None` when it is. `allow_root` lets
/// the root (".") through, which a query may ask about (`. SOA`) but a target may not be. The caller
/// has already tried `name` as an IP address, if its service takes one.
pub fn host_name_problem(name: &str, allow_root: bool) -> Option<HostProblem> {
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(HostProblem::SpaceOrControl);
    }
    if !name.is_ascii() {
        return Some(HostProblem::NotAscii);
    }
    if name.contains("://") || name.contains('/') {
        return Some(HostProblem::LooksLikeUrl);
    }
    if name.contains(':') {
        return Some(HostProblem::StrayColon);
    }
    if name == "." {
        return (!allow_root).then_some(HostProblem::Root);
    }
    let bare = name.strip_suffix('.').unwrap_or(name);
    // RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters in text without the final dot.
    if bare.len() > 253 {
        return Some(HostProblem::TooLong);
    }
    let labels: Vec<&str> = bare.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Some(HostProblem::EmptyLabel);
        }
        if label.len() > 63 {
            return Some(HostProblem::LabelTooLong);
        }
        // Letters, digits and hyphens (RFC 1123 §2.1), plus the underscore that service names such as
        // _sip._tcp use.
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Some(HostProblem::BadCharacter);
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(HostProblem::HyphenAtEdge);
        }
    }
    // An all-numeric last label is a mistyped address (RFC 3696 §2: a top-level domain is not numeric).
    if labels
        .last()
        .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(HostProblem::NumericTopLabel);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_problem() {
        let long_label = "a".repeat(64);
        let long_name = [
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(63),
        ]
        .join(".");
        let cases: [(&str, Option<HostProblem>); 16] = [
            ("example.com", None),
            ("example.com.", None),
            ("_sip._tcp.example.com", None),
            ("exa mple.com", Some(HostProblem::SpaceOrControl)),
            ("exa\u{7}mple.com", Some(HostProblem::SpaceOrControl)),
            ("bücher.de", Some(HostProblem::NotAscii)),
            ("https://example.com", Some(HostProblem::LooksLikeUrl)),
            ("example.com/x", Some(HostProblem::LooksLikeUrl)),
            ("example.com:443", Some(HostProblem::StrayColon)),
            (".", Some(HostProblem::Root)),
            (&long_name, Some(HostProblem::TooLong)),
            ("a..b", Some(HostProblem::EmptyLabel)),
            (&long_label, Some(HostProblem::LabelTooLong)),
            ("exa$mple.com", Some(HostProblem::BadCharacter)),
            ("-a.com", Some(HostProblem::HyphenAtEdge)),
            ("192.0.2.300", Some(HostProblem::NumericTopLabel)),
        ];
        for (name, expected) in cases {
            assert_eq!(host_name_problem(name, false), expected, "{name}");
        }
        assert_eq!(
            host_name_problem(".", true),
            None,
            "a query may ask about the root"
        );
        assert_eq!(host_name_problem(&"a".repeat(63), false), None);
    }
}
