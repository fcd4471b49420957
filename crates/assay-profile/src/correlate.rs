//! Correlation matrices on a row sample: Pearson, Spearman and Kendall's tau-b for numeric
//! columns (pairwise complete observations, as pandas), Cramér's V for categorical ones.
//!
//! Each numeric column is ranked once: its sampled values become dense codes (the position of
//! the value among the column's distinct sampled values). A pair without gaps uses the
//! column's ranks as they are; a pair with gaps re-ranks from the codes in O(rows + distinct)
//! by counting codes over the complete rows, so no pair sorts again. Kendall's tau-b uses
//! Knight's O(n log n) algorithm.

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use crate::model::CorrelationMatrix;
use crate::stats::{cramers_v, kendall_tau_b};

const MISSING: u32 = u32::MAX;

/// A numeric column's sampled values, NaN where missing (or not finite).
pub struct NumericSample {
    /// Column name.
    pub name: String,
    /// Values at the sampled rows.
    pub values: Vec<f64>,
}

/// A categorical column's sampled values as codes into `levels`, `u32::MAX` where missing.
pub struct CategoricalSample {
    /// Column name.
    pub name: String,
    /// Codes at the sampled rows.
    pub codes: Vec<u32>,
    /// Number of distinct codes.
    pub levels: usize,
}

/// A column ranked once.
struct Ranked<'a> {
    values: &'a [f64],
    /// Values minus their mean (NaN where missing): sums of products stay accurate whatever
    /// the values' offset.
    centered: Vec<f64>,
    codes: Vec<u32>,
    levels: usize,
    gaps: bool,
    /// Rank of each row among all present rows, minus the mean rank (NaN where missing).
    ranks: Vec<f64>,
}

impl<'a> Ranked<'a> {
    fn new(values: &'a [f64]) -> Self {
        let key = |v: f64| if v == 0.0 { 0u64 } else { v.to_bits() };
        // Codes in order of first appearance, then renumbered in value order.
        let mut first: PlHashMap<u64, u32> = PlHashMap::default();
        let mut distinct: Vec<f64> = Vec::new();
        let mut codes: Vec<u32> = values
            .iter()
            .map(|v| {
                if v.is_finite() {
                    *first.entry(key(*v)).or_insert_with(|| {
                        distinct.push(*v);
                        distinct.len() as u32 - 1
                    })
                } else {
                    MISSING
                }
            })
            .collect();
        let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
        order.sort_unstable_by(|a, b| distinct[*a as usize].total_cmp(&distinct[*b as usize]));
        let mut rank_of = vec![0u32; distinct.len()];
        for (rank, code) in order.iter().enumerate() {
            rank_of[*code as usize] = rank as u32;
        }
        let mut present = 0usize;
        let mut sum = 0.0;
        for (c, v) in codes.iter_mut().zip(values) {
            if *c != MISSING {
                *c = rank_of[*c as usize];
                present += 1;
                sum += v;
            }
        }
        let levels = distinct.len();
        let mean = sum / present.max(1) as f64;
        let centered = values
            .iter()
            .zip(&codes)
            .map(|(v, c)| if *c == MISSING { f64::NAN } else { v - mean })
            .collect();
        let by_code = code_ranks(&codes, levels, codes.iter().map(|c| *c != MISSING));
        let mid = (present as f64 + 1.0) / 2.0;
        let ranks = codes
            .iter()
            .map(|c| {
                if *c == MISSING {
                    f64::NAN
                } else {
                    by_code[*c as usize] - mid
                }
            })
            .collect();
        Self {
            values,
            centered,
            codes,
            levels,
            gaps: present < values.len(),
            ranks,
        }
    }
}

/// Average ranks (1-based, ties averaged as scipy's `rankdata`) of each code over the rows
/// `keep` selects.
fn code_ranks(codes: &[u32], levels: usize, keep: impl Iterator<Item = bool>) -> Vec<f64> {
    let mut counts = vec![0u64; levels];
    for (c, k) in codes.iter().zip(keep) {
        if k {
            counts[*c as usize] += 1;
        }
    }
    let mut before = 0u64;
    counts
        .iter()
        .map(|n| {
            let (i, j) = (before, (before + n).saturating_sub(1));
            before += n;
            (i + j) as f64 / 2.0 + 1.0
        })
        .collect()
}

/// Sums for Pearson's r over paired values, in one pass.
#[derive(Default)]
struct Sums {
    n: f64,
    x: f64,
    y: f64,
    xy: f64,
    xx: f64,
    yy: f64,
}

impl Sums {
    #[inline]
    fn add(&mut self, x: f64, y: f64) {
        self.n += 1.0;
        self.x += x;
        self.y += y;
        self.xy += x * y;
        self.xx += x * x;
        self.yy += y * y;
    }

    /// r, or `None` when a side is constant (`varies` says whether each side took two values).
    fn r(&self, varies: bool) -> Option<f64> {
        if !varies || self.n < 2.0 {
            return None;
        }
        let sxy = self.xy - self.x * self.y / self.n;
        let sxx = self.xx - self.x * self.x / self.n;
        let syy = self.yy - self.y * self.y / self.n;
        (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
    }
}

/// Pearson, Spearman and Kendall matrices over the samples; Kendall over the first
/// `kendall_rows` complete pairs.
pub fn numeric_matrices(cols: &[NumericSample], kendall_rows: usize) -> Vec<CorrelationMatrix> {
    let names: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
    let ranked: Vec<Ranked> = cols.par_iter().map(|c| Ranked::new(&c.values)).collect();
    let k = cols.len();
    let pairs: Vec<(usize, usize)> = (0..k).flat_map(|i| (i..k).map(move |j| (i, j))).collect();
    let results: Vec<[Option<f64>; 3]> = pairs
        .par_iter()
        .map(|&(i, j)| pair(&ranked[i], &ranked[j], kendall_rows))
        .collect();
    ["pearson", "spearman", "kendall"]
        .iter()
        .enumerate()
        .map(|(m, method)| {
            let mut values = vec![vec![None; k]; k];
            for ((i, j), r) in pairs.iter().zip(&results) {
                values[*i][*j] = r[m];
                values[*j][*i] = r[m];
            }
            CorrelationMatrix {
                method: method.to_string(),
                columns: names.clone(),
                values,
            }
        })
        .collect()
}

fn pair(a: &Ranked, b: &Ranked, kendall_rows: usize) -> [Option<f64>; 3] {
    let rows = a.codes.len();
    let mut values = Sums::default();
    let mut ranks = Sums::default();
    let (varies, n) = if !a.gaps && !b.gaps {
        // Every row is complete: the columns' own ranks, one pass for both coefficients.
        for r in 0..rows {
            values.add(a.centered[r], b.centered[r]);
            ranks.add(a.ranks[r], b.ranks[r]);
        }
        (a.levels > 1 && b.levels > 1, rows)
    } else {
        // Re-rank over the complete rows by counting codes, then one pass.
        let mut count_a = vec![0u64; a.levels];
        let mut count_b = vec![0u64; b.levels];
        let mut n = 0usize;
        for (x, y) in a.codes.iter().zip(&b.codes) {
            if *x != MISSING && *y != MISSING {
                count_a[*x as usize] += 1;
                count_b[*y as usize] += 1;
                n += 1;
            }
        }
        let mid = (n as f64 + 1.0) / 2.0;
        let rank = |counts: Vec<u64>| -> Vec<f64> {
            let mut before = 0u64;
            counts
                .iter()
                .map(|c| {
                    let (i, j) = (before, (before + c).saturating_sub(1));
                    before += c;
                    (i + j) as f64 / 2.0 + 1.0 - mid
                })
                .collect()
        };
        let levels = |counts: &[u64]| counts.iter().filter(|c| **c > 0).count();
        let varies = levels(&count_a) > 1 && levels(&count_b) > 1;
        let (ra, rb) = (rank(count_a), rank(count_b));
        for r in 0..rows {
            let (x, y) = (a.codes[r], b.codes[r]);
            if x != MISSING && y != MISSING {
                values.add(a.centered[r], b.centered[r]);
                ranks.add(ra[x as usize], rb[y as usize]);
            }
        }
        (varies, n)
    };
    let (p, s) = (values.r(varies), ranks.r(varies));
    let (x, y): (Vec<f64>, Vec<f64>) = (0..rows)
        .filter(|&r| a.codes[r] != MISSING && b.codes[r] != MISSING)
        .take(kendall_rows.min(n))
        .map(|r| (a.values[r], b.values[r]))
        .unzip();
    let t = kendall_tau_b(&x, &y);
    [p, s, t]
}

/// Cramér's V over categorical samples (pairwise complete).
pub fn categorical_matrix(cols: &[CategoricalSample]) -> Option<CorrelationMatrix> {
    if cols.len() < 2 {
        return None;
    }
    let k = cols.len();
    let mut values = vec![vec![None; k]; k];
    for i in 0..k {
        for j in i..k {
            let v = if i == j {
                Some(1.0)
            } else {
                cramers_v(&contingency(&cols[i], &cols[j]))
            };
            values[i][j] = v;
            values[j][i] = v;
        }
    }
    Some(CorrelationMatrix {
        method: "cramers_v".into(),
        columns: cols.iter().map(|c| c.name.clone()).collect(),
        values,
    })
}

/// The contingency table of two coded columns, without empty rows or columns.
fn contingency(a: &CategoricalSample, b: &CategoricalSample) -> Vec<Vec<u64>> {
    let mut table = vec![vec![0u64; b.levels]; a.levels];
    for (x, y) in a.codes.iter().zip(&b.codes) {
        if *x != MISSING && *y != MISSING {
            table[*x as usize][*y as usize] += 1;
        }
    }
    let used_cols: Vec<usize> = (0..b.levels)
        .filter(|&j| table.iter().any(|r| r[j] > 0))
        .collect();
    table
        .into_iter()
        .filter(|r| r.iter().any(|n| *n > 0))
        .map(|r| used_cols.iter().map(|&j| r[j]).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{pearson, ranks};

    /// The plain way: complete pairs, then rank each side with a sort.
    fn reference(x: &[f64], y: &[f64]) -> (Option<f64>, Option<f64>) {
        let (a, b): (Vec<f64>, Vec<f64>) = x
            .iter()
            .zip(y)
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(a, b)| (*a, *b))
            .unzip();
        (pearson(&a, &b), pearson(&ranks(&a), &ranks(&b)))
    }

    #[test]
    fn rank_once_equals_ranking_each_pair() {
        let mut rng = crate::sample::SplitMix64::new(3);
        let n = 5_000;
        let mut col = |gaps: u64, levels: u64| -> Vec<f64> {
            (0..n)
                .map(|_| {
                    if gaps > 0 && rng.below(100) < gaps {
                        f64::NAN
                    } else if levels > 0 {
                        rng.below(levels) as f64 - 3.0
                    } else {
                        rng.next_u64() as f64 / 1e18
                    }
                })
                .collect()
        };
        let cols = vec![
            NumericSample {
                name: "dense".into(),
                values: col(0, 0),
            },
            NumericSample {
                name: "gappy ties".into(),
                values: col(10, 7),
            },
            NumericSample {
                name: "gappy".into(),
                values: col(25, 0),
            },
            NumericSample {
                name: "ties".into(),
                values: col(0, 4),
            },
        ];
        let m = numeric_matrices(&cols, 300);
        for i in 0..cols.len() {
            for j in 0..cols.len() {
                let (p, s) = reference(&cols[i].values, &cols[j].values);
                let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-12,
                    _ => a == b,
                };
                assert!(same(m[0].values[i][j], p), "pearson {i} {j}");
                assert!(same(m[1].values[i][j], s), "spearman {i} {j}");
            }
        }
        // Kendall over the first 300 complete pairs, as the quadratic definition.
        let (x, y): (Vec<f64>, Vec<f64>) = cols[1]
            .values
            .iter()
            .zip(&cols[2].values)
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .take(300)
            .map(|(a, b)| (*a, *b))
            .unzip();
        let tau = crate::stats::tests::kendall_quadratic(&x, &y).expect("tau");
        let got = m[2].values[1][2].expect("tau");
        assert!((got - tau).abs() < 1e-12, "{got} vs {tau}");
    }

    #[test]
    fn cramers_v_from_codes() {
        let a = CategoricalSample {
            name: "a".into(),
            codes: vec![0, 0, 1, 1, MISSING, 2],
            levels: 3,
        };
        let b = CategoricalSample {
            name: "b".into(),
            codes: vec![1, 1, 0, 0, 0, MISSING],
            levels: 2,
        };
        let m = categorical_matrix(&[a, b]).expect("matrix");
        assert!((m.values[0][1].expect("v") - 1.0).abs() < 1e-12);
    }
}
