//! The typed rule suite. A [`Suite`] is what a `rules/*.yaml` file means once parsed: every
//! [`Rule`] in it is well-formed (its arguments have the right types, its ranges have a bound,
//! its regex compiles, its `mostly` is a fraction); rules that are not are kept aside as
//! [`Diagnostic`]s so that the others still run.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A parsed rule suite bound to one data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Suite {
    /// The file it was read from (for messages), e.g. `rules/flights.yaml`.
    pub file: String,
    /// The data set it checks: a name in the project or a path.
    pub dataset: String,
    /// What the suite is about.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The well-formed rules, in file order.
    pub rules: Vec<Rule>,
    /// Rules that could not be parsed; each becomes an `error` result when the suite runs.
    #[serde(default)]
    pub invalid: Vec<Diagnostic>,
}

/// A problem with one rule (or the suite), pointing at its file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Diagnostic {
    /// The suite file.
    pub file: String,
    /// 1-based line of the rule.
    pub line: u32,
    /// The rule's id (or its kind when it has none yet).
    pub rule: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: rule `{}`: {}",
            self.file, self.line, self.rule, self.message
        )
    }
}

/// One check of a suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Rule {
    /// Stable id: the `name` when given, else derived from the kind and columns
    /// (`not_null:dep_time`); unique within the suite.
    pub id: String,
    /// The user's name for it, if any.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1-based line in the suite file (0 for rules not read from a file).
    pub line: u32,
    /// What a failure means.
    pub severity: Severity,
    /// For row-level rules: the share of rows that must pass (absent: all of them).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mostly: Option<f64>,
    /// What is checked.
    pub check: Check,
}

/// What a failed rule means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The suite fails (`assay check` exits 1).
    #[default]
    Error,
    /// Reported, but the suite still passes.
    Warn,
}

/// A closed or half-open interval; at least one bound is present.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Range {
    /// Lower bound.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Whether the lower bound itself is excluded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub min_exclusive: bool,
    /// Whether the upper bound itself is excluded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub max_exclusive: bool,
}

impl Range {
    /// A closed interval `[min, max]` (either side optional).
    pub fn closed(min: Option<f64>, max: Option<f64>) -> Self {
        Self {
            min,
            max,
            ..Self::default()
        }
    }

    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        let above = match self.min {
            Some(m) if self.min_exclusive => x > m,
            Some(m) => x >= m,
            None => true,
        };
        let below = match self.max {
            Some(m) if self.max_exclusive => x < m,
            Some(m) => x <= m,
            None => true,
        };
        above && below
    }

    /// The interval in mathematical notation, e.g. `[1, 12]` or `(0, ∞)`.
    pub fn describe(&self) -> String {
        let lo = self.min.map_or("-∞".to_string(), number);
        let hi = self.max.map_or("∞".to_string(), number);
        let open = if self.min_exclusive || self.min.is_none() {
            '('
        } else {
            '['
        };
        let close = if self.max_exclusive || self.max.is_none() {
            ')'
        } else {
            ']'
        };
        format!("{open}{lo}, {hi}{close}")
    }
}

/// A number as a person writes it: integers without a decimal point.
pub fn number(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A literal value in a set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum Literal {
    /// true / false.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Float(f64),
    /// Text.
    Text(String),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) => write!(f, "{}", number(*x)),
            Self::Text(s) => write!(f, "{s}"),
        }
    }
}

/// A comparison between two columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum CmpOp {
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `=`
    #[serde(rename = "=")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
}

impl CmpOp {
    /// Parses `>`, `>=`, `<`, `<=`, `=`/`==`, `!=`/`<>`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            ">" => Self::Gt,
            ">=" => Self::Ge,
            "<" => Self::Lt,
            "<=" => Self::Le,
            "=" | "==" => Self::Eq,
            "!=" | "<>" => Self::Ne,
            _ => return None,
        })
    }

    /// The operator as written in a suite.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Eq => "=",
            Self::Ne => "!=",
        }
    }
}

/// A column statistic that an aggregate rule bounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    /// Arithmetic mean.
    Mean,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// Median (linear interpolation).
    Median,
    /// Sample standard deviation (n - 1).
    Stddev,
    /// Sum.
    Sum,
    /// The `q` quantile (0..1, linear interpolation).
    Quantile(f64),
}

impl Stat {
    /// The rule key in a suite file (`mean`, ..., `quantile`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Mean => "mean",
            Self::Min => "min",
            Self::Max => "max",
            Self::Median => "median",
            Self::Stddev => "stddev",
            Self::Sum => "sum",
            Self::Quantile(_) => "quantile",
        }
    }
}

/// A broad or exact column type a `type` rule asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TypeName {
    /// Any integer width, signed or not.
    Integer,
    /// f32 or f64.
    Float,
    /// Integer or float.
    Numeric,
    /// Text (or categorical).
    String,
    /// true/false.
    Boolean,
    /// A calendar date.
    Date,
    /// A date and time.
    Datetime,
    /// An exact engine type name such as `i64`, `f32`, `str`.
    Exact(std::string::String),
}

impl TypeName {
    /// Parses a type name from a suite.
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "int" | "integer" => Self::Integer,
            "float" | "double" | "decimal" => Self::Float,
            "number" | "numeric" => Self::Numeric,
            "string" | "text" | "utf8" => Self::String,
            "bool" | "boolean" => Self::Boolean,
            "date" => Self::Date,
            "datetime" | "timestamp" => Self::Datetime,
            other => Self::Exact(other.to_string()),
        }
    }

    /// The name as written in a suite.
    pub fn label(&self) -> &str {
        match self {
            Self::Integer => "integer",
            Self::Float => "float",
            Self::Numeric => "numeric",
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Exact(s) => s,
        }
    }
}

/// A span of time such as `36h` or `7d`, held in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Period {
    /// Length, seconds.
    #[ts(type = "number")]
    pub seconds: u64,
}

impl Period {
    /// Parses `<n><unit>` with unit `s`, `m`, `h`, `d` or `w` (e.g. `90m`, `1d`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at(split);
        let n: u64 = n.parse().ok()?;
        let scale = match unit.trim() {
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hour" | "hours" => 3_600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 604_800,
            _ => return None,
        };
        Some(Self {
            seconds: n.checked_mul(scale)?,
        })
    }

    /// The shortest exact text for this period (`1d`, `36h`, `90m`, `45s`).
    pub fn describe(&self) -> String {
        let s = self.seconds;
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] {
            if s > 0 && s.is_multiple_of(size) {
                return format!("{}{unit}", s / size);
            }
        }
        format!("{s}s")
    }
}

/// What a rule checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// No value of the column is missing.
    NotNull {
        /// Column.
        column: String,
    },
    /// No two rows share the same values of these columns.
    Unique {
        /// One column or several (a compound key).
        columns: Vec<String>,
    },
    /// Every present value lies in the range.
    Between {
        /// Column.
        column: String,
        /// Allowed values.
        range: Range,
    },
    /// Every present value is one of these.
    InSet {
        /// Column.
        column: String,
        /// Allowed values.
        values: Vec<Literal>,
    },
    /// No value is one of these.
    NotInSet {
        /// Column.
        column: String,
        /// Forbidden values.
        values: Vec<Literal>,
    },
    /// Every present text value matches the pattern (search semantics; anchor with `^...$`).
    Regex {
        /// Column.
        column: String,
        /// A regular expression (validated when parsed).
        pattern: String,
    },
    /// Every present text value's length in characters lies in the range.
    Length {
        /// Column.
        column: String,
        /// Allowed lengths.
        range: Range,
    },
    /// The column has this type.
    Type {
        /// Column.
        column: String,
        /// Expected type.
        is: TypeName,
    },
    /// The table's row count lies in the range.
    RowCount {
        /// Allowed counts.
        range: Range,
    },
    /// A statistic of the column lies in the range.
    Stat {
        /// Which statistic.
        stat: Stat,
        /// Column.
        column: String,
        /// Allowed values.
        range: Range,
    },
    /// The share of missing values lies in the range (0..1).
    MissingFraction {
        /// Column.
        column: String,
        /// Allowed share.
        range: Range,
    },
    /// The share of distinct values among present values lies in the range (0..1).
    UniqueFraction {
        /// Column.
        column: String,
        /// Allowed share.
        range: Range,
    },
    /// The latest timestamp is at most `max_age` before now.
    Freshness {
        /// A date/datetime column, or ISO 8601 text.
        column: String,
        /// Allowed age.
        max_age: Period,
    },
    /// Every present value exists in another data set's column.
    References {
        /// Column here.
        column: String,
        /// The other data set (name or path).
        dataset: String,
        /// Its column.
        ref_column: String,
    },
    /// `left op right` holds on every row where both are present.
    Pair {
        /// Left column.
        left: String,
        /// Comparison.
        op: CmpOp,
        /// Right column.
        right: String,
    },
    /// A SQL predicate (polars SQL) that must hold on every row; rows where it is null pass.
    Expression {
        /// The predicate, e.g. `arr_delay < 1500`.
        sql: String,
    },
    /// A metric moved by at most `max_percent` from the mean of its last `runs` values.
    Change {
        /// `row_count` or the id of another rule of the suite whose observed value is tracked.
        of: String,
        /// Allowed relative change, percent.
        max_percent: f64,
        /// How many past runs form the baseline.
        runs: u32,
    },
}

impl Check {
    /// The rule key in a suite file.
    pub fn key(&self) -> &'static str {
        match self {
            Self::NotNull { .. } => "not_null",
            Self::Unique { .. } => "unique",
            Self::Between { .. } => "between",
            Self::InSet { .. } => "in_set",
            Self::NotInSet { .. } => "not_in_set",
            Self::Regex { .. } => "regex",
            Self::Length { .. } => "length",
            Self::Type { .. } => "type",
            Self::RowCount { .. } => "row_count",
            Self::Stat { stat, .. } => stat.key(),
            Self::MissingFraction { .. } => "missing_fraction",
            Self::UniqueFraction { .. } => "unique_fraction",
            Self::Freshness { .. } => "freshness",
            Self::References { .. } => "references",
            Self::Pair { .. } => "pair",
            Self::Expression { .. } => "expression",
            Self::Change { .. } => "change",
        }
    }

    /// The columns of the checked data set the rule reads (empty for table-level rules).
    pub fn columns(&self) -> Vec<String> {
        match self {
            Self::NotNull { column }
            | Self::Between { column, .. }
            | Self::InSet { column, .. }
            | Self::NotInSet { column, .. }
            | Self::Regex { column, .. }
            | Self::Length { column, .. }
            | Self::Type { column, .. }
            | Self::Stat { column, .. }
            | Self::MissingFraction { column, .. }
            | Self::UniqueFraction { column, .. }
            | Self::Freshness { column, .. }
            | Self::References { column, .. } => vec![column.clone()],
            Self::Unique { columns } => columns.clone(),
            Self::Pair { left, right, .. } => vec![left.clone(), right.clone()],
            Self::RowCount { .. } | Self::Expression { .. } | Self::Change { .. } => Vec::new(),
        }
    }

    /// Whether the rule judges rows one by one (so it has failing rows and takes `mostly`).
    pub fn is_row_level(&self) -> bool {
        matches!(
            self,
            Self::NotNull { .. }
                | Self::Unique { .. }
                | Self::Between { .. }
                | Self::InSet { .. }
                | Self::NotInSet { .. }
                | Self::Regex { .. }
                | Self::Length { .. }
                | Self::References { .. }
                | Self::Pair { .. }
                | Self::Expression { .. }
        )
    }

    /// The default id: kind and columns, e.g. `unique:year,month`, `expression:arr_delay < 1500`.
    pub fn default_id(&self) -> String {
        let key = self.key();
        match self {
            Self::RowCount { .. } => key.to_string(),
            Self::Expression { sql } => format!("{key}:{}", sql.trim()),
            Self::Change { of, .. } => format!("{key}:{of}"),
            Self::Stat {
                stat: Stat::Quantile(q),
                column,
                ..
            } => format!("{key}:{column}@{q}"),
            Self::References {
                column,
                dataset,
                ref_column,
            } => format!("{key}:{column}->{dataset}.{ref_column}"),
            Self::Pair { left, op, right } => format!("{key}:{left}{}{right}", op.symbol()),
            _ => format!("{key}:{}", self.columns().join(",")),
        }
    }
}
