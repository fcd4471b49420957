//! The charts of a profile report, one description per chart.

use assay_profile::model::{
    ColumnDrift, ColumnKind, ColumnProfile, CorrelationMatrix, Histogram, ValueCount,
};

use crate::chart::{Chart, Series};
use crate::document::ProfileReport;

/// A chart with a file-name-safe identifier, e.g. `column-dep_delay`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedChart {
    /// Identifier, usable as a file stem and an HTML id.
    pub id: String,
    /// The chart.
    pub chart: Chart,
}

/// Every chart of the report: per column, correlations, missingness and drift.
pub fn profile_charts(report: &ProfileReport) -> Vec<NamedChart> {
    let p = &report.profile;
    let mut charts: Vec<NamedChart> = p
        .columns
        .iter()
        .filter_map(|c| column_chart(c).map(|chart| named(format!("column-{}", c.name), chart)))
        .collect();
    charts.extend(
        p.correlations
            .numeric
            .iter()
            .chain(&p.correlations.categorical)
            .filter(|m| m.columns.len() >= 2)
            .map(|m| named(format!("correlation-{}", m.method), correlation_chart(m))),
    );
    if let Some(chart) = missing_chart(report) {
        charts.push(named("missing-by-column".into(), chart));
    }
    if p.missing.matrix.iter().flatten().any(|&m| m) {
        charts.push(named(
            "missing-matrix".into(),
            Chart::Presence {
                title: "Missing values by row (sample)".into(),
                columns: p.columns.iter().map(|c| c.name.clone()).collect(),
                cells: p.missing.matrix.clone(),
            },
        ));
    }
    if let Some(d) = &report.drift {
        charts.extend(
            d.columns
                .iter()
                .map(|c| named(format!("drift-{}", c.column), drift_chart(c))),
        );
    }
    charts
}

fn named(id: String, chart: Chart) -> NamedChart {
    let id = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    NamedChart { id, chart }
}

/// The chart that best shows one column: its histogram, its periods, or its top values.
pub(crate) fn column_chart(c: &ColumnProfile) -> Option<Chart> {
    if let Some(n) = &c.numeric
        && !n.histogram.counts.is_empty()
    {
        return Some(histogram(&c.name, &n.histogram));
    }
    if let Some(t) = &c.temporal
        && !t.histogram.is_empty()
    {
        return Some(Chart::Bars {
            title: format!("{} by {}", c.name, t.period),
            labels: t.histogram.iter().map(|v| v.value.clone()).collect(),
            series: vec![Series {
                name: "rows".into(),
                values: t.histogram.iter().map(|v| v.count as f64).collect(),
            }],
            horizontal: false,
        });
    }
    (!c.top_values.is_empty()).then(|| Chart::Bars {
        title: format!("{}: most frequent values", c.name),
        labels: c.top_values.iter().map(|v| v.value.clone()).collect(),
        series: vec![Series {
            name: "rows".into(),
            values: c.top_values.iter().map(|v| v.count as f64).collect(),
        }],
        horizontal: true,
    })
}

fn histogram(name: &str, h: &Histogram) -> Chart {
    Chart::Histogram {
        title: format!("{name}: distribution"),
        edges: h.edges.clone(),
        counts: h.counts.iter().map(|&c| c as f64).collect(),
    }
}

fn correlation_chart(m: &CorrelationMatrix) -> Chart {
    Chart::Heatmap {
        title: format!("{} correlation", m.method),
        labels: m.columns.clone(),
        values: m.values.clone(),
    }
}

fn missing_chart(report: &ProfileReport) -> Option<Chart> {
    let missing: Vec<&ColumnProfile> = report
        .profile
        .columns
        .iter()
        .filter(|c| c.missing > 0)
        .collect();
    (!missing.is_empty()).then(|| Chart::Bars {
        title: "Missing values by column (%)".into(),
        labels: missing.iter().map(|c| c.name.clone()).collect(),
        series: vec![Series {
            name: "missing %".into(),
            values: missing.iter().map(|c| c.missing_fraction * 100.0).collect(),
        }],
        horizontal: true,
    })
}

fn drift_chart(c: &ColumnDrift) -> Chart {
    let share = |counts: &[ValueCount]| {
        let total: u64 = counts.iter().map(|v| v.count).sum();
        counts
            .iter()
            .map(|v| v.count as f64 / total.max(1) as f64)
            .collect::<Vec<f64>>()
    };
    Chart::Bars {
        title: format!("{}: reference vs current (share of rows)", c.column),
        labels: c.reference.iter().map(|v| bin_label(&v.value)).collect(),
        series: vec![
            Series {
                name: "reference".into(),
                values: share(&c.reference),
            },
            Series {
                name: "current".into(),
                values: share(&c.current),
            },
        ],
        horizontal: c.kind != ColumnKind::Numeric,
    }
}

/// A bin's label, with numbers in the report's compact form.
fn bin_label(value: &str) -> String {
    value
        .parse::<f64>()
        .map(crate::format::number)
        .unwrap_or_else(|_| value.to_string())
}
