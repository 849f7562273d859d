//! The crossing note: whether a measured path runs through the neighbours that BGP shows for the
//! target's origin AS (RIPEstat `asn-neighbours`), e.g. "the path enters AS62041 from AS1273 (Cable &
//! Wireless), an upstream of the origin". It joins the traceroute's hop origins (address → AS, as
//! `trace` carries them) with the routing context; pure core, no I/O.
//!
//! A traceroute hop's address may be numbered from a neighbour's space on a link between the two
//! networks, so a hop "in" an upstream can be the origin's own router on that link; the note says
//! where the path is, not who operates the router.

use serde::Serialize;

use super::trace::ProbePath;
use crate::ripestat::asn_neighbours::{AsnNeighbours, Side};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    pub prb_id: u64,
    /// The hop where the neighbour's address space was seen (for `enters_origin`, the neighbour's last
    /// hop before the origin's first).
    pub ttl: u32,
    pub neighbour_asn: u32,
    pub neighbour_holder: Option<String>,
    /// The sides RIPEstat lists the neighbour on (one AS can be both).
    pub sides: Vec<Side>,
    /// The next answering hop with a known origin is in the origin AS itself.
    pub enters_origin: bool,
    pub note: String,
}

fn role(sides: &[Side]) -> &'static str {
    let up = sides.contains(&Side::Upstream);
    let down = sides.contains(&Side::Downstream);
    match (up, down) {
        (true, true) => "an upstream and a downstream of the origin",
        (true, false) => "an upstream of the origin",
        (false, true) => "a downstream of the origin",
        _ => "a neighbour of the origin (side uncertain)",
    }
}

/// The neighbours of `neighbours.asn` (the origin) that a path crosses, in hop order, each once.
pub fn crossings(path: &ProbePath, neighbours: &AsnNeighbours) -> Vec<Crossing> {
    let origin = neighbours.asn;
    // The answering hops with a known origin, in order.
    let hops: Vec<(u32, u32, Option<String>)> = path
        .hops
        .iter()
        .filter_map(|row| {
            let hop_origin = row.origin.as_ref()?;
            Some((row.ttl, hop_origin.asn, hop_origin.holder.clone()))
        })
        .collect();
    let mut out: Vec<Crossing> = Vec::new();
    for (index, (ttl, asn, holder)) in hops.iter().enumerate() {
        if *asn == origin || out.iter().any(|c| c.neighbour_asn == *asn) {
            continue;
        }
        let sides = neighbours.sides_of(*asn);
        if sides.is_empty() {
            continue;
        }
        // The neighbour's last hop in this run, and whether the run hands over to the origin.
        let run_end = hops[index..]
            .iter()
            .take_while(|(_, a, _)| a == asn)
            .last()
            .map_or(*ttl, |(t, _, _)| *t);
        let next = hops[index..].iter().find(|(_, a, _)| a != asn);
        let enters_origin = next.is_some_and(|(_, a, _)| *a == origin);
        let name = match holder {
            Some(holder) => format!("AS{asn} ({holder})"),
            None => format!("AS{asn}"),
        };
        let note = if enters_origin {
            format!("the path enters AS{origin} from {name}, {}", role(&sides))
        } else {
            format!("the path crosses {name}, {}, at hop {ttl}", role(&sides))
        };
        out.push(Crossing {
            prb_id: path.prb_id,
            ttl: if enters_origin { run_end } else { *ttl },
            neighbour_asn: *asn,
            neighbour_holder: holder.clone(),
            sides,
            enters_origin,
            note,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;
    use crate::paths::trace::tests::{MSM_1033154, PROBES_1033154, traces};
    use crate::paths::trace::{HopOrigin, PathContext, probe_path};
    use crate::ripestat::asn_neighbours;

    /// The recorded neighbours of AS12386 (upstreams 12479, 8220, 25259; 25259 also downstream) with
    /// the recorded path of probe 3161, whose hops are given made-up origins so that it runs through
    /// two of those neighbours into AS12386: only the joining logic is under test.
    #[test]
    fn a_path_through_the_upstreams_into_the_origin() {
        let neighbours = asn_neighbours::parse(include_str!(
            "../../tests/fixtures/ripestat/asn-neighbours.json"
        ))
        .unwrap();
        let trace = traces(MSM_1033154)
            .into_iter()
            .find(|t| t.prb_id == 3161)
            .unwrap();
        let probes = parse_probes_page(PROBES_1033154).probes;
        let mut context = PathContext::default();
        for (address, asn, holder) in [
            ("145.100.128.37", 25259, None),
            ("145.145.19.49", 12479, Some("EXAMPLE-UPSTREAM")),
            ("195.69.145.176", 12386, None),
            ("91.198.174.225", 12386, None),
        ] {
            context.origins.insert(
                address.to_string(),
                HopOrigin {
                    asn,
                    holder: holder.map(str::to_string),
                    prefix: None,
                },
            );
        }
        let path = probe_path(&trace, probes.iter().find(|p| p.id == 3161), &context);
        let found = crossings(&path, &neighbours);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].note,
            "the path crosses AS25259, an upstream and a downstream of the origin, at hop 2"
        );
        assert!(!found[0].enters_origin);
        assert_eq!(
            found[1].note,
            "the path enters AS12386 from AS12479 (EXAMPLE-UPSTREAM), an upstream of the origin"
        );
        assert_eq!(found[1].ttl, 3);
        // No origins known: nothing to say.
        let bare = probe_path(&trace, None, &PathContext::default());
        assert!(crossings(&bare, &neighbours).is_empty());
    }
}
