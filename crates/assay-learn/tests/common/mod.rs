//! Shared helpers for the integration tests: the penguins data set from the shared data
//! folder, read with a small CSV reader (no quoting in this file).

#![allow(dead_code)]

use std::path::PathBuf;

use ndarray::Array2;

/// The numeric columns used as features, in order.
pub const NUMERIC: [&str; 4] = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
];

/// Penguins with every field present (333 rows, file order).
pub struct Penguins {
    /// Species per row (Adelie, Chinstrap, Gentoo).
    pub species: Vec<String>,
    /// The four numeric columns of [`NUMERIC`].
    pub x: Array2<f64>,
}

/// `CARGO_MANIFEST_DIR/../../../shared/data/tabular/penguins.csv`: the shared set beside the
/// clone.
pub fn penguins_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tabular/penguins.csv")
}

/// Reads penguins.csv (columns species, island, bill_length_mm, bill_depth_mm,
/// flipper_length_mm, body_mass_g, sex, year), dropping rows with an empty or `NA` field.
pub fn penguins() -> Penguins {
    let text = std::fs::read_to_string(penguins_path()).expect("penguins.csv is readable");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(
        header,
        [
            "species",
            "island",
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
            "sex",
            "year"
        ]
    );
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let numeric: Vec<usize> = NUMERIC.iter().map(|n| col(n)).collect();
    let mut species = Vec::new();
    let mut values = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        assert_eq!(fields.len(), header.len(), "ragged line: {line}");
        if fields.iter().any(|f| f.is_empty() || *f == "NA") {
            continue;
        }
        species.push(fields[col("species")].to_string());
        for &j in &numeric {
            values.push(fields[j].parse::<f64>().expect("a number"));
        }
    }
    let n = species.len();
    Penguins {
        species,
        x: Array2::from_shape_vec((n, NUMERIC.len()), values).expect("shape"),
    }
}

/// The fixed reference split of `tests/sklearn_reference.py`: row `i` is a test row when
/// `i % 4 == 3`. Returns (train rows, test rows).
pub fn index_split(n: usize) -> (Vec<usize>, Vec<usize>) {
    (
        (0..n).filter(|i| i % 4 != 3).collect(),
        (0..n).filter(|i| i % 4 == 3).collect(),
    )
}

/// Per-feature standardisation with the population standard deviation (as sklearn's
/// `StandardScaler`).
pub fn standardise(x: &Array2<f64>) -> Array2<f64> {
    let mut out = x.clone();
    let n = x.nrows() as f64;
    for mut c in out.columns_mut() {
        let m = c.sum() / n;
        let sd = (c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n).sqrt();
        c.mapv_inplace(|v| (v - m) / sd);
    }
    out
}

/// Asserts `|a - b| <= tol` elementwise.
#[track_caller]
pub fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol,
            "{what}[{i}]: got {g}, want {w} (tol {tol}); all: {got:?} vs {want:?}"
        );
    }
}
