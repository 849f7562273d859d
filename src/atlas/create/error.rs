//! Error replies of the Atlas API read into an [`ApiProblem`]: the documented error body, Django
//! REST framework's field map, or whatever else came back (an HTML page, plain text), cleaned and cut
//! to size, and classified (a key that is unknown, missing or refused, credits, invalid fields, rate
//! limits, server errors). `problem_words` words the result.
//!
//! This module must not do I/O, and never fails: a hostile or broken body still gives a problem.
//!
//! Source: the RIPE Atlas REST API manual ("Error Messages", "API Keys").

use serde_json::{Map, Value};

use crate::model::{ApiProblem, During, ProblemKind, Service};

/// Texts taken from a reply are cut to this many characters, so a hostile body cannot flood the page.
const MAX_TEXT_CHARS: usize = 300;
/// And at most this many field problems are kept.
const MAX_FIELD_ERRORS: usize = 30;

/// Reads an error reply to a request made with a key (creating or following a measurement). Never
/// fails: a body that is not the documented JSON still gives a problem, with a short, cleaned excerpt.
pub fn parse_error(status: u16, text: &str) -> ApiProblem {
    read_error(status, text, During::Creating)
}

/// Reads an error reply of the documented shape
/// `{"error": {"status", "code", "title", "detail", "errors": [{"source": {"pointer"|"parameter"}, "detail"}]}}`
/// (Atlas docs "Error Messages"; API-NOTES §1.3), the older `{"detail": "…"}`, Django REST
/// framework's field map or anything else. The HTTP status is trusted over the body's own.
pub fn read_error(status: u16, text: &str, during: During) -> ApiProblem {
    let mut problem = ApiProblem::new(Service::Atlas, during, Some(status), ProblemKind::Other);
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let parsed = serde_json::from_str::<Value>(trimmed).ok();
    if let Some(Value::Object(root)) = parsed {
        let error = match root.get("error") {
            Some(Value::Object(error)) => error,
            _ => &root,
        };
        problem.title = error.get("title").and_then(text_of);
        problem.code = error.get("code").and_then(text_of);
        let mut detail = error.get("detail").and_then(text_of).unwrap_or_default();
        if detail.is_empty()
            && let Some(Value::String(message)) = root.get("error")
        {
            detail = clean(message);
        }
        problem.detail = (!detail.is_empty()).then_some(detail);
        if let Some(Value::Array(items)) = error.get("errors") {
            problem.fields = items
                .iter()
                .take(MAX_FIELD_ERRORS)
                .filter_map(field_problem)
                .collect();
        } else if !root.contains_key("error") && problem.detail.is_none() {
            // Django REST framework's own shape, {"field": ["message", …], …}, in case a proxy or an
            // older endpoint answers with it.
            flatten_field_errors(&root, String::new(), 0, &mut problem.fields);
        }
    } else if trimmed.starts_with('<') {
        // An HTML page (a proxy, a login or an outage page) is not shown: its markup says nothing to
        // the user. Other text is what the server said, cleaned.
        problem.web_page = true;
    } else {
        let detail = clean(trimmed);
        problem.detail = (!detail.is_empty()).then_some(detail);
    }
    problem.kind = kind_of(&problem, status, during);
    problem
}

/// One item of `errors`: an object with a place and what is wrong there, or a bare text.
fn field_problem(item: &Value) -> Option<(String, String)> {
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
            Some((place, what))
        }
        other => text_of(other).map(|what| (String::new(), what)),
    }
}

/// What went wrong. Reading public data goes by the status alone (a 403 there is a private
/// measurement, whatever the body says about keys); with a key, the body's words tell a missing key
/// from an unknown or refused one, and a credit problem from the rest.
fn kind_of(problem: &ApiProblem, status: u16, during: During) -> ProblemKind {
    if during == During::Reading {
        match status {
            404 => return ProblemKind::NotFound,
            401 => return ProblemKind::Unauthorized,
            403 => return ProblemKind::Forbidden,
            429 => {
                return ProblemKind::RateLimited {
                    hourly_quota: false,
                };
            }
            500..=599 => return ProblemKind::Server,
            _ => {}
        }
    }
    let mut text = format!(
        "{} {}",
        problem.title.as_deref().unwrap_or_default(),
        problem.detail.as_deref().unwrap_or_default()
    );
    for (_, detail) in &problem.fields {
        text.push(' ');
        text.push_str(detail);
    }
    let text = text.to_ascii_lowercase();
    let about_key = text.contains("key");
    let unknown =
        text.contains("not exist") || text.contains("invalid") || text.contains("unknown");
    let not_provided = text.contains("not provided") || text.contains("no credentials");
    match status {
        401 | 403 if about_key && unknown => ProblemKind::UnknownKey,
        // No credentials arrived: 401 since 2023-10-02 (API-NOTES §1.2), 403 before.
        401 => ProblemKind::Unauthorized,
        403 if not_provided => ProblemKind::Unauthorized,
        // No recorded "not enough credits" reply was found; Atlas's wording is unknown, so any
        // mention of credits (or 402) is taken as one.
        _ if status == 402 || text.contains("credit") => ProblemKind::NoCredits,
        // The key exists but may not do this: missing permission, disabled, or outside its validity
        // dates (the three 403 causes of the Atlas "API Keys" docs, besides a key that does not exist).
        403 => ProblemKind::Forbidden,
        400 | 422 => ProblemKind::BadRequest,
        429 => ProblemKind::RateLimited {
            hourly_quota: false,
        },
        500..=599 => ProblemKind::Server,
        200..=299 => ProblemKind::Unreadable,
        _ => ProblemKind::Other,
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

#[cfg(test)]
mod tests {
    use super::super::progress::{parse_created, parse_progress};
    use super::super::test_support::{ERROR_FIXTURES, credit_refusals, key_error};
    use super::*;

    #[test]
    fn the_docs_error_fixtures_read_to_bad_requests_naming_their_fields() {
        let first = parse_error(400, ERROR_FIXTURES[0]);
        assert_eq!(first.service, Service::Atlas);
        assert_eq!(first.status, Some(400));
        assert_eq!(first.kind, ProblemKind::BadRequest);
        assert_eq!(first.title.as_deref(), Some("Bad Request"));
        assert_eq!(
            first.detail.as_deref(),
            Some("The following fields are invalid: target")
        );
        assert_eq!(
            first.fields,
            vec![(
                "/definitions/0/target".to_string(),
                "This field is required.".to_string()
            )]
        );
        let second = parse_error(400, ERROR_FIXTURES[1]);
        assert_eq!(second.kind, ProblemKind::BadRequest);
        assert!(
            second
                .fields
                .iter()
                .any(|(place, _)| place == "/definitions/0/af")
        );
        // Read while fetching public data, the same bodies are still refusals of the request.
        for fixture in ERROR_FIXTURES {
            let read = read_error(400, fixture, During::Reading);
            assert_eq!(read.kind, ProblemKind::BadRequest);
            assert_eq!(read.during, During::Reading);
        }
    }

    #[test]
    fn key_credit_and_rate_problems_are_told_apart() {
        let kind = |status: u16, body: &str| parse_error(status, body).kind;
        assert_eq!(
            kind(403, &key_error(403, "The provided API key does not exist")),
            ProblemKind::UnknownKey
        );
        assert_eq!(
            kind(401, &key_error(401, "The provided API key does not exist")),
            ProblemKind::UnknownKey
        );
        assert_eq!(kind(401, ""), ProblemKind::Unauthorized);
        // The docs' example of a request without a key (from before 401 was introduced).
        assert_eq!(
            kind(
                403,
                r#"{"error":{"status":403,"code":104,"detail":"Authentication credentials were not provided.","title":"Forbidden"}}"#,
            ),
            ProblemKind::Unauthorized
        );
        assert_eq!(
            kind(
                403,
                &key_error(403, "You do not have permission to perform this action.")
            ),
            ProblemKind::Forbidden
        );
        for (status, body) in credit_refusals() {
            assert_eq!(kind(status, &body), ProblemKind::NoCredits, "{body}");
        }
        assert_eq!(
            kind(429, "Too many requests"),
            ProblemKind::RateLimited {
                hourly_quota: false
            }
        );
        let server = parse_error(503, "<html><body>Down</body></html>");
        assert_eq!(server.kind, ProblemKind::Server);
        assert!(server.web_page && server.detail.is_none() && server.title.is_none());
        let odd = parse_error(418, "I'm a teapot");
        assert_eq!(odd.kind, ProblemKind::Other);
        assert_eq!(odd.detail.as_deref(), Some("I'm a teapot"));
        assert_eq!(
            parse_error(403, &key_error(403, "x")).code.as_deref(),
            Some("104")
        );
    }

    #[test]
    fn reading_public_data_goes_by_the_status() {
        let read = |status: u16, body: &str| read_error(status, body, During::Reading).kind;
        assert_eq!(
            read(404, r#"{"detail": "Not found."}"#),
            ProblemKind::NotFound
        );
        assert_eq!(read(401, ""), ProblemKind::Unauthorized);
        assert_eq!(
            read(403, &key_error(403, "The provided API key does not exist")),
            ProblemKind::Forbidden
        );
        assert_eq!(read(503, "<html>"), ProblemKind::Server);
        assert_eq!(read(500, "credit"), ProblemKind::Server);
        assert_eq!(
            read(429, ""),
            ProblemKind::RateLimited {
                hourly_quota: false
            }
        );
        assert_eq!(read(418, "teapot"), ProblemKind::Other);
    }

    #[test]
    fn other_error_shapes_are_read_too() {
        // Warnings carry detail as a list; a query parameter names the place.
        let warned = parse_error(
            400,
            r#"{"error":{"errors":[{"source":{"parameter":"tls"},"detail":["Filtering by this field is not implemented."]}]}}"#,
        );
        assert_eq!(warned.title, None);
        assert_eq!(warned.kind, ProblemKind::BadRequest);
        assert_eq!(
            warned.fields,
            vec![(
                "tls".to_string(),
                "Filtering by this field is not implemented.".to_string()
            )]
        );
        // Django REST framework's field map.
        let fields = parse_error(
            400,
            r#"{"definitions": [{"target": ["This field is required."]}], "probes": ["Bad."]}"#,
        );
        assert!(fields.fields.contains(&(
            "/definitions/0/target".to_string(),
            "This field is required.".to_string()
        )));
        assert!(
            fields
                .fields
                .contains(&("/probes".to_string(), "Bad.".to_string()))
        );
        // A plain {"detail"} and a string error.
        assert_eq!(
            parse_error(404, r#"{"detail": "Not found."}"#)
                .detail
                .as_deref(),
            Some("Not found.")
        );
        assert_eq!(
            parse_error(500, r#"{"error": "boom"}"#).detail.as_deref(),
            Some("boom")
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
                let detail = error.detail.unwrap_or_default();
                assert!(detail.chars().count() <= MAX_TEXT_CHARS + 1);
                assert!(error.fields.len() <= MAX_FIELD_ERRORS);
                assert!(!detail.contains('\u{0}'));
                let _ = parse_created(status, body);
                let _ = parse_progress(body);
            }
        }
    }
}
