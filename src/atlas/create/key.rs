//! The user's RIPE Atlas API key: read from what people paste, sent only as the `Authorization`
//! header value, and otherwise shown masked (`Key ••••5c6d`), never serialised; plus where keys are
//! made and the permission creating a measurement needs.
//!
//! This module must not do I/O or store the key: the settings shell does, through `expose_secret`.
//!
//! Source: the RIPE Atlas REST API manual ("API Keys") and ripe-atlas-tools' quickstart.

use std::fmt;

/// Where users create keys (the brief's address; the Atlas docs send users to the "API Keys" management
/// page of their RIPE NCC Access account).
pub const KEYS_PAGE: &str = "https://atlas.ripe.net/keys/";

/// The permission a key needs, as ripe-atlas-tools' quickstart names it.
pub const CREATE_PERMISSION: &str = "Create a new user defined measurement";

/// The user's Atlas API key. It has no `Serialize`/`Deserialize`, and `Debug` and `Display` print only
/// "Key ••••" and its last four characters, so it cannot leak into logs, notebooks or share links.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts the key as Atlas shows it, a UUID (8-4-4-4-12 hexadecimal digits), with surrounding
    /// spaces or quotes and an optional "Key " or "Authorization: Key " in front, as people paste it.
    /// The error never repeats what was pasted, which may be a secret with a typo.
    pub fn parse(text: &str) -> Result<ApiKey, String> {
        let mut key = text.trim().trim_matches(['"', '\'']).trim();
        for prefix in ["authorization:", "key "] {
            if key.len() >= prefix.len()
                && key.is_char_boundary(prefix.len())
                && key[..prefix.len()].eq_ignore_ascii_case(prefix)
            {
                key = key[prefix.len()..].trim();
            }
        }
        if key.is_empty() {
            return Err(format!(
                "Paste your RIPE Atlas API key, a code like 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d. \
                 Create one at {KEYS_PAGE} with the \"{CREATE_PERMISSION}\" permission."
            ));
        }
        let groups: Vec<&str> = key.split('-').collect();
        let shape_ok = groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(group, length)| group.len() == length);
        let hex_ok = key.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
        if shape_ok && hex_ok {
            return Ok(ApiKey(key.to_string()));
        }
        let length = key.chars().count();
        let hint = if !hex_ok {
            "it contains characters other than 0–9, a–f and hyphens".to_string()
        } else if length != 36 {
            format!("it has {length} characters, not 36")
        } else {
            "its hyphens are not where a key has them".to_string()
        };
        Err(format!(
            "That is not an Atlas API key: {hint}. A key is 8-4-4-4-12 hexadecimal digits with \
             hyphens, like 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d. Copy it again from {KEYS_PAGE}."
        ))
    }

    /// The `Authorization` header value: "Key <uuid>" (Atlas docs "API Keys").
    pub fn header_value(&self) -> String {
        format!("Key {}", self.0)
    }

    /// "Key ••••5c6d": enough to tell keys apart, nothing to reuse.
    pub fn masked(&self) -> String {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("Key ••••{tail}")
    }

    /// The key itself, for the one place that must store it (the settings in the browser's storage).
    /// Never show, log or share it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up key in the documented shape.
    const KEY: &str = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";

    #[test]
    fn the_api_key_never_shows_itself() {
        for pasted in [
            KEY.to_string(),
            format!("  {KEY}\n"),
            format!("Key {KEY}"),
            format!("Authorization: Key {KEY}"),
            format!("\"{KEY}\""),
            KEY.to_uppercase(),
        ] {
            let key = ApiKey::parse(&pasted).unwrap();
            let secret = key.expose_secret().to_ascii_lowercase();
            assert_eq!(secret, KEY);
            for shown in [format!("{key:?}"), format!("{key}"), key.masked()] {
                assert!(!shown.to_ascii_lowercase().contains(KEY), "{shown}");
                assert!(!shown.to_ascii_lowercase().contains(&KEY[..8]), "{shown}");
                assert_eq!(shown.to_ascii_lowercase(), "key ••••5c6d");
            }
            assert_eq!(
                key.header_value().to_ascii_lowercase(),
                format!("key {KEY}")
            );
        }
        // Errors say what a key looks like and never echo what was pasted.
        for bad in [
            "",
            "   ",
            "secret-password-123",
            "1a2b3c4d5e6f4a8b9c0d1e2f3a4b5c6d",
            "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6z",
            "1a2b3c4d-5e6f-4a8b-9c0d1-e2f3a4b5c6d",
            "ключ-ключ",
        ] {
            let message = ApiKey::parse(bad).unwrap_err();
            assert!(message.contains(KEYS_PAGE), "{message}");
            if bad.trim().len() > 4 {
                assert!(!message.contains(bad.trim()), "{message}");
            }
        }
    }
}
