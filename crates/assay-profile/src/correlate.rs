//! Correlation matrices on a row sample: Pearson, Spearman and Kendall's tau-b for numeric
//! columns (pairwise complete observations, as pandas), Cramér's V for categorical ones.

use std::collections::HashMap;

use crate::model::CorrelationMatrix;
use crate::stats::{cramers_v, kendall_tau_b, pearson, ranks};

/// A numeric column's sampled values, NaN where missing.
pub struct NumericSample {
    /// Column name.
    pub name: String,
    /// Values at the sampled rows.
    pub values: Vec<f64>,
}

/// A categorical column's sampled values, `None` where missing.
pub struct CategoricalSample {
    /// Column name.
    pub name: String,
    /// Values at the sampled rows.
    pub values: Vec<Option<String>>,
}

fn complete_pairs(x: &[f64], y: &[f64], limit: usize) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .take(limit)
        .map(|(a, b)| (*a, *b))
        .unzip()
}

/// Pearson, Spearman and Kendall matrices over the samples.
pub fn numeric_matrices(cols: &[NumericSample], kendall_rows: usize) -> Vec<CorrelationMatrix> {
    let names: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
    let k = cols.len();
    let mut out = Vec::new();
    for method in ["pearson", "spearman", "kendall"] {
        let mut values = vec![vec![None; k]; k];
        for i in 0..k {
            for j in i..k {
                let limit = if method == "kendall" {
                    kendall_rows
                } else {
                    usize::MAX
                };
                let (x, y) = complete_pairs(&cols[i].values, &cols[j].values, limit);
                let r = match method {
                    "pearson" => pearson(&x, &y),
                    "spearman" => pearson(&ranks(&x), &ranks(&y)),
                    _ => kendall_tau_b(&x, &y),
                };
                values[i][j] = r;
                values[j][i] = r;
            }
        }
        out.push(CorrelationMatrix {
            method: method.to_string(),
            columns: names.clone(),
            values,
        });
    }
    out
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
                cramers_v(&contingency(&cols[i].values, &cols[j].values))
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

fn contingency(a: &[Option<String>], b: &[Option<String>]) -> Vec<Vec<u64>> {
    let mut ia: HashMap<&str, usize> = HashMap::new();
    let mut ib: HashMap<&str, usize> = HashMap::new();
    let mut cells: HashMap<(usize, usize), u64> = HashMap::new();
    for (x, y) in a.iter().zip(b) {
        if let (Some(x), Some(y)) = (x, y) {
            let n = ia.len();
            let r = *ia.entry(x.as_str()).or_insert(n);
            let n = ib.len();
            let c = *ib.entry(y.as_str()).or_insert(n);
            *cells.entry((r, c)).or_default() += 1;
        }
    }
    let mut table = vec![vec![0u64; ib.len()]; ia.len()];
    for ((r, c), n) in cells {
        table[r][c] = n;
    }
    table
}
