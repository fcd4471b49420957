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
use crate::stats::{cramers_v, kendall_tau_b, pearson};

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
    codes: Vec<u32>,
    levels: usize,
    gaps: bool,
    ranks: Vec<f64>,
}

impl<'a> Ranked<'a> {
    fn new(values: &'a [f64]) -> Self {
        let key = |v: f64| if v == 0.0 { 0u64 } else { v.to_bits() };
        let mut seen: PlHashMap<u64, f64> = PlHashMap::default();
        let mut gaps = false;
        for v in values {
            if v.is_finite() {
                seen.entry(key(*v)).or_insert(*v);
            } else {
                gaps = true;
            }
        }
        let mut distinct: Vec<f64> = seen.into_values().collect();
        distinct.sort_unstable_by(f64::total_cmp);
        let code_of: PlHashMap<u64, u32> = distinct
            .iter()
            .enumerate()
            .map(|(i, v)| (key(*v), i as u32))
            .collect();
        let codes: Vec<u32> = values
            .iter()
            .map(|v| {
                if v.is_finite() {
                    code_of[&key(*v)]
                } else {
                    MISSING
                }
            })
            .collect();
        let levels = distinct.len();
        let ranks = code_ranks(&codes, levels, codes.iter().map(|c| *c != MISSING));
        Self {
            values,
            codes,
            levels,
            gaps,
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
    let complete: Vec<usize> = if a.gaps || b.gaps {
        (0..a.codes.len())
            .filter(|&r| a.codes[r] != MISSING && b.codes[r] != MISSING)
            .collect()
    } else {
        (0..a.codes.len()).collect()
    };
    let x: Vec<f64> = complete.iter().map(|&r| a.values[r]).collect();
    let y: Vec<f64> = complete.iter().map(|&r| b.values[r]).collect();
    let p = pearson(&x, &y);
    let rerank = |c: &Ranked, other: &Ranked| -> Vec<f64> {
        if !a.gaps && !b.gaps {
            c.ranks.clone()
        } else {
            let keep = c
                .codes
                .iter()
                .zip(&other.codes)
                .map(|(u, v)| *u != MISSING && *v != MISSING);
            code_ranks(&c.codes, c.levels, keep)
        }
    };
    let (ra, rb) = (rerank(a, b), rerank(b, a));
    let rx: Vec<f64> = complete.iter().map(|&r| ra[a.codes[r] as usize]).collect();
    let ry: Vec<f64> = complete.iter().map(|&r| rb[b.codes[r] as usize]).collect();
    let s = pearson(&rx, &ry);
    let n = complete.len().min(kendall_rows);
    let t = kendall_tau_b(&x[..n], &y[..n]);
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
    use crate::stats::ranks;

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
                assert_eq!(m[0].values[i][j], p, "pearson {i} {j}");
                assert_eq!(m[1].values[i][j], s, "spearman {i} {j}");
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
