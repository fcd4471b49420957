//! A TCP proxy on 127.0.0.1 that pulls the cable: it forwards to a real server until a number of
//! bytes has crossed it, then drops the connections in flight (and, unless it cuts only once,
//! every later one), as a network that fails mid-transfer does.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// When the proxy drops connections.
#[derive(Debug, Clone, Copy)]
pub struct Cut {
    /// After this many bytes from clients to the server.
    pub after_up: Option<u64>,
    /// After this many bytes from the server to clients.
    pub after_down: Option<u64>,
    /// Drop only the connections in flight at that moment, then forward normally again.
    pub once: bool,
}

struct State {
    cut: Cut,
    up: AtomicU64,
    down: AtomicU64,
    tripped: AtomicBool,
}

impl State {
    /// Counts bytes; true when this transfer must be dropped.
    fn count(&self, upstream: bool, n: usize) -> bool {
        let (total, limit) = if upstream {
            (&self.up, self.cut.after_up)
        } else {
            (&self.down, self.cut.after_down)
        };
        let seen = total.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
        let over = limit.is_some_and(|l| seen > l);
        if over && !self.tripped.swap(true, Ordering::SeqCst) {
            return true;
        }
        over && !self.cut.once
    }

    fn dead(&self) -> bool {
        self.tripped.load(Ordering::SeqCst) && !self.cut.once
    }
}

/// A running proxy; it stops accepting when dropped.
pub struct Proxy {
    /// The port it listens on.
    pub port: u16,
    stop: Arc<AtomicBool>,
    state: Arc<State>,
}

impl Proxy {
    /// Forwards 127.0.0.1:`port` (a free one) to 127.0.0.1:`target`, cutting as `cut` says.
    pub fn start(target: u16, cut: Cut) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new(State {
            cut,
            up: AtomicU64::new(0),
            down: AtomicU64::new(0),
            tripped: AtomicBool::new(false),
        });
        let (stop2, state2) = (Arc::clone(&stop), Arc::clone(&state));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                if state2.dead() {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                pump(&client, &server, true, &state2);
                pump(&server, &client, false, &state2);
            }
        });
        Self { port, stop, state }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Whether it has cut a transfer.
    pub fn tripped(&self) -> bool {
        self.state.tripped.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies `from` into `to` on a thread until either side closes or the cut comes.
fn pump(from: &TcpStream, to: &TcpStream, upstream: bool, state: &Arc<State>) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    let state = Arc::clone(state);
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if state.count(upstream, n) || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    });
}
