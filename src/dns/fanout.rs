//! The DNS cell's fan-out, as data: which DoH requests to send for a name, its record types, the
//! resolvers and the client subnets chosen, and how whatever came back for each (a body, an HTTP
//! error, a timeout) becomes an observation for the answer matrix.
//!
//! The `net` shell sends each `PlannedQuery::request` (pacing and cancelling as it sees fit) and
//! hands the outcome to `PlannedQuery::observe`; nothing here waits or fetches.

use serde::{Deserialize, Serialize};

use super::doh::{self, DohRequest, Resolver};
use super::matrix::{FailureKind, Observation, Vantage};
use super::record::RecordType;
use super::subnets::EcsSubnet;
use super::wire::QueryError;

/// One request of the fan-out and who it stands for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedQuery {
    pub resolver: Resolver,
    pub name: String,
    pub rtype: RecordType,
    /// The emulated client, for resolvers that take a subnet.
    pub subnet: Option<EcsSubnet>,
    pub request: DohRequest,
}

/// What the shell got for one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transport {
    /// An HTTP response, whatever its status.
    Response { status: u16, body: Vec<u8> },
    /// No response within the shell's time limit.
    TimedOut,
    /// The request failed before any response (network down, CORS refused, aborted).
    Failed { reason: String },
}

impl PlannedQuery {
    pub fn vantage(&self) -> Vantage {
        Vantage::resolver(&self.resolver.label, self.subnet.as_ref())
    }

    /// The observation this request's outcome makes; `rt_ms` is the time the shell measured.
    pub fn observe(&self, transport: &Transport, rt_ms: Option<f64>) -> Observation {
        let vantage = self.vantage();
        match transport {
            Transport::Response { status, body } if (200..300).contains(status) => {
                let reply = doh::parse_reply(self.resolver.protocol, body);
                Observation::from_doh_result(vantage, &reply, rt_ms)
            }
            Transport::Response { status, body } => {
                let failure = doh::http_failure(*status, &String::from_utf8_lossy(body));
                Observation::from_doh_result(vantage, &Err(failure), rt_ms)
            }
            Transport::TimedOut => Observation::failed(
                vantage,
                FailureKind::Timeout,
                format!("no reply from {} in time", self.resolver.label),
                rt_ms,
            ),
            Transport::Failed { reason } => Observation::failed(
                vantage,
                FailureKind::Error,
                format!("{}: {reason}", self.resolver.label),
                rt_ms,
            ),
        }
    }
}

/// Every request for `name`: each record type at each resolver, once per subnet for resolvers that
/// carry one (Google JSON, RFC 8484) and once without for the others (Cloudflare JSON) or when no
/// subnet is chosen. The name is checked once, before anything is planned.
pub fn plan(
    name: &str,
    rtypes: &[RecordType],
    resolvers: &[Resolver],
    subnets: &[EcsSubnet],
) -> Result<Vec<PlannedQuery>, QueryError> {
    let name = super::wire::validate_name(name)?;
    let mut planned = Vec::new();
    for resolver in resolvers {
        let per_subnet: Vec<Option<&EcsSubnet>> =
            if resolver.protocol.carries_subnet() && !subnets.is_empty() {
                subnets.iter().map(Some).collect()
            } else {
                vec![None]
            };
        for &rtype in rtypes {
            for subnet in &per_subnet {
                let request = doh::request(resolver, &name, rtype, subnet.map(|s| s.subnet))?;
                planned.push(PlannedQuery {
                    resolver: resolver.clone(),
                    name: name.clone(),
                    rtype,
                    subnet: subnet.cloned(),
                    request,
                });
            }
        }
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::EcsOutcome;
    use crate::dns::subnets::{ecs_subnets, one_per_continent};

    #[test]
    fn one_request_per_type_resolver_and_subnet() {
        let continents = one_per_continent(&ecs_subnets());
        let resolvers = [
            Resolver::google_json(),
            Resolver::cloudflare_json(),
            Resolver::rfc8484("Quad9", "https://dns.quad9.net/dns-query").unwrap(),
        ];
        let planned = plan(
            "example.com",
            &[RecordType::A, RecordType::AAAA],
            &resolvers,
            &continents,
        )
        .unwrap();
        // Google and the RFC 8484 endpoint: 2 types × 6 continents each; Cloudflare: 2 types.
        assert_eq!(planned.len(), 2 * 6 + 2 + 2 * 6);
        let cloudflare: Vec<&PlannedQuery> = planned
            .iter()
            .filter(|q| q.resolver.label == "Cloudflare")
            .collect();
        assert!(
            cloudflare
                .iter()
                .all(|q| q.subnet.is_none() && q.request.subnet.is_none())
        );
        let google = &planned[0];
        assert_eq!(
            google.vantage().country.as_deref(),
            Some(continents[0].country.as_str())
        );
        assert!(google.request.url.contains("edns_client_subnet="));
        assert!(plan("a..b", &[RecordType::A], &resolvers, &[]).is_err());
        assert_eq!(
            plan("example.com", &[RecordType::A], &resolvers, &[])
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn each_outcome_becomes_an_observation() {
        let subnet = ecs_subnets()
            .into_iter()
            .find(|s| s.country == "JP")
            .unwrap();
        let planned = plan(
            "img.alicdn.com",
            &[RecordType::A],
            &[Resolver::google_json()],
            &[subnet],
        )
        .unwrap();
        let query = &planned[0];
        // The recorded Google reply (its echo names another subnet, but the scope is what counts).
        let body = include_bytes!(
            "../../tests/fixtures/doh/google-json_A_with-edns_client_subnet_img.alicdn.com.json"
        )
        .to_vec();
        let ok = query.observe(&Transport::Response { status: 200, body }, Some(41.5));
        assert!(matches!(
            ok.ecs,
            EcsOutcome::Honoured {
                scope_prefix: 24,
                ..
            }
        ));
        assert_eq!(ok.answers.len(), 3);
        assert_eq!(ok.rt_ms, Some(41.5));
        let refused = query.observe(
            &Transport::Response {
                status: 400,
                body: br#"{"error": "Invalid name"}"#.to_vec(),
            },
            None,
        );
        assert_eq!(refused.failure, Some(FailureKind::Error));
        assert!(refused.error.unwrap().contains("Invalid name"));
        let garbage = query.observe(
            &Transport::Response {
                status: 200,
                body: b"<html>".to_vec(),
            },
            None,
        );
        assert_eq!(garbage.failure, Some(FailureKind::Unreadable));
        assert_eq!(
            query.observe(&Transport::TimedOut, None).failure,
            Some(FailureKind::Timeout)
        );
        let failed = query.observe(
            &Transport::Failed {
                reason: "CORS refused".to_string(),
            },
            None,
        );
        assert_eq!(failed.error.as_deref(), Some("Google: CORS refused"));
        assert_eq!(failed.vantage.country.as_deref(), Some("JP"));
    }
}
