//! Table shape: `type` (decided from the schema, no data read) and `row_count`.

use polars::prelude::*;

use super::{Ctx, Plan, column};
use crate::result::Observed;
use crate::suite::{Range, TypeName};

/// Whether `dtype` is what `is` asks for.
fn matches(dtype: &DataType, is: &TypeName) -> bool {
    match is {
        TypeName::Integer => dtype.is_integer(),
        TypeName::Float => dtype.is_float(),
        TypeName::Numeric => dtype.is_primitive_numeric(),
        TypeName::String => dtype.is_string() || dtype.is_categorical() || dtype.is_enum(),
        TypeName::Boolean => dtype.is_bool(),
        TypeName::Date => matches!(dtype, DataType::Date),
        TypeName::Datetime => matches!(dtype, DataType::Datetime(_, _)),
        TypeName::Exact(name) => dtype.to_string().eq_ignore_ascii_case(name),
    }
}

/// `type: {column, is}`.
pub(crate) fn type_is(ctx: &Ctx, name: &str, is: &TypeName) -> Result<Plan, String> {
    let dtype = column(ctx, name)?;
    let passed = matches(dtype, is);
    let verb = if passed { "is" } else { "is not" };
    Ok(Plan::Decided {
        passed,
        observed: Observed::Text(dtype.to_string()),
        message: format!("{name} is {dtype}, which {verb} {}", is.label()),
    })
}

/// `row_count: {min, max}`.
pub(crate) fn row_count(range: Range) -> Plan {
    Plan::Value {
        value: len().cast(DataType::Float64),
        range,
        what: "row count".into(),
    }
}
