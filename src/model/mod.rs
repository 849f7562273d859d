//! The source-neutral model: the types that more than one source and engine share, so that no
//! source imports another and no engine reaches into a source for a plain value type. A probe's
//! metadata (`Probe`), a problem with an outside API (`ApiProblem`), who originates an address
//! (`Asn`, `Origin`) and BGP community values (`Community`, `LargeCommunity`) live here; each source
//! turns its wire format into them (`atlas::probes`, `ripestat`, the error readers of `atlas` and
//! `globalping`), and engines (`dns::matrix`, `infer`, `paths`, `latency`) read them. So do the few
//! rules every source applies alike: the host-name check (`host`), the "N per continent" grammar
//! (`per_continent`) and the lenient reader of numbers in outside JSON (`lenient`).
//!
//! The bottom layer: it imports no other module of the crate. Serde shapes are those of the saved
//! notebook and the share link, so they must not change.

pub mod community;
pub mod host;
pub mod lenient;
pub mod origin;
pub mod per_continent;
pub mod probe;
pub mod problem;

pub use community::{Community, LargeCommunity};
pub use origin::{Asn, Origin};
pub use probe::Probe;
pub use problem::{ApiProblem, During, ProblemKind, Service};
