//! MLflow's search syntax: `metrics.acc > 0.9 and params.model = 'rf' and tags."team" LIKE 'ml%'`
//! and order clauses such as `metrics.acc DESC`. The parser is shared by run, experiment, model
//! and model version searches; each search then says which attributes it knows.

use crate::error::{Result, TrackError};

/// What a condition or order clause is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `metrics.<key>`: the latest value of a metric.
    Metric(String),
    /// `params.<key>`.
    Param(String),
    /// `tags.<key>`.
    Tag(String),
    /// `attributes.<name>` or a bare name, e.g. `status`, `start_time`, `name`.
    Attribute(String),
    /// `datasets.<name|digest|context>`.
    Dataset(String),
}

impl Field {
    fn describe(&self) -> String {
        match self {
            Self::Metric(k) => format!("metrics.{k}"),
            Self::Param(k) => format!("params.{k}"),
            Self::Tag(k) => format!("tags.{k}"),
            Self::Attribute(k) => format!("attributes.{k}"),
            Self::Dataset(k) => format!("datasets.{k}"),
        }
    }
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `LIKE`, case-sensitive with `%` and `_`.
    Like,
    /// `ILIKE`, case-insensitive.
    ILike,
    /// `IN (...)`
    In,
    /// `NOT IN (...)`
    NotIn,
    /// `IS NULL`
    IsNull,
    /// `IS NOT NULL`
    IsNotNull,
}

impl Op {
    /// The SQL operator for the plain comparisons.
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Like => "GLOB",
            Self::ILike => "LIKE",
            Self::In => "IN",
            Self::NotIn => "NOT IN",
            Self::IsNull => "IS NULL",
            Self::IsNotNull => "IS NOT NULL",
        }
    }
    fn is_ordering(self) -> bool {
        matches!(self, Self::Lt | Self::Le | Self::Gt | Self::Ge)
    }
}

/// The right-hand side of a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A number.
    Number(f64),
    /// A quoted string.
    Text(String),
    /// A parenthesised list of strings.
    List(Vec<String>),
    /// Nothing (after `IS NULL`).
    None,
}

/// One condition; a filter is their conjunction.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The left-hand side.
    pub field: Field,
    /// The comparison.
    pub op: Op,
    /// The right-hand side.
    pub value: Literal,
}

impl Condition {
    /// The value as text, for string comparisons (numbers are written back as text).
    pub(crate) fn text(&self) -> Result<String> {
        match &self.value {
            Literal::Text(t) => Ok(t.clone()),
            Literal::Number(n) => Ok(n.to_string()),
            _ => Err(self.invalid("expects a quoted string")),
        }
    }

    /// The value as a number, for numeric comparisons.
    pub(crate) fn number(&self) -> Result<f64> {
        match &self.value {
            Literal::Number(n) => Ok(*n),
            Literal::Text(t) => t
                .parse()
                .map_err(|_| self.invalid("expects a number, not a string")),
            _ => Err(self.invalid("expects a number")),
        }
    }

    /// The comparison refused for this field.
    pub(crate) fn invalid(&self, why: &str) -> TrackError {
        TrackError::invalid(format!(
            "invalid filter: {} {}: {why}",
            self.field.describe(),
            self.op.sql()
        ))
    }

    /// Refuses ordering comparisons (`<`, `>`, ...) on a string field.
    pub(crate) fn string_op(&self) -> Result<Op> {
        if self.op.is_ordering() {
            Err(self.invalid("strings support =, !=, LIKE, ILIKE"))
        } else {
            Ok(self.op)
        }
    }
}

/// One `ORDER BY` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    /// What to sort by.
    pub field: Field,
    /// Ascending unless `DESC` was given.
    pub ascending: bool,
}

/// Parses a filter; an empty or blank filter is no condition.
pub fn parse_filter(text: &str) -> Result<Vec<Condition>> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let mut conditions = Vec::new();
    if parser.tokens.is_empty() {
        return Ok(conditions);
    }
    loop {
        conditions.push(parser.condition()?);
        match parser.next() {
            None => return Ok(conditions),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("and") => {}
            Some(t) => {
                return Err(TrackError::invalid(format!(
                    "invalid filter '{text}': expected AND, found {}",
                    t.describe()
                )));
            }
        }
    }
}

/// Parses one order clause, e.g. `metrics.acc DESC`.
pub fn parse_order_by(text: &str) -> Result<OrderBy> {
    let tokens = tokenize(text)?;
    let bad = || TrackError::invalid(format!("invalid order_by clause '{text}'"));
    let mut it = tokens.into_iter();
    let field = match it.next() {
        Some(Token::Ident(field)) => field,
        Some(Token::Word(w)) => Field::Attribute(w),
        _ => return Err(bad()),
    };
    let ascending = match it.next() {
        None => true,
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("asc") => true,
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("desc") => false,
        _ => return Err(bad()),
    };
    if it.next().is_some() {
        return Err(bad());
    }
    Ok(OrderBy { field, ascending })
}

/// Turns a LIKE pattern (`%`, `_`) into a case-sensitive GLOB pattern.
pub(crate) fn like_to_glob(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match c {
            '%' => out.push('*'),
            '_' => out.push('?'),
            '*' => out.push_str("[*]"),
            '?' => out.push_str("[?]"),
            '[' => out.push_str("[[]"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(Field),
    Word(String),
    Text(String),
    Number(f64),
    Op(Op),
    Open,
    Close,
    Comma,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Self::Ident(f) => f.describe(),
            Self::Word(w) => w.clone(),
            Self::Text(t) => format!("'{t}'"),
            Self::Number(n) => n.to_string(),
            Self::Op(o) => o.sql().into(),
            Self::Open => "(".into(),
            Self::Close => ")".into(),
            Self::Comma => ",".into(),
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn condition(&mut self) -> Result<Condition> {
        let field = match self.next() {
            Some(Token::Ident(f)) => f,
            Some(Token::Word(w)) => Field::Attribute(w),
            other => {
                return Err(TrackError::invalid(format!(
                    "invalid filter: expected a field such as metrics.acc, found {}",
                    other.map_or("the end".into(), |t| t.describe())
                )));
            }
        };
        let op = self.operator()?;
        let value = match op {
            Op::IsNull | Op::IsNotNull => Literal::None,
            Op::In | Op::NotIn => Literal::List(self.list()?),
            _ => match self.next() {
                Some(Token::Number(n)) => Literal::Number(n),
                Some(Token::Text(t)) => Literal::Text(t),
                other => {
                    return Err(TrackError::invalid(format!(
                        "invalid filter: expected a value after {} {}, found {}",
                        field.describe(),
                        op.sql(),
                        other.map_or("the end".into(), |t| t.describe())
                    )));
                }
            },
        };
        Ok(Condition { field, op, value })
    }

    fn operator(&mut self) -> Result<Op> {
        let op = match self.next() {
            Some(Token::Op(op)) => op,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("like") => Op::Like,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("ilike") => Op::ILike,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("in") => Op::In,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("not") && self.peek_word("in") => {
                self.at += 1;
                Op::NotIn
            }
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("is") => {
                let negated = self.peek_word("not");
                if negated {
                    self.at += 1;
                }
                if !self.peek_word("null") {
                    return Err(TrackError::invalid(
                        "invalid filter: expected IS [NOT] NULL",
                    ));
                }
                self.at += 1;
                if negated { Op::IsNotNull } else { Op::IsNull }
            }
            other => {
                return Err(TrackError::invalid(format!(
                    "invalid filter: expected a comparison (=, !=, <, <=, >, >=, LIKE, ILIKE, IN), found {}",
                    other.map_or("the end".into(), |t| t.describe())
                )));
            }
        };
        Ok(op)
    }

    fn list(&mut self) -> Result<Vec<String>> {
        let bad = || TrackError::invalid("invalid filter: IN expects a list such as ('a', 'b')");
        if self.next() != Some(Token::Open) {
            return Err(bad());
        }
        let mut items = Vec::new();
        loop {
            match self.next() {
                Some(Token::Text(t)) => items.push(t),
                Some(Token::Number(n)) => items.push(n.to_string()),
                _ => return Err(bad()),
            }
            match self.next() {
                Some(Token::Comma) => {}
                Some(Token::Close) => return Ok(items),
                _ => return Err(bad()),
            }
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            '\'' | '"' | '`' => {
                let (s, end) = quoted(&chars, i, text)?;
                tokens.push(Token::Text(s));
                i = end;
            }
            '=' | '!' | '<' | '>' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let (op, len) = match two.as_str() {
                    "!=" | "<>" => (Op::Ne, 2),
                    "<=" => (Op::Le, 2),
                    ">=" => (Op::Ge, 2),
                    "==" => (Op::Eq, 2),
                    _ => match c {
                        '=' => (Op::Eq, 1),
                        '<' => (Op::Lt, 1),
                        '>' => (Op::Gt, 1),
                        _ => return Err(unexpected(text, i)),
                    },
                };
                tokens.push(Token::Op(op));
                i += len;
            }
            c if c.is_ascii_digit() || ((c == '-' || c == '.') && next_is_digit(&chars, i)) => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric()
                        || chars[i] == '.'
                        || ((chars[i] == '-' || chars[i] == '+')
                            && matches!(chars[i - 1], 'e' | 'E')))
                {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                let n = s.parse().map_err(|_| {
                    TrackError::invalid(format!("invalid filter '{text}': '{s}' is not a number"))
                })?;
                tokens.push(Token::Number(n));
            }
            c if c.is_alphabetic() || c == '_' => {
                let (token, end) = word_or_ident(&chars, i, text)?;
                tokens.push(token);
                i = end;
            }
            _ => return Err(unexpected(text, i)),
        }
    }
    Ok(tokens)
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars
        .get(i + 1)
        .is_some_and(|c| c.is_ascii_digit() || *c == '.')
}

fn unexpected(text: &str, at: usize) -> TrackError {
    TrackError::invalid(format!(
        "invalid filter '{text}': unexpected character at position {}",
        at + 1
    ))
}

fn quoted(chars: &[char], start: usize, text: &str) -> Result<(String, usize)> {
    let quote = chars[start];
    let mut out = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                out.push(quote);
                i += 2;
                continue;
            }
            return Ok((out, i + 1));
        }
        out.push(chars[i]);
        i += 1;
    }
    Err(TrackError::invalid(format!(
        "invalid filter '{text}': unclosed quote {quote}"
    )))
}

fn word_or_ident(chars: &[char], start: usize, text: &str) -> Result<(Token, usize)> {
    let mut i = start;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    let head: String = chars[start..i].iter().collect();
    if chars.get(i) != Some(&'.') {
        return Ok((Token::Word(head), i));
    }
    i += 1;
    let key = match chars.get(i) {
        Some('\'' | '"' | '`') => {
            let (key, end) = quoted(chars, i, text)?;
            i = end;
            key
        }
        _ => {
            let s = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '-' | '/' | ':'))
            {
                i += 1;
            }
            chars[s..i].iter().collect()
        }
    };
    if key.is_empty() {
        return Err(TrackError::invalid(format!(
            "invalid filter '{text}': '{head}.' needs a key"
        )));
    }
    let field = match head.to_ascii_lowercase().as_str() {
        "metric" | "metrics" => Field::Metric(key),
        "param" | "params" | "parameter" | "parameters" => Field::Param(key),
        "tag" | "tags" => Field::Tag(key),
        "attribute" | "attributes" | "attr" | "run" => Field::Attribute(key),
        "dataset" | "datasets" => Field::Dataset(key),
        _ => {
            return Err(TrackError::invalid(format!(
                "invalid filter '{text}': unknown entity '{head}' (use metrics., params., tags., attributes. or datasets.)"
            )));
        }
    };
    Ok((Token::Ident(field), i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mlflow_filters() {
        let c = parse_filter(
            "metrics.acc >= 0.9 and params.model = 'rf' AND tags.`my tag` LIKE 'a%' and attributes.status IN ('FINISHED', 'FAILED') and tags.mlflow.user IS NOT NULL and start_time > -1e3",
        )
        .expect("parse");
        assert_eq!(c.len(), 6);
        assert_eq!(c[0].field, Field::Metric("acc".into()));
        assert_eq!(
            (c[0].op, c[0].value.clone()),
            (Op::Ge, Literal::Number(0.9))
        );
        assert_eq!(c[1].field, Field::Param("model".into()));
        assert_eq!(c[2].field, Field::Tag("my tag".into()));
        assert_eq!(c[2].op, Op::Like);
        assert_eq!(
            c[3].value,
            Literal::List(vec!["FINISHED".into(), "FAILED".into()])
        );
        assert_eq!(c[4].field, Field::Tag("mlflow.user".into()));
        assert_eq!(c[4].op, Op::IsNotNull);
        assert_eq!(c[5].field, Field::Attribute("start_time".into()));
        assert_eq!(c[5].value, Literal::Number(-1000.0));
        assert!(parse_filter("  ").expect("blank").is_empty());
        let q = parse_filter(r#"params."learning rate" = "0.1""#).expect("double quotes");
        assert_eq!(q[0].field, Field::Param("learning rate".into()));
        assert_eq!(q[0].value, Literal::Text("0.1".into()));
    }

    #[test]
    fn refuses_bad_filters_with_a_message() {
        for bad in [
            "metrics.acc >",
            "metrics.acc 0.9",
            "foo.bar = 1",
            "params.a = 'x' or params.b = 'y'",
            "tags.a = 'open",
            "attributes.run_id IN 'a'",
            "metrics. > 1",
        ] {
            let e = parse_filter(bad).expect_err(bad).to_string();
            assert!(e.starts_with("invalid filter"), "{bad}: {e}");
        }
    }

    #[test]
    fn parses_order_clauses() {
        let o = parse_order_by("metrics.`val loss` DESC").expect("parse");
        assert_eq!(o.field, Field::Metric("val loss".into()));
        assert!(!o.ascending);
        assert!(parse_order_by("start_time").expect("bare").ascending);
        assert!(parse_order_by("metrics.a sideways").is_err());
    }

    #[test]
    fn like_patterns_become_case_sensitive_globs() {
        assert_eq!(like_to_glob("a%b_c*[d"), "a*b?c[*][[]d");
    }
}
