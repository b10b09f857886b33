//! The status every fallible call returns: one enum with explicit numbers (1-7 are the core's
//! `ErrorKind` codes, and the mappings to and from kinds go through those numbers), and the
//! enumerator names of the header.

use crate::*;
use std::ffi::c_char;
use supervisor_planner::ErrorKind;

/// The result of every fallible call. The numbers are part of the ABI: they never change and a
/// retired number is never given to another status.
///
/// 1 to 7 are the error kinds of the core library (the `code` of its JSON error document), 8 to
/// 99 are kept for its future kinds, and 100 and up are raised by the C layer itself.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// The input is malformed or breaks a rule (malformed JSON, unknown field, R-Z-1...). The
    /// error message and document name the JSON path of every problem.
    Validation = 1,
    /// Not enough CPU, memory or hosts for what was asked, or an admission would pass a
    /// namespace's CPU or memory limit in that zone (R-Q-4); the message names the limit. A
    /// workload that no host can take says how many hosts each filter removed, in
    /// kube-scheduler's words (`0/12 nodes are available: 12 Insufficient memory.`).
    Capacity = 2,
    /// An address pool has no address left for what was asked.
    AddressExhausted = 3,
    /// A named object (namespace, zone, host, workload, VM class, TKG cluster, control-plane VM,
    /// example...) does not exist.
    NotFound = 4,
    /// The request clashes with the current state (e.g. failing a VM that is already down,
    /// releasing more than was admitted, a namespace or workload name that is taken).
    Conflict = 5,
    /// The Supervisor's capabilities or mode do not allow the request (e.g. a vSphere Pod on a
    /// Supervisor that does not run them, R-C-2).
    Unsupported = 6,
    /// A snapshot could not be restored: malformed, from another version, or tampered with.
    InvalidSnapshot = 7,
    // 8-99 are reserved for new error kinds of the core library.
    /// A required pointer argument was NULL.
    NullArgument = 100,
    /// An input string is not valid UTF-8; the message gives the byte offset.
    InvalidUtf8 = 101,
    /// The library panicked (a bug: please report it). The handle used in the call may hold a
    /// partly applied change; free it.
    Panic = 102,
    /// An argument is unusable: a NUL byte within the given length of an input string, a
    /// length larger than the address space, or an output buffer too small for the result.
    InvalidArgument = 103,
}

/// `svp_status` as received from C: a plain integer in Rust, so that a value outside the enum
/// (which C allows) is not undefined behaviour. The header shows the enum type.
pub type StatusArg = u32;

/// Every status, in code order.
pub(crate) const ALL_STATUSES: [Status; 12] = [
    Status::Ok,
    Status::Validation,
    Status::Capacity,
    Status::AddressExhausted,
    Status::NotFound,
    Status::Conflict,
    Status::Unsupported,
    Status::InvalidSnapshot,
    Status::NullArgument,
    Status::InvalidUtf8,
    Status::Panic,
    Status::InvalidArgument,
];

impl Status {
    /// The status of a core error kind: the status whose number is the kind's code.
    pub fn from_kind(kind: ErrorKind) -> Status {
        // The core's codes are the statuses' numbers (checked by a test), so the one table is
        // the numbering itself.
        Status::from_code(kind.code()).expect("every error kind has the status of its code")
    }

    /// The status with this number, if any.
    pub fn from_code(code: u32) -> Option<Status> {
        ALL_STATUSES.into_iter().find(|s| *s as u32 == code)
    }

    /// The C enumerator name (`"SVP_STATUS_NOT_FOUND"`), NUL-terminated.
    pub fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            Status::Ok => c"SVP_STATUS_OK",
            Status::Validation => c"SVP_STATUS_VALIDATION",
            Status::Capacity => c"SVP_STATUS_CAPACITY",
            Status::AddressExhausted => c"SVP_STATUS_ADDRESS_EXHAUSTED",
            Status::NotFound => c"SVP_STATUS_NOT_FOUND",
            Status::Conflict => c"SVP_STATUS_CONFLICT",
            Status::Unsupported => c"SVP_STATUS_UNSUPPORTED",
            Status::InvalidSnapshot => c"SVP_STATUS_INVALID_SNAPSHOT",
            Status::NullArgument => c"SVP_STATUS_NULL_ARGUMENT",
            Status::InvalidUtf8 => c"SVP_STATUS_INVALID_UTF8",
            Status::Panic => c"SVP_STATUS_PANIC",
            Status::InvalidArgument => c"SVP_STATUS_INVALID_ARGUMENT",
        }
    }

    /// The `kind` of the JSON error document (`"not_found"`, `"null_argument"`); `None` for OK.
    pub fn kind_name(self) -> Option<&'static str> {
        if let Some(kind) = ErrorKind::ALL.into_iter().find(|k| k.code() == self as u32) {
            return Some(kind.as_str());
        }
        match self {
            Status::NullArgument => Some("null_argument"),
            Status::InvalidUtf8 => Some("invalid_utf8"),
            Status::Panic => Some("panic"),
            Status::InvalidArgument => Some("invalid_argument"),
            _ => None,
        }
    }
}

/// The enumerator name of a status (`"SVP_STATUS_NOT_FOUND"`), a static string: do not free it.
/// A value that is not an `svp_status` enumerator gives `"SVP_STATUS_UNKNOWN"`.
///
/// # Safety
/// None: any value is accepted.
#[no_mangle]
pub unsafe extern "C" fn svp_status_name(status: StatusArg) -> *const c_char {
    guard(std::ptr::null(), || {
        Status::from_code(status)
            .map_or(c"SVP_STATUS_UNKNOWN", Status::c_name)
            .as_ptr()
    })
}
