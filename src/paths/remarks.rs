//! Community meanings read from an AS's own aut-num remarks, as operators write them in the routing
//! registries (`remarks: 60614:200 Learned from Upstream`, tables such as `8283:50 | 8283:1:50 |
//! Set LOCAL_PREF to 50`, wildcards such as `8888:110x` or `8283:2:nnn`). Every meaning keeps the
//! exact line it came from, so a reader sees the operator's words, not ours.
//!
//! Conservative on purpose: a line counts only when, after leading decoration (`=====`, `*`, `-`,
//! `|`), it starts with one or more community patterns of *that* AS followed by words, or when it is
//! a table row whose key cells are all that AS's patterns (or `-`) and whose last cell is words.
//! Anything else (prose, legends such as `x=1,2,3 for prepends`, another AS's communities, a key
//! whose meaning is on the next line) is left out rather than guessed at.
//!
//! Pure core: no I/O, never panics.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::communities::{Community, LargeCommunity};
use crate::ripestat::whois::{AutNum, ProseKey};

/// Characters operators frame lines with (`===== 8888:666 Blackhole Community ====`, `* 6777:…`).
const DECORATION: &[char] = &['=', '-', '*', '#', '|', '+', '.', '>', '~', '_', '•'];
/// What may stand between a community and its meaning (`3356:2 - Europe`, `1299:20000 = …`).
const SEPARATORS: &[&str] = &["-->", "->", "=>", "--", "-", "–", "—", ":", "=", "|", "→"];
/// Whole-field placeholders that stand for any number (`6777:peer-as`, `8283:2:nnn`).
const ANY_WORDS: &[&str] = &[
    "*",
    "peer-as",
    "peeras",
    "peer_as",
    "<peer-as>",
    "asn",
    "<asn>",
];

/// One number of a community pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Exact(u32),
    /// Decimal digits with one-digit placeholders (`2xxx0`, `110x`, `1NNx`): the value has as many
    /// digits and agrees on every fixed one.
    Digits(Vec<Option<u8>>),
    /// `100-199`.
    Range(u32, u32),
    Any,
}

impl Field {
    fn parse(text: &str) -> Option<Field> {
        if text.is_empty() || text.len() > 10 {
            return None;
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().ok().map(Field::Exact);
        }
        if ANY_WORDS.iter().any(|word| text.eq_ignore_ascii_case(word)) {
            return Some(Field::Any);
        }
        let placeholder = |b: u8| matches!(b, b'x' | b'X' | b'n' | b'N');
        if text.bytes().all(|b| b.is_ascii_digit() || placeholder(b)) {
            if !text.bytes().any(|b| b.is_ascii_digit()) {
                // `nnn`, `XXX`: any number, of any length.
                return Some(Field::Any);
            }
            return Some(Field::Digits(
                text.bytes()
                    .map(|b| b.is_ascii_digit().then_some(b - b'0'))
                    .collect(),
            ));
        }
        let (low, high) = text.split_once('-')?;
        match (Field::parse(low)?, Field::parse(high)?) {
            (Field::Exact(low), Field::Exact(high)) if low <= high => Some(Field::Range(low, high)),
            _ => None,
        }
    }

    fn matches(&self, value: u32) -> bool {
        match self {
            Field::Exact(exact) => *exact == value,
            Field::Range(low, high) => (*low..=*high).contains(&value),
            Field::Any => true,
            Field::Digits(digits) => {
                let text = value.to_string();
                text.len() == digits.len()
                    && text
                        .bytes()
                        .zip(digits)
                        .all(|(b, digit)| digit.is_none_or(|d| b - b'0' == d))
            }
        }
    }

    /// Whether every value the field stands for fits the 16 bits of a standard community's half.
    fn fits_16_bits(&self) -> bool {
        match self {
            Field::Exact(value) | Field::Range(_, value) => *value <= u32::from(u16::MAX),
            Field::Digits(digits) => digits.len() <= 5,
            Field::Any => true,
        }
    }

    /// How much of the value the field fixes, to prefer `3356:2001` over `3356:2xxx` over
    /// `3356:nnn`.
    fn specificity(&self) -> u32 {
        match self {
            Field::Exact(_) => 20,
            Field::Digits(digits) => digits.iter().filter(|d| d.is_some()).count() as u32 * 2,
            Field::Range(..) => 1,
            Field::Any => 0,
        }
    }
}

/// A community pattern of one AS: `asn:value` (standard) or `asn:local1:local2` (large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityPattern {
    asn: u32,
    fields: Vec<Field>,
}

impl CommunityPattern {
    /// Reads a pattern of `asn` (`8283:2:nnn`, `8888:110x`, `3356:2000-2999`,
    /// `3356:2000-3356:2999`); `None` for anything else, another AS's communities included.
    pub fn parse(text: &str, asn: u32) -> Option<CommunityPattern> {
        // `3356:2000-3356:2999`: a range written as two communities.
        if let Some((low, high)) = text.split_once('-')
            && let (Some(low), Some(high)) = (
                CommunityPattern::parse(low, asn),
                CommunityPattern::parse(high, asn),
            )
        {
            let (Some((low_last, low_rest)), Some((high_last, high_rest))) =
                (low.fields.split_last(), high.fields.split_last())
            else {
                return None;
            };
            return match (low_last, high_last) {
                (Field::Exact(a), Field::Exact(b)) if a <= b && low_rest == high_rest => {
                    let mut fields = low_rest.to_vec();
                    fields.push(Field::Range(*a, *b));
                    Some(CommunityPattern { asn, fields })
                }
                _ => None,
            };
        }
        let mut parts = text.split(':');
        let owner = parts.next()?;
        if owner.is_empty()
            || !owner.bytes().all(|b| b.is_ascii_digit())
            || owner.parse::<u32>().ok()? != asn
        {
            return None;
        }
        let fields: Vec<Field> = parts.map(Field::parse).collect::<Option<_>>()?;
        match fields.len() {
            // A standard community's halves are 16 bits: its AS must fit them.
            1 if asn <= u32::from(u16::MAX) && fields.first().is_some_and(Field::fits_16_bits) => {
                Some(CommunityPattern { asn, fields })
            }
            2 => Some(CommunityPattern { asn, fields }),
            _ => None,
        }
    }

    fn matches_standard(&self, community: Community) -> bool {
        matches!(self.fields.as_slice(), [value] if self.asn == u32::from(community.asn)
            && value.matches(u32::from(community.value)))
    }

    fn matches_large(&self, community: LargeCommunity) -> bool {
        matches!(self.fields.as_slice(), [one, two] if self.asn == community.global
            && one.matches(community.local1) && two.matches(community.local2))
    }

    fn specificity(&self) -> u32 {
        self.fields.iter().map(Field::specificity).sum()
    }
}

/// One community meaning an operator wrote in an aut-num, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemarkMeaning {
    /// The community pattern as written (`8283:2:nnn`, `8888:110x`).
    pub key: String,
    /// The operator's words for it, decoration trimmed.
    pub meaning: String,
    /// The remark (or descr) line exactly as received.
    pub line: String,
    #[serde(default = "remarks_key")]
    pub attribute: ProseKey,
}

fn remarks_key() -> ProseKey {
    ProseKey::Remarks
}

/// The community meanings of one aut-num object in one registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutNumMeanings {
    pub asn: u32,
    /// The registry ("RIPE", "RADB", "LEVEL3").
    pub source: String,
    /// How many remarks and descr lines were read, for "no meaning in 40 lines".
    #[serde(default)]
    pub lines_read: usize,
    #[serde(default)]
    pub meanings: Vec<RemarkMeaning>,
}

/// Leading decoration and the spaces after it: `===== 8888:…` → `8888:…`. A run of decoration not
/// followed by a space (`-1`, `--x`) is part of the text.
fn strip_leading(text: &str) -> &str {
    let text = text.trim_start();
    let rest = text.trim_start_matches(DECORATION);
    if rest.len() < text.len() && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        rest.trim_start()
    } else {
        text
    }
}

/// Trailing decoration after a space: `Blackhole Community ====` → `Blackhole Community`.
fn strip_trailing(text: &str) -> &str {
    let text = text.trim_end();
    let rest = text.trim_end_matches(DECORATION);
    if rest.len() < text.len() && (rest.is_empty() || rest.ends_with(char::is_whitespace)) {
        rest.trim_end()
    } else {
        text
    }
}

/// A token as a pattern of `asn`, allowing one trailing `,`, `;` or `:` (`3356:70,`, `1299:50:`).
fn token_pattern(token: &str, asn: u32) -> Option<CommunityPattern> {
    CommunityPattern::parse(token, asn).or_else(|| {
        let trimmed = token.strip_suffix([',', ';', ':'])?;
        CommunityPattern::parse(trimmed, asn)
    })
}

/// Words that say something: at least one letter, and not a community of any AS at their start
/// (`7911:7 -- 3356:123 - Customer Routes` maps one scheme onto another; it is not a meaning).
fn is_meaning(text: &str) -> bool {
    let starts_with_community = text.split_whitespace().next().is_some_and(|first| {
        Community::parse(first).is_some() || LargeCommunity::parse(first).is_some()
    });
    text.chars().any(char::is_alphabetic) && !starts_with_community
}

/// `8283:50   | 8283:1:50  | Set LOCAL_PREF to 50`: the key cells (patterns of `asn` or `-`), at
/// least one pattern, and words in the last cell. `None` when the row is anything else (a header,
/// another AS's row, prose with a bar in it).
fn table_row(text: &str, asn: u32) -> Option<(Vec<String>, String)> {
    let cells: Vec<&str> = strip_trailing(strip_leading(text))
        .split('|')
        .map(str::trim)
        .collect();
    let (meaning, keys) = cells.split_last()?;
    if keys.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    for cell in keys {
        if cell.is_empty() || matches!(*cell, "-" | "–" | "—") {
            continue;
        }
        let patterns = key_list(cell, asn)?;
        if !patterns.1.trim().is_empty() {
            return None;
        }
        found.extend(patterns.0);
    }
    let meaning = strip_trailing(meaning);
    (!found.is_empty() && is_meaning(meaning)).then(|| (found, meaning.to_string()))
}

/// The patterns of `asn` at the start of `text` (`3356:70, 3356:80 …`, `8283:50 8283:1:50 …`) as
/// written, and the rest of the text. `None` when it does not start with one.
fn key_list(text: &str, asn: u32) -> Option<(Vec<String>, &str)> {
    let mut keys = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        // `3356:70/3356:80`: either side of a slash.
        let pieces: Vec<&str> = token.split('/').filter(|p| !p.is_empty()).collect();
        if pieces.is_empty() || !pieces.iter().all(|p| token_pattern(p, asn).is_some()) {
            break;
        }
        keys.extend(
            pieces
                .iter()
                .map(|p| p.trim_end_matches([',', ';', ':']).to_string()),
        );
        rest = rest[end..].trim_start();
        if let Some(after) = rest.strip_prefix(['/', ',', '&']) {
            rest = after.trim_start();
        }
    }
    (!keys.is_empty()).then_some((keys, rest))
}

/// The meanings one line gives, for the aut-num of `asn`.
fn read_line(text: &str, asn: u32) -> Vec<(String, String)> {
    if text.contains('|') {
        // A table row, or nothing: a bar anywhere else makes the line too odd to read.
        if let Some((keys, meaning)) = table_row(text, asn) {
            return keys.into_iter().map(|key| (key, meaning.clone())).collect();
        }
        let stripped = strip_trailing(strip_leading(text));
        if stripped.contains('|') {
            return Vec::new();
        }
    }
    let Some((keys, rest)) = key_list(strip_leading(text), asn) else {
        return Vec::new();
    };
    let mut rest = rest;
    if let Some(separator) = SEPARATORS.iter().find(|s| rest.starts_with(**s)) {
        rest = rest[separator.len()..].trim_start();
    }
    let meaning = strip_trailing(rest);
    if !is_meaning(meaning) {
        return Vec::new();
    }
    keys.into_iter()
        .map(|key| (key, meaning.to_string()))
        .collect()
}

/// Every community meaning in one aut-num's remarks and descr lines, in their order.
pub fn read(aut_num: &AutNum) -> AutNumMeanings {
    let meanings = aut_num
        .lines
        .iter()
        .flat_map(|line| {
            read_line(&line.text, aut_num.asn)
                .into_iter()
                .map(|(key, meaning)| RemarkMeaning {
                    key,
                    meaning,
                    line: line.text.clone(),
                    attribute: line.key,
                })
        })
        .collect();
    AutNumMeanings {
        asn: aut_num.asn,
        source: aut_num.source.clone(),
        lines_read: aut_num.lines.len(),
        meanings,
    }
}

/// A meaning found for a community, and the aut-num it was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub asn: u32,
    pub source: &'a str,
    pub meaning: &'a RemarkMeaning,
}

/// The most specific meaning whose pattern `matches`, over every aut-num read for `asn` (the
/// authoritative registry's first); ties go to the first written.
fn best<'a>(
    books: &'a [AutNumMeanings],
    asn: u32,
    matches: impl Fn(&CommunityPattern) -> bool,
) -> Option<Found<'a>> {
    books
        .iter()
        .filter(|book| book.asn == asn)
        .flat_map(|book| book.meanings.iter().map(move |meaning| (book, meaning)))
        .filter_map(|(book, meaning)| {
            let pattern = CommunityPattern::parse(&meaning.key, asn)?;
            matches(&pattern).then(|| (pattern.specificity(), book, meaning))
        })
        .enumerate()
        .min_by_key(|(order, (specificity, _, _))| (Reverse(*specificity), *order))
        .map(|(_, (_, book, meaning))| Found {
            asn,
            source: &book.source,
            meaning,
        })
}

/// What the remarks of a standard community's AS say about it.
pub fn find_standard(books: &[AutNumMeanings], community: Community) -> Option<Found<'_>> {
    best(books, u32::from(community.asn), |pattern| {
        pattern.matches_standard(community)
    })
}

/// What the remarks of a large community's global administrator say about it.
pub fn find_large(books: &[AutNumMeanings], community: LargeCommunity) -> Option<Found<'_>> {
    best(books, community.global, |pattern| {
        pattern.matches_large(community)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ripestat::whois::{self, ProseLine};

    const AS60614: &str =
        include_str!("../../tests/fixtures/ripestat/whois-AS60614.GENERATED-FROM-REAL.json");
    const AS8283: &str =
        include_str!("../../tests/fixtures/ripestat/whois-AS8283.GENERATED-FROM-REAL.json");
    const AS8888_RDAP: &str =
        include_str!("../../tests/fixtures/ripestat/aut-num-AS8888.rdap-remarks.TRIMMED.txt");

    fn book(text: &str, asn: u32) -> AutNumMeanings {
        read(&whois::parse(text).unwrap().aut_nums(asn)[0])
    }

    /// The RDAP rendering of AS8888's remarks (one remark per line), as an aut-num.
    fn as8888() -> AutNumMeanings {
        read(&AutNum {
            asn: 8888,
            source: "RIPE".into(),
            as_name: None,
            lines: AS8888_RDAP
                .lines()
                .map(|text| ProseLine {
                    key: ProseKey::Remarks,
                    text: text.to_string(),
                })
                .collect(),
        })
    }

    fn pairs(book: &AutNumMeanings) -> Vec<(&str, &str)> {
        book.meanings
            .iter()
            .map(|m| (m.key.as_str(), m.meaning.as_str()))
            .collect()
    }

    fn standard(text: &str) -> Community {
        Community::parse(text).unwrap()
    }

    #[test]
    fn plain_lines_of_as60614_give_nine_meanings_and_leave_its_prose_out() {
        let book = book(AS60614, 60614);
        assert_eq!(book.source, "RIPE");
        assert_eq!(book.lines_read, 18, "one descr and 17 remarks");
        assert_eq!(
            pairs(&book),
            [
                ("60614:10001", "HKG IT2"),
                ("60614:10002", "HKG Apernet"),
                ("60614:10003", "HKG HK1"),
                ("60614:10004", "Japan Tokyo"),
                ("60614:10005", "Taiwan Taipei"),
                ("60614:100", "Learned from Customer / Downstream"),
                ("60614:200", "Learned from Upstream"),
                ("60614:300", "Learned from Peer"),
                ("60614:400", "Learned from IX"),
            ]
        );
        assert_eq!(book.meanings[6].line, "60614:200 Learned from Upstream");
        let found = find_standard(std::slice::from_ref(&book), standard("60614:200")).unwrap();
        assert_eq!((found.asn, found.source), (60614, "RIPE"));
        assert_eq!(found.meaning.meaning, "Learned from Upstream");
        assert_eq!(find_standard(&[book], standard("60614:500")), None);
    }

    #[test]
    fn the_as8283_table_gives_its_own_rows_and_leaves_the_well_known_ones_out() {
        let book = book(AS8283, 8283);
        assert_eq!(
            pairs(&book),
            [
                ("8283:50", "Set LOCAL_PREF to 50 (default is 100)"),
                ("8283:1:50", "Set LOCAL_PREF to 50 (default is 100)"),
                ("8283:150", "Set LOCAL_PREF to 150 (default is 100)"),
                ("8283:1:150", "Set LOCAL_PREF to 150 (default is 100)"),
                ("8283:2:0", "Prepend 8283 once to all eBGP peers"),
                ("8283:2:nnn", "Prepend 8283 once to peer AS nnn"),
                ("8283:3:0", "Prepend 8283 twice to all eBGP peers"),
                ("8283:3:nnn", "Prepend 8283 twice to peer AS nnn"),
                ("8283:4:0", "Do not export to eBGP peers"),
                ("8283:4:nnn", "Do not export to peer AS nnn"),
            ]
        );
        // The header, the separators and the 65535:… rows (not AS8283's) gave nothing.
        assert!(book.meanings.iter().all(|m| !m.line.starts_with("65535")));
        let books = [book];
        let large = |text: &str| LargeCommunity::parse(text).unwrap();
        // An exact row beats the wildcard one; the wildcard covers any peer AS.
        assert_eq!(
            find_large(&books, large("8283:2:0"))
                .unwrap()
                .meaning
                .meaning,
            "Prepend 8283 once to all eBGP peers"
        );
        let any_peer = find_large(&books, large("8283:2:3356")).unwrap();
        assert_eq!(any_peer.meaning.key, "8283:2:nnn");
        assert_eq!(
            any_peer.meaning.line,
            "-         | 8283:2:nnn | Prepend 8283 once to peer AS nnn"
        );
        assert_eq!(
            find_standard(&books, standard("8283:50"))
                .unwrap()
                .meaning
                .line,
            "8283:50   | 8283:1:50  | Set LOCAL_PREF to 50 (default is 100)"
        );
        assert_eq!(find_large(&books, large("8283:5:0")), None);
        assert_eq!(find_standard(&books, standard("8283:51")), None);
    }

    #[test]
    fn decorated_lines_and_digit_wildcards_of_as8888() {
        let book = as8888();
        assert_eq!(
            pairs(&book),
            [
                ("8888:3002", "learned from EQUINIX SYDNEY"),
                ("8888:3003", "learned from CT (AS4134)"),
                ("8888:3004", "learned from CU (AS10099)"),
                ("8888:3005", "learned from CT2 (AS4809)"),
                ("8888:3006", "learned from GSL (AS137409)"),
                ("8888:110x", "Prepend routes to EQUINIX SYDNEY"),
                ("8888:120x", "Prepend routes to CT (AS4134)"),
                ("8888:130x", "Prepend routes to CU (AS10099)"),
                ("8888:140x", "Prepend routes to CT2 (AS4809)"),
                ("8888:150x", "Prepend routes to GSL (AS137409)"),
                ("8888:666", "Blackhole Community"),
            ]
        );
        let books = [book];
        let found = find_standard(&books, standard("8888:1202")).unwrap();
        assert_eq!(
            found.meaning.line,
            "===== 8888:120x Prepend routes to CT (AS4134) ===="
        );
        // One placeholder is one digit: 8888:12020 and 8888:120 are not 120x.
        assert_eq!(find_standard(&books, standard("8888:12020")), None);
        assert_eq!(find_standard(&books, standard("8888:120")), None);
        // The legend (x=1,2,3 …) and the contacts are not meanings.
        assert!(books[0].meanings.iter().all(|m| !m.line.contains("x=")));
    }

    fn lines(asn: u32, lines: &[&str]) -> AutNumMeanings {
        read(&AutNum {
            asn,
            source: "TEST".into(),
            as_name: None,
            lines: lines
                .iter()
                .map(|text| ProseLine {
                    key: ProseKey::Remarks,
                    text: text.to_string(),
                })
                .collect(),
        })
    }

    #[test]
    fn the_grammar_on_synthetic_lines() {
        // SYNTHETIC: forms operators use, written here to pin the grammar's edges.
        let accepted = lines(
            3356,
            &[
                "3356:2 - Europe",
                "3356:2xxx   region communities",
                "  * 3356:70, 3356:80 -> lower local preference",
                "3356:9999: blackhole (discard) traffic",
                "3356:100-199 customer routes in the US",
                "3356:5000-3356:5099 => peers in Asia",
                "| 3356:123 | Customer route |",
                "3356:0:nnn = do not announce to AS nnn",
            ],
        );
        assert_eq!(
            pairs(&accepted),
            [
                ("3356:2", "Europe"),
                ("3356:2xxx", "region communities"),
                ("3356:70", "lower local preference"),
                ("3356:80", "lower local preference"),
                ("3356:9999", "blackhole (discard) traffic"),
                ("3356:100-199", "customer routes in the US"),
                ("3356:5000-3356:5099", "peers in Asia"),
                ("3356:123", "Customer route"),
                ("3356:0:nnn", "do not announce to AS nnn"),
            ]
        );
        let refused = lines(
            3356,
            &[
                "Community 3356:2 means Europe",
                "1299:2 - Europe",
                "3356:2",
                "* 6777:peer-as",
                "3356:22 -- 1299:20000 Europe",
                "3356:2 | Europe | North",
                "3356:abc Europe",
                "3356:70000 - too large for a standard community",
                "-3356:2 Europe",
                "x=1,2,3 for prepends",
                "3356:2 ----",
            ],
        );
        assert_eq!(pairs(&refused), []);
        let books = [accepted, refused];
        let meaning = |text: &str| {
            find_standard(&books, standard(text)).map(|found| found.meaning.meaning.as_str())
        };
        assert_eq!(meaning("3356:2"), Some("Europe"));
        assert_eq!(meaning("3356:2001"), Some("region communities"));
        assert_eq!(meaning("3356:150"), Some("customer routes in the US"));
        assert_eq!(meaning("3356:5050"), Some("peers in Asia"));
        assert_eq!(meaning("3356:9999"), Some("blackhole (discard) traffic"));
        assert_eq!(meaning("3356:3"), None);
        // A large community of a 32-bit AS, and a standard pattern an AS over 16 bits cannot have.
        let big = lines(
            4_200_000_123,
            &["4200000123:1:nnn learned from AS nnn", "4200000123:5 nope"],
        );
        assert_eq!(pairs(&big), [("4200000123:1:nnn", "learned from AS nnn")]);
        let large = LargeCommunity::parse("4200000123:1:13335").unwrap();
        assert_eq!(
            find_large(std::slice::from_ref(&big), large)
                .unwrap()
                .meaning
                .key,
            "4200000123:1:nnn"
        );
        // Stored meanings with a key that no longer reads are skipped, not trusted.
        let mut damaged = big.clone();
        damaged.meanings[0].key = "junk".into();
        assert_eq!(find_large(&[damaged], large), None);
    }

    #[test]
    fn stored_meanings_round_trip_and_old_ones_without_an_attribute_read() {
        let book = book(AS8283, 8283);
        let text = serde_json::to_string(&book).unwrap();
        assert!(text.contains(r#""attribute":"remarks""#), "{text}");
        assert_eq!(serde_json::from_str::<AutNumMeanings>(&text).unwrap(), book);
        let minimal: AutNumMeanings = serde_json::from_str(
            r#"{"asn":1,"source":"RIPE","meanings":[{"key":"1:2","meaning":"m","line":"1:2 m"}]}"#,
        )
        .unwrap();
        assert_eq!(minimal.meanings[0].attribute, ProseKey::Remarks);
        assert_eq!(minimal.lines_read, 0);
    }
}
