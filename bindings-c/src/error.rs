//! The error object (`svp_error`) a failed call hands back: status, message and the JSON error document.

use crate::*;
use std::ffi::{c_char, CString};

/// A failure (opaque): its status, a message and a JSON error document. Returned through the
/// optional `svp_error **err` argument of fallible calls; free it with `svp_error_free`.
pub struct Error {
    pub(crate) status: Status,
    pub(crate) message: CString,
    pub(crate) json: CString,
}

impl Error {
    /// An error raised by the C layer itself (status 100 and up).
    pub(crate) fn ffi(status: Status, message: impl Into<String>) -> Box<Error> {
        let message = message.into();
        let document = serde_json::json!({
            "kind": status.kind_name().unwrap_or("ok"),
            "code": status as u32,
            "message": message,
            "issues": [],
        });
        Error::build(status, message, document.to_string())
    }

    pub(crate) fn build(status: Status, message: String, json: String) -> Box<Error> {
        Box::new(Error {
            status,
            message: c_string_lossy(message),
            json: c_string_lossy(json),
        })
    }

    pub(crate) fn null(argument: &str) -> Box<Error> {
        Error::ffi(
            Status::NullArgument,
            format!("argument `{argument}` is NULL"),
        )
    }
}

impl From<supervisor_planner::Error> for Box<Error> {
    fn from(e: supervisor_planner::Error) -> Self {
        let document =
            serde_json::to_string(&e.to_document()).unwrap_or_else(|_| String::from("{}"));
        Error::build(Status::from_kind(e.kind()), e.to_string(), document)
    }
}

/// A `CString` of `s`, with any NUL byte (possible in a message quoting user input) escaped.
pub(crate) fn c_string_lossy(s: String) -> CString {
    CString::new(s).unwrap_or_else(|e| {
        let escaped = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\\u0000");
        CString::new(escaped).expect("NUL bytes were escaped")
    })
}

/// The status of an error: the same value the failed call returned. NULL gives
/// `SVP_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn svp_error_code(err: *const Error) -> Status {
    guard(Status::Panic, || {
        // SAFETY: caller's contract.
        match unsafe { err.as_ref() } {
            Some(e) => e.status,
            None => Status::NullArgument,
        }
    })
}

/// The full message of an error: what was wrong, where (field paths such as `supervisor.zones`)
/// and what would be valid. The string belongs to the error object and stays valid until
/// `svp_error_free`; do not free it. NULL when `err` is NULL.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn svp_error_message(err: *const Error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: caller's contract.
        unsafe { err.as_ref() }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// The error as a JSON document, identical in every language:
/// `{"kind":"validation","code":1,"message":"...","issues":[{"path":"supervisor.zones","rule":"R-Z-1","message":"..."}]}`.
/// `issues` lists every validation problem (empty for other kinds). The string belongs to the
/// error object and stays valid until `svp_error_free`; do not free it. NULL when `err` is NULL.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn svp_error_json(err: *const Error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: caller's contract.
        unsafe { err.as_ref() }.map_or(std::ptr::null(), |e| e.json.as_ptr())
    })
}

/// Frees an error object. NULL is a no-op.
///
/// # Safety
/// `err` must be NULL or an error object from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_error_free(err: *mut Error) {
    // SAFETY: NULL or made by `Box::into_raw` in `ffi_call` (caller's contract).
    unsafe { free_box(err) }
}
