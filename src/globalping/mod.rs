//! Globalping (api.globalping.io), the second measurement source: requests (`request`), what the API
//! answers (`measurement`), results turned into the Atlas result format so the map, continent table,
//! hop tables, DNS answer matrix and inference read them unchanged (`adapt`, with the DNS wire reply
//! in `reply` and the hops and router names of traceroute and MTR text output in `raw`), and HTTP
//! checks from many places (`http`, with whose trouble each failure was in `http_failure`).
//!
//! The pure core of the Globalping cell: no I/O and no browser crate. The `net` shell sends the
//! bodies built here and hands back status, headers and text; everything is parsed here.

pub mod adapt;
pub mod http;
pub mod http_failure;
pub mod measurement;
pub mod raw;
pub mod reply;
pub mod request;

pub use adapt::{AtlasForm, atlas_form};
pub use http::{ContinentCount, HttpRow, HttpVerdict, StatusClass, http_rows, http_verdict};
pub use measurement::{
    Created, DnsAnswer, Hop, HttpTimings, Measurement, Outcome, Probe, ProbeResult, RateLimit,
    Status, TlsSummary, parse_created, parse_error, parse_limits, parse_measurement,
    rate_limit_from_headers,
};
pub use request::{
    ANONYMOUS_PROBES_PER_MEASUREMENT, ANONYMOUS_TESTS_PER_HOUR,
    AUTHENTICATED_PROBES_PER_MEASUREMENT, AUTHENTICATED_TESTS_PER_HOUR, CONTINENTS, LocationSpec,
    Locations, MeasurementRequest, TestOptions, TestType, parse_places, per_continent,
};
