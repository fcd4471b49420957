//! Lenient field readers: GET requests carry every value as query text (`max_results=100`,
//! repeated keys for lists), POST bodies carry JSON numbers and arrays; both must parse.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::{Map, Value};

/// A query string (`a=1&b=x&b=y`) as a JSON object of strings, repeated keys as arrays.
pub fn query_to_json(query: &str) -> Value {
    let mut map = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), Value::String(decode(v)));
        match map.get_mut(&k) {
            Some(Value::Array(items)) => items.push(v),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, v]);
            }
            None => {
                map.insert(k, v);
            }
        }
    }
    Value::Object(map)
}

/// Percent-decoding with `+` as space; invalid UTF-8 is replaced, not refused.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Int(i64),
    Float(f64),
    Text(String),
}

fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<NumberOrText>::deserialize(d)? {
        None => Ok(None),
        Some(NumberOrText::Int(i)) => Ok(Some(i)),
        Some(NumberOrText::Float(f)) if f.fract() == 0.0 => Ok(Some(f as i64)),
        Some(NumberOrText::Float(f)) => {
            Err(de::Error::custom(format!("{f} is not a whole number")))
        }
        Some(NumberOrText::Text(t)) if t.is_empty() => Ok(None),
        Some(NumberOrText::Text(t)) => t
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("'{t}' is not a whole number"))),
    }
}

/// An optional whole number, from a JSON number or text.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    number(d)
}

/// An optional non-negative count, from a JSON number or text.
pub fn opt_usize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    match number(d)? {
        None => Ok(None),
        Some(n) if n >= 0 => Ok(Some(n as usize)),
        Some(n) => Err(de::Error::custom(format!("{n} must not be negative"))),
    }
}

/// A flag, from `true`/`false` or their text.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(Value::String(s)) => Ok(s.eq_ignore_ascii_case("true")),
        Some(other) => Err(de::Error::custom(format!("{other} is not true or false"))),
    }
}

/// A list, also from a single value (one repeated query key).
pub fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(de::Error::custom))
            .collect(),
        Some(one) => Ok(vec![
            serde_json::from_value(one).map_err(de::Error::custom)?,
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_objects_with_repeated_keys_as_lists() {
        let v = query_to_json("name=a%20b+c&order_by=x&order_by=y&max_results=5&e=%ZZ&u=%C3%A9");
        assert_eq!(v["name"], "a b c");
        assert_eq!(v["order_by"], serde_json::json!(["x", "y"]));
        assert_eq!(v["max_results"], "5");
        assert_eq!(v["e"], "%ZZ");
        assert_eq!(v["u"], "é");
    }
}
