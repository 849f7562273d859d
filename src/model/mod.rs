//! The source-neutral model: the types that more than one source and engine share, so that no
//! source imports another and no engine reaches into a source for a plain value type. A probe's
//! metadata (`Probe`), who originates an address (`Asn`, `Origin`) and BGP community values
//! (`Community`, `LargeCommunity`) live here; each source turns its wire format into them
//! (`atlas::probes`, `ripestat`), and engines (`dns::matrix`, `infer`, `paths`, `latency`) read them.
//!
//! The bottom layer: it imports no other module of the crate. Serde shapes are those of the saved
//! notebook and the share link, so they must not change.

pub mod community;
pub mod origin;
pub mod probe;

pub use community::{Community, LargeCommunity};
pub use origin::{Asn, Origin};
pub use probe::Probe;
