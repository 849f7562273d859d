//! The one "N per continent" grammar, shared by the Atlas probe selection (`5 per continent, NL:2`)
//! and the Globalping places (`5 per continent`): the words in any case, the count before them. Each
//! source checks the count against its own limits and words its own messages.

/// The count of `N per continent` (any case, spaces around the parts), or `None` when `text` is
/// not of that form. `Ok` holds the count as written when it is whole digits; `Err` holds whatever
/// stands before "per continent" otherwise (possibly empty), for the caller's message.
pub fn per_continent_count(text: &str) -> Option<Result<&str, &str>> {
    let text = text.trim();
    let words = "per continent";
    let split = text.len().checked_sub(words.len())?;
    // The suffix is ASCII, so a match starts on a character boundary.
    let suffix = text.get(split..)?;
    if !suffix.eq_ignore_ascii_case(words) {
        return None;
    }
    let count = text[..split].trim();
    if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
        Some(Ok(count))
    } else {
        Some(Err(count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_case_and_spacing_and_what_is_not_a_count() {
        assert_eq!(per_continent_count("5 per continent"), Some(Ok("5")));
        assert_eq!(per_continent_count(" 12  Per Continent "), Some(Ok("12")));
        assert_eq!(per_continent_count("3PER CONTINENT"), Some(Ok("3")));
        assert_eq!(per_continent_count("many per continent"), Some(Err("many")));
        assert_eq!(per_continent_count("per continent"), Some(Err("")));
        assert_eq!(per_continent_count("+5 per continent"), Some(Err("+5")));
        assert_eq!(per_continent_count("Europe:5"), None);
        assert_eq!(per_continent_count("é per continenté"), None);
        assert_eq!(per_continent_count("ontinent"), None);
    }
}
