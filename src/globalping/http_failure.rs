//! Why a probe's HTTP check got no answer, and whose trouble that is: the target's (it refused or
//! reset the connection, failed the TLS handshake, timed out, or its name does not resolve) or the
//! probe's own (its resolver failed, its network has no route, it was offline, the probe or
//! Globalping broke). A probe's own trouble observed that probe, not the target, and is never
//! counted as a finding about the target (issue 12: "the reader's network is not the target").
//!
//! Two steps, as one probe's words cannot always tell:
//! 1. [`FailureKind::read`] reads one failed result: Globalping's `failureSource` and the error
//!    message, by the exact strings the probe and the API write (listed below).
//! 2. [`attribute`] weighs each result against the others of the same measurement. A failure to
//!    resolve the name is the probe's own when another probe resolved it, and about the name when
//!    no probe did. "No route" is the probe's network unless every probe met it. A timeout (or an
//!    unreachable host, or an error nobody explains) is about the target when no probe got an
//!    answer, or when others were refused, reset or failed TLS; when every probe that got through
//!    got an answer it stays *unsettled*: those probes' own paths, or the part of the target that
//!    serves them, could be at fault, and the verdict says so without counting it either way.
//!    Offline probes and the probe's or Globalping's own errors are never about the target, even
//!    when every probe has one: then nothing was learnt about it.
//!
//! The strings, as read in jsdelivr/globalping-probe @ f86c41c (2026-08-19) and jsdelivr/globalping
//! @ 52c0c19 (2026-08-07):
//! - probe `src/command/handlers/http/undici.ts`: a failed HTTP result's `rawOutput` is the error's
//!   message; its `failureSource` is the error's own, else `internal` for the codes of
//!   `internalHttpErrorCodes` (EMFILE, EADDRNOTAVAIL, EAFNOSUPPORT, ENETDOWN, …), else `target`. The
//!   probe's timer writes `Request timeout.` with `resolver` while the name was being resolved and
//!   `target` after. It refuses `Private IP ranges are not allowed.` (`target`) and writes
//!   `HTTP/2 is not supported by the server.` (`target`). The other messages are Node's: sockets
//!   as `syscall CODE address:port` (`connect ECONNREFUSED 192.0.2.1:443`, `read ECONNRESET`,
//!   `connect ENETUNREACH …`, `connect EHOSTUNREACH …`), TLS as `Client network socket disconnected
//!   before secure TLS connection was established` or OpenSSL's `… SSL routines …` (EPROTO), and
//!   undici's `other side closed`.
//! - probe `src/lib/dns.ts`: the resolver's errors in Node's words, `queryA ENOTFOUND
//!   missing.example` and `ENODATA <name>` as `target`, any other (`queryA ETIMEOUT example.com`,
//!   `queryA ESERVFAIL example.com`) as `resolver`; `DNS lookup failed.` (`resolver`). Expected
//!   this way by the probe's `test/unit/command/http-command.test.ts` and `test/unit/lib/dns.test.ts`.
//! - API `src/lib/redis/scripts.ts`: a probe that had not reported when the measurement timed out
//!   becomes `failed`, `internal`, its output followed by `The measurement timed out.`;
//!   `src/measurement/handler/result.ts`: `The probe reported an invalid result.` (`internal`);
//!   `src/measurement/store.ts`: `offline`, `This probe is currently offline. Please try again later.`
//! - Older results: no `failureSource` before probe 9677a8e (2026-07-23), so they are read by their
//!   codes alone; before f243f2e (2026-01-05) the probe used got and wrote `message - CODE`
//!   (`Timeout awaiting 'request' for 10000ms - ETIMEDOUT`), and `getaddrinfo EAI_AGAIN <name>` is
//!   how Node's system resolver says it failed.
//!
//! Pure: no I/O, no words about the UI.

use super::measurement::{FailureSource, Status};

/// What went wrong, read from one failed result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The resolver said the name does not exist or has no address (`ENOTFOUND`, `ENODATA`).
    NameNotFound,
    /// The name resolved only to private addresses, which probes do not connect to.
    PrivateAddress,
    /// The probe's resolver failed to answer usably (`ETIMEOUT`, `ESERVFAIL`, `EAI_AGAIN`, a
    /// timeout while resolving).
    ResolverFailed,
    /// The target's address refused the connection (`ECONNREFUSED`).
    Refused,
    /// The connection was reset or closed before a reply (`ECONNRESET`, `other side closed`).
    Reset,
    /// The TLS handshake with the target failed.
    TlsHandshake,
    /// The target spoke, but not the HTTP asked for (no HTTP/2, a reply that is not HTTP).
    Protocol,
    /// No reply in time, after the name was resolved (or with no word on when).
    TimedOut,
    /// No route to the target's host (`EHOSTUNREACH`): its network or the way to it.
    HostUnreachable,
    /// The probe's network has no route to the target's network (`ENETUNREACH`: typically no
    /// IPv6 route at the probe).
    NoRoute,
    /// The probe was offline and never ran the test.
    Offline,
    /// The probe or Globalping failed: a resource error of the probe, a probe that never reported
    /// before the measurement timed out, an invalid or empty result.
    Internal,
    /// An error not listed above that Globalping puts at the target.
    Other,
    /// An error not listed above, with no word from Globalping on whose it is.
    Unexplained,
}

/// Whether `code` occurs in `text` as a word of its own (not inside a longer code).
fn has_code(text: &str, code: &str) -> bool {
    text.match_indices(code).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + code.len()..].chars().next();
        let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        boundary(before) && boundary(after)
    })
}

/// Node's resolver errors name the query as their syscall (`queryA`, `queryAaaa`), its system
/// resolver `getaddrinfo`.
fn is_resolver_message(text: &str) -> bool {
    let query_syscall = text
        .strip_prefix("query")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
    query_syscall
        || text.contains("getaddrinfo")
        || has_code(text, "EAI_AGAIN")
        || has_code(text, "EAI_FAIL")
        || text.contains("DNS lookup failed.")
}

impl FailureKind {
    /// Reads a failed result: its status, Globalping's `failureSource` and the probe's message
    /// (`rawOutput`, or what the parser said when there was none).
    pub fn read(status: &Status, source: Option<&FailureSource>, message: &str) -> FailureKind {
        if *status == Status::Offline {
            return FailureKind::Offline;
        }
        let text = message.trim();
        if text.contains("The measurement timed out.")
            || text.contains("The probe reported an invalid result.")
        {
            return FailureKind::Internal;
        }
        match source {
            Some(FailureSource::Internal) => return FailureKind::Internal,
            Some(FailureSource::Resolver) => return FailureKind::ResolverFailed,
            _ => {}
        }
        if has_code(text, "ENOTFOUND") || has_code(text, "ENODATA") {
            FailureKind::NameNotFound
        } else if text.contains("Private IP ranges are not allowed") {
            FailureKind::PrivateAddress
        } else if is_resolver_message(text) {
            FailureKind::ResolverFailed
        } else if text.contains("HTTP/2 is not supported by the server")
            || text.contains("HPE_")
            || text.contains("Parse Error")
        {
            FailureKind::Protocol
        } else if text.contains("secure TLS connection")
            || text.contains("SSL routines")
            || has_code(text, "EPROTO")
            || text.contains("ERR_SSL_")
            || text.contains("ERR_TLS_")
        {
            FailureKind::TlsHandshake
        } else if has_code(text, "ECONNREFUSED") {
            FailureKind::Refused
        } else if has_code(text, "ECONNRESET")
            || has_code(text, "EPIPE")
            || text.contains("socket hang up")
            || text.contains("other side closed")
        {
            FailureKind::Reset
        } else if has_code(text, "ENETUNREACH") || text.contains("Network is unreachable") {
            FailureKind::NoRoute
        } else if has_code(text, "EHOSTUNREACH") || text.contains("No route to host") {
            FailureKind::HostUnreachable
        } else if text.contains("Request timeout.")
            || has_code(text, "ETIMEDOUT")
            || text.contains("Timeout awaiting")
            || text.contains("Timeout Error")
        {
            FailureKind::TimedOut
        } else if text.is_empty()
            || text.contains("Test failed. Please try again.")
            || text.contains("the reply had no status code")
            || text.contains("the test failed without output")
        {
            FailureKind::Internal
        } else if source == Some(&FailureSource::Target) {
            FailureKind::Other
        } else {
            FailureKind::Unexplained
        }
    }

    /// A few words for a status legend: "timed out", "connection refused".
    pub fn label(self) -> &'static str {
        match self {
            FailureKind::NameNotFound => "name not found",
            FailureKind::PrivateAddress => "private address only",
            FailureKind::ResolverFailed => "name not resolved",
            FailureKind::Refused => "connection refused",
            FailureKind::Reset => "connection reset",
            FailureKind::TlsHandshake => "TLS handshake failed",
            FailureKind::Protocol => "protocol error",
            FailureKind::TimedOut => "timed out",
            FailureKind::HostUnreachable => "host unreachable",
            FailureKind::NoRoute => "no route",
            FailureKind::Offline => "probe offline",
            FailureKind::Internal => "probe or Globalping failure",
            FailureKind::Other | FailureKind::Unexplained => "failed",
        }
    }

    /// Why a probe failed for reasons of its own, as said of one probe ("its resolver failed") or
    /// of a group of them ("resolver failed").
    pub fn own_reason(self, one_probe: bool) -> &'static str {
        match (self, one_probe) {
            (FailureKind::ResolverFailed, true) => "its resolver failed",
            (FailureKind::ResolverFailed, false) => "resolver failed",
            (FailureKind::NameNotFound, true) => {
                "its resolver found no such name, which other probes resolved"
            }
            (FailureKind::NameNotFound, false) => {
                "resolver found no such name, which other probes resolved"
            }
            (FailureKind::PrivateAddress, true) => {
                "its resolver gave only private addresses, where other probes resolved the name"
            }
            (FailureKind::PrivateAddress, false) => {
                "resolver gave only private addresses, where other probes resolved the name"
            }
            (FailureKind::NoRoute, true) => "its network has no route to the target",
            (FailureKind::NoRoute, false) => "no route from the probe's network",
            (FailureKind::Offline, true) => "it was offline",
            (FailureKind::Offline, false) => "offline",
            (FailureKind::Internal, true) => "the probe or Globalping failed",
            (FailureKind::Internal, false) => "probe or Globalping failure",
            (other, _) => other.label(),
        }
    }

    fn is_resolution(self) -> bool {
        matches!(
            self,
            FailureKind::NameNotFound | FailureKind::PrivateAddress | FailureKind::ResolverFailed
        )
    }

    /// The probe reached the target's address, so the name resolved there.
    fn proves_resolution(self) -> bool {
        matches!(
            self,
            FailureKind::Refused
                | FailureKind::Reset
                | FailureKind::TlsHandshake
                | FailureKind::Protocol
                | FailureKind::HostUnreachable
                | FailureKind::NoRoute
        )
    }

    /// The target itself ended the exchange without an answer.
    fn is_target_refusal(self) -> bool {
        matches!(
            self,
            FailureKind::Refused
                | FailureKind::Reset
                | FailureKind::TlsHandshake
                | FailureKind::Protocol
                | FailureKind::Other
        )
    }

    fn is_ambiguous(self) -> bool {
        matches!(
            self,
            FailureKind::TimedOut | FailureKind::HostUnreachable | FailureKind::Unexplained
        )
    }

    /// The probe never tried the target: it says nothing about anything but the probe.
    fn never_ran(self) -> bool {
        matches!(self, FailureKind::Offline | FailureKind::Internal)
    }
}

/// What one probe reported, as far as attribution needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Running,
    /// A status code from the target, whatever its class.
    Answered,
    Failed(FailureKind),
}

/// Whose outcome a probe's result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// Not reported yet.
    Running,
    /// A finding about the target: its answer, or its (or its name's) failure to answer.
    Target,
    /// The probe's own failure (its resolver, its network, offline, the probe or Globalping):
    /// nothing learnt about the target.
    ProbeOwn,
    /// No answer in time while every probe that got through got an answer: not counted either
    /// way (see the module doc).
    Unsettled,
}

/// The attribution of each result, in order, weighed against all the others (see the module doc).
pub fn attribute(reported: &[Reported]) -> Vec<Attribution> {
    let failures = || {
        reported.iter().filter_map(|r| match r {
            Reported::Failed(kind) => Some(*kind),
            _ => None,
        })
    };
    let answered = reported.contains(&Reported::Answered);
    let resolved_somewhere = answered || failures().any(FailureKind::proves_resolution);
    let refused_somewhere = failures().any(FailureKind::is_target_refusal);
    // The probes that tried the target: every reported one but those that never ran.
    let tried: Vec<&Reported> = reported
        .iter()
        .filter(|r| match r {
            Reported::Running => false,
            Reported::Answered => true,
            Reported::Failed(kind) => !kind.never_ran(),
        })
        .collect();
    let all_tried = |test: fn(FailureKind) -> bool| {
        !tried.is_empty()
            && tried
                .iter()
                .all(|r| matches!(r, Reported::Failed(kind) if test(*kind)))
    };
    let nobody_resolved = all_tried(FailureKind::is_resolution);
    let nobody_routed = all_tried(|kind| kind == FailureKind::NoRoute);
    reported
        .iter()
        .map(|r| match r {
            Reported::Running => Attribution::Running,
            Reported::Answered => Attribution::Target,
            Reported::Failed(kind) if kind.never_ran() => Attribution::ProbeOwn,
            Reported::Failed(kind) if kind.is_target_refusal() => Attribution::Target,
            Reported::Failed(kind) if kind.is_resolution() => {
                if resolved_somewhere {
                    Attribution::ProbeOwn
                } else if nobody_resolved || *kind != FailureKind::ResolverFailed {
                    // No probe resolved the name: about the name (a resolver's own failure
                    // counts so only when it is all there is, as every probe failing alike is).
                    Attribution::Target
                } else {
                    Attribution::ProbeOwn
                }
            }
            Reported::Failed(FailureKind::NoRoute) if !nobody_routed => Attribution::ProbeOwn,
            Reported::Failed(kind) if kind.is_ambiguous() && answered && !refused_somewhere => {
                Attribution::Unsettled
            }
            Reported::Failed(_) => Attribution::Target,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: Option<FailureSource>, message: &str) -> FailureKind {
        FailureKind::read(&Status::Failed, source.as_ref(), message)
    }

    #[test]
    fn probe_and_api_messages_read_as_their_kind() {
        use FailureSource::{Internal, Resolver, Target};
        // The strings the probe's and the API's own tests expect (see the module doc).
        let cases = [
            (
                Some(Target),
                "queryA ENOTFOUND missing.example",
                FailureKind::NameNotFound,
            ),
            (
                Some(Target),
                "ENODATA example.com",
                FailureKind::NameNotFound,
            ),
            (
                Some(Resolver),
                "queryA ETIMEOUT example.com",
                FailureKind::ResolverFailed,
            ),
            (
                Some(Resolver),
                "Request timeout.",
                FailureKind::ResolverFailed,
            ),
            (Some(Target), "Request timeout.", FailureKind::TimedOut),
            (
                Some(Target),
                "Private IP ranges are not allowed.",
                FailureKind::PrivateAddress,
            ),
            (
                Some(Target),
                "HTTP/2 is not supported by the server.",
                FailureKind::Protocol,
            ),
            (Some(Internal), "EMFILE", FailureKind::Internal),
            (
                Some(Internal),
                "\n\nThe measurement timed out.",
                FailureKind::Internal,
            ),
            (
                Some(Internal),
                "The probe reported an invalid result.",
                FailureKind::Internal,
            ),
            // No failureSource (results before 2026-07-23): the codes alone.
            (
                None,
                "queryA ESERVFAIL example.com",
                FailureKind::ResolverFailed,
            ),
            (
                None,
                "getaddrinfo EAI_AGAIN example.com",
                FailureKind::ResolverFailed,
            ),
            (
                None,
                "queryA ECONNREFUSED example.com",
                FailureKind::ResolverFailed,
            ),
            (
                None,
                "connect ECONNREFUSED 192.0.2.1:443",
                FailureKind::Refused,
            ),
            (None, "read ECONNRESET", FailureKind::Reset),
            (None, "other side closed", FailureKind::Reset),
            (
                None,
                "Client network socket disconnected before secure TLS connection was established",
                FailureKind::TlsHandshake,
            ),
            (
                None,
                "connect ENETUNREACH 2001:db8::1:443 - Local (:::0)",
                FailureKind::NoRoute,
            ),
            (
                None,
                "connect EHOSTUNREACH 192.0.2.1:443",
                FailureKind::HostUnreachable,
            ),
            (
                None,
                "Timeout awaiting 'request' for 10000ms - ETIMEDOUT",
                FailureKind::TimedOut,
            ),
            (
                None,
                "connect ETIMEDOUT 192.0.2.1:443",
                FailureKind::TimedOut,
            ),
            (None, "", FailureKind::Internal),
            (Some(Target), "something new", FailureKind::Other),
            (None, "something new", FailureKind::Unexplained),
        ];
        for (source, message, kind) in cases {
            assert_eq!(read(source, message), kind, "{message:?}");
        }
        // ENETUNREACH is not among the probe's internal codes, so Globalping puts it at the
        // target; it is the probe's network that has no route (weighed in `attribute`).
        assert_eq!(
            read(Some(Target), "connect ENETUNREACH 2001:db8::1:443"),
            FailureKind::NoRoute
        );
        assert_eq!(
            FailureKind::read(
                &Status::Offline,
                None,
                "This probe is currently offline. Please try again later."
            ),
            FailureKind::Offline
        );
        // A code inside a longer one is not that code.
        assert!(!has_code("ECONNREFUSEDX", "ECONNREFUSED"));
        assert!(has_code("x ECONNREFUSED - ECONNREFUSED", "ECONNREFUSED"));
    }

    use Attribution::{ProbeOwn, Running, Target, Unsettled};
    use FailureKind as K;
    use Reported::{Answered, Failed};

    // Synthetic mixes of outcomes: the edge cases of the rules in the module doc.
    #[test]
    fn a_failure_to_resolve_is_the_probes_own_where_others_resolved_the_name() {
        assert_eq!(
            attribute(&[Answered, Answered, Failed(K::ResolverFailed)]),
            [Target, Target, ProbeOwn]
        );
        assert_eq!(
            attribute(&[Failed(K::Refused), Failed(K::NameNotFound)]),
            [Target, ProbeOwn]
        );
        // Nobody resolved it: about the name.
        assert_eq!(
            attribute(&[Failed(K::NameNotFound), Failed(K::ResolverFailed)]),
            [Target, Target]
        );
        assert_eq!(
            attribute(&[Failed(K::ResolverFailed), Failed(K::Offline)]),
            [Target, ProbeOwn]
        );
        // Nobody resolved it, but others timed out with no word on where: the resolver's own
        // failure stays the probe's, "no such name" stays the name's.
        assert_eq!(
            attribute(&[
                Failed(K::TimedOut),
                Failed(K::ResolverFailed),
                Failed(K::NameNotFound)
            ]),
            [Target, ProbeOwn, Target]
        );
    }

    #[test]
    fn no_route_is_the_probes_network_unless_every_probe_met_it() {
        assert_eq!(
            attribute(&[Answered, Failed(K::NoRoute)]),
            [Target, ProbeOwn]
        );
        assert_eq!(
            attribute(&[Failed(K::NoRoute), Failed(K::NoRoute), Reported::Running]),
            [Target, Target, Running]
        );
    }

    #[test]
    fn a_timeout_is_unsettled_only_when_every_probe_that_got_through_got_an_answer() {
        assert_eq!(
            attribute(&[Answered, Failed(K::TimedOut), Failed(K::HostUnreachable)]),
            [Target, Unsettled, Unsettled]
        );
        // Others refused: the target is in trouble, and the timeouts count with it.
        assert_eq!(
            attribute(&[Answered, Failed(K::Refused), Failed(K::TimedOut)]),
            [Target, Target, Target]
        );
        // Nobody got an answer: about the target.
        assert_eq!(
            attribute(&[Failed(K::TimedOut), Failed(K::TimedOut), Failed(K::Offline)]),
            [Target, Target, ProbeOwn]
        );
    }

    #[test]
    fn offline_and_internal_failures_are_never_about_the_target() {
        assert_eq!(
            attribute(&[Failed(K::Offline), Failed(K::Internal)]),
            [ProbeOwn, ProbeOwn]
        );
        assert_eq!(attribute(&[Reported::Running]), [Running]);
        assert!(attribute(&[]).is_empty());
    }
}
