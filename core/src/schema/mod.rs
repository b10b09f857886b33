//! The documents as data, with no logic (layer 1, above `base`): the spec document and the wire
//! types requests carry. Domain modules re-export the types they consume, so the old paths
//! (`supervisor_planner::workloads::VmSpec`, ...) keep working.

pub mod quota;
pub mod requests;
pub mod resources;
pub mod spec;
pub mod tkg;
mod wording;
pub mod workloads;

/// The JSON Schema (draft 2020-12) of the spec document, generated from the Rust types: what
/// editors use to validate and complete spec files. It describes the shape (fields, types,
/// enumerations, required and unknown fields); the rules between fields (R-Z-*, R-IP-*, R-N-*)
/// are checked by `Supervisor::enable`.
///
/// ```
/// let schema: serde_json::Value =
///     serde_json::from_str(&supervisor_planner::schema::spec_json_schema()).unwrap();
/// assert_eq!(schema["title"], "SpecDocument");
/// assert!(schema["required"].as_array().unwrap().iter().any(|f| f == "inventory"));
/// ```
pub fn spec_json_schema() -> String {
    let schema = schemars::schema_for!(spec::SpecDocument);
    serde_json::to_string_pretty(&schema).expect("a schema always serialises") + "\n"
}

/// The JSON Schema (draft 2020-12) of a request document (`{"op": ..., ...}`, what `execute`
/// reads), generated from the Rust types like [`spec_json_schema`].
///
/// ```
/// let schema: serde_json::Value =
///     serde_json::from_str(&supervisor_planner::schema::request_json_schema()).unwrap();
/// assert_eq!(schema["title"], "Request");
/// assert_eq!(schema["oneOf"].as_array().unwrap().len(), 29); // one per `op`
/// ```
pub fn request_json_schema() -> String {
    let schema = schemars::schema_for!(requests::Request);
    serde_json::to_string_pretty(&schema).expect("a schema always serialises") + "\n"
}
