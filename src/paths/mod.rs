//! Paths and routing: what the hops of Atlas traceroutes say about where the traffic went. Location
//! hints from router names checked against the speed of light (`hints`), the per-probe hop table
//! (`trace`), where the paths of many probes converge (`converge`), the lines to draw on the map, BGP
//! community meanings (`communities`, and `remarks` for those an AS documents in its aut-num) and
//! whether a measured path crosses the origin's neighbours.
//!
//! Pure core: it takes parsed traceroutes, probe metadata and plain maps (address → reverse-DNS name,
//! address → origin AS) as data, and fetches nothing; `net` does the DoH and RIPEstat requests.

pub mod communities;
pub mod converge;
pub mod crossing;
pub mod hints;
pub mod map;
pub mod remarks;
pub mod trace;

pub use converge::{Convergence, ConvergencePoint, converge};
pub use crossing::{Crossing, crossings};
pub use hints::{HintSource, HintStatus, LocationHint};
pub use map::{MapPath, MapPoint, TargetLocation, map_paths};
pub use trace::{HopOrigin, HopRow, LastHop, PathContext, ProbePath, probe_path, probe_paths};
