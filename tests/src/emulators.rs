//! Object-store emulators for tests, from PyPI and npm (installed by `.ci/setup`): moto's S3
//! server, gcp-storage-emulator and Azurite, each on a free port of 127.0.0.1 and killed on drop.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The well-known development key of Azurite's `devstoreaccount1`.
pub const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// The virtualenv with moto[server], gcp-storage-emulator and azure-storage-blob.
fn venv_bin(tool: &str) -> PathBuf {
    let venv = std::env::var_os("ASSAY_REMOTE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/assay/remote-venv"));
    let bin = venv.join("bin").join(tool);
    assert!(
        bin.exists(),
        "{} is missing: run `bash .ci/setup` (it makes the emulators' virtualenv) or set ASSAY_REMOTE_VENV",
        bin.display()
    );
    bin
}

fn azurite_bin() -> PathBuf {
    let bin = std::env::var_os("ASSAY_AZURITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from("/var/cache/assay/azurite/node_modules/.bin/azurite-blob")
        });
    assert!(
        bin.exists(),
        "{} is missing: run `bash .ci/setup`",
        bin.display()
    );
    bin
}

/// An emulator process, killed on drop.
pub struct Emulator {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn start(mut command: Command, port: u16) -> Emulator {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?} starts: {e}"));
    let emulator = Emulator { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{command:?} did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    emulator
}

/// moto's S3 server.
pub fn moto() -> Emulator {
    let port = free_port();
    let mut c = Command::new(venv_bin("moto_server"));
    c.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
    start(c, port)
}

/// gcp-storage-emulator, in memory, with `bucket`.
pub fn gcs(bucket: &str) -> Emulator {
    let port = free_port();
    let mut c = Command::new(venv_bin("gcp-storage-emulator"));
    c.args(["start", "-H", "127.0.0.1", "--port", &port.to_string()])
        .args(["--default-bucket", bucket, "--in-memory", "-q"]);
    start(c, port)
}

/// Azurite's blob service, keeping its data under `dir`.
pub fn azurite(dir: &Path) -> Emulator {
    let port = free_port();
    let mut c = Command::new(azurite_bin());
    c.args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
        .args(["--silent", "--skipApiVersionCheck", "--location"])
        .arg(dir.join("azurite"));
    start(c, port)
}

/// `http://127.0.0.1:PORT`.
pub fn endpoint(e: &Emulator) -> String {
    format!("http://127.0.0.1:{}", e.port)
}

/// Creates an S3 bucket on moto.
pub fn create_s3_bucket(e: &Emulator, bucket: &str) {
    let url = format!("{}/{bucket}", endpoint(e));
    ureq::put(&url)
        .send_empty()
        .expect("moto creates the bucket");
}

/// Creates a blob container on Azurite.
pub fn create_azure_container(e: &Emulator, container: &str) {
    let connection = format!(
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AZURITE_KEY};BlobEndpoint={}/devstoreaccount1;",
        endpoint(e)
    );
    let script = "import sys\nfrom azure.storage.blob import BlobServiceClient\nBlobServiceClient.from_connection_string(sys.argv[1]).create_container(sys.argv[2])\n";
    let out = Command::new(venv_bin("python"))
        .args(["-c", script, &connection, container])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
