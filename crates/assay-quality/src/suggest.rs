//! Suggesting a suite from a profile, Deequ-style: completeness (`not_null`, with `mostly` when
//! some values are missing), observed ranges of numbers, sets for low-cardinality columns,
//! uniqueness of id-like columns, a character-class regex or a length range for text, and a
//! row-count floor. Every suggestion holds on the profiled data and carries the reason it was
//! made; the user reviews them before saving.

use assay_data::ColumnKind;
use assay_profile::Profile;
use assay_profile::model::{ColumnProfile, SemanticHint, TextStats};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::thousands;
use crate::suite::{Check, Literal, Range, Rule, Severity, Suite, number};

/// Knobs of the suggestions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SuggestOptions {
    /// Most distinct values a column may have to get an `in_set` rule.
    #[ts(type = "number")]
    pub max_set: u64,
    /// Missing share above which no `not_null` rule is suggested.
    pub max_missing: f64,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        Self {
            max_set: 20,
            max_missing: 0.5,
        }
    }
}

/// Why a rule was suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Suggestion {
    /// The suggested rule's id.
    pub rule: String,
    /// The evidence, e.g. "0 of 336,776 values missing".
    pub reason: String,
}

/// Suggests a suite for the table behind `profile`, bound to `dataset` and to be saved as
/// `file`. Returns the suite and one reason per rule (pass them to [`crate::to_yaml`] to
/// write them as comments).
pub fn suggest(
    profile: &Profile,
    dataset: &str,
    file: &str,
    opts: &SuggestOptions,
) -> (Suite, Vec<Suggestion>) {
    let mut out = Out::default();
    let rows = profile.table.rows;
    if rows > 0 {
        out.add(
            Check::RowCount {
                range: Range::closed(Some((rows / 2) as f64), None),
            },
            None,
            format!("{} rows now; flags a drop by half", thousands(rows)),
        );
    }
    for c in &profile.columns {
        column_rules(&mut out, c, rows, opts);
    }
    let suite = Suite {
        file: file.to_string(),
        dataset: dataset.to_string(),
        description: Some(format!(
            "Suggested from a profile of {} rows; review before saving",
            thousands(rows)
        )),
        rules: out.rules,
        invalid: Vec::new(),
    };
    (suite, out.reasons)
}

#[derive(Default)]
struct Out {
    rules: Vec<Rule>,
    reasons: Vec<Suggestion>,
}

impl Out {
    fn add(&mut self, check: Check, mostly: Option<f64>, reason: String) {
        let id = check.default_id();
        self.reasons.push(Suggestion {
            rule: id.clone(),
            reason,
        });
        self.rules.push(Rule {
            id,
            name: None,
            line: 0,
            severity: Severity::Error,
            mostly,
            check,
        });
    }
}

fn column_rules(out: &mut Out, c: &ColumnProfile, rows: u64, opts: &SuggestOptions) {
    let name = c.name.clone();
    completeness(out, c, rows, opts);
    if c.count == 0 {
        return;
    }
    let id_like = c.hints.contains(&SemanticHint::IdLike) && !c.distinct_approximate;
    if id_like {
        out.add(
            Check::Unique {
                columns: vec![name.clone()],
            },
            None,
            format!("all {} values distinct", thousands(c.count)),
        );
    }
    if let Some(values) = full_set(c, opts) {
        let n = values.len();
        out.add(
            Check::InSet {
                column: name,
                values,
            },
            None,
            format!("{n} distinct values, all listed"),
        );
        return;
    }
    match (c.kind, &c.numeric, &c.text) {
        (ColumnKind::Numeric, Some(n), _) => {
            if let (Some(min), Some(max)) = (n.min, n.max)
                && min.is_finite()
                && max.is_finite()
            {
                out.add(
                    Check::Between {
                        column: name,
                        range: Range::closed(Some(min), Some(max)),
                    },
                    None,
                    format!("observed range {} to {}", number(min), number(max)),
                );
            }
        }
        (ColumnKind::Text, _, Some(t)) => text_rule(out, &name, t),
        _ => {}
    }
}

fn completeness(out: &mut Out, c: &ColumnProfile, rows: u64, opts: &SuggestOptions) {
    if rows == 0 || c.missing_fraction > opts.max_missing {
        return;
    }
    let column = c.name.clone();
    if c.missing == 0 {
        out.add(
            Check::NotNull { column },
            None,
            format!("no missing value in {} rows", thousands(rows)),
        );
    } else {
        let mostly = ((1.0 - c.missing_fraction) * 100.0 - 1e-9).floor() / 100.0;
        out.add(
            Check::NotNull { column },
            Some(mostly),
            format!(
                "{} of {} values missing ({:.2}%)",
                thousands(c.missing),
                thousands(rows),
                c.missing_fraction * 100.0
            ),
        );
    }
}

/// Every distinct value of a low-cardinality text or boolean column, when the profile lists
/// them all.
fn full_set(c: &ColumnProfile, opts: &SuggestOptions) -> Option<Vec<Literal>> {
    let listed: u64 = c.top_values.iter().map(|v| v.count).sum();
    let small = c.distinct <= opts.max_set && c.distinct < c.count;
    let complete =
        !c.distinct_approximate && listed == c.count && c.top_values.len() as u64 == c.distinct;
    if !(small && complete && matches!(c.kind, ColumnKind::Text | ColumnKind::Boolean)) {
        return None;
    }
    let mut values: Vec<Literal> = c
        .top_values
        .iter()
        .map(|v| match (c.kind, v.value.as_str()) {
            (ColumnKind::Boolean, "true") => Literal::Bool(true),
            (ColumnKind::Boolean, "false") => Literal::Bool(false),
            _ => Literal::Text(v.value.clone()),
        })
        .collect();
    values.sort_by_key(|v| v.to_string());
    Some(values)
}

/// A character-class regex for text made only of letters and digits (exact over all values,
/// from the profile's character counts), else a length range.
fn text_rule(out: &mut Out, name: &str, t: &TextStats) {
    let class = |k: &str| t.char_classes.get(k).copied().unwrap_or_default();
    let (letters, digits) = (class("letter"), class("digit"));
    let others = class("space") + class("punctuation") + class("other");
    let lengths = Range::closed(Some(t.min_length as f64), Some(t.max_length as f64));
    if others > 0 || letters + digits == 0 || t.empty > 0 {
        out.add(
            Check::Length {
                column: name.to_string(),
                range: lengths,
            },
            None,
            format!("lengths {} to {} characters", t.min_length, t.max_length),
        );
        return;
    }
    let mut set = String::new();
    if letters > 0 {
        set.push_str(if class("uppercase") == letters {
            r"\p{Uppercase}"
        } else if class("lowercase") == letters {
            r"\p{Lowercase}"
        } else {
            r"\p{Alphabetic}"
        });
    }
    if digits > 0 {
        set.push_str(r"\p{N}");
    }
    let count = if t.min_length == t.max_length {
        format!("{{{}}}", t.min_length)
    } else {
        format!("{{{},{}}}", t.min_length, t.max_length)
    };
    out.add(
        Check::Regex {
            column: name.to_string(),
            pattern: format!("^[{set}]{count}$"),
        },
        None,
        format!(
            "only letters and digits, {} to {} characters",
            t.min_length, t.max_length
        ),
    );
}
