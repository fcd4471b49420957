use polars::prelude::*;
use serde_json::{Value, json};

/// A cell as JSON: numbers stay numbers (NaN and ±inf become strings), temporal values become
/// ISO-8601 text, nested values their display text.
pub fn any_to_json(v: &AnyValue) -> Value {
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => json!(b),
        AnyValue::String(s) => json!(s),
        AnyValue::StringOwned(s) => json!(s.as_str()),
        AnyValue::Int8(x) => json!(x),
        AnyValue::Int16(x) => json!(x),
        AnyValue::Int32(x) => json!(x),
        AnyValue::Int64(x) => json!(x),
        AnyValue::UInt8(x) => json!(x),
        AnyValue::UInt16(x) => json!(x),
        AnyValue::UInt32(x) => json!(x),
        AnyValue::UInt64(x) => json!(x),
        AnyValue::Float32(x) => float(f64::from(*x)),
        AnyValue::Float64(x) => float(*x),
        other => json!(display(other)),
    }
}

fn float(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        json!(x.to_string())
    }
}

fn display(v: &AnyValue) -> String {
    let s = v.to_string();
    s.trim_matches('"').to_string()
}
