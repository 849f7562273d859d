//! A seeded pseudo-random generator for property tests and benchmarks, so that they need no dependency
//! and give the same cases on every machine.
// Shared by several test and example crates and, through `src/test_kit.rs`, the library's unit tests;
// each uses only some of it.
#![allow(dead_code)]

/// Marsaglia's xorshift64 ("Xorshift RNGs", Journal of Statistical Software 8(14), 2003), shifts
/// 13, 7, 17: plenty for test cases, and the same sequence on every machine.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Uniform in [0, n) (modulo bias is no matter for tests); 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A point uniformly distributed on the sphere (latitude from the arcsine of a uniform variable).
    pub fn point(&mut self) -> (f64, f64) {
        let lat = (2.0 * self.unit() - 1.0).asin().to_degrees();
        (lat, self.range(-180.0, 180.0))
    }

    /// A point within about `spread_deg` degrees of another, with latitude and longitude kept in range.
    pub fn near(&mut self, (lat, lon): (f64, f64), spread_deg: f64) -> (f64, f64) {
        let lat = (lat + self.range(-spread_deg, spread_deg)).clamp(-90.0, 90.0);
        let mut lon = lon + self.range(-spread_deg, spread_deg);
        if lon > 180.0 {
            lon -= 360.0;
        } else if lon < -180.0 {
            lon += 360.0;
        }
        (lat, lon)
    }
}
