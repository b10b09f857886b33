//! Status numbers and names, the header's version macros and enumerators.

use super::*;

#[test]
fn status_numbers_are_explicit_and_never_reused() {
    let expected = [
        (Status::Ok, 0),
        (Status::Validation, 1),
        (Status::Capacity, 2),
        (Status::AddressExhausted, 3),
        (Status::NotFound, 4),
        (Status::Conflict, 5),
        (Status::Unsupported, 6),
        (Status::InvalidSnapshot, 7),
        (Status::NullArgument, 100),
        (Status::InvalidUtf8, 101),
        (Status::Panic, 102),
        (Status::InvalidArgument, 103),
    ];
    assert_eq!(ALL_STATUSES.len(), expected.len());
    for (status, code) in expected {
        assert_eq!(status as u32, code, "{status:?}");
        assert_eq!(Status::from_code(code), Some(status));
    }
    let mut codes: Vec<u32> = ALL_STATUSES.iter().map(|s| *s as u32).collect();
    codes.dedup();
    assert_eq!(
        codes.len(),
        ALL_STATUSES.len(),
        "no two statuses share a number"
    );
    assert_eq!(Status::from_code(8), None);
}

#[test]
fn every_error_kind_maps_to_the_same_numbered_status() {
    for kind in ErrorKind::ALL {
        let status = Status::from_kind(kind);
        assert_eq!(status as u32, kind.code(), "{kind:?}");
        assert_eq!(Status::from_code(kind.code()), Some(status));
        assert_eq!(status.kind_name(), Some(kind.as_str()));
    }
}

#[test]
fn status_name_gives_the_enumerator_and_unknown_for_other_values() {
    for status in ALL_STATUSES {
        let name = unsafe { CStr::from_ptr(svp_status_name(status as u32)) };
        assert_eq!(name, status.c_name());
    }
    let name = unsafe { CStr::from_ptr(svp_status_name(Status::NotFound as u32)) };
    assert_eq!(name.to_str().unwrap(), "SVP_STATUS_NOT_FOUND");
    for unknown in [8, 99, 104, u32::MAX] {
        let name = unsafe { CStr::from_ptr(svp_status_name(unknown)) };
        assert_eq!(name.to_str().unwrap(), "SVP_STATUS_UNKNOWN");
    }
}

#[test]
fn header_version_macros_match_cargo_toml() {
    let header = committed_header();
    assert_eq!(
        header_define(&header, "SVP_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        header_define(&header, "SVP_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        header_define(&header, "SVP_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        header_define(&header, "SVP_VERSION_STRING"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
    let version = unsafe { CStr::from_ptr(svp_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    assert_eq!(version.to_str().unwrap(), supervisor_planner::VERSION);
}

#[test]
fn header_enumerators_match_the_status_numbers() {
    let header = committed_header();
    for status in ALL_STATUSES {
        let line = format!("{} = {},", status.c_name().to_str().unwrap(), status as u32);
        assert!(
            header.lines().any(|l| l.trim() == line),
            "the header lacks `{line}` (run `make header`)"
        );
    }
    let enumerators = header
        .lines()
        .filter(|l| l.trim().starts_with("SVP_STATUS_") && l.contains(" = "))
        .count();
    assert_eq!(
        enumerators,
        ALL_STATUSES.len(),
        "no other enumerator in the header"
    );
}
