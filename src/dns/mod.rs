//! DNS from everywhere: the pure engine behind the DNS cell. It builds queries (RFC 8484 wire GETs
//! and the Google and Cloudflare JSON APIs, with EDNS Client Subnet to emulate clients elsewhere),
//! decodes what comes back (wire replies, Atlas `abuf`, DoH JSON) into one observation type, and
//! compares observations from many vantages into an answer matrix with a plain-words verdict.
//!
//! It performs no I/O: the `net` shell sends the requests built here and hands back bodies and
//! timings; Atlas results are parsed in `atlas::dns` and meet DoH replies in `matrix`.

pub mod bogon;
pub mod doh;
pub mod fanout;
pub mod matrix;
pub mod present;
pub mod record;
pub mod subnets;
pub mod wire;

pub use record::{Answer, ClientSubnet, EcsEcho, EcsOutcome, Flags, Question, Rcode, RecordType};
