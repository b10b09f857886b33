//! Layer 0, the base: the one error type with its stable kinds, shared names, hashing, and the
//! bundled example specs. Nothing here knows about the layers above.

pub mod bundled;
pub mod error;
pub(crate) mod hashing;
pub mod limits;
pub mod name;
