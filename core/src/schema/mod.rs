//! The documents as data, with no logic (layer 1, above `base`): the spec document and the wire
//! types requests carry. Domain modules re-export the types they consume, so the old paths
//! (`supervisor_planner::workloads::VmSpec`, ...) keep working.

pub mod quota;
pub mod resources;
pub mod spec;
pub mod tkg;
pub mod workloads;
