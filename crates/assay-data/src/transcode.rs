//! Delimited text in Latin-1 (Windows-1252) or UTF-16: the engine reads UTF-8 only, so such a
//! file is decoded once, streaming, into a UTF-8 copy in the cache folder, keyed by the file's
//! path, size, modification time and encoding. The copy is written to a temporary file and
//! renamed, so an interrupted decode leaves nothing behind. UTF-8 files are read in place.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::{CsvEncodingChoice, DataError};

/// The encoding to decode from, or `None` when the engine reads the file as it is.
fn decoder_of(encoding: CsvEncodingChoice) -> Option<&'static Encoding> {
    match encoding {
        CsvEncodingChoice::Utf8 | CsvEncodingChoice::Utf8Lossy => None,
        CsvEncodingChoice::Latin1 => Some(WINDOWS_1252),
        // The byte-order mark picks little or big endian; without one, little endian.
        CsvEncodingChoice::Utf16 => Some(UTF_16LE),
    }
}

/// A UTF-8 file with the content of `path`: `path` itself, or its decoded copy.
pub(crate) fn utf8_copy(
    path: &Path,
    encoding: CsvEncodingChoice,
) -> Result<Cow<'_, Path>, DataError> {
    let Some(from) = decoder_of(encoding) else {
        return Ok(Cow::Borrowed(path));
    };
    let name = path.display().to_string();
    let io = |e: std::io::Error| DataError::Format {
        path: name.clone(),
        message: format!("cannot decode it from {}: {e}", from.name()),
    };
    let meta = std::fs::metadata(path).map_err(|_| DataError::NotFound { path: name.clone() })?;
    let target = cache_path(path, &meta, from);
    if target.exists() {
        return Ok(Cow::Owned(target));
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let input =
        std::fs::File::open(path).map_err(|_| DataError::NotFound { path: name.clone() })?;
    let mut decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(from))
        .bom_override(true)
        .strip_bom(true)
        .build(std::io::BufReader::with_capacity(1 << 20, input));
    let mut out = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    {
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, out.as_file_mut());
        std::io::copy(&mut decoded, &mut writer).map_err(io)?;
        writer.flush().map_err(io)?;
    }
    out.persist(&target).map_err(|e| io(e.error))?;
    Ok(Cow::Owned(target))
}

fn cache_path(path: &Path, meta: &std::fs::Metadata, from: &'static Encoding) -> PathBuf {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let key = format!(
        "{}\n{}\n{modified}\n{}",
        absolute.display(),
        meta.len(),
        from.name()
    );
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data.csv".into());
    std::env::temp_dir().join("assay-utf8").join(format!(
        "{}-{stem}",
        &blake3::hash(key.as_bytes()).to_hex()[..16]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_and_utf16_become_the_same_utf8() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "ville;café\nZürich;crème brûlée\n";
        let latin1 = dir.path().join("latin1.csv");
        std::fs::write(&latin1, WINDOWS_1252.encode(text).0).expect("write");
        let utf16 = dir.path().join("utf16.csv");
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        std::fs::write(&utf16, bytes).expect("write");
        for (path, encoding) in [
            (&latin1, CsvEncodingChoice::Latin1),
            (&utf16, CsvEncodingChoice::Utf16),
        ] {
            let copy = utf8_copy(path, encoding).expect("decoded");
            assert_eq!(std::fs::read_to_string(&copy).expect("utf-8"), text);
            assert_eq!(utf8_copy(path, encoding).expect("again"), copy, "cached");
        }
        let plain = utf8_copy(&latin1, CsvEncodingChoice::Utf8Lossy).expect("as is");
        assert_eq!(plain, Cow::Borrowed(latin1.as_path()));
    }
}
