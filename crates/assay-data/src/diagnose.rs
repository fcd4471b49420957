//! When the engine rejects a delimited text file, find the first offending line ourselves so the
//! user learns where to look: invalid UTF-8, a row with the wrong number of fields, or a quote
//! left open at the end of the file.

use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::{CsvOptions, DataError};

/// Scans `path` once, byte by byte, and describes its first problem; `None` if every record
/// has the header's number of fields and every line is valid UTF-8 (when strict).
pub(crate) fn diagnose_csv(path: &Path, options: &CsvOptions) -> Option<DataError> {
    let readable = crate::transcode::utf8_copy(path, options.encoding).ok()?;
    let file = std::fs::File::open(&readable).ok()?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let name = path.display().to_string();
    let malformed = |line: u64, message: String| DataError::Malformed {
        path: name.clone(),
        line: Some(line),
        message,
    };
    let strict = options.encoding == crate::CsvEncodingChoice::Utf8;
    let delimiter = u8::try_from(options.delimiter).unwrap_or(b',');
    let quote = options.quote.and_then(|q| u8::try_from(q).ok());
    let mut raw = Vec::new();
    let (mut line_no, mut record_start) = (0u64, 1u64);
    let (mut fields, mut in_quotes, mut blank) = (1usize, false, true);
    let mut expected: Option<usize> = None;
    loop {
        raw.clear();
        if reader.read_until(b'\n', &mut raw).ok()? == 0 {
            break;
        }
        line_no += 1;
        if strict && let Err(e) = std::str::from_utf8(&raw) {
            return Some(malformed(
                line_no,
                format!(
                    "invalid UTF-8 at byte {} of the line (read it as latin1 if it is Latin-1 / Windows-1252 text, or as utf8_lossy to replace bad bytes)",
                    e.valid_up_to() + 1
                ),
            ));
        }
        if !in_quotes {
            record_start = line_no;
        }
        for &b in &raw {
            if Some(b) == quote {
                in_quotes = !in_quotes;
            } else if b == delimiter && !in_quotes {
                fields += 1;
            }
            if !matches!(b, b'\n' | b'\r') {
                blank = false;
            }
        }
        if in_quotes {
            continue; // a quoted field spans lines
        }
        if !blank {
            match expected {
                None => expected = Some(fields),
                Some(e) if e != fields => {
                    return Some(malformed(
                        record_start,
                        format!("{fields} fields where the header has {e}"),
                    ));
                }
                Some(_) => {}
            }
        }
        (fields, blank) = (1, true);
    }
    in_quotes.then(|| malformed(record_start, "a quoted field is never closed".into()))
}

/// Files already checked by [`validate_csv`], by path, size and modification time.
static VALIDATED: std::sync::Mutex<Vec<(std::path::PathBuf, u64, std::time::SystemTime)>> =
    std::sync::Mutex::new(Vec::new());

/// Checks a delimited text file once per content version: the engine reads only the columns a
/// query needs and would not notice a ragged row in the others.
pub(crate) fn validate_csv(path: &Path, options: &CsvOptions) -> Result<(), DataError> {
    let key = std::fs::metadata(path)
        .ok()
        .and_then(|m| Some((path.to_path_buf(), m.len(), m.modified().ok()?)));
    let done = |k: &(std::path::PathBuf, u64, std::time::SystemTime)| {
        VALIDATED.lock().map(|v| v.contains(k)).unwrap_or(false)
    };
    if key.as_ref().is_some_and(done) {
        return Ok(());
    }
    if let Some(problem) = diagnose_csv(path, options) {
        return Err(problem);
    }
    if let (Some(k), Ok(mut v)) = (key, VALIDATED.lock()) {
        if v.len() > 1024 {
            v.clear();
        }
        v.push(k);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("bad.csv");
        std::fs::write(&p, text).expect("write");
        diagnose_csv(&p, &CsvOptions::default()).map(|e| e.to_string())
    }

    #[test]
    fn finds_the_first_bad_line() {
        assert_eq!(check(b"a,b\n1,2\n\"x\ny\",3\n"), None);
        let m = check(b"a,b\n1,2\n3,4,5\n").expect("ragged");
        assert!(
            m.ends_with("bad.csv line 3: 3 fields where the header has 2"),
            "{m}"
        );
        let m = check(b"a,b\n1,2\n\xff,4\n").expect("utf8");
        assert!(m.contains("line 3: invalid UTF-8"), "{m}");
        let m = check(b"a,b\n1,\"open\n2,3\n").expect("quote");
        assert!(m.contains("line 2: a quoted field is never closed"), "{m}");
    }
}
