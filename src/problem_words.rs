//! The one place that words an [`ApiProblem`] for a reader: what happened and what to do next, per
//! service, in the texts the app has always shown. The readers that build problems live with their
//! sources (`atlas::create::read_error`, `globalping::parse_error`); this module only writes.
//!
//! It names no place of any shell: where keys and service addresses are typed is the shell's to say
//! (`settings`, e.g. `Some("Settings")` in the browser; the command line passes `None`). Pure: no I/O.

use crate::atlas::create::{CREATE_PERMISSION, KEYS_PAGE, quoted};
use crate::globalping::request::{ANONYMOUS_TESTS_PER_HOUR, AUTHENTICATED_TESTS_PER_HOUR};
use crate::model::{ApiProblem, During, ProblemKind, Service};

/// The message for `problem`. `settings` names the shell's place where keys and service addresses
/// are typed; with `None` the message leaves the place out.
pub fn problem_message(problem: &ApiProblem, settings: Option<&str>) -> String {
    let place = settings.map_or_else(String::new, |place| format!(" in {place}"));
    if problem.kind == ProblemKind::Unreachable {
        return unreachable_message(problem, &place);
    }
    match (problem.service, problem.during) {
        (Service::Globalping, _) => globalping_message(problem, &place),
        (Service::Atlas, During::Reading) => atlas_read_message(problem),
        (Service::Atlas, During::Creating) => atlas_create_message(problem, &place),
        (Service::Ripestat | Service::Doh, _) => generic_message(problem),
    }
}

fn service_name(service: Service) -> &'static str {
    match service {
        Service::Atlas => "RIPE Atlas",
        Service::Globalping => "Globalping",
        Service::Ripestat => "RIPEstat",
        Service::Doh => "The DNS resolver",
    }
}

/// No response: the words say it concerns this browser's path to the service, never the target.
fn unreachable_message(problem: &ApiProblem, place: &str) -> String {
    let detail = problem
        .detail
        .as_deref()
        .map_or_else(String::new, |detail| format!(" ({detail})"));
    format!(
        "{} could not be reached from this browser{detail}: no network, or the browser refused the \
         cross-origin request. This says nothing about the target. Check the network connection and \
         the service address{place}, then try again.",
        service_name(problem.service)
    )
}

fn generic_message(problem: &ApiProblem) -> String {
    let name = service_name(problem.service);
    let status = problem.status.unwrap_or_default();
    match &problem.detail {
        Some(detail) => format!("{name} answered HTTP {status}: {detail}"),
        None => format!("{name} answered HTTP {status}."),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// The body's title, or the status's reason phrase; a web page is said to be one.
fn atlas_title(problem: &ApiProblem) -> String {
    let status = problem.status.unwrap_or_default();
    if problem.web_page {
        format!(
            "{}, answered with a web page instead of the API's JSON",
            reason_phrase(status)
        )
    } else {
        problem
            .title
            .clone()
            .unwrap_or_else(|| reason_phrase(status).to_string())
    }
}

/// Reading a public measurement: the status says it all.
fn atlas_read_message(problem: &ApiProblem) -> String {
    let status = problem.status.unwrap_or_default();
    match problem.kind {
        ProblemKind::NotFound => "RIPE Atlas says this measurement was not found: check the ID. \
            Non-public measurements cannot be read without the owner's API key."
            .to_string(),
        ProblemKind::Unauthorized => {
            "RIPE Atlas asks for credentials for this request (HTTP 401). \
            Public measurements need none: check the ID."
                .to_string()
        }
        ProblemKind::Forbidden => {
            "RIPE Atlas refused access (HTTP 403): the measurement may not be public.".to_string()
        }
        ProblemKind::RateLimited { .. } => {
            "RIPE Atlas says there were too many requests (HTTP 429). \
            Wait a minute, then fetch again."
                .to_string()
        }
        ProblemKind::Server => format!(
            "RIPE Atlas had a server error (HTTP {status}). This is on their side: try again in a few minutes."
        ),
        _ => {
            let mut parts: Vec<String> = Vec::new();
            parts.extend(problem.title.clone());
            parts.extend(problem.detail.clone());
            for (place, what) in &problem.fields {
                parts.push(if place.is_empty() {
                    what.clone()
                } else {
                    format!("{place}: {what}")
                });
            }
            if parts.is_empty() && problem.web_page {
                parts.push(atlas_title(problem));
            }
            format!(
                "RIPE Atlas refused the request (HTTP {status}): {}",
                parts.join("; ")
            )
        }
    }
}

/// Creating or following a measurement with a key.
fn atlas_create_message(problem: &ApiProblem, place: &str) -> String {
    let status = problem.status.unwrap_or_default();
    let title = atlas_title(problem);
    let detail = problem.detail.as_deref().unwrap_or_default();
    let said = if detail.is_empty() {
        String::new()
    } else {
        format!(" Atlas said: \"{detail}\"")
    };
    let detail_or_title = if detail.is_empty() { &title } else { detail };
    let make_key = format!(
        "Create a key with the \"{CREATE_PERMISSION}\" permission at {KEYS_PAGE} and paste it{place}."
    );
    match problem.kind {
        ProblemKind::UnknownKey => format!(
            "RIPE Atlas does not recognise this API key (HTTP {status}): it may be mistyped, deleted or \
             regenerated.{said} {make_key}"
        ),
        ProblemKind::Unauthorized => {
            format!("RIPE Atlas received no API key (HTTP {status}).{said} {make_key}")
        }
        ProblemKind::Forbidden => format!(
            "RIPE Atlas refused this API key (HTTP 403).{said} The key may lack the \
             \"{CREATE_PERMISSION}\" permission, be disabled, or be outside its valid-from/valid-to \
             dates: check it at {KEYS_PAGE}, or create a new one there and paste it{place}."
        ),
        ProblemKind::NoCredits => format!(
            "RIPE Atlas says your account cannot pay for this measurement (HTTP {status}).{said} Ask for \
             fewer probes, prefer ping (the cheapest test), or check your balance on the \
             \"My Credits\" card of your Atlas dashboard."
        ),
        ProblemKind::BadRequest => {
            let mut message =
                format!("RIPE Atlas rejected the measurement (HTTP {status}: {detail_or_title}).");
            if problem.fields.is_empty() {
                message.push_str(" Check the form and try again.");
            } else {
                message.push_str(" Fix these fields and create it again:");
                for line in atlas_field_lines(problem) {
                    message.push('\n');
                    message.push_str(&line);
                }
            }
            message
        }
        ProblemKind::RateLimited { .. } => format!(
            "RIPE Atlas is limiting requests (HTTP 429): wait a minute or two, then create the \
             measurement again. Creating measurements is limited more strictly than reading them.{said}"
        ),
        ProblemKind::Server => format!(
            "RIPE Atlas had a server error (HTTP {status}: {title}).{said} This is on their side: try again in \
             a few minutes, but first look at your Atlas measurement list, since the measurement \
             may have been created anyway."
        ),
        ProblemKind::Unreadable => format!(
            "RIPE Atlas answered HTTP {status} but the reply could not be read: {detail_or_title}"
        ),
        ProblemKind::NotFound
        | ProblemKind::NoProbes
        | ProblemKind::Unreachable
        | ProblemKind::Other => {
            let mut message = format!("RIPE Atlas answered HTTP {status} ({title}).");
            message.push_str(&said);
            for line in atlas_field_lines(problem) {
                message.push('\n');
                message.push_str(&line);
            }
            message
        }
    }
}

/// "definitions/0/target (the target of measurement definition 1): This field is required."
fn atlas_field_lines(problem: &ApiProblem) -> Vec<String> {
    problem
        .fields
        .iter()
        .map(|(place, detail)| {
            if place.is_empty() {
                detail.clone()
            } else {
                let words = pointer_in_words(place);
                let shown = place.trim_start_matches('/');
                if words.is_empty() {
                    format!("{shown}: {detail}")
                } else {
                    format!("{shown} ({words}): {detail}")
                }
            }
        })
        .collect()
}

/// A JSON pointer into the creation body (RFC 6901: `~1` is `/`, `~0` is `~`) in words, e.g.
/// `/probes/0/requested` → "the number of probes of probe selection 1". A query parameter name (no
/// leading slash) becomes "the query parameter …".
fn pointer_in_words(pointer: &str) -> String {
    if !pointer.starts_with('/') {
        return format!("the query parameter {}", quoted(pointer));
    }
    let segments: Vec<String> = pointer[1..]
        .split('/')
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let index = |segment: Option<&String>| {
        segment
            .and_then(|text| text.parse::<u64>().ok())
            .map(|number| number.saturating_add(1))
    };
    let (owner, field) = match segments.first().map(String::as_str) {
        Some("definitions") => match index(segments.get(1)) {
            Some(number) => (
                format!("measurement definition {number}"),
                segments.get(2).cloned(),
            ),
            None => ("the measurement definitions".to_string(), None),
        },
        Some("probes") => match index(segments.get(1)) {
            Some(number) => (
                format!("probe selection {number}"),
                segments.get(2).cloned(),
            ),
            None => ("the probe selections".to_string(), None),
        },
        Some("") | None => return "the request".to_string(),
        Some(_) => (String::new(), segments.first().cloned()),
    };
    let field = field.map(|name| match name.as_str() {
        "af" => "the address family".to_string(),
        "target" => "the target".to_string(),
        "description" => "the description".to_string(),
        "type" => "the type".to_string(),
        "packets" => "the number of packets".to_string(),
        "requested" => "the number of probes".to_string(),
        "value" => "the value".to_string(),
        "query_argument" => "the name to look up".to_string(),
        "query_type" => "the record type".to_string(),
        "query_class" => "the query class".to_string(),
        "protocol" => "the protocol".to_string(),
        "paris" => "the Paris setting".to_string(),
        other => format!("the field {}", quoted(other)),
    });
    match (field, owner.is_empty()) {
        (Some(field), false) => format!("{field} of {owner}"),
        (Some(field), true) => field,
        (None, _) => owner,
    }
}

/// Globalping's refusals, one paragraph each.
fn globalping_message(problem: &ApiProblem, place: &str) -> String {
    let status = problem.status.unwrap_or_default();
    let message = problem.detail.as_deref().unwrap_or_default();
    let said = if message.is_empty() {
        String::new()
    } else {
        format!(" (Globalping: \"{message}\")")
    };
    match problem.kind {
        ProblemKind::RateLimited { hourly_quota: true } => {
            let wait = match problem.retry_after {
                Some(seconds) => format!("wait {} min", seconds.div_ceil(60).max(1)),
                None => "wait up to an hour".to_string(),
            };
            format!(
                "This measurement needs more tests than are left this hour{said}. Ask for fewer \
                 probes, {wait}, or, if you have not yet, add a Globalping token{place} \
                 ({AUTHENTICATED_TESTS_PER_HOUR} tests an hour instead of {ANONYMOUS_TESTS_PER_HOUR})."
            )
        }
        ProblemKind::NoCredits => format!(
            "Your Globalping credits do not cover this measurement{said}. Ask for fewer probes, or \
             wait for the hourly allowance to refill."
        ),
        ProblemKind::RateLimited {
            hourly_quota: false,
        } => {
            let wait = problem
                .retry_after
                .map_or_else(|| "a few seconds".to_string(), |s| format!("{s} s"));
            format!(
                "Globalping asks to slow down{said}: a measurement may be polled only a few times \
                 a second. Try again in {wait}."
            )
        }
        ProblemKind::NoProbes => format!(
            "No online probe matches these places{said}. Widen them: a country or continent instead \
             of a city or network, fewer conditions joined with +, or the other IP version."
        ),
        ProblemKind::BadRequest => {
            let fields = if problem.fields.is_empty() {
                String::new()
            } else {
                let listed: Vec<String> = problem
                    .fields
                    .iter()
                    .map(|(field, why)| format!("{field}: {why}"))
                    .collect();
                format!(" {}.", listed.join("; "))
            };
            format!(
                "Globalping refused the request as invalid{said}.{fields} Correct the field named and \
                 run it again."
            )
        }
        ProblemKind::Unreadable => format!(
            "Globalping accepted the measurement, but its reply could not be read ({message}). Run it \
             again; if this keeps happening, the API has changed."
        ),
        ProblemKind::NotFound => format!(
            "Globalping has no such measurement{said}. It keeps results for about 7 days: run the \
             measurement again."
        ),
        ProblemKind::Server => format!(
            "Globalping had a server error (HTTP {status}){said}. This is on their side: try again in a minute."
        ),
        _ if message.is_empty() => format!(
            "Globalping answered HTTP {status} without saying why. Check the request, then try again."
        ),
        _ => format!("Globalping refused the request (HTTP {status}): {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::api::read_failure;
    use crate::atlas::create::parse_error as atlas_error;
    use crate::globalping::parse_error as globalping_error;

    use crate::atlas::create::test_support::{
        ERROR_FIXTURES as ATLAS_FIXTURES, credit_refusals, key_error,
    };
    use crate::globalping::measurement::tests::{
        ERRORS as GLOBALPING_ERRORS, error_example, error_examples,
    };

    /// As the browser shows it.
    fn shown(problem: &ApiProblem) -> String {
        problem_message(problem, Some("Settings"))
    }

    #[test]
    fn the_docs_error_fixtures_name_their_fields() {
        let message = shown(&atlas_error(400, ATLAS_FIXTURES[0]));
        assert!(message.contains("rejected the measurement"), "{message}");
        assert!(
            message.contains(
                "definitions/0/target (the target of measurement definition 1): This field is required."
            ),
            "{message}"
        );
        let second = shown(&atlas_error(400, ATLAS_FIXTURES[1]));
        assert!(
            second.contains(
                "definitions/0/af (the address family of measurement definition 1): This field is \
                 required."
            ),
            "{second}"
        );
    }

    #[test]
    fn key_credit_and_rate_problems_say_what_to_do() {
        let message = shown(&atlas_error(
            403,
            &key_error(403, "The provided API key does not exist"),
        ));
        assert!(
            message.contains("does not recognise this API key"),
            "{message}"
        );
        assert!(
            message.contains(KEYS_PAGE) && message.contains("paste it in Settings."),
            "{message}"
        );
        assert!(message.contains(CREATE_PERMISSION), "{message}");
        assert!(
            shown(&atlas_error(
                401,
                &key_error(401, "The provided API key does not exist")
            ))
            .contains("does not recognise")
        );
        let missing = shown(&atlas_error(401, ""));
        assert!(missing.contains("received no API key") && missing.contains(KEYS_PAGE));
        let old = atlas_error(
            403,
            r#"{"error":{"status":403,"code":104,"detail":"Authentication credentials were not provided.","title":"Forbidden"}}"#,
        );
        assert!(shown(&old).contains("received no API key"));
        let refused = shown(&atlas_error(
            403,
            &key_error(403, "You do not have permission to perform this action."),
        ));
        assert!(
            refused.contains("lack the") && refused.contains("valid-from"),
            "{refused}"
        );
        for (status, body) in credit_refusals() {
            let message = shown(&atlas_error(status, &body));
            assert!(
                message.contains("cannot pay") && message.contains("fewer probes"),
                "{message}"
            );
        }
        let limited = shown(&atlas_error(429, "Too many requests"));
        assert!(limited.contains("wait a minute"), "{limited}");
        let server = shown(&atlas_error(503, "<html><body>Down</body></html>"));
        assert!(
            server.contains("(HTTP 503: Service Unavailable, answered with a web page"),
            "{server}"
        );
        assert!(server.contains("measurement list"));
        assert!(!server.contains("Atlas said"), "{server}");
        let odd = shown(&atlas_error(418, "I'm a teapot"));
        assert!(odd.contains("HTTP 418") && odd.contains("teapot"), "{odd}");
        let warned = shown(&atlas_error(
            400,
            r#"{"error":{"errors":[{"source":{"parameter":"tls"},"detail":["Filtering by this field is not implemented."]}]}}"#,
        ));
        assert!(warned.contains("(HTTP 400: Bad Request)"), "{warned}");
        assert!(warned.contains("tls (the query parameter \"tls\")"));
    }

    #[test]
    fn core_text_names_no_place_of_the_app() {
        // The command line passes no place: nothing it prints may send the reader to "Settings".
        let examples: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(GLOBALPING_ERRORS).unwrap();
        let mut problems = vec![
            atlas_error(403, &key_error(403, "The provided API key does not exist")),
            atlas_error(401, ""),
            atlas_error(
                403,
                &key_error(403, "You do not have permission to perform this action."),
            ),
            ApiProblem::unreachable(Service::Atlas, During::Creating, "Failed to fetch"),
        ];
        problems.extend(
            examples
                .values()
                .map(|body| globalping_error(429, &body.to_string(), None)),
        );
        for problem in &problems {
            let message = problem_message(problem, None);
            assert!(!message.contains("Settings"), "{message}");
            assert!(!message.contains(" in ."), "{message}");
        }
        let quota = &examples["measurements429:rateLimitExceeded"];
        let quota = globalping_error(429, &quota.to_string(), None);
        assert!(shown(&quota).contains("add a Globalping token in Settings (500 tests"));
        assert!(problem_message(&quota, None).contains("add a Globalping token (500 tests"));
    }

    #[test]
    fn network_failures_are_never_worded_as_findings_about_the_target() {
        for service in [
            Service::Atlas,
            Service::Globalping,
            Service::Ripestat,
            Service::Doh,
        ] {
            for during in [During::Reading, During::Creating] {
                let problem =
                    ApiProblem::unreachable(service, during, "TypeError: Failed to fetch");
                let message = shown(&problem);
                assert!(
                    message.contains("could not be reached from this browser"),
                    "{message}"
                );
                assert!(
                    message.contains("This says nothing about the target"),
                    "{message}"
                );
                assert!(message.contains("Failed to fetch"), "{message}");
                for finding in [
                    "not found",
                    "refused the request",
                    "invalid",
                    "server error",
                    "HTTP",
                ] {
                    assert!(!message.contains(finding), "{finding}: {message}");
                }
            }
        }
    }

    #[test]
    fn reading_public_measurements_says_what_to_check() {
        assert!(shown(&read_failure(404, "{\"detail\": \"Not found.\"}")).contains("check the ID"));
        assert!(shown(&read_failure(429, "")).contains("Wait a minute"));
        assert_eq!(
            shown(&read_failure(503, "<html>")),
            "RIPE Atlas had a server error (HTTP 503). This is on their side: try again in a few \
             minutes."
        );
        assert_eq!(
            shown(&read_failure(418, "teapot")),
            "RIPE Atlas refused the request (HTTP 418): teapot"
        );
        let docs = shown(&read_failure(400, ATLAS_FIXTURES[1]));
        assert!(
            docs.starts_with("RIPE Atlas refused the request (HTTP 400): Bad Request"),
            "{docs}"
        );
    }

    #[test]
    fn every_globalping_error_example_says_what_to_do() {
        for (name, status, body) in &error_examples() {
            let problem = globalping_error(*status, &body.to_string(), None);
            let message = shown(&problem);
            let expected = match problem.code.as_deref().unwrap() {
                "validation_error" => {
                    "measurement: \"measurement\" does not match any of the allowed types"
                }
                "not_found" => "about 7 days",
                "no_probes_found" => "Widen them",
                "rate_limit_exceeded" => "add a Globalping token in Settings",
                "insufficient_credits" => "fewer probes",
                "too_many_requests" => "Try again in 4 s",
                other => panic!("unexpected kind {other}"),
            };
            assert!(message.contains(expected), "{name}: {message}");
        }
        // Minutes are rounded up.
        let limited = globalping_error(
            429,
            &error_example("measurements429:rateLimitExceeded").to_string(),
            Some(" 125 "),
        );
        assert!(shown(&limited).contains("wait 3 min"));
        for (status, body) in [
            (502, "<html>Bad Gateway</html>"),
            (500, ""),
            (418, "{\"error\": 5}"),
            (400, "[]"),
        ] {
            let message = shown(&globalping_error(status, body, Some("soon")));
            assert!(message.contains(&status.to_string()), "{body}");
        }
        let unreadable = crate::globalping::parse_created(202, "{}").unwrap_err();
        assert!(shown(&unreadable).contains("names no measurement id"));
    }

    #[test]
    fn pointers_in_words() {
        assert_eq!(
            pointer_in_words("/probes/2/requested"),
            "the number of probes of probe selection 3"
        );
        assert_eq!(pointer_in_words("/a~1b"), "the field \"a/b\"");
        assert_eq!(pointer_in_words("/"), "the request");
        assert_eq!(
            pointer_in_words("/definitions"),
            "the measurement definitions"
        );
        assert_eq!(
            pointer_in_words("/definitions/99999999999999999999/target"),
            "the measurement definitions"
        );
    }

    #[test]
    fn hostile_bodies_still_give_a_message() {
        let mut bodies: Vec<String> = Vec::new();
        for text in ATLAS_FIXTURES.iter().chain([&GLOBALPING_ERRORS]) {
            for end in 0..=text.len() {
                if let Some(prefix) = text.get(..end) {
                    bodies.push(prefix.to_string());
                }
            }
        }
        bodies.extend(
            [
                "null",
                "[]",
                "{}",
                "\u{0}\u{1}",
                r#"{"error": {"errors": [1, null]}}"#,
            ]
            .map(str::to_string),
        );
        for body in &bodies {
            for status in [0, 200, 400, 401, 402, 403, 404, 429, 500, 599, 65_535] {
                for during in [During::Reading, During::Creating] {
                    let atlas = crate::atlas::create::read_error(status, body, during);
                    assert!(!shown(&atlas).is_empty());
                }
                assert!(!shown(&globalping_error(status, body, Some(body))).is_empty());
            }
        }
    }
}
