//! Assay's data sources. A [`Source`] names a file (or URL) and how to read it; [`scan`] turns it
//! into a polars `LazyFrame` without loading it; [`sniff_csv`] detects a CSV dialect; [`page`]
//! serves sorted, filtered, searched pages for the browser; [`sql`] runs polars SQL over named
//! sources. Read errors name the file and, for text formats, the line.

mod diagnose;
mod error;
mod page;
pub mod remote;
mod scan;
mod schema;
mod sniff;
mod source;
mod sql;
mod transcode;
mod value;

pub use error::DataError;
pub use page::{Filter, FilterOp, Page, PageQuery, SortKey, page, rows_of};
pub use remote::{RemoteAccess, RemoteEntry, StoreKind, is_remote};
pub use scan::{explain, row_count, scan};
pub use schema::{ColumnKind, ColumnSchema, kind_of, schema_of};
pub use sniff::sniff_csv;
pub use source::{CsvEncodingChoice, CsvOptions, CsvOverrides, DataFormat, Source};
pub use sql::sql;
pub use value::any_to_json;
