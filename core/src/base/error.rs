//! One error type for the whole library.
//!
//! Every variant has a stable [`ErrorKind`] whose numeric [`code`](ErrorKind::code) is the C
//! status (`svp_status`) and whose name picks the Python exception class. Messages say what was
//! wrong, where (a field path such as `inventory.zones[2].cluster`, or an object name) and what
//! would be valid. Validation reports *every* problem it finds, not only the first, as a list of
//! [`Issue`]s.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The stable category of an [`Error`]. The numbers never change and are never reused; they are
/// the `svp_status` values of the C API, and each variant's discriminant is its code
/// (`ErrorKind::Validation as u32 == 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum ErrorKind {
    /// The input is malformed or breaks a rule (wrong type, unknown field, R-Z-1, R-IP-2...).
    Validation = 1,
    /// There is not enough CPU, memory or hosts for what was asked.
    Capacity = 2,
    /// An address pool has no address left for what was asked.
    AddressExhausted = 3,
    /// A named object (zone, host, control-plane VM...) does not exist.
    NotFound = 4,
    /// The request clashes with the current state (duplicate name, already failed...).
    Conflict = 5,
    /// The Supervisor's capabilities or mode do not allow the request (R-C-2, R-Z-5).
    Unsupported = 6,
    /// A snapshot could not be restored: malformed, from another version, or tampered with.
    InvalidSnapshot = 7,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Validation,
        ErrorKind::Capacity,
        ErrorKind::AddressExhausted,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Unsupported,
        ErrorKind::InvalidSnapshot,
    ];

    /// The stable numeric code (the C `svp_status`): 1 and up, never reused; the same as
    /// `kind as u32`.
    ///
    /// ```
    /// use supervisor_planner::ErrorKind;
    /// assert_eq!(ErrorKind::Validation.code(), 1);
    /// assert_eq!(ErrorKind::InvalidSnapshot as u32, ErrorKind::InvalidSnapshot.code());
    /// ```
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The snake_case name (`"not_found"`), as used in JSON error documents.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Capacity => "capacity",
            ErrorKind::AddressExhausted => "address_exhausted",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::InvalidSnapshot => "invalid_snapshot",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in an input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Where: a JSON path such as `supervisor.management_network.address_count`.
    pub path: String,
    /// The rule broken (`"R-IP-1"`), when one applies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rule: Option<String>,
    /// What was wrong and what would be valid.
    pub message: String,
}

impl Issue {
    /// An issue at `path` with a message and no rule.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            rule: None,
            message: message.into(),
        }
    }

    /// An issue at `path` that breaks `rule`.
    pub fn rule(path: impl Into<String>, rule: &str, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            rule: Some(rule.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            &self.path
        };
        match &self.rule {
            Some(rule) => write!(f, "{path}: {} [{rule}]", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

/// Everything that can go wrong in this library.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input broke one or more rules; every problem found is listed.
    #[error("{}", join_issues(.0))]
    Validation(Vec<Issue>),
    /// Not enough capacity.
    #[error("{0}")]
    Capacity(String),
    /// An address pool is exhausted.
    #[error("{0}")]
    AddressExhausted(String),
    /// A named object does not exist.
    #[error("{what} {name:?} not found; known: {known}")]
    NotFound {
        /// What kind of object (`"control-plane VM"`).
        what: &'static str,
        /// The name asked for.
        name: String,
        /// The valid names, comma-separated.
        known: String,
    },
    /// The request clashes with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Not allowed on this Supervisor.
    #[error("{0}")]
    Unsupported(String),
    /// A snapshot could not be restored.
    #[error("invalid snapshot: {0}")]
    InvalidSnapshot(String),
}

fn join_issues(issues: &[Issue]) -> String {
    match issues.len() {
        0 => "invalid input".to_string(),
        1 => issues[0].to_string(),
        n => {
            let mut s = format!("{n} problems: ");
            for (i, issue) in issues.iter().enumerate() {
                if i > 0 {
                    s.push_str("; ");
                }
                s.push_str(&issue.to_string());
            }
            s
        }
    }
}

impl Error {
    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::Capacity(_) => ErrorKind::Capacity,
            Error::AddressExhausted(_) => ErrorKind::AddressExhausted,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::InvalidSnapshot(_) => ErrorKind::InvalidSnapshot,
        }
    }

    /// The validation issues (empty for other kinds).
    pub fn issues(&self) -> &[Issue] {
        match self {
            Error::Validation(issues) => issues,
            _ => &[],
        }
    }

    /// A validation error with a single issue.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![Issue::new(path, message)])
    }

    /// The error as a JSON-ready document: `{"kind", "code", "message", "issues"}`. The C and
    /// Python front doors expose exactly this.
    pub fn to_document(&self) -> ErrorDocument {
        ErrorDocument {
            kind: self.kind(),
            code: self.kind().code(),
            message: self.to_string(),
            issues: self.issues().to_vec(),
        }
    }
}

/// The panic boundary every front door puts around its calls into the core: runs `f`, and turns
/// a panic into the one message that the C status `SVP_STATUS_PANIC` and Python's
/// `InternalError` both carry. A panic is a bug of the library, never a user's error.
///
/// ```
/// use supervisor_planner::error::catch_panic;
/// assert_eq!(catch_panic(|| 7), Ok(7));
/// let message = catch_panic(|| -> u8 { panic!("index out of range") }).unwrap_err();
/// assert_eq!(
///     message,
///     "supervisor-planner panicked (this is a bug; please report it): index out of range"
/// );
/// ```
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_string());
        format!("supervisor-planner panicked (this is a bug; please report it): {what}")
    })
}

/// A serialisable description of an [`Error`], identical in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDocument {
    /// The error kind.
    pub kind: ErrorKind,
    /// Its stable numeric code.
    pub code: u32,
    /// The full message.
    pub message: String,
    /// Every validation issue (empty for other kinds).
    pub issues: Vec<Issue>,
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn error_kind_discriminants_are_their_codes_1_to_7_in_order() {
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(*kind as u32, i as u32 + 1, "{kind:?}");
            assert_eq!(kind.code(), *kind as u32, "{kind:?}");
        }
    }
}
