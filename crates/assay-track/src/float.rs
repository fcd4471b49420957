//! Serde for metric values as protobuf's JSON mapping has them: numbers, with NaN and the
//! infinities as the strings `"NaN"`, `"Infinity"` and `"-Infinity"` (JSON has no literal for them).

use serde::{Deserialize, Deserializer, Serializer, de};

/// Writes a finite value as a number, others as protobuf's strings.
pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        s.serialize_str("NaN")
    } else if *value == f64::INFINITY {
        s.serialize_str("Infinity")
    } else if *value == f64::NEG_INFINITY {
        s.serialize_str("-Infinity")
    } else {
        s.serialize_f64(*value)
    }
}

/// Reads a number, or a number written as text (`"1.5"`, `"NaN"`, `"Infinity"`, `"-Infinity"`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Float(f64),
        Text(String),
    }
    match Number::deserialize(d)? {
        Number::Float(v) => Ok(v),
        Number::Text(t) => parse(&t)
            .ok_or_else(|| de::Error::custom(format!("metric value '{t}' is not a number"))),
    }
}

fn parse(text: &str) -> Option<f64> {
    match text {
        "NaN" | "nan" => Some(f64::NAN),
        "Infinity" | "inf" => Some(f64::INFINITY),
        "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
        t => t.trim().parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct V {
        #[serde(with = "super")]
        v: f64,
    }

    #[test]
    fn special_values_round_trip_as_protobuf_strings() {
        for (value, json) in [
            (f64::NAN, r#"{"v":"NaN"}"#),
            (f64::INFINITY, r#"{"v":"Infinity"}"#),
            (f64::NEG_INFINITY, r#"{"v":"-Infinity"}"#),
            (0.25, r#"{"v":0.25}"#),
        ] {
            let text = serde_json::to_string(&V { v: value }).expect("serialise");
            assert_eq!(text, json);
            let back: V = serde_json::from_str(&text).expect("parse");
            assert!(back.v == value || (back.v.is_nan() && value.is_nan()));
        }
        let quoted: V = serde_json::from_str(r#"{"v":"2.5"}"#).expect("parse");
        assert_eq!(quoted.v, 2.5);
        assert!(serde_json::from_str::<V>(r#"{"v":"abc"}"#).is_err());
    }
}
