//! Seeded sampling of row indices: the same table and seed give the same sample.

/// SplitMix64: a small, good, seedable generator.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// `m` distinct indices of 0..n in increasing order (all of them when m >= n), Floyd's method.
pub fn sample_indices(n: u64, m: u64, seed: u64) -> Vec<u64> {
    if m >= n {
        return (0..n).collect();
    }
    let mut rng = SplitMix64::new(seed);
    let mut chosen = std::collections::HashSet::with_capacity(m as usize);
    for j in (n - m)..n {
        let t = rng.below(j + 1);
        if !chosen.insert(t) {
            chosen.insert(j);
        }
    }
    let mut out: Vec<u64> = chosen.into_iter().collect();
    out.sort_unstable();
    out
}

/// `m` evenly spaced indices of 0..n (for the missingness matrix).
pub fn spaced_indices(n: u64, m: u64) -> Vec<u64> {
    if m >= n {
        return (0..n).collect();
    }
    (0..m).map(|i| i * n / m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_distinct_sorted_and_repeatable() {
        let a = sample_indices(1_000, 100, 7);
        assert_eq!(a.len(), 100);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert!(a.iter().all(|&i| i < 1_000));
        assert_eq!(a, sample_indices(1_000, 100, 7));
        assert_ne!(a, sample_indices(1_000, 100, 8));
        assert_eq!(sample_indices(5, 10, 1), [0, 1, 2, 3, 4]);
        assert_eq!(spaced_indices(10, 5), [0, 2, 4, 6, 8]);
    }
}
