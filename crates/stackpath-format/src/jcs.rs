//! The RFC 8785 JSON Canonicalization Scheme (JCS), computed from the
//! positioned tree of [`crate::json`], which is what signatures sign.
//!
//! Written here rather than taken from `serde_jcs` because the signed bytes
//! must come from exactly the tree the reader checked (duplicate keys already
//! refused, numbers as written), with no round trip through another JSON
//! model. Numbers are formatted as ECMAScript's `Number.prototype.toString`
//! does (RFC 8785 section 3.2.2.3), from the shortest round-trip digits that
//! Rust's float formatting gives; strings are escaped as in section 3.2.2.2;
//! object members are sorted by the UTF-16 code units of their keys.

use crate::json::{Member, Node, Value};

/// The canonical form of `node`. When `skip_key` is given, a member of that
/// name in the top-level object is left out (the `signature` member).
pub fn canonicalize(node: &Node<'_>, skip_key: Option<&str>) -> Result<String, String> {
    let mut out = String::with_capacity(4096);
    write_node(node, skip_key, &mut out)?;
    Ok(out)
}

fn write_node(node: &Node<'_>, skip_key: Option<&str>, out: &mut String) -> Result<(), String> {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(raw) => {
            let x: f64 = raw
                .parse()
                .map_err(|_| format!("the number {raw} cannot be read"))?;
            if !x.is_finite() {
                return Err(format!(
                    "the number {raw} is too large for a signed document (RFC 8785 allows IEEE 754 double precision only)"
                ));
            }
            out.push_str(&format_number(x));
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_node(item, None, out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<&Member<'_>> =
                members.iter().filter(|m| skip_key != Some(m.key)).collect();
            sorted.sort_by(|a, b| a.key.encode_utf16().cmp(b.key.encode_utf16()));
            out.push('{');
            for (k, m) in sorted.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_string(m.key, out);
                out.push(':');
                write_node(&m.value, None, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A string as JCS writes it: only `"`, `\` and control characters are
/// escaped, with the short forms where JSON has them.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// ECMAScript's `Number.prototype.toString` for a finite double.
pub fn format_number(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // `{:e}` gives the shortest digits that round-trip, as d.ddde±x.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    let k = digits.len() as i64;
    let n = exp + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let esign = if e < 0 { '-' } else { '+' };
        if k == 1 {
            format!("{digits}e{esign}{}", e.abs())
        } else {
            format!("{}.{}e{esign}{}", &digits[..1], &digits[1..], e.abs())
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        let arena = bumpalo::Bump::new();
        let doc = crate::json::parse(text.as_bytes(), &arena).expect("valid JSON");
        canonicalize(&doc.root, None).expect("canonical")
    }

    /// RFC 8785 appendix B: IEEE 754 values and their canonical text.
    #[test]
    fn numbers_follow_rfc_8785_appendix_b() {
        let cases: [(u64, &str); 21] = [
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x4037000000000000, "23"),
        ];
        for (bits, expected) in cases {
            assert_eq!(format_number(f64::from_bits(bits)), expected, "{bits:#x}");
        }
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(1e-7), "1e-7");
        assert_eq!(format_number(123e-8), "0.00000123");
    }

    /// RFC 8785 section 3.2.3's example, keys sorted by UTF-16 code units.
    #[test]
    fn sorts_keys_by_utf16_code_units() {
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let out = canon(input);
        let keys: Vec<String> = {
            let arena = bumpalo::Bump::new();
            let doc = crate::json::parse(out.as_bytes(), &arena).expect("canonical output is JSON");
            doc.root
                .as_object()
                .expect("object")
                .iter()
                .map(|m| m.key.to_string())
                .collect()
        };
        let expected = [
            "\r",
            "1",
            "\u{80}",
            "\u{f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ];
        assert_eq!(keys, expected);
    }

    /// RFC 8785 section 3.2.2's example of the whole transformation.
    #[test]
    fn canonicalizes_the_rfc_example() {
        let input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50,\n              2e-3, 0.000000000000000000000000001],\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n  \"literals\": [null, true, false]\n}";
        let expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"\u{20ac}$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assert_eq!(canon(input), expected);
    }

    #[test]
    fn leaves_out_the_skipped_top_level_member_only() {
        let out = canonicalize(
            &crate::json::parse(
                br#"{"b":1,"signature":{"x":1},"a":{"signature":2}}"#,
                &bumpalo::Bump::new(),
            )
            .expect("json")
            .root,
            Some("signature"),
        )
        .expect("canonical");
        assert_eq!(out, r#"{"a":{"signature":2},"b":1}"#);
    }
}
