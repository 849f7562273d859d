//! Local settings: the API base URLs this browser talks to. They live only in this browser (never in a
//! notebook, a file or a share link) so a shared report cannot redirect the reader's requests, and the
//! end-to-end tests can point the app at a local replay server. Pure: the shell stores the text.

use serde::{Deserialize, Serialize};

pub const DEFAULT_ATLAS_BASE_URL: &str = "https://atlas.ripe.net";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "default_atlas")]
    pub atlas_base_url: String,
}

fn default_atlas() -> String {
    DEFAULT_ATLAS_BASE_URL.to_string()
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            atlas_base_url: default_atlas(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SettingsError(pub String);

impl Settings {
    /// Reads stored settings; anything unreadable falls back to the defaults (settings hold no work
    /// worth an error page).
    pub fn from_stored(text: Option<&str>) -> Settings {
        text.and_then(|text| serde_json::from_str::<Settings>(text).ok())
            .and_then(|settings| settings.validated().ok())
            .unwrap_or_default()
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks and normalises the URLs (http or https only, no trailing slash, no query or fragment).
    pub fn validated(self) -> Result<Settings, SettingsError> {
        Ok(Settings {
            atlas_base_url: normalise_base_url(&self.atlas_base_url, "RIPE Atlas")?,
        })
    }
}

fn normalise_base_url(input: &str, service: &str) -> Result<String, SettingsError> {
    let trimmed = input.trim().trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| {
            SettingsError(format!(
                "The {service} address must start with https:// (or http:// for a local server)."
            ))
        })?;
    if rest.is_empty() || rest.contains(['?', '#', ' ', '@']) {
        return Err(SettingsError(format!(
            "The {service} address must be a plain address such as {DEFAULT_ATLAS_BASE_URL}, without spaces, \
             user names, queries or fragments."
        )));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_or_refused() {
        let ok = |url: &str| {
            Settings {
                atlas_base_url: url.into(),
            }
            .validated()
            .map(|s| s.atlas_base_url)
        };
        assert_eq!(
            ok(" http://127.0.0.1:9000/ "),
            Ok("http://127.0.0.1:9000".into())
        );
        assert_eq!(
            ok("https://atlas.ripe.net"),
            Ok("https://atlas.ripe.net".into())
        );
        assert!(ok("javascript:alert(1)").is_err());
        assert!(ok("ftp://x").is_err());
        assert!(ok("https://").is_err());
        assert!(ok("https://user@evil.example").is_err());
    }

    #[test]
    fn unreadable_storage_falls_back_to_defaults() {
        assert_eq!(Settings::from_stored(None), Settings::default());
        assert_eq!(Settings::from_stored(Some("{")), Settings::default());
        assert_eq!(
            Settings::from_stored(Some(r#"{"atlas_base_url":"javascript:x"}"#)),
            Settings::default()
        );
        let stored = Settings {
            atlas_base_url: "http://127.0.0.1:1".into(),
        };
        assert_eq!(Settings::from_stored(Some(&stored.to_stored())), stored);
    }
}
