//! HyperLogLog: a distinct count in 16 KiB whatever the column's size (precision 14,
//! standard error about 0.8%), with linear counting for small cardinalities.

const P: u32 = 14;
const M: usize = 1 << P;

/// A HyperLogLog sketch over 64-bit hashes.
#[derive(Debug, Clone)]
pub struct Hll {
    registers: Vec<u8>,
}

impl Default for Hll {
    fn default() -> Self {
        Self::new()
    }
}

impl Hll {
    /// An empty sketch.
    pub fn new() -> Self {
        Self {
            registers: vec![0; M],
        }
    }

    /// Adds a value by its hash (any 64-bit hash; it is mixed again here).
    pub fn add(&mut self, hash: u64) {
        let h = mix(hash);
        let i = (h >> (64 - P)) as usize;
        let rest = (h << P) | (1 << (P - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        if rank > self.registers[i] {
            self.registers[i] = rank;
        }
    }

    /// The estimated number of distinct values added.
    pub fn estimate(&self) -> u64 {
        let m = M as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let mut sum = 0.0;
        let mut zeros = 0usize;
        for &r in &self.registers {
            sum += f64::powi(2.0, -i32::from(r));
            if r == 0 {
                zeros += 1;
            }
        }
        let raw = alpha * m * m / sum;
        let e = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        };
        e.round() as u64
    }
}

/// SplitMix64's finaliser: spreads any input over all 64 bits.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_within_a_few_percent() {
        for n in [0u64, 1, 10, 1_000, 50_000, 1_000_000] {
            let mut h = Hll::new();
            for i in 0..n {
                h.add(i);
                h.add(i); // repeats do not count
            }
            let e = h.estimate() as f64;
            let err = (e - n as f64).abs() / (n as f64).max(1.0);
            assert!(err < 0.03, "n = {n}: estimate {e}");
        }
    }
}
