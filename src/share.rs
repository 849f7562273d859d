//! The share-link codec: a whole notebook, data snapshots included, in a URL fragment.
//!
//! Layout: `#report/v<N>/<payload>` where payload = base64url (no padding) of the zlib-compressed
//! (RFC 1950: deflate plus an Adler-32 checksum, so corruption is detected) compact notebook file text.
//! The fragment never reaches a server, so the report travels only between the people who share it.
//! Decoding is total: a corrupt, truncated, future or oversized link gets a typed explanation.
//!
//! Only the `Notebook` type is encoded, and it has no place for settings or API keys: a key can never
//! travel in a link by construction. This module does no I/O.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::TINFLStatus;

use crate::notebook::Notebook;
use crate::notebook::file::{NotebookFileError, from_file_text, to_compact_text};

/// The version of the link layout. Bump when the payload encoding changes.
pub const SHARE_LINK_VERSION: u32 = 1;
const PREFIX: &str = "report/v";

/// Links longer than this are unreliable in chat apps and mail clients (several truncate or refuse
/// URLs around 8 KB, e.g. the 8,192-byte request-line limit of common web servers); the issue sets
/// 8,000 characters as the point where the app recommends the notebook file instead.
pub const CHAT_SAFE_LINK_CHARS: usize = 8_000;

/// Fragments above this are refused before decoding: no real report needs 16 million characters and
/// decoding a hostile one would stall the page.
pub const MAX_FRAGMENT_CHARS: usize = 16 * 1024 * 1024;

/// Cap on the decompressed size, so a "zip bomb" link (a few KB that inflate to gigabytes) is refused
/// instead of exhausting the tab's memory.
pub const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024 * 1024;

/// Compression level 9 (best): links are made rarely and their length matters.
const COMPRESSION_LEVEL: u8 = 9;

#[derive(Debug, Clone, PartialEq)]
pub enum ShareLinkError {
    /// The fragment is not a Vantage report at all (e.g. an in-page anchor).
    NotAReport,
    /// The layout version is newer than this app understands.
    FromTheFuture { version: u32 },
    /// Base64 is broken: characters outside the alphabet, usually from a mangled copy-paste.
    Corrupt(String),
    /// The compressed data ends early: the link was cut off.
    Truncated,
    /// The data would exceed `MAX_DECOMPRESSED_BYTES` or the fragment exceeds `MAX_FRAGMENT_CHARS`.
    TooLarge,
    /// It decompressed, but is not a notebook this app can read.
    BadNotebook(NotebookFileError),
}

impl ShareLinkError {
    /// What the reader sees instead of the report, with what to do next.
    pub fn user_message(&self) -> String {
        match self {
            ShareLinkError::NotAReport => {
                "This link does not contain a Vantage report.".to_string()
            }
            ShareLinkError::FromTheFuture { version } => format!(
                "This report link was made by a newer version of Vantage (link format {version}; this app \
                 reads format {SHARE_LINK_VERSION}). Reload the page to get the latest app, or ask the \
                 author for the notebook file."
            ),
            ShareLinkError::Corrupt(detail) => format!(
                "This report link is damaged ({detail}). It was probably changed while being copied: ask \
                 the author to send it again, or to send the notebook file."
            ),
            ShareLinkError::Truncated => {
                "This report link is incomplete: it was cut off, probably by the app \
                 it was sent through. Ask the author for the full link or the notebook file."
                    .to_string()
            }
            ShareLinkError::TooLarge => format!(
                "This report link is too large to open safely (over {} MB of data). Ask the author for the \
                 notebook file instead.",
                MAX_DECOMPRESSED_BYTES / (1024 * 1024)
            ),
            ShareLinkError::BadNotebook(error) => {
                format!(
                    "This report link could not be opened: {}",
                    error.user_message()
                )
            }
        }
    }
}

/// Encodes a notebook as the fragment (without the leading `#`).
pub fn encode_fragment(notebook: &Notebook) -> String {
    let json = to_compact_text(notebook);
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), COMPRESSION_LEVEL);
    format!(
        "{PREFIX}{SHARE_LINK_VERSION}/{}",
        URL_SAFE_NO_PAD.encode(compressed)
    )
}

/// True when the fragment claims to be a report (so the app should try to open it and explain
/// failures), false for empty fragments and ordinary anchors.
pub fn looks_like_report(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(PREFIX)
}

/// Decodes a fragment (with or without the leading `#`).
pub fn decode_fragment(fragment: &str) -> Result<Notebook, ShareLinkError> {
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareLinkError::TooLarge);
    }
    let rest = fragment
        .trim_start_matches('#')
        .strip_prefix(PREFIX)
        .ok_or(ShareLinkError::NotAReport)?;
    let (version, payload) = rest.split_once('/').ok_or(ShareLinkError::Truncated)?;
    let version: u32 = version.parse().map_err(|_| {
        ShareLinkError::Corrupt(format!("the version \"{version}\" is not a number"))
    })?;
    if version > SHARE_LINK_VERSION {
        return Err(ShareLinkError::FromTheFuture { version });
    }
    if version != SHARE_LINK_VERSION {
        return Err(ShareLinkError::Corrupt(format!(
            "there is no link format {version}"
        )));
    }
    // Some chat apps append punctuation or whitespace; base64url never contains them.
    let payload = payload.trim_end_matches(['.', ',', ')', ' ', '\n', '\r', '\t']);
    if payload.is_empty() {
        return Err(ShareLinkError::Truncated);
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|error| match error {
            // Our encoder never ends a payload mid-symbol: a link that does was cut off.
            base64::DecodeError::InvalidLength(_)
            | base64::DecodeError::InvalidLastSymbol(_, _) => ShareLinkError::Truncated,
            other => ShareLinkError::Corrupt(other.to_string()),
        })?;
    let json_bytes = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(
        &compressed,
        MAX_DECOMPRESSED_BYTES,
    )
    .map_err(|error| match error.status {
        TINFLStatus::HasMoreOutput => ShareLinkError::TooLarge,
        TINFLStatus::FailedCannotMakeProgress => ShareLinkError::Truncated,
        TINFLStatus::Adler32Mismatch => {
            ShareLinkError::Corrupt("its checksum does not match".to_string())
        }
        _ => ShareLinkError::Corrupt("its compressed data is invalid".to_string()),
    })?;
    let json = String::from_utf8(json_bytes)
        .map_err(|_| ShareLinkError::Corrupt("it does not decode to text".to_string()))?;
    from_file_text(&json).map_err(ShareLinkError::BadNotebook)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::demo::demo_notebook;

    #[test]
    fn the_demo_round_trips() {
        let demo = demo_notebook();
        let fragment = encode_fragment(&demo);
        assert!(looks_like_report(&fragment));
        assert!(
            fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_/".contains(&b))
        );
        assert_eq!(decode_fragment(&format!("#{fragment}")), Ok(demo));
    }

    #[test]
    fn a_cut_link_is_called_truncated() {
        let fragment = encode_fragment(&demo_notebook());
        let cut = &fragment[..fragment.len() / 2];
        assert_eq!(decode_fragment(cut), Err(ShareLinkError::Truncated));
        assert_eq!(
            decode_fragment("report/v1/"),
            Err(ShareLinkError::Truncated)
        );
        assert_eq!(decode_fragment("report/v1"), Err(ShareLinkError::Truncated));
    }

    #[test]
    fn a_changed_character_is_called_corrupt_or_truncated_never_accepted() {
        let fragment = encode_fragment(&demo_notebook());
        // Flip characters at many places; each must be refused with an explanation, never a panic and
        // never a silently different notebook (zlib's Adler-32 catches what deflate does not).
        for position in (PREFIX.len() + 3..fragment.len()).step_by(97) {
            let mut bytes = fragment.clone().into_bytes();
            bytes[position] = if bytes[position] == b'A' { b'B' } else { b'A' };
            let mangled = String::from_utf8(bytes).unwrap();
            match decode_fragment(&mangled) {
                Ok(notebook) => assert_eq!(
                    notebook,
                    demo_notebook(),
                    "a changed link decoded to other data"
                ),
                Err(error) => assert!(!error.user_message().is_empty()),
            }
        }
        assert!(matches!(
            decode_fragment("report/v1/***"),
            Err(ShareLinkError::Corrupt(_))
        ));
    }

    #[test]
    fn future_versions_and_foreign_fragments_are_explained() {
        assert_eq!(
            decode_fragment("#report/v7/abc"),
            Err(ShareLinkError::FromTheFuture { version: 7 })
        );
        assert_eq!(
            decode_fragment("#section-2"),
            Err(ShareLinkError::NotAReport)
        );
        assert!(!looks_like_report("#section-2"));
        assert!(matches!(
            decode_fragment("#report/vX/abc"),
            Err(ShareLinkError::Corrupt(_))
        ));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        // 100 MB of zeros compresses to about 100 KB; the decoder must stop at the cap.
        let bomb = vec![b'0'; 100 * 1024 * 1024];
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 9);
        let fragment = format!("report/v1/{}", URL_SAFE_NO_PAD.encode(compressed));
        assert_eq!(decode_fragment(&fragment), Err(ShareLinkError::TooLarge));
    }

    #[test]
    fn valid_compression_of_something_else_is_not_a_notebook() {
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(br#"{"hello":"world"}"#, 9);
        let fragment = format!("report/v1/{}", URL_SAFE_NO_PAD.encode(compressed));
        assert_eq!(
            decode_fragment(&fragment),
            Err(ShareLinkError::BadNotebook(NotebookFileError::NotANotebook))
        );
    }

    /// Notebooks with a DNS cell and with a routing cell, built by the reducer as the notebook's own
    /// tests build them (which check the same notebooks through files), travel in a link unchanged.
    #[test]
    fn notebooks_with_dns_and_routing_cells_survive_links() {
        use crate::notebook::tests::{dns_snapshot, routing_snapshot, state_with};
        use crate::notebook::{Action, CellBody, CellId, NewCellKind, RoutingRequest, apply};
        let dns = apply(
            state_with(&[NewCellKind::Markdown, NewCellKind::Dns]),
            Action::DnsSnapshotLoaded {
                id: CellId(2),
                snapshot: dns_snapshot("example.com"),
            },
        )
        .notebook;
        assert!(matches!(&dns.cells[1].body, CellBody::Dns(cell) if cell.snapshot.is_some()));
        let routing = apply(
            state_with(&[NewCellKind::Routing, NewCellKind::Dns]),
            Action::EditRoutingRequest {
                id: CellId(1),
                request: RoutingRequest {
                    resource: "AS3333".into(),
                },
            },
        );
        let routing = apply(
            routing,
            Action::RoutingSnapshotLoaded {
                id: CellId(1),
                snapshot: routing_snapshot("AS3333"),
            },
        )
        .notebook;
        assert!(
            matches!(&routing.cells[0].body, CellBody::Routing(cell) if cell.snapshot.is_some())
        );
        for notebook in [dns, routing] {
            let fragment = encode_fragment(&notebook);
            assert_eq!(decode_fragment(&fragment), Ok(notebook));
        }
    }
}
