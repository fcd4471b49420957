//! Shared helpers for the integration tests (synthetic data, the shared data folder).

#![allow(dead_code)]

use std::path::PathBuf;

use polars::prelude::*;

/// `CARGO_MANIFEST_DIR/../../../shared/data/anomaly`: the shared sets beside the clone.
pub fn anomaly_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/anomaly")
}

/// A shared ADBench set as a lazy frame.
pub fn adbench(name: &str) -> LazyFrame {
    let path = anomaly_dir().join(format!("{name}.parquet"));
    LazyFrame::scan_parquet(
        PlRefPath::new(path.to_string_lossy().as_ref()),
        ScanArgsParquet::default(),
    )
    .expect("shared data set is readable")
}

/// A deterministic pseudo-random stream (SplitMix64) for test data.
pub struct Stream(u64);

impl Stream {
    /// A stream starting at `seed`.
    pub fn new(seed: u64) -> Self {
        Stream(seed)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.uniform().max(1e-12);
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// 600 rows of 4 correlated Gaussian features with 12 planted outliers (label 1): 6 far out on
/// two features (c high, d low), 6 breaking the correlation between a and b while staying in range.
pub fn planted() -> DataFrame {
    let mut s = Stream::new(7);
    let (mut a, mut b, mut c, mut d, mut label) = (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..600 {
        let base = s.normal();
        let mut row = [base, base + 0.1 * s.normal(), s.normal(), s.normal()];
        let outlier = i % 50 == 0;
        if outlier && i % 100 == 0 {
            row[2] += 8.0;
            row[3] -= 8.0;
        } else if outlier {
            row[0] = 1.8;
            row[1] = -1.8;
        }
        a.push(row[0]);
        b.push(row[1]);
        c.push(row[2]);
        d.push(row[3]);
        label.push(i32::from(outlier));
    }
    df!("a" => a, "b" => b, "c" => c, "d" => d, "label" => label).expect("frame")
}
