//! # supervisor-planner C API
//!
//! The C front door of [`supervisor_planner`]: a static library (`libsupervisor_planner.a`), a
//! shared one, and one header, `include/supervisor_planner.h`, generated from this crate by the
//! pinned cbindgen (`make header`). This crate only translates: pointers and lengths in, JSON
//! strings and status codes out. Every decision is the core's.
//!
//! ## Conventions (they are repeated in the header)
//! - Every fallible call returns an [`Status`] (`svp_status`): `SVP_STATUS_OK` (0) or an error.
//!   The numbers are explicit and never reused. 1–7 are the core's
//!   [`ErrorKind::code`](supervisor_planner::ErrorKind::code)s; 100 and up are raised by the C
//!   layer itself (NULL argument, invalid UTF-8, panic, invalid argument).
//! - Fallible calls take an optional `svp_error **err` as last argument. When it is not NULL and
//!   the call fails, `*err` receives a new error object (status, message, JSON error document)
//!   to be freed with `svp_error_free`. On success `*err` is not touched.
//! - Out-parameters are written only on success; on failure they keep whatever they held.
//! - Input strings are a pointer and a length in bytes (no NUL terminator needed). They must be
//!   valid UTF-8 and contain no NUL byte within the length. A NULL pointer is
//!   `SVP_STATUS_NULL_ARGUMENT`, even with a length of 0.
//! - Every pointer argument is required (NULL gives `SVP_STATUS_NULL_ARGUMENT`) except `err`
//!   and the `out_headroom` of the typed quota calls (`svp_supervisor_admit`,
//!   `svp_supervisor_release`), which may be NULL when the headroom is not wanted.
//! - Typed calls for hot paths (`svp_supervisor_admit`, `svp_supervisor_release`,
//!   `svp_supervisor_place_pod`) fill small caller-owned structs and return nothing to free;
//!   `svp_supervisor_execute` reaches every request as JSON. Both journal the same requests.
//! - Strings the library returns are NUL-terminated, their length (without the NUL) is given,
//!   and they are freed with `svp_string_free`, never with `free()`.
//! - IPv4 addresses (the `svp_ip_pool_*` calls over the core's standalone
//!   [`IpPool`](supervisor_planner::ipam::IpPool), `svp_ipv4_parse`, `svp_ipv4_format`) are
//!   `uint32_t` in host byte order, the first octet most significant: 10.0.0.1 is `0x0A000001`.
//! - `svp_supervisor` and `svp_ip_pool` handles may be shared between threads: calls on one
//!   handle are serialised by a lock inside it. Error objects and returned strings belong to the
//!   caller.
//! - Every call is wrapped in a panic boundary: a panic inside the library becomes
//!   `SVP_STATUS_PANIC` (or a NULL / no-op for the calls that return no status); it never
//!   unwinds into C.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

// One file per C type or family, as rustls-ffi lays out its crate; the order of the modules is
// the order of the declarations in the generated header.
mod error;
mod ffi;
mod ha;
mod ip_pool;
mod namespaces;
mod placement;
mod sizing;
mod status;
mod supervisor;
mod vcenter;

pub use error::*;
pub(crate) use ffi::*;
pub use ha::*;
pub use ip_pool::*;
pub use namespaces::*;
pub use placement::*;
pub use sizing::*;
pub use status::*;
pub use supervisor::*;
pub use vcenter::*;

#[cfg(test)]
mod tests;
