//! Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the shape of a long
//! series in a fixed number of points, so a million measurements draw like a thousand.

/// Picks at most `threshold` points from `data` (sorted by x), always keeping the first and
/// last. Returns the input unchanged when it is already short enough.
pub fn lttb(data: &[(f64, f64)], threshold: usize) -> Vec<(f64, f64)> {
    let n = data.len();
    if threshold >= n || threshold < 3 {
        return data.to_vec();
    }
    let mut sampled = Vec::with_capacity(threshold);
    sampled.push(data[0]);
    // The first and last points are fixed; the rest are split into threshold - 2 buckets.
    let every = (n - 2) as f64 / (threshold - 2) as f64;
    let mut a = 0usize;
    for i in 0..threshold - 2 {
        let next_start = ((i + 1) as f64 * every) as usize + 1;
        let next_end = (((i + 2) as f64 * every) as usize + 1).min(n);
        let next = &data[next_start.min(n - 1)..next_end.max(next_start.min(n - 1) + 1)];
        let avg_x = next.iter().map(|p| p.0).sum::<f64>() / next.len() as f64;
        let avg_y = next.iter().map(|p| p.1).sum::<f64>() / next.len() as f64;

        let start = (i as f64 * every) as usize + 1;
        let end = (((i + 1) as f64 * every) as usize + 1).min(n - 1);
        let (ax, ay) = data[a];
        let mut best = start;
        let mut best_area = -1.0;
        for (j, &(x, y)) in data.iter().enumerate().take(end.max(start + 1)).skip(start) {
            let area = ((ax - avg_x) * (y - ay) - (ax - x) * (avg_y - ay)).abs();
            if area > best_area {
                best_area = area;
                best = j;
            }
        }
        sampled.push(data[best]);
        a = best;
    }
    sampled.push(data[n - 1]);
    sampled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_untouched() {
        let data: Vec<_> = (0..10).map(|i| (i as f64, i as f64)).collect();
        assert_eq!(lttb(&data, 10), data);
        assert_eq!(lttb(&data, 50), data);
        assert_eq!(lttb(&data, 2), data);
        assert!(lttb(&[], 100).is_empty());
    }

    #[test]
    fn long_series_keep_their_ends_order_and_size() {
        let data: Vec<_> = (0..1_000_000).map(|i| (i as f64, ((i as f64) / 1000.0).sin())).collect();
        let out = lttb(&data, 1000);
        assert_eq!(out.len(), 1000);
        assert_eq!(out[0], data[0]);
        assert_eq!(out[999], data[999_999]);
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0), "x stays increasing");
    }

    #[test]
    fn spikes_survive() {
        let mut data: Vec<_> = (0..10_000).map(|i| (i as f64, 1.0)).collect();
        data[4321].1 = 500.0;
        data[7000].1 = -300.0;
        let out = lttb(&data, 100);
        assert!(out.iter().any(|p| p.1 == 500.0), "the peak is kept");
        assert!(out.iter().any(|p| p.1 == -300.0), "the trough is kept");
    }
}
