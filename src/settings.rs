//! Local settings: the service addresses this browser talks to (RIPE Atlas, RIPEstat, the Google and
//! Cloudflare DoH APIs) and the user's own RFC 8484 resolvers. They live only in this browser (never in
//! a notebook, a file or a share link) so a shared report cannot redirect the reader's requests, and
//! the end-to-end tests can point the app at a local replay server. Pure: the shell stores the text.

use serde::{Deserialize, Serialize};

use crate::dns::doh::{DohProtocol, Resolver};

pub const DEFAULT_ATLAS_BASE_URL: &str = "https://atlas.ripe.net";
pub const DEFAULT_RIPESTAT_BASE_URL: &str = crate::ripestat::DEFAULT_BASE_URL;
/// The hosts of the core's endpoints (`GOOGLE_JSON_ENDPOINT`, `CLOUDFLARE_JSON_ENDPOINT`); a test
/// checks that base + path gives them back, so the two cannot drift apart.
pub const DEFAULT_GOOGLE_DOH_BASE_URL: &str = "https://dns.google";
pub const DEFAULT_CLOUDFLARE_DOH_BASE_URL: &str = "https://cloudflare-dns.com";
/// Globalping's API (API-NOTES §6); the measurement paths start with /v1/.
pub const DEFAULT_GLOBALPING_BASE_URL: &str = "https://api.globalping.io";
/// The paths of the two JSON APIs under their base (Google's `/resolve`, Cloudflare's `/dns-query`).
const GOOGLE_JSON_PATH: &str = "/resolve";
const CLOUDFLARE_JSON_PATH: &str = "/dns-query";

/// A resolver the user added: a label (how cells name it) and its RFC 8484 endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DohEndpoint {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "default_atlas")]
    pub atlas_base_url: String,
    #[serde(default = "default_ripestat")]
    pub ripestat_base_url: String,
    #[serde(default = "default_google")]
    pub google_doh_base_url: String,
    #[serde(default = "default_cloudflare")]
    pub cloudflare_doh_base_url: String,
    /// Extra RFC 8484 resolvers, in the order the user listed them.
    #[serde(default)]
    pub doh_endpoints: Vec<DohEndpoint>,
    #[serde(default = "default_globalping")]
    pub globalping_base_url: String,
}

fn default_globalping() -> String {
    DEFAULT_GLOBALPING_BASE_URL.to_string()
}

fn default_atlas() -> String {
    DEFAULT_ATLAS_BASE_URL.to_string()
}

fn default_ripestat() -> String {
    DEFAULT_RIPESTAT_BASE_URL.to_string()
}

fn default_google() -> String {
    DEFAULT_GOOGLE_DOH_BASE_URL.to_string()
}

fn default_cloudflare() -> String {
    DEFAULT_CLOUDFLARE_DOH_BASE_URL.to_string()
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            atlas_base_url: default_atlas(),
            ripestat_base_url: default_ripestat(),
            google_doh_base_url: default_google(),
            cloudflare_doh_base_url: default_cloudflare(),
            doh_endpoints: Vec::new(),
            globalping_base_url: default_globalping(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SettingsError(pub String);

/// The user's secrets: the RIPE Atlas API key and the optional Globalping token. Kept apart from
/// `Settings` and from everything serialisable on purpose (no `Serialize`, a masking `Debug`), so no
/// notebook file, share link, export or settings text can ever carry them; the shell's storage module
/// keeps them in this tab's session storage, or in local storage when the user opts in to remember
/// them, and `net` puts each only in the header of its own API's requests.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub atlas_key: Option<String>,
    pub globalping_token: Option<String>,
    /// Opted in to keep them after the tab closes.
    pub remember: bool,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("atlas_key", &self.atlas_key.as_ref().map(|_| "••••"))
            .field(
                "globalping_token",
                &self.globalping_token.as_ref().map(|_| "••••"),
            )
            .field("remember", &self.remember)
            .finish()
    }
}

impl Credentials {
    /// Reads what the storage module found: empty strings are no secret.
    pub fn from_parts(
        atlas_key: Option<String>,
        globalping_token: Option<String>,
        remember: bool,
    ) -> Credentials {
        let clean = |value: Option<String>| {
            value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Credentials {
            atlas_key: clean(atlas_key),
            globalping_token: clean(globalping_token),
            remember,
        }
    }
}

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

    /// Checks and normalises the addresses (http or https only, no trailing slash, no query or
    /// fragment) and the user's resolvers (RFC 8484 endpoints with distinct labels).
    pub fn validated(self) -> Result<Settings, SettingsError> {
        let mut endpoints: Vec<DohEndpoint> = Vec::new();
        for endpoint in &self.doh_endpoints {
            let resolver = Resolver::rfc8484(&endpoint.label, &endpoint.url)
                .map_err(|error| SettingsError(format!("{error}.")))?;
            if endpoints.iter().any(|known| known.label == resolver.label) {
                return Err(SettingsError(format!(
                    "Two resolvers are called \"{}\": give each its own label (the text before the URL).",
                    resolver.label
                )));
            }
            endpoints.push(DohEndpoint {
                label: resolver.label,
                url: resolver.endpoint,
            });
        }
        Ok(Settings {
            atlas_base_url: normalise_base_url(
                &self.atlas_base_url,
                "RIPE Atlas",
                DEFAULT_ATLAS_BASE_URL,
            )?,
            ripestat_base_url: normalise_base_url(
                &self.ripestat_base_url,
                "RIPEstat",
                DEFAULT_RIPESTAT_BASE_URL,
            )?,
            google_doh_base_url: normalise_base_url(
                &self.google_doh_base_url,
                "Google DoH",
                DEFAULT_GOOGLE_DOH_BASE_URL,
            )?,
            cloudflare_doh_base_url: normalise_base_url(
                &self.cloudflare_doh_base_url,
                "Cloudflare DoH",
                DEFAULT_CLOUDFLARE_DOH_BASE_URL,
            )?,
            doh_endpoints: endpoints,
            globalping_base_url: normalise_base_url(
                &self.globalping_base_url,
                "Globalping",
                DEFAULT_GLOBALPING_BASE_URL,
            )?,
        })
    }

    /// Google's JSON API (with ECS) at the configured address.
    pub fn google_resolver(&self) -> Resolver {
        Resolver {
            endpoint: format!("{}{GOOGLE_JSON_PATH}", self.google_doh_base_url),
            ..Resolver::google_json()
        }
    }

    /// Cloudflare's JSON API at the configured address.
    pub fn cloudflare_resolver(&self) -> Resolver {
        Resolver {
            endpoint: format!("{}{CLOUDFLARE_JSON_PATH}", self.cloudflare_doh_base_url),
            ..Resolver::cloudflare_json()
        }
    }

    /// The user's resolver with this label, if it is (still) in the settings.
    pub fn custom_resolver(&self, label: &str) -> Option<Resolver> {
        self.doh_endpoints
            .iter()
            .find(|endpoint| endpoint.label == label)
            .map(|endpoint| Resolver {
                label: endpoint.label.clone(),
                endpoint: endpoint.url.clone(),
                protocol: DohProtocol::Wire,
            })
    }

    /// The user's resolvers as the settings panel shows them: one `label URL` per line.
    pub fn endpoints_text(&self) -> String {
        self.doh_endpoints
            .iter()
            .map(|endpoint| format!("{} {}", endpoint.label, endpoint.url))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Reads the settings panel's resolver list: one resolver per line, its URL last and an optional
/// label before it ("Quad9 https://dns.quad9.net/dns-query"); blank lines are skipped. The label
/// defaults to the host; `Settings::validated` checks the endpoints.
pub fn parse_endpoints(text: &str) -> Vec<DohEndpoint> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.rsplit_once(char::is_whitespace) {
            Some((label, url)) => DohEndpoint {
                label: label.trim().to_string(),
                url: url.to_string(),
            },
            None => DohEndpoint {
                label: String::new(),
                url: line.to_string(),
            },
        })
        .collect()
}

fn normalise_base_url(input: &str, service: &str, example: &str) -> Result<String, SettingsError> {
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
            "The {service} address must be a plain address such as {example}, without spaces, \
             user names, queries or fragments."
        )));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::doh::{CLOUDFLARE_JSON_ENDPOINT, GOOGLE_JSON_ENDPOINT};

    #[test]
    fn base_urls_are_normalised_or_refused() {
        let ok = |url: &str| {
            Settings {
                atlas_base_url: url.into(),
                ..Settings::default()
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
        let google = Settings {
            google_doh_base_url: "dns.google".into(),
            ..Settings::default()
        }
        .validated();
        assert!(matches!(google, Err(SettingsError(text)) if text.contains("Google DoH")));
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
            ripestat_base_url: "http://127.0.0.1:2".into(),
            doh_endpoints: vec![DohEndpoint {
                label: "Local".into(),
                url: "http://127.0.0.1:3/dns-query".into(),
            }],
            ..Settings::default()
        };
        assert_eq!(Settings::from_stored(Some(&stored.to_stored())), stored);
    }

    #[test]
    fn settings_stored_before_the_dns_addresses_existed_keep_their_atlas_address() {
        let old = Settings::from_stored(Some(r#"{"atlas_base_url":"http://127.0.0.1:7"}"#));
        assert_eq!(old.atlas_base_url, "http://127.0.0.1:7");
        assert_eq!(old.ripestat_base_url, "https://stat.ripe.net");
        assert!(old.doh_endpoints.is_empty());
    }

    #[test]
    fn the_default_resolvers_are_the_cores_endpoints() {
        let settings = Settings::default();
        assert_eq!(settings.google_resolver(), Resolver::google_json());
        assert_eq!(settings.cloudflare_resolver(), Resolver::cloudflare_json());
        assert_eq!(settings.google_resolver().endpoint, GOOGLE_JSON_ENDPOINT);
        assert_eq!(
            settings.cloudflare_resolver().endpoint,
            CLOUDFLARE_JSON_ENDPOINT
        );
        let local = Settings {
            google_doh_base_url: "http://127.0.0.1:9/status/429".into(),
            ..Settings::default()
        };
        assert_eq!(
            local.google_resolver().endpoint,
            "http://127.0.0.1:9/status/429/resolve"
        );
    }

    #[test]
    fn the_resolver_list_reads_labels_and_urls_and_refuses_bad_ones() {
        let endpoints = parse_endpoints(
            "  Quad9 resolver   https://dns.quad9.net/dns-query\n\n https://doh.example/dns-query{?dns}\n",
        );
        let settings = Settings {
            doh_endpoints: endpoints,
            ..Settings::default()
        }
        .validated()
        .unwrap();
        assert_eq!(
            settings.doh_endpoints,
            vec![
                DohEndpoint {
                    label: "Quad9 resolver".into(),
                    url: "https://dns.quad9.net/dns-query".into()
                },
                DohEndpoint {
                    label: "doh.example".into(),
                    url: "https://doh.example/dns-query".into()
                },
            ]
        );
        assert_eq!(
            parse_endpoints(&settings.endpoints_text()),
            settings.doh_endpoints
        );
        let quad9 = settings.custom_resolver("Quad9 resolver").unwrap();
        assert_eq!(quad9.protocol, DohProtocol::Wire);
        assert_eq!(settings.custom_resolver("gone"), None);

        let refuse = |text: &str| {
            Settings {
                doh_endpoints: parse_endpoints(text),
                ..Settings::default()
            }
            .validated()
        };
        assert!(refuse("Plain http://doh.example/dns-query").is_err());
        assert!(refuse("A https://a.example/q\nA https://b.example/q").is_err());
        assert!(refuse("Local http://127.0.0.1:8053/dns-query").is_ok());
    }
}
