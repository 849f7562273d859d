//! The RTT colour scale shared by the map, its legend and the tables.
//!
//! Bands rather than a continuous ramp, because readers compare dots by category ("under 10 ms",
//! "over 250 ms") and must be able to match a dot to the legend. The colours are seven samples of
//! matplotlib's *viridis* colormap (van der Walt & Smith, 2015), which is perceptually uniform and
//! readable with the common forms of colour blindness; fast is bright, slow is dark.

/// One band of the scale: RTTs below `upper_ms` (and at or above the previous band's bound).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttBand {
    pub upper_ms: f64,
    pub label: &'static str,
    pub rgb: (u8, u8, u8),
}

/// The bands: bounds follow the distances that matter in an investigation: same metro (< 10 ms),
/// same region (< 30), same continent (< 60-100), intercontinental (100-250) and beyond.
pub const RTT_BANDS: [RttBand; 7] = [
    RttBand {
        upper_ms: 10.0,
        label: "< 10 ms",
        rgb: (0xfd, 0xe7, 0x25),
    },
    RttBand {
        upper_ms: 30.0,
        label: "10–30",
        rgb: (0x8f, 0xd7, 0x44),
    },
    RttBand {
        upper_ms: 60.0,
        label: "30–60",
        rgb: (0x35, 0xb7, 0x79),
    },
    RttBand {
        upper_ms: 100.0,
        label: "60–100",
        rgb: (0x21, 0x91, 0x8c),
    },
    RttBand {
        upper_ms: 150.0,
        label: "100–150",
        rgb: (0x31, 0x68, 0x8e),
    },
    RttBand {
        upper_ms: 250.0,
        label: "150–250",
        rgb: (0x44, 0x39, 0x83),
    },
    RttBand {
        upper_ms: f64::INFINITY,
        label: "≥ 250 ms",
        rgb: (0x44, 0x01, 0x54),
    },
];

/// Probes that never got a reply are drawn in a neutral grey, never in a scale colour.
pub const NO_REPLY_RGB: (u8, u8, u8) = (0x8a, 0x8a, 0x8a);

/// Colours for categories without an order (the answer sets of a DNS matrix): the seven colours of
/// the Okabe–Ito palette other than black (Okabe & Ito, "Color Universal Design", 2008), chosen to
/// stay distinguishable with the common forms of colour blindness. Black is left out because it is
/// the markers' outline, grey because it means "no answer".
pub const CATEGORY_COLOURS: [(u8, u8, u8); 7] = [
    (0x00, 0x72, 0xb2),
    (0xe6, 0x9f, 0x00),
    (0x00, 0x9e, 0x73),
    (0xcc, 0x79, 0xa7),
    (0x56, 0xb4, 0xe9),
    (0xd5, 0x5e, 0x00),
    (0xf0, 0xe4, 0x42),
];

/// Categories past the palette share one dark colour; the legend says "other".
pub const OTHER_CATEGORY_RGB: (u8, u8, u8) = (0x44, 0x44, 0x44);

/// The colour of category `index` (0 = the largest answer set).
pub fn category_rgb(index: usize) -> (u8, u8, u8) {
    CATEGORY_COLOURS
        .get(index)
        .copied()
        .unwrap_or(OTHER_CATEGORY_RGB)
}

/// The band an RTT falls in. Negative values land in the first band and NaN (the parsers never produce
/// either) in the last, rather than panicking.
pub fn band_index(rtt_ms: f64) -> usize {
    RTT_BANDS
        .iter()
        .position(|band| rtt_ms < band.upper_ms)
        .unwrap_or(RTT_BANDS.len() - 1)
}

/// The colour of a marker or table cell for an RTT (None = no reply).
pub fn rtt_rgb(rtt_ms: Option<f64>) -> (u8, u8, u8) {
    rtt_ms.map_or(NO_REPLY_RGB, |rtt| RTT_BANDS[band_index(rtt)].rgb)
}

/// CSS form of a colour, for HTML tables.
pub fn css_rgb((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_belong_to_the_upper_band() {
        assert_eq!(band_index(0.0), 0);
        assert_eq!(band_index(9.999), 0);
        assert_eq!(band_index(10.0), 1);
        assert_eq!(band_index(249.9), 5);
        assert_eq!(band_index(250.0), 6);
        assert_eq!(band_index(1e9), 6);
        assert_eq!(band_index(f64::NAN), 6);
        assert_eq!(rtt_rgb(None), NO_REPLY_RGB);
        assert_eq!(css_rgb(RTT_BANDS[0].rgb), "#fde725");
    }

    #[test]
    fn categories_have_distinct_colours_then_share_one() {
        let colours: std::collections::HashSet<_> =
            (0..CATEGORY_COLOURS.len()).map(category_rgb).collect();
        assert_eq!(colours.len(), CATEGORY_COLOURS.len());
        assert!(!colours.contains(&NO_REPLY_RGB));
        assert_eq!(category_rgb(7), OTHER_CATEGORY_RGB);
        assert_eq!(category_rgb(usize::MAX), OTHER_CATEGORY_RGB);
    }

    #[test]
    fn bands_increase() {
        assert!(
            RTT_BANDS
                .windows(2)
                .all(|pair| pair[0].upper_ms < pair[1].upper_ms)
        );
    }
}
