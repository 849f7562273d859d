//! Error replies of the Atlas API read into an [`AtlasApiError`]: the documented error body, Django
//! REST framework's field map, or whatever else came back (an HTML page, plain text), cleaned and cut
//! to size, then turned into a message that says what happened and what to do next (a key that is
//! unknown, missing or refused, credits, invalid fields named in words, rate limits, server errors).
//!
//! This module must not do I/O, and never fails: a hostile or broken body still gives a message.
//!
//! Source: the RIPE Atlas REST API manual ("Error Messages", "API Keys").

use std::fmt;

use serde_json::{Map, Value};

use super::key::{CREATE_PERMISSION, KEYS_PAGE};
use super::quoted;

/// An error reply of the Atlas API, read from the documented body
/// `{"error": {"status", "title", "detail", "errors": [{"source": {"pointer"|"parameter"}, "detail"}]}}`
/// (Atlas docs "Error Messages"; API-NOTES §1.3) or from whatever else came back.
#[derive(Debug, Clone, PartialEq)]
pub struct AtlasApiError {
    /// The HTTP status (the body's own `status` is not trusted over it).
    pub status: u16,
    pub title: String,
    pub detail: String,
    /// Field problems: the JSON pointer (RFC 6901, into the request body) or query parameter, and what
    /// is wrong there.
    pub errors: Vec<(String, String)>,
}

/// Texts taken from a reply are cut to this many characters, so a hostile body cannot flood the page.
const MAX_TEXT_CHARS: usize = 300;
/// And at most this many field problems are kept.
const MAX_FIELD_ERRORS: usize = 30;

/// Reads an error reply. Never fails: a body that is not the documented JSON becomes a message built
/// from the status and a short, cleaned excerpt.
pub fn parse_error(status: u16, text: &str) -> AtlasApiError {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let parsed = serde_json::from_str::<Value>(trimmed).ok();
    let Some(Value::Object(root)) = parsed else {
        // An HTML page (a proxy, a login or an outage page) is not shown: its markup says nothing to
        // the user, and the title notes what it was. Other text is what the server said, cleaned.
        let (title, detail) = if trimmed.starts_with('<') {
            (
                format!(
                    "{}, answered with a web page instead of the API's JSON",
                    reason_phrase(status)
                ),
                String::new(),
            )
        } else {
            (reason_phrase(status).to_string(), clean(trimmed))
        };
        return AtlasApiError {
            status,
            title,
            detail,
            errors: Vec::new(),
        };
    };
    let error = match root.get("error") {
        Some(Value::Object(error)) => error,
        _ => &root,
    };
    let title = error
        .get("title")
        .and_then(text_of)
        .unwrap_or_else(|| reason_phrase(status).to_string());
    let mut detail = error.get("detail").and_then(text_of).unwrap_or_default();
    if detail.is_empty()
        && let Some(Value::String(message)) = root.get("error")
    {
        detail = clean(message);
    }
    let mut errors = Vec::new();
    if let Some(Value::Array(items)) = error.get("errors") {
        for item in items.iter().take(MAX_FIELD_ERRORS) {
            match item {
                Value::Object(item) => {
                    let place = item
                        .get("source")
                        .and_then(Value::as_object)
                        .and_then(|source| {
                            source
                                .get("pointer")
                                .and_then(text_of)
                                .or_else(|| source.get("parameter").and_then(text_of))
                        })
                        .or_else(|| item.get("pointer").and_then(text_of))
                        .unwrap_or_default();
                    let what = item
                        .get("detail")
                        .and_then(text_of)
                        .unwrap_or_else(|| "is invalid".to_string());
                    errors.push((place, what));
                }
                other => {
                    if let Some(what) = text_of(other) {
                        errors.push((String::new(), what));
                    }
                }
            }
        }
    } else if !root.contains_key("error") && detail.is_empty() {
        // Django REST framework's own shape, {"field": ["message", …], …}, in case a proxy or an older
        // endpoint answers with it.
        flatten_field_errors(&root, String::new(), 0, &mut errors);
    }
    AtlasApiError {
        status,
        title,
        detail,
        errors,
    }
}

fn flatten_field_errors(
    object: &Map<String, Value>,
    prefix: String,
    depth: usize,
    out: &mut Vec<(String, String)>,
) {
    if depth > 4 {
        return;
    }
    for (key, value) in object {
        if out.len() >= MAX_FIELD_ERRORS {
            return;
        }
        let pointer = format!("{prefix}/{}", key.replace('~', "~0").replace('/', "~1"));
        match value {
            Value::Object(inner) => flatten_field_errors(inner, pointer, depth + 1, out),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(inner) => flatten_field_errors(
                            inner,
                            format!("{pointer}/{index}"),
                            depth + 1,
                            out,
                        ),
                        other => {
                            if let Some(text) = text_of(other)
                                && out.len() < MAX_FIELD_ERRORS
                            {
                                out.push((clean(&pointer), text));
                            }
                        }
                    }
                }
            }
            other => {
                if let Some(text) = text_of(other) {
                    out.push((clean(&pointer), text));
                }
            }
        }
    }
}

/// A displayable text from a JSON value: strings as they are, lists of strings joined (warnings carry
/// `detail` as a list), numbers and booleans written out; objects and null give nothing.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => clean(text),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Array(items) => clean(
            &items
                .iter()
                .filter_map(|item| match item {
                    Value::String(text) => Some(text.clone()),
                    Value::Number(number) => Some(number.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Control characters become spaces, runs of space collapse, and the text is cut to a readable size.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        if count == MAX_TEXT_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
        count += 1;
    }
    out.trim_end().to_string()
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

/// What went wrong, as far as the reply lets us tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// No credentials arrived (401 since 2023-10-02, per API-NOTES §1.2).
    NoKey,
    /// The key is unknown to Atlas.
    UnknownKey,
    /// The key exists but may not do this: missing permission, disabled, or outside its validity
    /// dates (the three 403 causes of the Atlas "API Keys" docs, besides a key that does not exist).
    KeyRefused,
    Credits,
    Invalid,
    RateLimited,
    Server,
    /// A success status whose reply could not be read (this module's own finding, not Atlas's words).
    UnreadableSuccess,
    Other,
}

impl AtlasApiError {
    fn failure(&self) -> Failure {
        let mut text = format!("{} {}", self.title, self.detail);
        for (_, detail) in &self.errors {
            text.push(' ');
            text.push_str(detail);
        }
        let text = text.to_ascii_lowercase();
        let about_key = text.contains("key");
        let unknown =
            text.contains("not exist") || text.contains("invalid") || text.contains("unknown");
        let not_provided = text.contains("not provided") || text.contains("no credentials");
        match self.status {
            401 if about_key && unknown => Failure::UnknownKey,
            401 => Failure::NoKey,
            403 if about_key && unknown => Failure::UnknownKey,
            403 if not_provided => Failure::NoKey,
            // No recorded "not enough credits" reply was found; Atlas's wording is unknown, so any
            // mention of credits (or 402) is taken as one.
            _ if self.status == 402 || text.contains("credit") => Failure::Credits,
            403 => Failure::KeyRefused,
            400 | 422 => Failure::Invalid,
            429 => Failure::RateLimited,
            500..=599 => Failure::Server,
            200..=299 => Failure::UnreadableSuccess,
            _ => Failure::Other,
        }
    }

    /// The message to show: what happened and what to do next.
    pub fn user_message(&self) -> String {
        let said = if self.detail.is_empty() {
            String::new()
        } else {
            format!(" Atlas said: \"{}\"", self.detail)
        };
        let make_key = format!(
            "Create a key with the \"{CREATE_PERMISSION}\" permission at {KEYS_PAGE} and paste it in \
             Settings."
        );
        match self.failure() {
            Failure::UnknownKey => format!(
                "RIPE Atlas does not recognise this API key (HTTP {}): it may be mistyped, deleted or \
                 regenerated.{said} {make_key}",
                self.status
            ),
            Failure::NoKey => format!(
                "RIPE Atlas received no API key (HTTP {}).{said} {make_key}",
                self.status
            ),
            Failure::KeyRefused => format!(
                "RIPE Atlas refused this API key (HTTP 403).{said} The key may lack the \
                 \"{CREATE_PERMISSION}\" permission, be disabled, or be outside its valid-from/valid-to \
                 dates: check it at {KEYS_PAGE}, or create a new one there and paste it in Settings."
            ),
            Failure::Credits => format!(
                "RIPE Atlas says your account cannot pay for this measurement (HTTP {}).{said} Ask for \
                 fewer probes, prefer ping (the cheapest test), or check your balance on the \
                 \"My Credits\" card of your Atlas dashboard.",
                self.status
            ),
            Failure::Invalid => {
                let mut message = format!(
                    "RIPE Atlas rejected the measurement (HTTP {}: {}).",
                    self.status,
                    if self.detail.is_empty() {
                        &self.title
                    } else {
                        &self.detail
                    }
                );
                if self.errors.is_empty() {
                    message.push_str(" Check the form and try again.");
                } else {
                    message.push_str(" Fix these fields and create it again:");
                    for line in self.field_lines() {
                        message.push('\n');
                        message.push_str(&line);
                    }
                }
                message
            }
            Failure::RateLimited => format!(
                "RIPE Atlas is limiting requests (HTTP 429): wait a minute or two, then create the \
                 measurement again. Creating measurements is limited more strictly than reading them.{said}"
            ),
            Failure::Server => format!(
                "RIPE Atlas had a server error (HTTP {}: {}).{said} This is on their side: try again in \
                 a few minutes, but first look at your Atlas measurement list, since the measurement \
                 may have been created anyway.",
                self.status, self.title
            ),
            Failure::UnreadableSuccess => format!(
                "RIPE Atlas answered HTTP {} but the reply could not be read: {}",
                self.status,
                if self.detail.is_empty() {
                    &self.title
                } else {
                    &self.detail
                }
            ),
            Failure::Other => {
                let mut message =
                    format!("RIPE Atlas answered HTTP {} ({}).", self.status, self.title);
                message.push_str(&said);
                for line in self.field_lines() {
                    message.push('\n');
                    message.push_str(&line);
                }
                message
            }
        }
    }

    /// "definitions/0/target (the target of measurement definition 1): This field is required."
    fn field_lines(&self) -> Vec<String> {
        self.errors
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
}

impl fmt::Display for AtlasApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
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

#[cfg(test)]
mod tests {
    use super::super::progress::{parse_created, parse_progress};
    use super::super::test_support::ERROR_FIXTURES;
    use super::*;

    fn key_error(status: u16, detail: &str) -> String {
        format!(
            "{{\"error\": {{\"detail\": \"{detail}\", \"status\": {status}, \"title\": \"x\", \"code\": 104}}}}"
        )
    }

    #[test]
    fn the_docs_error_fixtures_name_their_fields() {
        let first = parse_error(400, ERROR_FIXTURES[0]);
        assert_eq!(first.status, 400);
        assert_eq!(first.title, "Bad Request");
        assert_eq!(first.detail, "The following fields are invalid: target");
        assert_eq!(
            first.errors,
            vec![(
                "/definitions/0/target".to_string(),
                "This field is required.".to_string()
            )]
        );
        let message = first.user_message();
        assert!(message.contains("rejected the measurement"), "{message}");
        assert!(
            message.contains(
                "definitions/0/target (the target of measurement definition 1): This field is required."
            ),
            "{message}"
        );
        let second = parse_error(400, ERROR_FIXTURES[1]).user_message();
        assert!(
            second.contains(
                "definitions/0/af (the address family of measurement definition 1): This field is \
                 required."
            ),
            "{second}"
        );
        assert_eq!(second, parse_error(400, ERROR_FIXTURES[1]).to_string());
    }

    #[test]
    fn key_credit_and_rate_problems_say_what_to_do() {
        let unknown = parse_error(403, &key_error(403, "The provided API key does not exist"));
        let message = unknown.user_message();
        assert!(
            message.contains("does not recognise this API key"),
            "{message}"
        );
        assert!(
            message.contains(KEYS_PAGE) && message.contains("Settings"),
            "{message}"
        );
        assert!(message.contains(CREATE_PERMISSION), "{message}");
        assert!(
            parse_error(401, &key_error(401, "The provided API key does not exist"))
                .user_message()
                .contains("does not recognise")
        );
        let missing = parse_error(401, "").user_message();
        assert!(missing.contains("received no API key") && missing.contains(KEYS_PAGE));
        // The docs' example of a request without a key (from before 401 was introduced).
        let old = parse_error(
            403,
            r#"{"error":{"status":403,"code":104,"detail":"Authentication credentials were not provided.","title":"Forbidden"}}"#,
        );
        assert!(old.user_message().contains("received no API key"));
        let refused = parse_error(
            403,
            &key_error(403, "You do not have permission to perform this action."),
        )
        .user_message();
        assert!(
            refused.contains("lack the") && refused.contains("valid-from"),
            "{refused}"
        );
        for (status, body) in [
            (402, String::new()),
            (
                400,
                key_error(
                    400,
                    "You do not have enough credits to schedule this measurement",
                ),
            ),
            (403, key_error(403, "Daily credit spending limit exceeded")),
        ] {
            let message = parse_error(status, &body).user_message();
            assert!(
                message.contains("cannot pay") && message.contains("fewer probes"),
                "{message}"
            );
        }
        let limited = parse_error(429, "Too many requests").user_message();
        assert!(limited.contains("wait a minute"), "{limited}");
        let server = parse_error(503, "<html><body>Down</body></html>");
        assert!(
            server.title.starts_with("Service Unavailable") && server.title.contains("web page")
        );
        assert!(server.detail.is_empty());
        assert!(server.user_message().contains("measurement list"));
        let odd = parse_error(418, "I'm a teapot").user_message();
        assert!(odd.contains("HTTP 418") && odd.contains("teapot"), "{odd}");
    }

    #[test]
    fn other_error_shapes_are_read_too() {
        // Warnings carry detail as a list; a query parameter names the place.
        let warned = parse_error(
            400,
            r#"{"error":{"errors":[{"source":{"parameter":"tls"},"detail":["Filtering by this field is not implemented."]}]}}"#,
        );
        assert_eq!(warned.title, "Bad Request");
        assert_eq!(
            warned.errors,
            vec![(
                "tls".to_string(),
                "Filtering by this field is not implemented.".to_string()
            )]
        );
        assert!(
            warned
                .user_message()
                .contains("tls (the query parameter \"tls\")")
        );
        // Django REST framework's field map.
        let fields = parse_error(
            400,
            r#"{"definitions": [{"target": ["This field is required."]}], "probes": ["Bad."]}"#,
        );
        assert!(fields.errors.contains(&(
            "/definitions/0/target".to_string(),
            "This field is required.".to_string()
        )));
        assert!(
            fields
                .errors
                .contains(&("/probes".to_string(), "Bad.".to_string()))
        );
        // A plain {"detail"} and a string error.
        assert_eq!(
            parse_error(404, r#"{"detail": "Not found."}"#).detail,
            "Not found."
        );
        assert_eq!(parse_error(500, r#"{"error": "boom"}"#).detail, "boom");
        // RFC 6901 escapes and probe pointers.
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
    fn hostile_error_bodies_never_panic() {
        let mut bodies: Vec<String> = Vec::new();
        for fixture in ERROR_FIXTURES {
            for end in 0..=fixture.len() {
                if fixture.is_char_boundary(end) {
                    bodies.push(fixture[..end].to_string());
                }
            }
        }
        bodies.extend(
            [
                "null",
                "[]",
                "42",
                "\"x\"",
                "{}",
                r#"{"error": null}"#,
                r#"{"error": []}"#,
                r#"{"error": {"status": "four hundred", "title": 5, "detail": {"a": 1}}}"#,
                r#"{"error": {"errors": "x"}}"#,
                r#"{"error": {"errors": [1, null, "text", [], {"source": 5}, {"source": {"pointer": 7}, "detail": ["a", "b"]}, {"source": {"pointer": null}}]}}"#,
                r#"{"error": {"errors": [{"source": {"pointer": "/definitions/x/y/z"}, "detail": true}]}}"#,
                "\u{feff}{\"error\":{\"detail\":\"bom\"}}",
                "\u{0}\u{1}\u{7f}",
                "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":[\"deep\"]}}}}}}",
            ]
            .map(str::to_string),
        );
        bodies.push("[".repeat(100_000));
        bodies.push(format!(
            "{{\"error\":{{\"detail\":\"{}\"}}}}",
            "x".repeat(1_000_000)
        ));
        let many: Vec<String> = (0..10_000)
            .map(|i| {
                format!(
                    "{{\"source\":{{\"pointer\":\"/definitions/{i}/target\"}},\"detail\":\"bad\"}}"
                )
            })
            .collect();
        bodies.push(format!("{{\"error\":{{\"errors\":[{}]}}}}", many.join(",")));
        for body in &bodies {
            for status in [0, 200, 400, 401, 402, 403, 429, 500, 599, 65_535] {
                let error = parse_error(status, body);
                let message = error.user_message();
                assert!(!message.is_empty());
                assert!(error.detail.chars().count() <= MAX_TEXT_CHARS + 1);
                assert!(error.errors.len() <= MAX_FIELD_ERRORS);
                assert!(!error.detail.contains('\u{0}'));
                let _ = parse_created(status, body);
                let _ = parse_progress(body);
            }
        }
    }
}
