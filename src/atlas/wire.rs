//! Tolerant readers for Atlas result JSON, private to `atlas`. Real results vary by firmware: numbers
//! arrive as strings in firmware 0, fields are renamed across versions, and anything may be missing or
//! null. These helpers read what is there and give `None` for the rest; validation happens in the
//! per-type modules, which turn wire values into domain types.

use serde_json::{Map, Value};

use crate::model::lenient;

pub type Object = Map<String, Value>;

/// A non-negative integer from a JSON number or a numeric string ("3" in firmware 0), read by the
/// crate's one lenient reader (`model::lenient`).
pub fn unsigned(object: &Object, key: &str) -> Option<u64> {
    lenient::unsigned(object.get(key)?)
}

/// A signed integer (timestamps, `lts`), from a number or a numeric string.
pub fn signed(object: &Object, key: &str) -> Option<i64> {
    lenient::signed(object.get(key)?)
}

/// A finite float from a number or a numeric string ("58.042" in firmware 0).
pub fn float(object: &Object, key: &str) -> Option<f64> {
    lenient::float(object.get(key)?)
}

/// A string; numbers are accepted too (some exports write addresses or codes as numbers).
pub fn text(object: &Object, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A u32 field that must fit; larger values are treated as absent rather than truncated.
pub fn small(object: &Object, key: &str) -> Option<u32> {
    unsigned(object, key).and_then(|v| u32::try_from(v).ok())
}

/// Whether a flag-like field is present and not false/0 (`dup: 1`, `late: 2`, `dup: true`).
pub fn flag(object: &Object, key: &str) -> bool {
    match object.get(key) {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(_) => true,
    }
}

/// A short description of an error value, which is a string in most firmware and an object such as
/// `{"timeout": 5000}` in DNS results.
pub fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                Value::String(s) => format!("{key}: {s}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
