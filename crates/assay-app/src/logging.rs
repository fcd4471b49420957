//! Structured logging with `tracing`: a human console, a JSON file in the data folder, and an
//! in-memory ring buffer that feeds the app's log view (and its live `log` events).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::dto::{AppEvent, LogLevel, LogRecord, LogsRequest};
use crate::otlp::{Endpoint, OtlpGuard};
use crate::{AppConfig, AppDirs, EventBus, LogFormat};

const BUFFER_RECORDS: usize = 5_000;

/// The most recent log records, shared by the log layer and the API.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    inner: Arc<Mutex<Ring>>,
    events: EventBus,
}

#[derive(Debug, Default)]
struct Ring {
    next_seq: u64,
    records: VecDeque<LogRecord>,
}

impl LogBuffer {
    /// An empty buffer that publishes each record on `events`.
    pub fn new(events: EventBus) -> Self {
        Self {
            inner: Arc::default(),
            events,
        }
    }

    fn push(&self, mut record: LogRecord) {
        {
            let mut ring = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            ring.next_seq += 1;
            record.seq = ring.next_seq;
            if ring.records.len() == BUFFER_RECORDS {
                ring.records.pop_front();
            }
            ring.records.push_back(record.clone());
        }
        self.events.publish(AppEvent::Log { record });
    }

    /// Records matching the request, oldest first.
    pub fn query(&self, req: &LogsRequest) -> Vec<LogRecord> {
        let ring = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        ring.records
            .iter()
            .filter(|r| req.after.is_none_or(|a| r.seq > a))
            .filter(|r| req.min_level.is_none_or(|m| r.level >= m))
            .cloned()
            .collect()
    }
}

/// Keeps logging alive: hold it for the life of the process (it flushes the file on drop).
pub struct LogGuard {
    _otlp: Option<OtlpGuard>,
    _file: Option<tracing_appender::non_blocking::WorkerGuard>,
    /// The JSON log file's folder and name prefix, when file logging is on.
    pub file: Option<std::path::PathBuf>,
}

/// Installs the global subscriber: console (stderr, text or JSON), JSON file (daily files
/// `assay.log.YYYY-MM-DD` in the data folder) and `buffer`. Safe to call more than once.
pub fn init(dirs: &AppDirs, config: &AppConfig, buffer: LogBuffer) -> LogGuard {
    let filter =
        || EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let console = match config.log_format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_filter(filter())
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_writer(std::io::stderr)
            .with_filter(filter())
            .boxed(),
    };
    let (file_layer, guard, file) =
        if config.log_file && std::fs::create_dir_all(dirs.log_dir()).is_ok() {
            let appender = tracing_appender::rolling::daily(dirs.log_dir(), "assay.log");
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .json()
                .with_writer(writer)
                .with_filter(filter());
            (
                Some(layer),
                Some(guard),
                Some(dirs.log_dir().join("assay.log")),
            )
        } else {
            (None, None, None)
        };
    let endpoint = Endpoint::choose(config.otlp_endpoint.as_deref(), |k| std::env::var(k).ok());
    let (otel, otlp, otlp_problem) = match endpoint.as_ref().map(crate::otlp::tracer) {
        Some(Ok((tracer, guard))) => (
            Some(
                tracing_opentelemetry::layer()
                    .with_tracer(tracer)
                    .with_filter(filter()),
            ),
            Some(guard),
            None,
        ),
        Some(Err(problem)) => (None, None, Some(problem)),
        None => (None, None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(console)
        .with(file_layer)
        .with(BufferLayer { buffer }.with_filter(filter()))
        .with(otel)
        .try_init();
    match (&endpoint, otlp_problem) {
        (Some(_), Some(problem)) => {
            tracing::warn!(%problem, "OpenTelemetry export is off: the OTLP endpoint is unusable")
        }
        (Some(e), None) => tracing::info!(endpoint = ?e, "exporting traces over OTLP"),
        _ => {}
    }
    LogGuard {
        _otlp: otlp,
        _file: guard,
        file,
    }
}

struct BufferLayer {
    buffer: LogBuffer,
}

impl<S: tracing::Subscriber> Layer<S> for BufferLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut visitor = FieldVisitor::default();
        event.record(&mut visitor);
        let meta = event.metadata();
        self.buffer.push(LogRecord {
            seq: 0,
            time: Utc::now(),
            level: level_of(meta.level()),
            target: meta.target().to_string(),
            message: visitor.message,
            fields: visitor.fields,
        });
    }
}

fn level_of(level: &tracing::Level) -> LogLevel {
    match *level {
        tracing::Level::TRACE => LogLevel::Trace,
        tracing::Level::DEBUG => LogLevel::Debug,
        tracing::Level::INFO => LogLevel::Info,
        tracing::Level::WARN => LogLevel::Warn,
        _ => LogLevel::Error,
    }
}

#[derive(Default)]
struct FieldVisitor {
    message: String,
    fields: BTreeMap<String, String>,
}

impl Visit for FieldVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.fields
                .insert(field.name().to_string(), value.to_string());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            self.fields
                .insert(field.name().to_string(), format!("{value:?}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_layer_captures_fields_and_filters() {
        let buffer = LogBuffer::new(EventBus::new());
        let subscriber = tracing_subscriber::registry().with(BufferLayer {
            buffer: buffer.clone(),
        });
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(dataset = "penguins", rows = 344, "profiled");
            tracing::warn!("slow disk");
        });
        let all = buffer.query(&LogsRequest::default());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].message, "profiled");
        assert_eq!(all[0].fields["dataset"], "penguins");
        assert_eq!(all[0].fields["rows"], "344");
        let warn = buffer.query(&LogsRequest {
            after: None,
            min_level: Some(LogLevel::Warn),
        });
        assert_eq!(warn.len(), 1);
        let after = buffer.query(&LogsRequest {
            after: Some(all[0].seq),
            min_level: None,
        });
        assert_eq!(after[0].message, "slow disk");
    }
}
