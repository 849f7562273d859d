//! Text formatting of figures for people: RTTs, loss, sizes and UTC times. Pure; shared by the UI and
//! exports so a number reads the same everywhere.

/// "12.3" (one decimal, as RTTs under a millisecond of jitter warrant), or "—" when there is no value.
pub fn ms(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.1}"),
        _ => "—".to_string(),
    }
}

/// "0 %", "33 %", or "—" when nothing was sent.
pub fn percent(fraction: Option<f64>) -> String {
    match fraction {
        Some(f) if f.is_finite() => format!("{:.0} %", f * 100.0),
        _ => "—".to_string(),
    }
}

/// "1 vantage", "3 vantages", "2 addresses", "2 unreadable replies".
pub fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else if noun.ends_with('s') {
        format!("{count} {noun}es")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{count} {stem}ies")
    } else {
        format!("{count} {noun}s")
    }
}

/// Whether `c` changes how text around it is shown while being invisible itself: bidirectional
/// overrides, isolates and marks (which can show `gro.margelet` as `telegram.org`), zero-width
/// characters and joiners, invisible fillers, tag characters, and the C0 and C1 control codes other
/// than tab and line breaks. The list follows Unicode's Bidi_Control and Default_Ignorable_Code_Point
/// properties (UAX #9, UAX #44), less the variation selectors, which only pick an emoji's glyph.
pub fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// `text` with every hidden control (see `is_hidden_control`) shown as `[U+202E]`, as browsers show
/// such characters in the address bar, so a name from a shared report cannot pass for another.
/// Borrowed unchanged when there is none, which is almost always.
pub fn visible_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden_control(c) {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// "298 kB", "1.4 MB".
pub fn bytes(count: usize) -> String {
    if count >= 1_000_000 {
        format!("{:.1} MB", count as f64 / 1e6)
    } else {
        format!("{:.0} kB", (count as f64 / 1e3).max(1.0))
    }
}

/// "140 km", "9,300 km", "7.5 km": a distance as people quote it, to two significant figures from
/// 100 km up (the inputs, RTT-derived ranges, are rarely better than that), whole km from 10 to 100 and
/// one decimal below; "—" when not finite.
pub fn km(distance_km: f64) -> String {
    if !distance_km.is_finite() {
        return "—".to_string();
    }
    let magnitude = distance_km.abs();
    if magnitude < 10.0 {
        return format!("{distance_km:.1} km");
    }
    let rounded = if magnitude < 100.0 {
        distance_km.round()
    } else {
        let step = 10f64.powi(magnitude.log10().floor() as i32 - 1);
        (distance_km / step).round() * step
    };
    format!("{} km", thousands(rounded))
}

/// An integer-valued figure with comma thousands separators: 12345 → "12,345".
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = grouped(&digits);
    if value < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

/// A count with comma thousands separators: 1500 → "1,500".
pub fn thousands_u64(value: u64) -> String {
    grouped(&value.to_string())
}

/// A run of decimal digits with a comma before every group of three from the right.
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Civil date from days since 1970-01-01, after Howard Hinnant's `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html>), valid for the proleptic Gregorian calendar.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "2013-10-15 08:16 UTC" from unix seconds.
pub fn utc_minutes(unix_s: i64) -> String {
    let days = unix_s.div_euclid(86_400);
    let seconds = unix_s.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_controls_are_shown_not_obeyed() {
        // A right-to-left override makes "gro.margelet" display as "telegram.org".
        assert_eq!(
            visible_controls("\u{202e}gro.margelet"),
            "[U+202E]gro.margelet"
        );
        assert_eq!(
            visible_controls("tele\u{200b}gram.org"),
            "tele[U+200B]gram.org"
        );
        assert_eq!(visible_controls("a\u{0}b\u{9f}"), "a[U+0000]b[U+009F]");
        // Ordinary text, right-to-left scripts, emoji with their selectors, tabs and newlines are kept.
        for kept in ["telegram.org", "מבחן عربي", "❤\u{fe0f}", "a\tb\nc"] {
            assert!(
                matches!(visible_controls(kept), std::borrow::Cow::Borrowed(_)),
                "{kept}"
            );
        }
    }

    #[test]
    fn counts_take_the_plural_their_noun_needs() {
        assert_eq!(counted(1, "vantage"), "1 vantage");
        assert_eq!(counted(0, "vantage"), "0 vantages");
        assert_eq!(counted(2, "address"), "2 addresses");
        assert_eq!(counted(3, "unreadable reply"), "3 unreadable replies");
    }

    #[test]
    fn distances_read_as_people_quote_them() {
        assert_eq!(km(7.46), "7.5 km");
        assert_eq!(km(42.4), "42 km");
        assert_eq!(km(143.0), "140 km");
        assert_eq!(km(9_312.0), "9,300 km");
        assert_eq!(km(20_015.1), "20,000 km");
        assert_eq!(km(1_234_567.0), "1,200,000 km");
        assert_eq!(km(f64::NAN), "—");
    }

    #[test]
    fn times_match_known_dates() {
        assert_eq!(utc_minutes(0), "1970-01-01 00:00 UTC");
        // Measurement 1033154 was created at 1381825001 = 2013-10-15T08:16:41Z (its metadata).
        assert_eq!(utc_minutes(1_381_825_001), "2013-10-15 08:16 UTC");
        assert_eq!(utc_minutes(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_minutes(-1), "1969-12-31 23:59 UTC");
    }

    #[test]
    fn figures_have_no_false_precision() {
        assert_eq!(ms(Some(34.22132)), "34.2");
        assert_eq!(ms(None), "—");
        assert_eq!(ms(Some(f64::NAN)), "—");
        assert_eq!(percent(Some(1.0 / 3.0)), "33 %");
        assert_eq!(bytes(298_240), "298 kB");
        assert_eq!(bytes(12), "1 kB");
        assert_eq!(bytes(1_400_000), "1.4 MB");
    }
}
