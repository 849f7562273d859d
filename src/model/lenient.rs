//! The one lenient reader of numbers in outside JSON: a number may arrive as a JSON number, as a
//! whole number written as a float (`3.0`), or as a numeric string (`"3"` in Atlas firmware 0, AS
//! numbers in RIPEstat `network-info`, `Status` in some DoH JSON). Each reads what is there and gives
//! `None` for the rest; validation stays with the caller.

use serde_json::Value;

/// A non-negative integer from a JSON number (a whole float below 10^18 too) or a trimmed numeric
/// string.
pub fn unsigned(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e18)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A signed integer (timestamps, `lts`) from a JSON number (a whole float below 10^18 in magnitude
/// too) or a trimmed numeric string.
pub fn signed(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A finite float from a JSON number or a trimmed numeric string ("58.042" in Atlas firmware 0).
pub fn float(value: &Value) -> Option<f64> {
    let number = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    number.is_finite().then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_strings_and_what_is_refused() {
        assert_eq!(unsigned(&json!(3)), Some(3));
        assert_eq!(unsigned(&json!(3.0)), Some(3));
        assert_eq!(unsigned(&json!(" 3 ")), Some(3));
        assert_eq!(unsigned(&json!(3.5)), None);
        assert_eq!(unsigned(&json!(-1)), None);
        assert_eq!(unsigned(&json!(null)), None);
        assert_eq!(unsigned(&json!(true)), None);
        assert_eq!(signed(&json!(-7)), Some(-7));
        assert_eq!(signed(&json!("-7")), Some(-7));
        assert_eq!(signed(&json!(-7.0)), Some(-7));
        assert_eq!(float(&json!("58.042")), Some(58.042));
        assert_eq!(float(&json!(1)), Some(1.0));
        assert_eq!(float(&json!("NaN")), None);
        assert_eq!(float(&json!("inf")), None);
        assert_eq!(float(&json!([1])), None);
    }
}
