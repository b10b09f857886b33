//! Layer 6, the views: what a Supervisor looks like from outside — the report, the text summary
//! and the SVG picture, and the vCenter enable request. Pure functions of a Supervisor; they
//! change nothing.

pub mod render;
pub mod report;
pub mod vcenter;
