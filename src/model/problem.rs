//! A problem with an outside API as data: which service, the HTTP status, what kind of problem, what
//! the service said, and how long it asked to wait. Each source reads its own error bodies into an
//! [`ApiProblem`] (`atlas::create::parse_error`, `globalping::parse_error`); `problem_words` is
//! the one place that words it for a reader; the shells decide where it is shown and add the names
//! of their own places (where keys are typed), which this type and its wording never contain.
//!
//! Bottom layer: imports nothing else from the crate, performs no I/O and holds no prose.

/// The outside service a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Atlas,
    Globalping,
    Ripestat,
    Doh,
}

/// What the request was for: the same status means different things (and asks for different next
/// steps) when reading a public measurement and when creating one with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum During {
    /// Reading public data (an Atlas measurement's results, its probes).
    Reading,
    /// Creating or following a measurement of one's own (with a key or token).
    Creating,
}

/// What went wrong, as far as the reply lets us tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The thing asked for does not exist (or is not visible without its owner's key).
    NotFound,
    /// No credentials arrived where the request needs them.
    Unauthorized,
    /// Credentials arrived but the service does not know them (mistyped, deleted).
    UnknownKey,
    /// Known credentials that may not do this (a permission, a disabled key, a private measurement).
    Forbidden,
    /// The account cannot pay for the request.
    NoCredits,
    /// Too many requests. `hourly_quota` is Globalping's hourly measurement quota, which lasts up to
    /// an hour; otherwise it is pacing, which a short wait clears.
    RateLimited { hourly_quota: bool },
    /// No online probe matches the places asked for (Globalping).
    NoProbes,
    /// The request was refused as invalid; `ApiProblem::fields` names the fields when the reply did.
    BadRequest,
    /// The service failed on its side (5xx).
    Server,
    /// A success status whose reply could not be read: this program's finding, not the service's.
    Unreadable,
    /// No response at all: offline, a DNS failure, a refused connection or a cross-origin (CORS)
    /// refusal, which the browser does not tell apart. It concerns this browser's path to the
    /// service, never the target being investigated.
    Unreachable,
    /// Anything else the service answered.
    Other,
}

/// One refusal or failure of an outside API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiProblem {
    pub service: Service,
    pub during: During,
    /// The HTTP status; `None` when no response arrived.
    pub status: Option<u16>,
    pub kind: ProblemKind,
    /// The service's own name for the error (Globalping's `error.type`, Atlas's `error.code`).
    pub code: Option<String>,
    /// The body's own title (Atlas `error.title`), when it gave one.
    pub title: Option<String>,
    /// What the service said (or, for an `Unreachable`, what the browser said), cleaned and cut to size.
    pub detail: Option<String>,
    /// Field problems: where (a JSON pointer into the request body, a query parameter or a field
    /// name) and what is wrong there.
    pub fields: Vec<(String, String)>,
    /// The reply was a web page (a proxy, login or outage page) instead of the API's JSON.
    pub web_page: bool,
    /// How long the service asked to wait, in seconds (`Retry-After`, or a wait stated in its words).
    pub retry_after: Option<u64>,
}

impl ApiProblem {
    /// A problem with nothing read from a body yet: the readers fill in the rest.
    pub fn new(service: Service, during: During, status: Option<u16>, kind: ProblemKind) -> Self {
        ApiProblem {
            service,
            during,
            status,
            kind,
            code: None,
            title: None,
            detail: None,
            fields: Vec::new(),
            web_page: false,
            retry_after: None,
        }
    }

    /// No response arrived (network down, CORS refusal): `detail` is what the browser said.
    pub fn unreachable(service: Service, during: During, detail: &str) -> Self {
        let mut problem = ApiProblem::new(service, during, None, ProblemKind::Unreachable);
        problem.detail = (!detail.trim().is_empty()).then(|| detail.trim().to_string());
        problem
    }

    /// Whether the same request can work later without changing it: pacing limits (not an hourly
    /// quota), server errors and no response at all.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ProblemKind::Unreachable => true,
            ProblemKind::RateLimited {
                hourly_quota: false,
            } if self.status == Some(429) => true,
            _ => self.status.is_some_and(|status| status >= 500),
        }
    }

    /// Whether the problem says anything about the target being investigated. Only a reply of the
    /// service about the thing asked for can; a missing response, a rate limit, a key or credit
    /// problem or a server failure is about this browser's path or account, and never evidence.
    pub fn concerns_target(&self) -> bool {
        matches!(
            self.kind,
            ProblemKind::NotFound | ProblemKind::BadRequest | ProblemKind::NoProbes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_are_never_about_the_target() {
        let refused =
            ApiProblem::unreachable(Service::Atlas, During::Creating, " Failed to fetch ");
        assert_eq!(refused.status, None);
        assert_eq!(refused.detail.as_deref(), Some("Failed to fetch"));
        assert!(!refused.concerns_target());
        assert!(refused.is_retryable());
        let limited = ApiProblem::new(
            Service::Globalping,
            During::Creating,
            Some(429),
            ProblemKind::RateLimited { hourly_quota: true },
        );
        assert!(!limited.concerns_target() && !limited.is_retryable());
    }
}
