//! Who originates an address: an autonomous system with its holder name (`Asn`), and the covering
//! prefix with its origin ASes (`Origin`). RIPEstat's `network-info` and `prefix-overview` calls fill
//! them (`Origin::from_calls` is in `ripestat`); the DNS answer matrix and the routing cell read them.

use std::fmt;

use serde::Serialize;

/// An autonomous system that originates a prefix, with its registered holder name when known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Asn {
    pub number: u32,
    pub holder: Option<String>,
}

impl fmt::Display for Asn {
    /// "AS3333 RIPE-NCC-AS - …", or "AS3333" without a holder.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AS{}", self.number)?;
        if let Some(holder) = &self.holder {
            write!(f, " {holder}")?;
        }
        Ok(())
    }
}

/// Who announces an address: the covering prefix in BGP and its origin AS(es).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Origin {
    pub prefix: Option<String>,
    pub asns: Vec<Asn>,
}
