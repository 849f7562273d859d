//! Small statistics over samples: min, max, mean, median and quantiles. Non-finite values are ignored
//! and empty input gives `None`, so a probe with no replies has no RTT rather than a made-up one.

fn finite_sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

pub fn min(values: &[f64]) -> Option<f64> {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .min_by(f64::total_cmp)
}

pub fn max(values: &[f64]) -> Option<f64> {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .max_by(f64::total_cmp)
}

pub fn mean(values: &[f64]) -> Option<f64> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    (!finite.is_empty()).then(|| finite.iter().sum::<f64>() / finite.len() as f64)
}

/// The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics: definition 7 of
/// Hyndman & Fan, "Sample Quantiles in Statistical Packages", The American Statistician 50(4), 1996,
/// the default of R and NumPy. q outside [0, 1] is clamped.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    let sorted = finite_sorted(values);
    if sorted.is_empty() || q.is_nan() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lower = h.floor() as usize;
    let upper = h.ceil() as usize;
    let (a, b) = (sorted[lower], sorted[upper.min(sorted.len() - 1)]);
    Some(a + (h - lower as f64) * (b - a))
}

/// The median: the middle value, or the mean of the two middle values (type 7 at q = 0.5).
pub fn median(values: &[f64]) -> Option<f64> {
    quantile(values, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_non_finite_input_gives_none() {
        assert_eq!(median(&[]), None);
        assert_eq!(min(&[f64::NAN]), None);
        assert_eq!(mean(&[f64::INFINITY]), None);
        assert_eq!(quantile(&[1.0], f64::NAN), None);
        assert_eq!(median(&[f64::NAN, 3.0]), Some(3.0));
    }

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(14.31932, 29.52694, 30.339078, 34.22132, 36.97791), c(.1, .5, .9), type = 7)
        let v = [34.22132, 30.339078, 29.52694, 36.97791, 14.31932];
        assert!((quantile(&v, 0.1).unwrap() - 20.402368).abs() < 1e-9);
        assert_eq!(median(&v), Some(30.339078));
        assert!((quantile(&v, 0.9).unwrap() - 35.875274).abs() < 1e-9);
        assert_eq!(median(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
        assert_eq!(quantile(&v, -3.0), Some(14.31932));
        assert_eq!(quantile(&v, 7.0), Some(36.97791));
        assert_eq!(min(&v), Some(14.31932));
        assert_eq!(max(&v), Some(36.97791));
        assert!((mean(&[1.0, 2.0, 6.0]).unwrap() - 3.0).abs() < 1e-12);
    }
}
