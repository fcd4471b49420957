//! Monitoring: request counters and latency histograms by route template, job counts from the
//! job registry, and a build-info gauge, rendered in Prometheus' text format on `GET /metrics`.
//! The same middleware opens a `request` span per call (method, route, status, latency) for the
//! logs.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use assay_app::Assay;
use assay_app::dto::{JobInfo, JobState};
use axum::Extension;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of requests no route matched (UI files, unknown paths).
const UNMATCHED: &str = "static";

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.counts[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }
}

/// `(route, method, status)`.
type RequestKey = (String, String, u16);

#[derive(Debug, Default)]
struct Registry {
    requests: BTreeMap<RequestKey, u64>,
    latencies: BTreeMap<String, Histogram>,
}

/// The server's request metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    registry: Mutex<Registry>,
}

impl Metrics {
    /// Counts one request and its latency.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let mut r = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        *r.requests
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        r.latencies
            .entry(route.to_string())
            .or_default()
            .observe(seconds);
    }

    /// Every metric in Prometheus' text exposition format, with job counts from `jobs`.
    pub fn render(&self, jobs: &[JobInfo]) -> String {
        let mut out = String::new();
        family(&mut out, "assay_build_info", "gauge", "Assay's version.");
        sample(
            &mut out,
            "assay_build_info",
            &[("version", assay_app::VERSION)],
            1,
        );
        self.render_requests(&mut out);
        render_jobs(&mut out, jobs);
        out
    }

    fn render_requests(&self, out: &mut String) {
        let r = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        let name = "assay_http_requests_total";
        family(
            out,
            name,
            "counter",
            "HTTP requests by route template, method and status.",
        );
        for ((route, method, status), n) in &r.requests {
            let status = status.to_string();
            let labels = [
                ("route", route.as_str()),
                ("method", method),
                ("status", &status),
            ];
            sample(out, name, &labels, *n);
        }
        let name = "assay_http_request_duration_seconds";
        family(
            out,
            name,
            "histogram",
            "Time to the response's headers, by route template.",
        );
        for (route, h) in &r.latencies {
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                cumulative += n;
                let le = bound.to_string();
                let labels = [("route", route.as_str()), ("le", &le)];
                sample(out, &format!("{name}_bucket"), &labels, cumulative);
            }
            let labels = [("route", route.as_str()), ("le", "+Inf")];
            sample(out, &format!("{name}_bucket"), &labels, h.count);
            let route_only = [("route", route.as_str())];
            sample(out, &format!("{name}_sum"), &route_only, h.sum);
            sample(out, &format!("{name}_count"), &route_only, h.count);
        }
    }
}

fn render_jobs(out: &mut String, jobs: &[JobInfo]) {
    let mut started: BTreeMap<&str, u64> = BTreeMap::new();
    let mut finished: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut running = 0;
    for job in jobs {
        *started.entry(&job.kind).or_default() += 1;
        match &job.state {
            JobState::Running { .. } => running += 1,
            state => *finished.entry((&job.kind, state.name())).or_default() += 1,
        }
    }
    let name = "assay_jobs_started_total";
    family(
        out,
        name,
        "counter",
        "Jobs started since the server started, by kind.",
    );
    for (kind, n) in started {
        sample(out, name, &[("kind", kind)], n);
    }
    let name = "assay_jobs_running";
    family(out, name, "gauge", "Jobs running now.");
    sample(out, name, &[], running);
    let name = "assay_jobs_finished_total";
    family(
        out,
        name,
        "counter",
        "Jobs ended, by kind and outcome (succeeded, failed, cancelled).",
    );
    for ((kind, outcome), n) in finished {
        sample(out, name, &[("kind", kind), ("outcome", outcome)], n);
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: impl std::fmt::Display) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (key, value)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{key}=\"{}\"", escape(value));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

fn escape(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The route label: the matched template, with the API method named for known methods
/// (`/api/runs_page`), so the label set stays bounded whatever paths clients send.
pub(crate) fn route_label(request: &Request) -> String {
    let Some(path) = request.extensions().get::<MatchedPath>() else {
        return UNMATCHED.into();
    };
    if path.as_str() == "/api/{method}" {
        let method = request.uri().path().trim_start_matches("/api/");
        if known_methods().contains(method) {
            return format!("/api/{method}");
        }
    }
    path.as_str().to_string()
}

fn known_methods() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| assay_app::methods().iter().map(|m| m.name).collect())
}

/// Middleware: a `request` span around the call, then its status and latency in the metrics
/// and the log.
pub(crate) async fn observe(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = route_label(&request);
    let method = request.method().clone();
    let span = tracing::info_span!(
        "request",
        method = %method,
        route = %route,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let start = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    metrics.observe(&route, method.as_str(), status, elapsed.as_secs_f64());
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    span.record("status", status);
    span.record("latency_ms", latency_ms);
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, latency_ms, "request failed");
        } else {
            tracing::debug!(status, latency_ms, "request");
        }
    });
    response
}

/// `GET /metrics`.
pub(crate) async fn scrape(
    State(assay): State<Arc<Assay>>,
    Extension(metrics): Extension<Arc<Metrics>>,
) -> Response {
    let text = metrics.render(&assay.jobs().list());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_app::dto::Progress;

    fn job(kind: &str, state: JobState) -> JobInfo {
        JobInfo {
            id: "j".into(),
            kind: kind.into(),
            title: String::new(),
            started_at: chrono::Utc::now(),
            finished_at: None,
            state,
        }
    }

    #[test]
    fn renders_counters_histograms_and_jobs() {
        let m = Metrics::default();
        m.observe("/api/runs_page", "POST", 200, 0.003);
        m.observe("/api/runs_page", "POST", 200, 0.2);
        m.observe("/api/{method}", "POST", 404, 0.0005);
        m.observe("/x\"y", "GET", 401, 20.0);
        let jobs = [
            job(
                "profile",
                JobState::Running {
                    progress: Progress::default(),
                },
            ),
            job("profile", JobState::Cancelled),
            job(
                "fingerprint",
                JobState::Succeeded {
                    result: serde_json::Value::Null,
                },
            ),
        ];
        let text = m.render(&jobs);
        for line in [
            "# TYPE assay_http_requests_total counter",
            r#"assay_http_requests_total{route="/api/runs_page",method="POST",status="200"} 2"#,
            r#"assay_http_requests_total{route="/api/{method}",method="POST",status="404"} 1"#,
            r#"assay_http_requests_total{route="/x\"y",method="GET",status="401"} 1"#,
            "# TYPE assay_http_request_duration_seconds histogram",
            r#"assay_http_request_duration_seconds_bucket{route="/api/runs_page",le="0.001"} 0"#,
            r#"assay_http_request_duration_seconds_bucket{route="/api/runs_page",le="0.005"} 1"#,
            r#"assay_http_request_duration_seconds_bucket{route="/api/runs_page",le="0.25"} 2"#,
            r#"assay_http_request_duration_seconds_bucket{route="/api/runs_page",le="+Inf"} 2"#,
            r#"assay_http_request_duration_seconds_count{route="/api/runs_page"} 2"#,
            r#"assay_http_request_duration_seconds_bucket{route="/x\"y",le="10"} 0"#,
            r#"assay_http_request_duration_seconds_bucket{route="/x\"y",le="+Inf"} 1"#,
            r#"assay_jobs_started_total{kind="profile"} 2"#,
            "assay_jobs_running 1",
            r#"assay_jobs_finished_total{kind="fingerprint",outcome="succeeded"} 1"#,
            r#"assay_jobs_finished_total{kind="profile",outcome="cancelled"} 1"#,
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line}\n{text}");
        }
        let version = format!(r#"assay_build_info{{version="{}"}} 1"#, assay_app::VERSION);
        assert!(text.contains(&version));
        let sum = text
            .lines()
            .find(|l| {
                l.starts_with(r#"assay_http_request_duration_seconds_sum{route="/api/runs_page"}"#)
            })
            .expect("sum line");
        let value: f64 = sum
            .rsplit(' ')
            .next()
            .expect("value")
            .parse()
            .expect("number");
        assert!((value - 0.203).abs() < 1e-9, "{sum}");
    }
}
