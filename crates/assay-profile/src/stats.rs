//! Plain statistics over slices of finite `f64`, written to match numpy/pandas/scipy
//! conventions (linear quantiles, n-1 variance, bias-corrected skewness and kurtosis).

/// The `q` quantile (0..=1) of sorted values, linear interpolation (numpy's default).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

/// Mean, sample variance, bias-corrected skewness and excess kurtosis (pandas' `skew`/`kurt`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Count.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample variance (n - 1).
    pub variance: Option<f64>,
    /// Adjusted Fisher-Pearson skewness (n >= 3).
    pub skewness: Option<f64>,
    /// Bias-corrected excess kurtosis (n >= 4).
    pub kurtosis: Option<f64>,
}

/// Moments of `values` (two passes for accuracy).
pub fn moments(values: &[f64]) -> Option<Moments> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for v in values {
        let d = v - mean;
        let d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    let variance = (n > 1).then(|| m2 / (nf - 1.0));
    let (m2n, m3n, m4n) = (m2 / nf, m3 / nf, m4 / nf);
    let degenerate = m2n <= 1e-28 * (mean * mean).max(1.0);
    let skewness = (n >= 3 && !degenerate)
        .then(|| (nf * (nf - 1.0)).sqrt() / (nf - 2.0) * m3n / m2n.powf(1.5));
    let kurtosis = (n >= 4 && !degenerate).then(|| {
        let g2 = m4n / (m2n * m2n) - 3.0;
        ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0))
    });
    Some(Moments {
        n,
        mean,
        variance,
        skewness,
        kurtosis,
    })
}

/// Equal-width bins over [min, max]; the last bin includes max. One bin when min == max.
pub fn histogram(values: &[f64], min: f64, max: f64, bins: usize) -> (Vec<f64>, Vec<u64>) {
    let bins = if max > min { bins.max(1) } else { 1 };
    let width = if max > min {
        (max - min) / bins as f64
    } else {
        1.0
    };
    let edges: Vec<f64> = (0..=bins)
        .map(|i| {
            if i == bins && max > min {
                max
            } else {
                min + width * i as f64
            }
        })
        .collect();
    let mut counts = vec![0u64; bins];
    for v in values {
        let i = (((v - min) / width) as usize).min(bins - 1);
        counts[i] += 1;
    }
    (edges, counts)
}

/// Ranks with ties averaged (1-based), as scipy's `rankdata`.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && values[idx[j + 1]] == values[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            out[*k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Pearson's r of paired values; `None` when either side is constant or n < 2.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Kendall's tau-b (ties in both variables accounted for), O(n²): use on samples.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let (mut concordant, mut discordant, mut tx, mut ty) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in (i + 1)..n {
            let dx = x[i].total_cmp(&x[j]) as i64;
            let dy = y[i].total_cmp(&y[j]) as i64;
            match (dx, dy) {
                (0, 0) => {}
                (0, _) => tx += 1,
                (_, 0) => ty += 1,
                _ if dx == dy => concordant += 1,
                _ => discordant += 1,
            }
        }
    }
    let denom =
        (((concordant + discordant + tx) as f64) * ((concordant + discordant + ty) as f64)).sqrt();
    (denom > 0.0).then(|| (concordant - discordant) as f64 / denom)
}

/// Cramér's V of a contingency table (rows x columns of counts).
pub fn cramers_v(table: &[Vec<u64>]) -> Option<f64> {
    let r = table.len();
    let c = table.first()?.len();
    if r < 2 || c < 2 {
        return None;
    }
    let n: u64 = table.iter().flatten().sum();
    if n == 0 {
        return None;
    }
    let row: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let col: Vec<f64> = (0..c)
        .map(|j| table.iter().map(|r| r[j]).sum::<u64>() as f64)
        .collect();
    let mut chi2 = 0.0;
    for i in 0..r {
        for j in 0..c {
            let e = row[i] * col[j] / n as f64;
            if e > 0.0 {
                chi2 += (table[i][j] as f64 - e).powi(2) / e;
            }
        }
    }
    let k = (r.min(c) - 1) as f64;
    Some((chi2 / n as f64 / k).sqrt().min(1.0))
}

/// Two-sample Kolmogorov-Smirnov statistic and asymptotic p-value over sorted samples.
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let (mut i, mut j, mut d) = (0usize, 0usize, 0f64);
    let (na, nb) = (a.len() as f64, b.len() as f64);
    while i < a.len() && j < b.len() {
        let v = a[i].min(b[j]);
        while i < a.len() && a[i] <= v {
            i += 1;
        }
        while j < b.len() && b[j] <= v {
            j += 1;
        }
        d = d.max((i as f64 / na - j as f64 / nb).abs());
    }
    let en = (na * nb / (na + nb)).sqrt();
    Some((d, kolmogorov_survival((en + 0.12 + 0.11 / en) * d)))
}

/// P(K > x) of the Kolmogorov distribution.
fn kolmogorov_survival(x: f64) -> f64 {
    if x < 0.2 {
        return 1.0;
    }
    let mut sum = 0.0;
    for k in 1..=100 {
        let kf = k as f64;
        let term = 2.0 * (-1f64).powi(k - 1) * (-2.0 * kf * kf * x * x).exp();
        sum += term;
        if term.abs() < 1e-12 {
            break;
        }
    }
    sum.clamp(0.0, 1.0)
}

/// Chi-squared test of two count vectors over the same categories: statistic and p-value.
pub fn chi_squared(a: &[u64], b: &[u64]) -> Option<(f64, f64)> {
    let table = [a, b];
    let n: u64 = table.iter().copied().flatten().sum();
    let cols: Vec<usize> = (0..a.len()).filter(|&j| a[j] + b[j] > 0).collect();
    if n == 0 || cols.len() < 2 {
        return None;
    }
    let row = [a.iter().sum::<u64>() as f64, b.iter().sum::<u64>() as f64];
    let mut chi2 = 0.0;
    for &j in &cols {
        let colsum = (a[j] + b[j]) as f64;
        for (i, r) in row.iter().enumerate() {
            let e = r * colsum / n as f64;
            if e > 0.0 {
                chi2 += (table[i][j] as f64 - e).powi(2) / e;
            }
        }
    }
    let dof = (cols.len() - 1) as f64;
    Some((chi2, chi2_survival(chi2, dof)))
}

/// P(X > x) for X ~ chi-squared(k), via the regularised upper incomplete gamma function.
fn chi2_survival(x: f64, k: f64) -> f64 {
    upper_gamma_regularised(k / 2.0, x / 2.0)
}

fn upper_gamma_regularised(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let ln_gamma_a = ln_gamma(a);
    if x < a + 1.0 {
        // series for the lower function
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        (1.0 - sum * (-x + a * x.ln() - ln_gamma_a).exp()).clamp(0.0, 1.0)
    } else {
        // continued fraction for the upper function (Lentz)
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-15 {
                break;
            }
        }
        ((-x + a * x.ln() - ln_gamma_a).exp() * h).clamp(0.0, 1.0)
    }
}

/// ln Γ(x), Lanczos approximation (g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// First Wasserstein distance between two sorted samples (area between their CDFs).
pub fn wasserstein(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut all: Vec<f64> = a.iter().chain(b).copied().collect();
    all.sort_by(f64::total_cmp);
    let (mut i, mut j, mut area) = (0usize, 0usize, 0f64);
    for w in all.windows(2) {
        while i < a.len() && a[i] <= w[0] {
            i += 1;
        }
        while j < b.len() && b[j] <= w[0] {
            j += 1;
        }
        area += (i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs() * (w[1] - w[0]);
    }
    Some(area)
}

/// Jensen-Shannon distance (base 2, 0..1) of two count vectors over the same bins.
pub fn jensen_shannon(a: &[u64], b: &[u64]) -> Option<f64> {
    let (sa, sb) = (a.iter().sum::<u64>() as f64, b.iter().sum::<u64>() as f64);
    if sa == 0.0 || sb == 0.0 {
        return None;
    }
    let mut js = 0.0;
    for (x, y) in a.iter().zip(b) {
        let (p, q) = (*x as f64 / sa, *y as f64 / sb);
        let m = (p + q) / 2.0;
        if p > 0.0 {
            js += 0.5 * p * (p / m).log2();
        }
        if q > 0.0 {
            js += 0.5 * q * (q / m).log2();
        }
    }
    Some(js.max(0.0).sqrt())
}

/// Population stability index of two count vectors over the same bins (empty bins smoothed).
pub fn psi(reference: &[u64], current: &[u64]) -> Option<f64> {
    let (sr, sc) = (
        reference.iter().sum::<u64>() as f64,
        current.iter().sum::<u64>() as f64,
    );
    if sr == 0.0 || sc == 0.0 {
        return None;
    }
    let eps = 1e-4;
    Some(
        reference
            .iter()
            .zip(current)
            .map(|(r, c)| {
                let (p, q) = ((*r as f64 / sr).max(eps), (*c as f64 / sc).max(eps));
                (q - p) * (q / p).ln()
            })
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn quantiles_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.5), Some(2.5));
        assert_eq!(quantile_sorted(&v, 0.25), Some(1.75));
        assert!((quantile_sorted(&v, 0.95).expect("q") - 3.85).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn moments_like_pandas() {
        // pandas: Series([1, 2, 3, 4, 10]).skew() = 1.697056..., .kurt() = 3.152
        let m = moments(&[1.0, 2.0, 3.0, 4.0, 10.0]).expect("moments");
        assert!(close(m.mean, 4.0, 1e-12));
        assert!(close(m.variance.expect("var"), 12.5, 1e-12));
        assert!(close(m.skewness.expect("skew"), 1.697_056_3, 1e-6), "{m:?}");
        assert!(close(m.kurtosis.expect("kurt"), 3.152, 1e-9), "{m:?}");
        let c = moments(&[5.0, 5.0, 5.0, 5.0]).expect("constant");
        assert_eq!((c.skewness, c.kurtosis), (None, None));
    }

    #[test]
    fn histogram_edges_and_counts() {
        let (e, c) = histogram(&[0.0, 1.0, 2.0, 3.0, 4.0], 0.0, 4.0, 4);
        assert_eq!(e, [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(c, [1, 1, 1, 2]);
        let (e, c) = histogram(&[7.0, 7.0], 7.0, 7.0, 10);
        assert_eq!((e.len(), c), (2, vec![2]));
    }

    #[test]
    fn rank_correlations() {
        assert_eq!(ranks(&[10.0, 20.0, 20.0, 5.0]), [2.0, 3.5, 3.5, 1.0]);
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [2.0, 4.0, 6.0, 8.0, 10.0];
        assert!(close(pearson(&x, &y).expect("r"), 1.0, 1e-12));
        assert_eq!(pearson(&x, &[1.0; 5]), None);
        // scipy.stats.kendalltau([1,2,3,4,5],[3,1,2,5,4]).statistic = 0.4
        assert!(close(
            kendall_tau_b(&x, &[3.0, 1.0, 2.0, 5.0, 4.0]).expect("tau"),
            0.4,
            1e-12
        ));
    }

    #[test]
    fn tests_and_distances() {
        // perfect association in a 2x2 table
        assert!(close(
            cramers_v(&[vec![10, 0], vec![0, 10]]).expect("v"),
            1.0,
            1e-12
        ));
        assert!(close(
            cramers_v(&[vec![5, 5], vec![5, 5]]).expect("v"),
            0.0,
            1e-12
        ));
        let a: Vec<f64> = (0..100).map(f64::from).collect();
        let b: Vec<f64> = (50..150).map(f64::from).collect();
        let (d, p) = ks_two_sample(&a, &b).expect("ks");
        assert!(close(d, 0.5, 1e-12));
        assert!(p < 1e-4, "{p}");
        let (d, p) = ks_two_sample(&a, &a).expect("ks");
        assert_eq!(d, 0.0);
        assert!(p > 0.99);
        assert!(close(wasserstein(&a, &b).expect("w"), 50.0, 1e-9));
        // chi2 of [[10, 20], [20, 10]] = 6.6667, dof 1, p = 0.00982
        let (chi2, p) = chi_squared(&[10, 20], &[20, 10]).expect("chi2");
        assert!(close(chi2, 6.666_667, 1e-6));
        assert!(close(p, 0.009_823, 1e-3), "{p}");
        assert_eq!(jensen_shannon(&[1, 0], &[0, 1]), Some(1.0));
        assert_eq!(jensen_shannon(&[3, 4], &[3, 4]), Some(0.0));
        assert!(psi(&[50, 50], &[50, 50]).expect("psi").abs() < 1e-12);
        assert!(psi(&[90, 10], &[10, 90]).expect("psi") > 1.0);
    }
}
