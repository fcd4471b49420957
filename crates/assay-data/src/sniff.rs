//! CSV dialect detection from the first bytes of a file: delimiter, quote, header, missing-value
//! markers and encoding.

use std::io::Read;
use std::path::Path;

use crate::{CsvEncodingChoice, CsvOptions, DataError};

const SAMPLE_BYTES: usize = 256 * 1024;
const SAMPLE_LINES: usize = 200;
const DELIMITERS: [char; 5] = [',', '\t', ';', '|', ':'];
/// Texts that commonly mean "missing" (pandas' defaults); those seen in the sample are used.
const NULL_MARKERS: [&str; 13] = [
    "NA", "N/A", "n/a", "NULL", "null", "None", "NaN", "nan", "#N/A", "#NA", "<NA>", "-NaN", "-nan",
];

/// Detects how to read a delimited text file.
pub fn sniff_csv(path: &Path) -> Result<CsvOptions, DataError> {
    let name = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DataError::NotFound { path: name.clone() },
        _ => DataError::engine(name.clone(), e),
    })?;
    let mut buf = Vec::with_capacity(SAMPLE_BYTES);
    file.by_ref()
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut buf)
        .map_err(|e| DataError::engine(name.clone(), e))?;
    if buf.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::Empty { path: name });
    }
    let utf16 = buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF]);
    if buf.contains(&0) && !utf16 {
        return Err(DataError::Format {
            path: name,
            message: "the file holds binary data (NUL bytes), not delimited text".into(),
        });
    }
    let (text, encoding) = if utf16 {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(&buf);
        (text.into_owned(), CsvEncodingChoice::Utf16)
    } else {
        decode(&buf, buf.len() == SAMPLE_BYTES)
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines: Vec<&str> = text.lines().take(SAMPLE_LINES + 1).collect();
    if buf.len() == SAMPLE_BYTES && lines.len() > 1 {
        lines.pop(); // the last line may be cut off by the sample
    }
    let delimiter = best_delimiter(&lines);
    let rows: Vec<Vec<String>> = lines.iter().map(|l| split_line(l, delimiter)).collect();
    Ok(CsvOptions {
        delimiter,
        quote: Some('"'),
        has_header: looks_like_header(&rows),
        null_values: null_markers(&rows),
        encoding,
    })
}

fn decode(buf: &[u8], truncated: bool) -> (String, CsvEncodingChoice) {
    match std::str::from_utf8(buf) {
        Ok(s) => (s.to_string(), CsvEncodingChoice::Utf8),
        // a multi-byte character cut by the sample end is not an encoding problem
        Err(e) if truncated && e.error_len().is_none() => (
            String::from_utf8_lossy(&buf[..e.valid_up_to()]).into_owned(),
            CsvEncodingChoice::Utf8,
        ),
        // Not UTF-8 and no NUL bytes: most such files are Latin-1 / Windows-1252, where every
        // byte is a character, so nothing is lost (the user can still pick lossy UTF-8).
        Err(_) => (
            encoding_rs::WINDOWS_1252.decode(buf).0.into_owned(),
            CsvEncodingChoice::Latin1,
        ),
    }
}

/// The delimiter giving the most lines with the same, largest-possible number of fields.
fn best_delimiter(lines: &[&str]) -> char {
    let mut best = (',', 0usize);
    for d in DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| split_line(l, d).len()).collect();
        let Some(first) = counts.first().copied() else {
            continue;
        };
        if first < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        let score = consistent * first;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Splits one line on `delimiter`, honouring double quotes.
pub(crate) fn split_line(line: &str, delimiter: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

fn is_number(s: &str) -> bool {
    s.trim().parse::<f64>().is_ok()
}

/// A header has no empty, duplicate or numeric names, while the rows below hold some numbers
/// or differ in shape from it.
fn looks_like_header(rows: &[Vec<String>]) -> bool {
    let Some(first) = rows.first() else {
        return true;
    };
    let mut seen = std::collections::HashSet::new();
    let names_ok = first
        .iter()
        .all(|f| !f.trim().is_empty() && !is_number(f) && seen.insert(f.as_str()));
    if !names_ok {
        return false;
    }
    if rows.len() == 1 {
        return true;
    }
    let body_has_numbers = rows[1..].iter().flatten().any(|f| is_number(f));
    body_has_numbers || rows[1..].iter().all(|r| r != first)
}

fn null_markers(rows: &[Vec<String>]) -> Vec<String> {
    NULL_MARKERS
        .iter()
        .filter(|m| rows.iter().skip(1).flatten().any(|f| f.trim() == **m))
        .map(|m| m.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_text(text: &[u8]) -> Result<CsvOptions, DataError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("x.csv");
        std::fs::write(&p, text).expect("write");
        sniff_csv(&p)
    }

    #[test]
    fn penguins_dialect() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/data/penguins.csv");
        let o = sniff_csv(&p).expect("sniff");
        assert_eq!(o.delimiter, ',');
        assert!(o.has_header);
        assert!(o.null_values.is_empty(), "missing cells are empty there");
        assert_eq!(o.encoding, CsvEncodingChoice::Utf8);
        let o = sniff_text(b"a,b\n1,NA\nNULL,2\n").expect("sniff");
        assert_eq!(o.null_values, ["NA", "NULL"]);
    }

    #[test]
    fn semicolons_tabs_and_headerless() {
        let o = sniff_text(b"a;b;c\n1;2,5;3\n4;5;6\n").expect("sniff");
        assert_eq!(o.delimiter, ';');
        let o = sniff_text(b"x\ty\n1\t2\n").expect("sniff");
        assert_eq!(o.delimiter, '\t');
        let o = sniff_text(b"1,2,3\n4,5,6\n").expect("sniff");
        assert!(!o.has_header);
        let o = sniff_text(b"name,\"city, state\"\n\"Smith, J\",\"Austin, TX\"\n").expect("sniff");
        assert_eq!(o.delimiter, ',');
    }

    #[test]
    fn latin1_is_detected_binary_and_empty_are_refused() {
        let o = sniff_text(b"name,city\nJos\xe9,M\xe1laga\n").expect("sniff");
        assert_eq!(o.encoding, CsvEncodingChoice::Latin1);
        let e = sniff_text(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect_err("binary");
        assert!(e.to_string().contains("binary"), "{e}");
        let e = sniff_text(b"").expect_err("empty");
        assert!(e.to_string().contains("empty"), "{e}");
    }
}
