//! OpenTelemetry export from `assay serve`: with an OTLP endpoint set, request spans arrive at
//! the collector as OTLP/HTTP protobuf batches; with the collector down, the server serves as
//! before. The collector here is a plain HTTP listener on 127.0.0.1 that records what it gets.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assay_tests::emulators::free_port;
use assay_tests::{Sandbox, Server};

/// One request the collector received.
struct Received {
    path: String,
    content_type: String,
    body: Vec<u8>,
}

/// Accepts OTLP posts on 127.0.0.1 and answers each with an empty success.
fn collector() -> (u16, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let Some(received) = read_request(&mut reader) else {
                continue;
            };
            let mut stream = stream;
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
            if tx.send(received).is_err() {
                return;
            }
        }
    });
    (port, rx)
}

fn read_request(reader: &mut impl BufRead) -> Option<Received> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let (mut length, mut content_type) = (0usize, String::new());
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            "content-type" => content_type = value.trim().to_string(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        path,
        content_type,
        body,
    })
}

fn serve(s: &Sandbox, otlp: &str) -> Server {
    let mut cmd = s.assay();
    cmd.env("ASSAY_OTLP_ENDPOINT", otlp)
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .args(["serve", "--project", "proj", "--addr", "127.0.0.1:0"]);
    Server::start(cmd)
}

fn current_project(server: &Server) -> u16 {
    ureq::post(&format!("{}/api/current_project", server.url))
        .send_json(serde_json::json!({}))
        .map(|r| r.status().as_u16())
        .unwrap_or_else(|e| panic!("current_project: {e}"))
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn request_spans_reach_an_otlp_collector() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj"]).status.success());
    let (port, received) = collector();
    let server = serve(&s, &format!("http://127.0.0.1:{port}"));
    assert_eq!(current_project(&server), 200);

    let deadline = Instant::now() + Duration::from_secs(30);
    let batch = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let got = received
            .recv_timeout(left)
            .expect("a span batch within 30 s");
        if contains(&got.body, "/api/current_project") {
            break got;
        }
    };
    assert_eq!(batch.path, "/v1/traces");
    assert_eq!(batch.content_type, "application/x-protobuf");
    assert!(
        contains(&batch.body, "service.name") && contains(&batch.body, "assay"),
        "the batch names the service"
    );
    assert!(
        contains(&batch.body, "request"),
        "the request span is there"
    );
}

#[test]
fn a_collector_that_is_down_does_not_slow_the_server() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj"]).status.success());
    let server = serve(&s, &format!("http://127.0.0.1:{}", free_port()));
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(current_project(&server), 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "20 requests took {:?}",
        started.elapsed()
    );
}
