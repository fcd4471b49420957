use std::io::Read;
use std::path::Path;

use crate::ProjectError;

/// A content hash of a data file (BLAKE3, hex), the key under which derived results are cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Hex-encoded BLAKE3 hash of the bytes.
    pub hash: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// Hashes a file in 1 MiB chunks, calling `progress(bytes_done)` after each chunk; stops early
/// with `Ok(None)` when `progress` returns `false` (cancellation).
pub fn fingerprint_file(
    path: &Path,
    mut progress: impl FnMut(u64) -> bool,
) -> Result<Option<Fingerprint>, ProjectError> {
    let io = |e| ProjectError::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        done += n as u64;
        if !progress(done) {
            return Ok(None);
        }
    }
    Ok(Some(Fingerprint {
        hash: hasher.finalize().to_hex().to_string(),
        bytes: done,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_content_equal_hash_and_cancel_stops() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, b"species,island\n").expect("write");
        std::fs::write(&b, b"species,island\n").expect("write");
        let fa = fingerprint_file(&a, |_| true).expect("ok").expect("done");
        let fb = fingerprint_file(&b, |_| true).expect("ok").expect("done");
        assert_eq!(fa, fb);
        assert_eq!(fa.bytes, 15);
        assert_eq!(
            fa.hash,
            blake3::hash(b"species,island\n").to_hex().to_string()
        );
        assert!(fingerprint_file(&a, |_| false).expect("ok").is_none());
    }
}
