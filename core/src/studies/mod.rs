//! Studies over many Supervisors (layer 7, above the views): each builds and checks candidate
//! Supervisors through the facade, as a user would, and never changes one it was given.
//!
//! - [`sizing`]: the fewest hosts per zone that run a spec's workloads and keep its HA
//!   promises (issue 18).

mod packing;
pub mod sizing;
