//! Optional OpenTelemetry export of traces: every `tracing` span (HTTP requests, jobs, their
//! steps) goes to an OTLP collector over HTTP/protobuf, in batches from a background thread.
//! On when `otlp_endpoint` is set in `config.toml` (or `ASSAY_OTLP_ENDPOINT`), or when the
//! standard `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is.

use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{SdkTracerProvider, Tracer};

/// Where spans go: a collector's base URL (`http://host:4318`), a full traces URL
/// (`…/v1/traces`), or whatever the standard `OTEL_EXPORTER_OTLP_*` variables say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// Set in Assay's configuration.
    Configured(String),
    /// From the OpenTelemetry SDK's own environment variables.
    FromEnvironment,
}

impl Endpoint {
    /// The endpoint to use, if export is on.
    pub(crate) fn choose(
        configured: Option<&str>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Option<Self> {
        match configured.map(str::trim).filter(|e| !e.is_empty()) {
            Some(url) => Some(Self::Configured(traces_url(url))),
            None => [
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
            ]
            .iter()
            .any(|k| var(k).is_some_and(|v| !v.trim().is_empty()))
            .then_some(Self::FromEnvironment),
        }
    }
}

fn traces_url(base: &str) -> String {
    let base = base.trim_end_matches('/');
    if base.ends_with("/v1/traces") {
        base.to_string()
    } else {
        format!("{base}/v1/traces")
    }
}

/// Flushes and stops the export when dropped.
pub(crate) struct OtlpGuard {
    provider: SdkTracerProvider,
}

impl Drop for OtlpGuard {
    fn drop(&mut self) {
        let _ = self.provider.shutdown();
    }
}

/// A tracer exporting to `endpoint` as service `assay`, and the guard that flushes it.
pub(crate) fn tracer(endpoint: &Endpoint) -> Result<(Tracer, OtlpGuard), String> {
    let mut builder = SpanExporter::builder()
        .with_http()
        .with_timeout(Duration::from_secs(10));
    if let Endpoint::Configured(url) = endpoint {
        builder = builder.with_endpoint(url.clone());
    }
    let exporter = builder.build().map_err(|e| e.to_string())?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            Resource::builder()
                .with_service_name("assay")
                .with_attribute(opentelemetry::KeyValue::new(
                    "service.version",
                    env!("CARGO_PKG_VERSION"),
                ))
                .build(),
        )
        .build();
    Ok((provider.tracer("assay"), OtlpGuard { provider }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_endpoint_wins_and_gets_the_traces_path() {
        let none = |_: &str| None;
        assert_eq!(Endpoint::choose(None, none), None);
        assert_eq!(
            Endpoint::choose(Some("http://127.0.0.1:4318/"), none),
            Some(Endpoint::Configured(
                "http://127.0.0.1:4318/v1/traces".into()
            ))
        );
        assert_eq!(
            Endpoint::choose(Some("https://otel.example/v1/traces"), none),
            Some(Endpoint::Configured(
                "https://otel.example/v1/traces".into()
            ))
        );
        let standard =
            |k: &str| (k == "OTEL_EXPORTER_OTLP_ENDPOINT").then(|| "http://c:4318".into());
        assert_eq!(
            Endpoint::choose(Some(" "), standard),
            Some(Endpoint::FromEnvironment)
        );
    }

    #[test]
    fn a_bad_endpoint_is_refused_with_its_reason() {
        let err = tracer(&Endpoint::Configured("not a url at all".into()))
            .err()
            .expect("refused");
        assert!(err.contains("not a url at all"), "{err}");
    }
}
