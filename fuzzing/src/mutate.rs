//! Structure-aware mutation of JSON documents: a valid document with a few values replaced by
//! hostile ones reaches the checks behind the parser, where raw bytes rarely get.

use crate::bytes::Bytes;
use serde_json::{json, Value};

/// Values that have broken parsers and validators elsewhere: limits of every integer width,
/// empty and very long strings, non-ASCII, addresses at the ends of the space, wrong types.
pub fn hostile(r: &mut Bytes) -> Value {
    match r.below(24) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(0),
        4 => json!(1),
        5 => json!(u32::MAX),
        6 => json!(u64::from(u32::MAX) + 1),
        7 => json!(u64::MAX),
        8 => json!(i64::MIN),
        9 => json!(1e308),
        10 => json!(0.5),
        11 => json!(""),
        12 => json!(" "),
        13 => json!("x".repeat(300)),
        14 => json!("é-ü-名前"),
        15 => json!("0.0.0.0"),
        16 => json!("255.255.255.255"),
        17 => json!("10.0.0.0/8"),
        18 => json!([]),
        19 => json!({}),
        20 => json!("a\u{0}b"),
        21 => json!(u64::from(r.u32())),
        22 => json!(r.u8()),
        _ => json!(format!("name-{}", r.u8() % 8)),
    }
}

/// Applies `count` mutations to `doc`: replace a value, drop an object key, add an unknown key,
/// repeat or drop an array element, or copy a subtree somewhere else.
pub fn mutate(doc: &mut Value, r: &mut Bytes, count: usize) {
    for _ in 0..count {
        let donor = pick_node(doc, r).clone();
        let node = pick_node_mut(doc, r);
        match r.below(6) {
            0 | 1 => *node = hostile(r),
            2 => {
                if let Value::Object(map) = node {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    if let Some(k) = r.pick(&keys) {
                        map.remove(k);
                    }
                }
            }
            3 => match node {
                Value::Object(map) => {
                    map.insert("unknown_field".into(), hostile(r));
                }
                Value::Array(items) if !items.is_empty() => {
                    let i = r.below(items.len());
                    let copy = items[i].clone();
                    let times = 1 + r.below(3);
                    for _ in 0..times {
                        items.push(copy.clone());
                    }
                }
                _ => *node = hostile(r),
            },
            4 => {
                if let Value::Array(items) = node {
                    if !items.is_empty() {
                        let i = r.below(items.len());
                        items.remove(i);
                    }
                }
            }
            _ => *node = donor,
        }
    }
}

fn pick_node<'a>(mut node: &'a Value, r: &mut Bytes) -> &'a Value {
    loop {
        let next = match node {
            Value::Object(map) if !map.is_empty() && r.below(4) != 0 => {
                map.values().nth(r.below(map.len()))
            }
            Value::Array(items) if !items.is_empty() && r.below(4) != 0 => {
                items.get(r.below(items.len()))
            }
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return node,
        }
    }
}

fn pick_node_mut<'a>(node: &'a mut Value, r: &mut Bytes) -> &'a mut Value {
    let descend = match &*node {
        Value::Object(map) if !map.is_empty() && r.below(4) != 0 => Some(r.below(map.len())),
        Value::Array(items) if !items.is_empty() && r.below(4) != 0 => Some(r.below(items.len())),
        _ => None,
    };
    match (descend, node) {
        (Some(i), Value::Object(map)) => {
            let child = map.values_mut().nth(i).expect("index below len");
            pick_node_mut(child, r)
        }
        (Some(i), Value::Array(items)) => pick_node_mut(&mut items[i], r),
        (_, node) => node,
    }
}
