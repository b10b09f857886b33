//! The JSON Schemas shipped in the wheel (`supervisor_planner/schemas/`) are the ones the Rust
//! types generate (`schema::spec_json_schema`, `schema::request_json_schema`), byte for byte.
//! `SVP_BLESS=1 cargo test -p supervisor-planner --test json_schema` rewrites them after a change
//! of the documents. (The Python tests validate every bundled example, every spec of
//! `tests/data` and every request of `tests/golden/sequences.json` against them.)

use std::path::PathBuf;
use supervisor_planner::schema;

fn shipped(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../bindings-python/python/supervisor_planner/schemas")
        .join(name)
}

fn check(name: &str, generated: &str) {
    let path = shipped(name);
    if std::env::var_os("SVP_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is not the schema the Rust types generate: run SVP_BLESS=1 cargo test -p supervisor-planner --test json_schema and commit it",
        path.display()
    );
}

#[test]
fn the_shipped_spec_schema_is_the_generated_one() {
    check("spec.schema.json", &schema::spec_json_schema());
}

#[test]
fn the_shipped_request_schema_is_the_generated_one() {
    check("request.schema.json", &schema::request_json_schema());
}
