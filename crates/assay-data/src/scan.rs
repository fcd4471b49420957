//! Opening a [`Source`] as a polars `LazyFrame`: nothing is loaded until a query collects.

use std::path::Path;

use polars::prelude::*;

use crate::diagnose::diagnose_csv;

use crate::{CsvEncodingChoice, CsvOptions, DataError, DataFormat, Source, sniff_csv};

/// Opens `source` lazily and checks that its schema can be read. CSV/TSV options are sniffed
/// when the source has none. Returns the frame and the options used.
pub fn scan(source: &Source) -> Result<(LazyFrame, Option<CsvOptions>), DataError> {
    let location = source.location.as_str();
    if crate::remote::is_remote(location) {
        return scan_remote(source);
    }
    let path = Path::new(location);
    let meta = std::fs::metadata(path).map_err(|_| DataError::NotFound {
        path: location.to_string(),
    })?;
    if meta.len() == 0 {
        return Err(DataError::Empty {
            path: location.to_string(),
        });
    }
    let pl_path = PlRefPath::new(location);
    let (mut lf, csv) = match source.format {
        DataFormat::Csv | DataFormat::Tsv => {
            let mut options = match &source.csv {
                Some(o) => o.clone(),
                None => sniff_csv(path)?,
            };
            if source.format == DataFormat::Tsv && source.csv.is_none() {
                options.delimiter = '\t';
            }
            if let (None, Some(overrides)) = (&source.csv, &source.overrides) {
                overrides.apply(&mut options)?;
            }
            crate::diagnose::validate_csv(path, &options)?;
            let readable = crate::transcode::utf8_copy(path, options.encoding)?;
            let reader = csv_reader(
                PlRefPath::new(readable.to_string_lossy().as_ref()),
                location,
                &options,
            )?;
            (reader, Some(options))
        }
        DataFormat::Parquet => (
            LazyFrame::scan_parquet(pl_path, ScanArgsParquet::default())
                .map_err(|e| invalid(location, "Parquet", e))?,
            None,
        ),
        DataFormat::Arrow => (
            LazyFrame::scan_ipc(pl_path, Default::default(), Default::default())
                .map_err(|e| invalid(location, "Arrow IPC", e))?,
            None,
        ),
        DataFormat::Ndjson => (
            LazyJsonLineReader::new(pl_path)
                .finish()
                .map_err(|e| invalid(location, "NDJSON", e))?,
            None,
        ),
        DataFormat::Json => (read_json_array(path)?, None),
    };
    lf.collect_schema()
        .map_err(|e| explain(source, csv.as_ref(), e))?;
    Ok((lf, csv))
}

/// Columnar formats are scanned in place (range requests); text formats are read from a local
/// copy fetched once, and their errors still name the URL.
fn scan_remote(source: &Source) -> Result<(LazyFrame, Option<CsvOptions>), DataError> {
    let url = source.location.as_str();
    let access = source.access.clone().unwrap_or_default();
    // One metadata request first: a missing object, refused credentials or a server that does
    // not answer become a clear error within the client's timeouts.
    crate::remote::block_on(crate::remote::fingerprint(url, &access))?;
    let lazy = scan_in_place(source, url, &access).and_then(|mut lf| {
        lf.collect_schema()
            .map_err(|e| remote_read_error(url, source.format, e))?;
        Ok(lf)
    });
    match lazy {
        Ok(lf) => Ok((lf, None)),
        Err(e) if !fetch_instead(source.format, url) => Err(e),
        Err(_) => {
            let local = crate::remote::block_on(crate::remote::fetch_to_cache(url, &access))?;
            let local = Source {
                location: local.display().to_string(),
                access: None,
                ..source.clone()
            };
            scan(&local).map_err(|e| e.renamed(&local.location, url))
        }
    }
}

/// Text formats are always read from a local copy; GCS emulators without the XML API make
/// polars' in-place scan fail, and then the object is fetched through the JSON API.
fn fetch_instead(format: DataFormat, url: &str) -> bool {
    format.is_delimited()
        || format == DataFormat::Json
        || crate::remote::StoreKind::of(url).is_ok_and(|k| k == crate::remote::StoreKind::Gcs)
}

fn scan_in_place(
    source: &Source,
    url: &str,
    access: &crate::RemoteAccess,
) -> Result<LazyFrame, DataError> {
    let path = PlRefPath::new(url);
    let cloud = || crate::remote::cloud_options(url, access).map(Some);
    Ok(match source.format {
        DataFormat::Parquet => {
            let args = ScanArgsParquet {
                cloud_options: cloud()?,
                ..Default::default()
            };
            LazyFrame::scan_parquet(path, args).map_err(|e| invalid(url, "Parquet", e))?
        }
        DataFormat::Arrow => {
            let args = UnifiedScanArgs {
                cloud_options: cloud()?,
                ..Default::default()
            };
            LazyFrame::scan_ipc(path, Default::default(), args)
                .map_err(|e| invalid(url, "Arrow IPC", e))?
        }
        DataFormat::Ndjson => LazyJsonLineReader::new(path)
            .with_cloud_options(cloud()?)
            .finish()
            .map_err(|e| invalid(url, "NDJSON", e))?,
        DataFormat::Csv | DataFormat::Tsv | DataFormat::Json => {
            return Err(DataError::Format {
                path: url.to_string(),
                message: "text formats are read from a local copy".into(),
            });
        }
    })
}

fn remote_read_error(url: &str, format: DataFormat, e: PolarsError) -> DataError {
    let text = e.to_string();
    if text.contains("not found") || text.contains("NotFound") || text.contains("404") {
        return DataError::NotFound {
            path: url.to_string(),
        };
    }
    DataError::Remote {
        url: url.to_string(),
        message: format!("cannot read it as {format:?}: {text}"),
    }
}

/// A lazy reader of the UTF-8 file `path`; errors name `name`, the file the user added.
fn csv_reader(path: PlRefPath, name: &str, o: &CsvOptions) -> Result<LazyFrame, DataError> {
    let ascii = |c: char, what: &str| {
        u8::try_from(c).ok().filter(u8::is_ascii).ok_or_else(|| {
            DataError::Invalid(format!("the {what} must be one ASCII character, not '{c}'"))
        })
    };
    let nulls = (!o.null_values.is_empty())
        .then(|| NullValues::AllColumns(o.null_values.iter().map(|s| s.as_str().into()).collect()));
    LazyCsvReader::new(path)
        .with_separator(ascii(o.delimiter, "delimiter")?)
        .with_quote_char(o.quote.map(|q| ascii(q, "quote")).transpose()?)
        .with_has_header(o.has_header)
        .with_null_values(nulls)
        .with_encoding(match o.encoding {
            // Latin-1 and UTF-16 files are read from their UTF-8 copy.
            CsvEncodingChoice::Utf8 | CsvEncodingChoice::Latin1 | CsvEncodingChoice::Utf16 => {
                CsvEncoding::Utf8
            }
            CsvEncodingChoice::Utf8Lossy => CsvEncoding::LossyUtf8,
        })
        .with_infer_schema_length(Some(10_000))
        .with_try_parse_dates(true)
        .finish()
        .map_err(|e| DataError::engine(name, e))
}

fn read_json_array(path: &Path) -> Result<LazyFrame, DataError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|_| DataError::NotFound { path: name.clone() })?;
    let df = JsonReader::new(file)
        .with_json_format(JsonFormat::Json)
        .finish()
        .map_err(|e| invalid(&name, "JSON (an array of objects)", e))?;
    Ok(df.lazy())
}

fn invalid(path: &str, format: &str, e: PolarsError) -> DataError {
    DataError::Format {
        path: path.to_string(),
        message: format!("not a readable {format} file: {e}"),
    }
}

/// Turns an engine error while reading `source` into one that names the file and, for
/// delimited text, the first bad line.
pub fn explain(source: &Source, csv: Option<&CsvOptions>, e: PolarsError) -> DataError {
    if let Some(options) = csv
        && let Some(found) = diagnose_csv(Path::new(&source.location), options)
    {
        return found;
    }
    let kind = match source.format {
        DataFormat::Csv | DataFormat::Tsv => "delimited text",
        DataFormat::Parquet => "Parquet",
        DataFormat::Json => "JSON",
        DataFormat::Ndjson => "NDJSON",
        DataFormat::Arrow => "Arrow IPC",
    };
    DataError::Malformed {
        path: source.location.clone(),
        line: None,
        message: format!("cannot read it as {kind}: {e}"),
    }
}

/// Counts rows (from metadata where the format has it).
pub fn row_count(lf: LazyFrame) -> Result<u64, PolarsError> {
    let df = lf.select([len()]).collect()?;
    let n = df
        .column("len")?
        .get(0)?
        .extract::<u64>()
        .unwrap_or_default();
    Ok(n)
}
