//! The parser's messages in the user's terms (issue 17).
//!
//! serde_json words a wrong value in Rust's terms (`invalid type: string "x", expected u32`),
//! quotes names with backticks and appends the position in the text it read (`at line 1
//! column 2375`). A Python dict or a C caller's string is text the user never wrote, and a path
//! to the field is already in the error, so a field error says what was expected and what was
//! found in JSON's terms, with the position left out:
//! `expected an integer from 0 to 4294967295, found the string "x"`. Every front door reads
//! documents through [`crate::schema::spec::parse_json`], so every front door gives the same
//! words. Malformed JSON (no path to give) keeps its position.

/// Rewrites one serde_json message of a field error (see the module documentation).
pub(crate) fn in_user_terms(message: &str) -> String {
    let message = strip_position(message);
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                return format!(
                    "expected {}, found {}",
                    expected_in_user_terms(expected),
                    found_in_user_terms(found)
                );
            }
        }
    }
    quote_names(message)
}

/// `message` without serde_json's trailing ` at line L column C`.
fn strip_position(message: &str) -> &str {
    let Some(at) = message.rfind(" at line ") else {
        return message;
    };
    let tail = &message[at + " at line ".len()..];
    let mut parts = tail.splitn(3, ' ');
    let (line, word, column) = (parts.next(), parts.next(), parts.next());
    let digits =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    if digits(line) && word == Some("column") && digits(column) {
        &message[..at]
    } else {
        message
    }
}

/// Names quoted as JSON quotes them: `` `size` `` becomes `"size"`.
fn quote_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open = false;
    for c in message.chars() {
        if c == '`' {
            out.push('"');
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// What serde expected, from Rust's names to JSON's.
fn expected_in_user_terms(expected: &str) -> String {
    let integer = |max: u64| format!("an integer from 0 to {max}");
    match expected {
        "u8" => integer(u8::MAX.into()),
        "u16" => integer(u16::MAX.into()),
        "u32" => integer(u32::MAX.into()),
        "u64" | "usize" => integer(u64::MAX),
        "i8" | "i16" | "i32" | "i64" | "isize" => "an integer".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a sequence" => "a list ([...])".to_string(),
        "a map" => "an object ({...})".to_string(),
        "a boolean" | "bool" => "true or false".to_string(),
        "a string" | "a borrowed string" | "char" | "a character" => "a string".to_string(),
        "unit" => "null".to_string(),
        other if other.starts_with("struct ") || other.starts_with("map ") => {
            "an object ({...})".to_string()
        }
        other if other.starts_with("tuple ") || other.starts_with("a tuple") => {
            "a list ([...])".to_string()
        }
        other => quote_names(other),
    }
}

/// What serde found, from its names to JSON's (`integer `7`` is `7`).
fn found_in_user_terms(found: &str) -> String {
    let literal = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('`'))
            .and_then(|rest| rest.strip_suffix('`'))
            .map(str::to_string)
    };
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the string {s}");
    }
    if let Some(v) = literal("integer ")
        .or_else(|| literal("floating point "))
        .or_else(|| literal("boolean "))
    {
        return v;
    }
    match found {
        "sequence" => "a list".to_string(),
        "map" => "an object".to_string(),
        "unit value" | "null" | "unit" => "null".to_string(),
        other => quote_names(other),
    }
}

#[cfg(test)]
mod tests {
    use super::in_user_terms;

    #[test]
    fn rust_type_names_become_json_terms() {
        let cases = [
            (
                "invalid type: string \"x\", expected u32 at line 1 column 40",
                "expected an integer from 0 to 4294967295, found the string \"x\"",
            ),
            (
                "invalid value: integer `-5`, expected u32",
                "expected an integer from 0 to 4294967295, found -5",
            ),
            (
                "invalid value: integer `1099511627776`, expected u16",
                "expected an integer from 0 to 65535, found 1099511627776",
            ),
            (
                "invalid type: floating point `1.5`, expected u64",
                "expected an integer from 0 to 18446744073709551615, found 1.5",
            ),
            (
                "invalid type: string \"x\", expected a sequence at line 3 column 9",
                "expected a list ([...]), found the string \"x\"",
            ),
            (
                "invalid type: sequence, expected struct HostSpec",
                "expected an object ({...}), found a list",
            ),
            (
                "invalid type: null, expected a string",
                "expected a string, found null",
            ),
            (
                "invalid type: boolean `true`, expected f64",
                "expected a number, found true",
            ),
            (
                "invalid type: integer `7`, expected a boolean",
                "expected true or false, found 7",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(in_user_terms(from), to, "from {from:?}");
        }
    }

    #[test]
    fn names_are_quoted_as_json_quotes_them_and_positions_dropped() {
        assert_eq!(
            in_user_terms("missing field `size` at line 1 column 2375"),
            "missing field \"size\""
        );
        assert_eq!(
            in_user_terms(
                "unknown variant `huge`, expected one of `tiny`, `small` at line 2 column 1"
            ),
            "unknown variant \"huge\", expected one of \"tiny\", \"small\""
        );
        // A message that merely contains "at line" keeps its words.
        assert_eq!(
            in_user_terms("the host at line 4 of the rack"),
            "the host at line 4 of the rack"
        );
    }
}
