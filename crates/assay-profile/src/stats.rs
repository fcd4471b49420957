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
    Some(moments_from(n, mean, m2, m3, m4))
}

fn moments_from(n: usize, mean: f64, m2: f64, m3: f64, m4: f64) -> Moments {
    let nf = n as f64;
    let variance = (n > 1).then(|| m2 / (nf - 1.0));
    let (m2n, m3n, m4n) = (m2 / nf, m3 / nf, m4 / nf);
    let degenerate = m2n <= 1e-28 * (mean * mean).max(1.0);
    let skewness = (n >= 3 && !degenerate)
        .then(|| (nf * (nf - 1.0)).sqrt() / (nf - 2.0) * m3n / m2n.powf(1.5));
    let kurtosis = (n >= 4 && !degenerate).then(|| {
        let g2 = m4n / (m2n * m2n) - 3.0;
        ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0))
    });
    Moments {
        n,
        mean,
        variance,
        skewness,
        kurtosis,
    }
}

/// Equal-width bins over [min, max]; the last bin includes max. One bin when min == max.
pub fn histogram(values: &[f64], min: f64, max: f64, bins: usize) -> (Vec<f64>, Vec<u64>) {
    let (edges, width, bins) = bin_edges(min, max, bins);
    let mut counts = vec![0u64; bins];
    for v in values {
        let i = (((v - min) / width) as usize).min(bins - 1);
        counts[i] += 1;
    }
    (edges, counts)
}

fn bin_edges(min: f64, max: f64, bins: usize) -> (Vec<f64>, f64, usize) {
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
    (edges, width, bins)
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

/// Kendall's tau-b (ties in both variables accounted for), Knight's O(n log n) algorithm:
/// sort by (x, y), count the swaps a merge sort by y needs (discordant pairs) and the ties.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
    let pairs = |t: u64| t * t.saturating_sub(1) / 2;
    let (mut tied_x, mut tied_xy) = (0u64, 0u64);
    let (mut run_x, mut run_xy) = (1u64, 1u64);
    for w in idx.windows(2) {
        let same_x = x[w[0]].total_cmp(&x[w[1]]).is_eq();
        if same_x {
            run_x += 1;
            if y[w[0]].total_cmp(&y[w[1]]).is_eq() {
                run_xy += 1;
            } else {
                tied_xy += pairs(run_xy);
                run_xy = 1;
            }
        } else {
            tied_x += pairs(run_x);
            tied_xy += pairs(run_xy);
            run_x = 1;
            run_xy = 1;
        }
    }
    tied_x += pairs(run_x);
    tied_xy += pairs(run_xy);
    let mut ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
    let mut buf = ys.clone();
    let swaps = merge_count(&mut ys, &mut buf);
    let mut tied_y = 0u64;
    let mut run_y = 1u64;
    for w in ys.windows(2) {
        if w[0].total_cmp(&w[1]).is_eq() {
            run_y += 1;
        } else {
            tied_y += pairs(run_y);
            run_y = 1;
        }
    }
    tied_y += pairs(run_y);
    let n0 = pairs(n as u64);
    let numer = n0 as i128 - tied_x as i128 - tied_y as i128 + tied_xy as i128 - 2 * swaps as i128;
    let denom = ((n0 - tied_x) as f64 * (n0 - tied_y) as f64).sqrt();
    (n >= 2 && denom > 0.0).then(|| numer as f64 / denom)
}

/// Sorts `v` (stable merge sort, total order) and returns the number of inversions.
fn merge_count(v: &mut [f64], buf: &mut [f64]) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut swaps =
        merge_count(&mut v[..mid], &mut buf[..mid]) + merge_count(&mut v[mid..], &mut buf[mid..]);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if v[j].total_cmp(&v[i]).is_lt() {
            buf[k] = v[j];
            swaps += (mid - i) as u64;
            j += 1;
        } else {
            buf[k] = v[i];
            i += 1;
        }
        k += 1;
    }
    buf[k..k + mid - i].copy_from_slice(&v[i..mid]);
    k += mid - i;
    buf[k..k + n - j].copy_from_slice(&v[j..n]);
    v.copy_from_slice(&buf[..n]);
    swaps
}

/// Values with their counts, sorted by value: the multiset a column's statistics are computed
/// from (a hash table or a sort builds it; low-cardinality columns stay small).
#[derive(Debug, Clone, Default)]
pub struct Weighted {
    /// Distinct values, ascending.
    pub values: Vec<f64>,
    /// Occurrences of each value.
    pub counts: Vec<u64>,
    /// Running total of `counts` (`cum[i]` = values at positions < i+1).
    cum: Vec<u64>,
}

impl Weighted {
    /// From (value, count) pairs sorted by value.
    pub fn new(values: Vec<f64>, counts: Vec<u64>) -> Self {
        let mut cum = Vec::with_capacity(counts.len());
        let mut total = 0;
        for c in &counts {
            total += c;
            cum.push(total);
        }
        Self {
            values,
            counts,
            cum,
        }
    }

    /// Number of values (with repeats).
    pub fn len(&self) -> u64 {
        self.cum.last().copied().unwrap_or(0)
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at position `i` of the expanded sorted values.
    pub fn at(&self, i: u64) -> f64 {
        let k = self.cum.partition_point(|&c| c <= i);
        self.values[k]
    }

    /// The `q` quantile, linear interpolation: the same as [`quantile_sorted`] over the
    /// expanded values.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.len();
        if n == 0 {
            return None;
        }
        let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
        let lo = pos.floor() as u64;
        let hi = pos.ceil() as u64;
        let (a, b) = (self.at(lo), self.at(hi));
        Some(a + (b - a) * (pos - lo as f64))
    }

    /// Sum of the values.
    pub fn sum(&self) -> f64 {
        self.values
            .iter()
            .zip(&self.counts)
            .map(|(v, c)| v * *c as f64)
            .sum()
    }

    /// Mean, variance, skewness and kurtosis, as [`moments`] over the expanded values.
    pub fn moments(&self) -> Option<Moments> {
        let n = self.len();
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        let mean = self.sum() / nf;
        let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
        for (v, c) in self.values.iter().zip(&self.counts) {
            let d = v - mean;
            let d2 = d * d;
            let c = *c as f64;
            m2 += c * d2;
            m3 += c * d2 * d;
            m4 += c * d2 * d2;
        }
        Some(moments_from(n as usize, mean, m2, m3, m4))
    }

    /// The median absolute deviation from `center`, in O(distinct): the deviations of the
    /// values below and above `center` are each sorted already, so they merge.
    pub fn median_deviation(&self, center: f64) -> Option<f64> {
        let split = self.values.partition_point(|v| *v < center);
        let mut values = Vec::with_capacity(self.values.len());
        let mut counts = Vec::with_capacity(self.values.len());
        let (mut lo, mut hi) = (split, split);
        while lo > 0 || hi < self.values.len() {
            let below = (lo > 0).then(|| (self.values[lo - 1] - center).abs());
            let above = (hi < self.values.len()).then(|| (self.values[hi] - center).abs());
            let take_below = match (below, above) {
                (Some(b), Some(a)) => b <= a,
                (Some(_), None) => true,
                _ => false,
            };
            if take_below {
                values.push(below.unwrap_or_default());
                counts.push(self.counts[lo - 1]);
                lo -= 1;
            } else {
                values.push(above.unwrap_or_default());
                counts.push(self.counts[hi]);
                hi += 1;
            }
        }
        Weighted::new(values, counts).quantile(0.5)
    }

    /// Equal-width bins over [min, max], as [`histogram`] over the expanded values.
    pub fn histogram(&self, bins: usize) -> (Vec<f64>, Vec<u64>) {
        let (Some(&min), Some(&max)) = (self.values.first(), self.values.last()) else {
            return (Vec::new(), Vec::new());
        };
        let (edges, width, bins) = bin_edges(min, max, bins);
        let mut counts = vec![0u64; bins];
        for (v, c) in self.values.iter().zip(&self.counts) {
            let i = (((v - min) / width) as usize).min(bins - 1);
            counts[i] += c;
        }
        (edges, counts)
    }
}

/// Sorts `keys` ascending (LSD radix sort, 8-bit digits; digits all keys share are skipped).
pub fn radix_sort(keys: &mut Vec<u64>) {
    if keys.len() < 256 {
        keys.sort_unstable();
        return;
    }
    let mut buf = vec![0u64; keys.len()];
    let mut counts = [[0usize; 256]; 8];
    for k in keys.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * d)) & 0xFF) as usize] += 1;
        }
    }
    for (d, c) in counts.iter().enumerate() {
        if c.contains(&keys.len()) {
            continue;
        }
        let mut offsets = [0usize; 256];
        let mut total = 0;
        for (o, n) in offsets.iter_mut().zip(c) {
            *o = total;
            total += n;
        }
        for k in keys.iter() {
            let b = ((k >> (8 * d)) & 0xFF) as usize;
            buf[offsets[b]] = *k;
            offsets[b] += 1;
        }
        std::mem::swap(keys, &mut buf);
    }
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
pub(crate) mod tests {
    use super::*;

    /// Kendall's tau-b by its definition, O(n²): the reference for Knight's algorithm.
    pub(crate) fn kendall_quadratic(x: &[f64], y: &[f64]) -> Option<f64> {
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
        let denom = (((concordant + discordant + tx) as f64)
            * ((concordant + discordant + ty) as f64))
            .sqrt();
        (denom > 0.0).then(|| (concordant - discordant) as f64 / denom)
    }

    #[test]
    fn knight_kendall_equals_the_definition() {
        let mut rng = crate::sample::SplitMix64::new(11);
        for (n, levels) in [
            (0usize, 3u64),
            (1, 3),
            (2, 2),
            (50, 3),
            (700, 5),
            (900, 1_000_000),
        ] {
            let x: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64).collect();
            let y: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64 * 0.5).collect();
            let (a, b) = (kendall_tau_b(&x, &y), kendall_quadratic(&x, &y));
            match (a, b) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "n {n}: {a} vs {b}"),
                _ => assert_eq!(a, b, "n {n}"),
            }
        }
        let constant = [1.0; 10];
        assert_eq!(kendall_tau_b(&constant, &constant), None);
    }

    #[test]
    fn weighted_statistics_equal_the_expanded_ones() {
        let mut rng = crate::sample::SplitMix64::new(5);
        let mut raw: Vec<f64> = (0..2_001)
            .map(|_| rng.below(37) as f64 * 1.5 - 9.0)
            .collect();
        raw.sort_by(f64::total_cmp);
        let mut values = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        for v in &raw {
            if values.last() == Some(v) {
                *counts.last_mut().expect("count") += 1;
            } else {
                values.push(*v);
                counts.push(1);
            }
        }
        let w = Weighted::new(values, counts);
        for q in [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0] {
            assert_eq!(w.quantile(q), quantile_sorted(&raw, q), "q {q}");
        }
        let (a, b) = (w.moments().expect("w"), moments(&raw).expect("m"));
        assert!(close(a.mean, b.mean, 1e-12));
        assert!(close(a.variance.expect("v"), b.variance.expect("v"), 1e-12));
        assert!(close(a.skewness.expect("s"), b.skewness.expect("s"), 1e-9));
        assert!(close(a.kurtosis.expect("k"), b.kurtosis.expect("k"), 1e-9));
        let med = w.quantile(0.5).expect("median");
        let mut dev: Vec<f64> = raw.iter().map(|v| (v - med).abs()).collect();
        dev.sort_by(f64::total_cmp);
        assert_eq!(w.median_deviation(med), quantile_sorted(&dev, 0.5));
        assert_eq!(
            w.histogram(30),
            histogram(&raw, raw[0], raw[raw.len() - 1], 30)
        );
        let mut keys: Vec<u64> = (0..10_000)
            .map(|_| rng.next_u64() >> rng.below(60))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        radix_sort(&mut keys);
        assert_eq!(keys, sorted);
    }

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
