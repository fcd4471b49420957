//! Seeded randomness: one generator per purpose (derived from the user's seed and a stream
//! number), so results do not depend on thread scheduling.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// A generator for `stream` under `seed`.
pub(crate) fn rng(seed: u64, stream: u64) -> Pcg64Mcg {
    let mixed = splitmix(seed ^ splitmix(stream.wrapping_add(0x9E37_79B9_7F4A_7C15)));
    Pcg64Mcg::seed_from_u64(mixed)
}

/// `k` distinct positions out of `0..n` (all of them when `k >= n`), ascending.
pub(crate) fn sample_positions(n: usize, k: usize, seed: u64, stream: u64) -> Vec<usize> {
    if k >= n {
        return (0..n).collect();
    }
    let mut picked = rand::seq::index::sample(&mut rng(seed, stream), n, k).into_vec();
    picked.sort_unstable();
    picked
}

/// SplitMix64's finaliser: spreads nearby seeds far apart.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
