//! The boundary itself: the panic guard every export runs in, argument checks (NULL, lengths, UTF-8), the handles (borrowed, made, freed), the out-parameters, and the strings the library returns.

use crate::*;
use std::ffi::c_char;
use supervisor_planner::error::catch_panic;

pub(crate) type FfiResult<T = ()> = Result<T, Box<Error>>;

/// The panic boundary and error plumbing of every fallible export: runs `body`, turns a panic
/// into [`Status::Panic`], and hands the error object of a failure to `err` when it is not NULL.
///
/// # Safety
/// `err` must be NULL or valid for a write of one pointer.
pub(crate) unsafe fn ffi_call(err: *mut *mut Error, body: impl FnOnce() -> FfiResult) -> Status {
    let failure = match catch_panic(body) {
        Ok(Ok(())) => return Status::Ok,
        Ok(Err(e)) => e,
        Err(message) => {
            // Building the error allocates; should that panic too, report the status alone.
            match catch_panic(|| Error::ffi(Status::Panic, message)) {
                Ok(e) => e,
                Err(_) => return Status::Panic,
            }
        }
    };
    let status = failure.status;
    if !err.is_null() {
        // SAFETY: the caller guarantees that a non-NULL `err` is valid for a write.
        unsafe { err.write(Box::into_raw(failure)) };
    }
    status
}

/// Runs `body` inside a panic boundary for an export that returns no status; `fallback` on panic.
pub(crate) fn guard<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_panic(body).unwrap_or(fallback)
}

/// Checks that an out-parameter is not NULL.
pub(crate) fn required<T>(ptr: *mut T, name: &str) -> FfiResult<*mut T> {
    if ptr.is_null() {
        Err(Error::null(name))
    } else {
        Ok(ptr)
    }
}

/// The shape of every call on a handle (`svp_supervisor`, `svp_ip_pool`): inside the panic
/// boundary, borrows the handle `ptr` (NULL is an error naming it `name`), then runs `body` with
/// it.
///
/// # Safety
/// As for the exports that call it: `ptr` NULL or a live handle, `err` NULL or writable.
pub(crate) unsafe fn with_handle<T>(
    ptr: *const T,
    name: &str,
    err: *mut *mut Error,
    body: impl FnOnce(&T) -> FfiResult,
) -> Status {
    // SAFETY: `err` is NULL or writable, a non-NULL `ptr` is a live handle (caller's contract).
    unsafe { ffi_call(err, || body(ptr.as_ref().ok_or_else(|| Error::null(name))?)) }
}

/// The shape shared by the calls that make a new handle from a JSON document (a spec or a
/// snapshot): checks `out`, reads the document (`json_name` in messages), builds the object, and
/// writes the new handle to `*out` only on success.
///
/// # Safety
/// As for the exports that call it.
pub(crate) unsafe fn new_handle<T>(
    json: *const c_char,
    len: usize,
    json_name: &str,
    out: *mut *mut T,
    err: *mut *mut Error,
    make: impl FnOnce(&str) -> FfiResult<Box<T>>,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        ffi_call(err, || {
            write_out(out, "out", || {
                Ok(Box::into_raw(make(input(json, len, json_name)?)?))
            })
        })
    }
}

/// The body of the `_free` exports of handles and error objects: drops an object the library
/// made with `Box::into_raw`, inside the panic boundary. NULL is a no-op.
///
/// # Safety
/// `ptr` must be NULL or such an object that has not been freed.
pub(crate) unsafe fn free_box<T>(ptr: *mut T) {
    guard((), || {
        if !ptr.is_null() {
            // SAFETY: made by `Box::into_raw` and not freed yet (caller's contract).
            drop(unsafe { Box::from_raw(ptr) });
        }
    })
}

/// The shape of every call that fills one out-parameter: checks `out` (named `name`), runs
/// `make`, and writes its value to `*out` only when it succeeds.
///
/// # Safety
/// A non-NULL `out` must be valid for a write of one `T`.
pub(crate) unsafe fn write_out<T>(
    out: *mut T,
    name: &str,
    make: impl FnOnce() -> FfiResult<T>,
) -> FfiResult {
    let out = required(out, name)?;
    let value = make()?;
    // SAFETY: `out` is non-NULL and writable (caller's contract).
    unsafe { out.write(value) };
    Ok(())
}

/// Reads an input string given as pointer and length.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `len` bytes.
pub(crate) unsafe fn input<'a>(ptr: *const c_char, len: usize, name: &str) -> FfiResult<&'a str> {
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    if len > isize::MAX as usize {
        return Err(Error::ffi(
            Status::InvalidArgument,
            format!("`{name}`: length {len} is larger than any buffer"),
        ));
    }
    // SAFETY: `ptr` is non-NULL and valid for `len` bytes (caller's contract); `len` fits isize.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::ffi(
            Status::InvalidArgument,
            format!(
                "`{name}`: length does not match the string: NUL byte at offset {offset} (length given: {len})"
            ),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        Error::ffi(
            Status::InvalidUtf8,
            format!(
                "`{name}` is not valid UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        )
    })
}

/// Size of the length header in front of every string the library returns.
pub(crate) const STRING_HEADER: usize = std::mem::size_of::<usize>();

/// Moves `s` into a C string the caller frees with `svp_string_free`. The allocation starts
/// with the string's length (so that freeing does not depend on `strlen`, and a string with a NUL
/// inside is still freed correctly), then the bytes, then a NUL.
pub(crate) fn into_c_string(s: String) -> (*mut c_char, usize) {
    let len = s.len();
    let mut buf = Vec::with_capacity(STRING_HEADER + len + 1);
    buf.extend_from_slice(&len.to_ne_bytes());
    buf.extend_from_slice(s.as_bytes());
    buf.push(0);
    let base = Box::into_raw(buf.into_boxed_slice()).cast::<u8>();
    // SAFETY: the allocation is STRING_HEADER + len + 1 bytes long.
    (unsafe { base.add(STRING_HEADER) }.cast::<c_char>(), len)
}

/// The shape of every call that returns a string: checks `out` (as `out_json`) and `out_len`,
/// runs `make`, and writes the string and its length only when it succeeds.
///
/// # Safety
/// Non-NULL `out` and `out_len` must be valid for writes.
pub(crate) unsafe fn write_string_out(
    out: *mut *mut c_char,
    out_len: *mut usize,
    make: impl FnOnce() -> FfiResult<String>,
) -> FfiResult {
    let out = required(out, "out_json")?;
    let out_len = required(out_len, "out_len")?;
    let (ptr, len) = into_c_string(make()?);
    // SAFETY: both are non-NULL and writable (caller's contract).
    unsafe {
        out.write(ptr);
        out_len.write(len);
    }
    Ok(())
}

/// Frees a string returned by this library. NULL is a no-op. Never call `free()` on such a
/// string: it was not allocated by `malloc`.
///
/// # Safety
/// `s` must be NULL or a string returned by this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_string_free(s: *mut c_char) {
    guard((), || {
        if s.is_null() {
            return;
        }
        // SAFETY: `s` was made by `into_c_string`: STRING_HEADER bytes after the start of an
        // allocation of STRING_HEADER + len + 1 bytes whose first bytes hold `len`.
        unsafe {
            let base = s.cast::<u8>().sub(STRING_HEADER);
            let len = base.cast::<usize>().read_unaligned();
            let total = STRING_HEADER + len + 1;
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                base, total,
            )));
        }
    })
}

pub(crate) const VERSION_C: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(s) => s,
    Err(_) => panic!("the package version has no NUL byte"),
};

/// The library's version (`"0.1.0"`), a static string: do not free it. Compare it with
/// `SVP_VERSION_STRING` to check that the header matches the library.
///
/// # Safety
/// None: always safe to call.
#[no_mangle]
pub unsafe extern "C" fn svp_version() -> *const c_char {
    guard(std::ptr::null(), || VERSION_C.as_ptr())
}
