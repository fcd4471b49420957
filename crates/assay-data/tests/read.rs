//! Reading the shared real data sets in every format, browsing them, and failing clearly on bad
//! files. Expected values are known facts of the data (nycflights13, Palmer penguins).

use std::path::{Path, PathBuf};

use assay_data::*;
use polars::prelude::*;
use serde_json::json;

fn shared(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/tabular")
        .join(name)
        .display()
        .to_string()
}

fn demo(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/demo/data")
        .join(name)
        .display()
        .to_string()
}

fn open(location: &str) -> LazyFrame {
    scan(&Source::from_path(location).expect("known format"))
        .expect("readable")
        .0
}

fn q(offset: u64, limit: u32) -> PageQuery {
    PageQuery {
        offset,
        limit,
        sort: vec![],
        filters: vec![],
        search: None,
    }
}

#[test]
fn penguins_csv_schema_nulls_and_rows() {
    let mut lf = open(&demo("penguins.csv"));
    let schema = schema_of(&mut lf, "penguins").expect("schema");
    let names: Vec<_> = schema.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "species",
            "island",
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
            "sex",
            "year"
        ]
    );
    assert_eq!(schema[0].kind, ColumnKind::Text);
    assert_eq!(schema[2].kind, ColumnKind::Numeric);
    assert_eq!(row_count(lf.clone()).expect("count"), 344);
    let nulls = lf
        .select([col("bill_length_mm").null_count(), col("sex").null_count()])
        .collect()
        .expect("nulls");
    assert_eq!(
        nulls
            .column("bill_length_mm")
            .expect("c")
            .get(0)
            .expect("v")
            .extract::<u32>(),
        Some(2)
    );
    assert_eq!(
        nulls
            .column("sex")
            .expect("c")
            .get(0)
            .expect("v")
            .extract::<u32>(),
        Some(11)
    );
}

#[test]
fn flights_pages_sort_filter_search() {
    let lf = open(&shared("nycflights13_flights.parquet"));
    let p = page(lf.clone(), &q(0, 50)).expect("page");
    assert_eq!(p.total_rows, 336_776);
    assert_eq!(p.rows.len(), 50);
    assert_eq!(p.columns.len(), 19);

    let mut sorted = q(0, 1);
    sorted.sort = vec![SortKey {
        column: "dep_delay".into(),
        descending: true,
    }];
    let top = page(lf.clone(), &sorted).expect("sorted");
    let dep_delay = top
        .columns
        .iter()
        .position(|c| c.name == "dep_delay")
        .expect("col");
    assert_eq!(top.rows[0][dep_delay], json!(1301.0));

    let mut cancelled = q(0, 10);
    cancelled.filters = vec![Filter {
        column: "dep_time".into(),
        op: FilterOp::IsNull,
        value: None,
    }];
    assert_eq!(
        page(lf.clone(), &cancelled).expect("filter").total_rows,
        8_255
    );

    let mut ua_late = q(0, 10);
    ua_late.filters = vec![
        Filter {
            column: "carrier".into(),
            op: FilterOp::Eq,
            value: Some(json!("UA")),
        },
        Filter {
            column: "arr_delay".into(),
            op: FilterOp::Gt,
            value: Some(json!(60)),
        },
    ];
    let expected = lf
        .clone()
        .filter(
            col("carrier")
                .eq(lit("UA"))
                .and(col("arr_delay").gt(lit(60))),
        )
        .select([len()])
        .collect()
        .expect("count")
        .column("len")
        .expect("len")
        .get(0)
        .expect("v")
        .extract::<u64>()
        .expect("u64");
    assert_eq!(
        page(lf.clone(), &ua_late).expect("filter").total_rows,
        expected
    );

    let mut search = q(0, 5);
    search.search = Some("n14228".into());
    let found = page(lf.clone(), &search).expect("search");
    let tail = found
        .columns
        .iter()
        .position(|c| c.name == "tailnum")
        .expect("col");
    assert!(found.total_rows > 0);
    assert!(found.rows.iter().all(|r| r[tail] == json!("N14228")));

    let mut far = q(336_770, 100);
    far.sort = vec![];
    assert_eq!(page(lf.clone(), &far).expect("last page").rows.len(), 6);

    let mut bad = q(0, 10);
    bad.sort = vec![SortKey {
        column: "nope".into(),
        descending: false,
    }];
    assert!(matches!(
        page(lf, &bad),
        Err(DataError::UnknownColumn { .. })
    ));
}

#[test]
fn sql_over_named_tables() {
    let flights = open(&shared("nycflights13_flights.parquet"));
    let airports = open(&shared("nycflights13_airports.parquet"));
    let lf = sql(
        vec![("flights".into(), flights), ("airports".into(), airports)],
        "SELECT carrier, COUNT(*) AS n FROM flights GROUP BY carrier ORDER BY n DESC LIMIT 3",
    )
    .expect("sql");
    let p = page(lf, &q(0, 10)).expect("page");
    assert_eq!(p.rows[0], vec![json!("UA"), json!(58_665)]);
    let Err(err) = sql(vec![], "SELECT * FROM nowhere") else {
        panic!("an unknown table must fail")
    };
    assert!(err.to_string().starts_with("SQL:"), "{err}");
}

#[test]
fn every_format_reads_the_same_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut df = open(&demo("penguins.csv")).collect().expect("collect");
    let write = |name: &str| -> PathBuf { dir.path().join(name) };
    let mut f = std::fs::File::create(write("p.parquet")).expect("create");
    ParquetWriter::new(&mut f).finish(&mut df).expect("parquet");
    let mut f = std::fs::File::create(write("p.arrow")).expect("create");
    IpcWriter::new(&mut f).finish(&mut df).expect("ipc");
    let mut f = std::fs::File::create(write("p.ndjson")).expect("create");
    JsonWriter::new(&mut f)
        .with_json_format(JsonFormat::JsonLines)
        .finish(&mut df)
        .expect("ndjson");
    let mut f = std::fs::File::create(write("p.json")).expect("create");
    JsonWriter::new(&mut f)
        .with_json_format(JsonFormat::Json)
        .finish(&mut df)
        .expect("json");
    let mut f = std::fs::File::create(write("p.tsv")).expect("create");
    CsvWriter::new(&mut f)
        .with_separator(b'\t')
        .finish(&mut df)
        .expect("tsv");
    for name in ["p.parquet", "p.arrow", "p.ndjson", "p.json", "p.tsv"] {
        let lf = open(&write(name).display().to_string());
        let back = lf.collect().expect("collect");
        assert_eq!(back.height(), 344, "{name}");
        assert_eq!(back.get_column_names(), df.get_column_names(), "{name}");
        assert_eq!(
            back.column("body_mass_g").expect("c").null_count(),
            2,
            "{name}"
        );
    }
}

fn read_err(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("write");
    let source = Source::from_path(&p.display().to_string()).expect("format");
    match scan(&source) {
        Err(e) => e.to_string(),
        Ok((lf, csv)) => match lf.collect() {
            Err(e) => assay_data::explain(&source, csv.as_ref(), e).to_string(),
            Ok(df) => panic!("{name} read fine: {df}"),
        },
    }
}

#[test]
fn bad_files_get_errors_naming_file_and_line() {
    let m = read_err("ragged.csv", b"a,b\n1,2\n3,4\n5,6,7\n8,9\n");
    assert!(
        m.contains("ragged.csv line 4: 3 fields where the header has 2"),
        "{m}"
    );
    let mut big = b"a,b\n".to_vec();
    // past the sniffed sample, so the file is read as strict UTF-8 and fails there
    big.extend(std::iter::repeat_n(b"1,2\n".as_slice(), 70_000).flatten());
    big.extend(b"x,\xff\xfe\n");
    let m = read_err("latin.csv", &big);
    assert!(m.contains("latin.csv line 70002: invalid UTF-8"), "{m}");
    let m = read_err("quote.csv", b"a,b\n1,\"never closed\n2,3\n");
    assert!(m.contains("quote.csv line 2"), "{m}");
    let m = read_err("empty.csv", b"");
    assert!(m.contains("empty.csv: the file is empty"), "{m}");
    let m = read_err("image.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    assert!(m.contains("image.csv") && m.contains("binary"), "{m}");
    let parquet = std::fs::read(shared("nycflights13_airports.parquet")).expect("read");
    let m = read_err("cut.parquet", &parquet[..parquet.len() / 2]);
    assert!(m.contains("cut.parquet") && m.contains("Parquet"), "{m}");
    let m = read_err("broken.json", b"[{\"a\": 1}, {\"a\": ");
    assert!(m.contains("broken.json"), "{m}");
    let Err(e) = scan(&Source::from_path("/nonexistent/x.parquet").expect("fmt")) else {
        panic!("a missing file must fail")
    };
    assert!(matches!(e, DataError::NotFound { .. }));
}
