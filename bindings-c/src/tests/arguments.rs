//! Argument errors: NULL pointers, bad input strings, lengths.

use super::*;

#[test]
fn null_arguments_of_constructors_are_null_argument() {
    for call in [svp_supervisor_from_spec_json, svp_supervisor_restore_json] {
        for len in [0, 10] {
            let mut out = sentinel::<Supervisor>();
            let mut err = ptr::null_mut();
            let status = unsafe { call(ptr::null(), len, &mut out, &mut err) };
            assert_null_argument(status, err, "json");
            assert_eq!(out, sentinel());
        }
        let mut err = ptr::null_mut();
        let status = unsafe {
            call(
                THREE_ZONE.as_ptr().cast(),
                THREE_ZONE.len(),
                ptr::null_mut(),
                &mut err,
            )
        };
        assert_null_argument(status, err, "out");
    }
}

#[test]
fn null_arguments_of_string_calls_are_null_argument() {
    let sup = enable(THREE_ZONE).unwrap();
    let calls: [StringCall; 6] = [
        svp_supervisor_report_json,
        svp_supervisor_snapshot_json,
        svp_supervisor_summary_text,
        svp_supervisor_svg,
        svp_supervisor_nodes_json,
        svp_supervisor_workloads_json,
    ];
    for call in calls {
        assert_string_call_refuses_nulls(sup, |s, out, len, err| unsafe { call(s, out, len, err) });
    }
    free(sup);
}

#[test]
fn null_arguments_of_execute_are_null_argument_and_change_nothing() {
    let sup = enable(THREE_ZONE).unwrap();
    let before = string_of(svp_supervisor_snapshot_json, sup);
    let req = r#"{"op":"fail_control_plane_vm","vm":1}"#;
    let (p, n) = (req.as_ptr().cast::<c_char>(), req.len());
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let (o, l): (*mut *mut c_char, *mut usize) = (&mut out, &mut len);
    unsafe {
        assert_null_argument_of("sup", |e| {
            svp_supervisor_execute(ptr::null_mut(), p, n, o, l, e)
        });
        assert_null_argument_of("request_json", |e| {
            svp_supervisor_execute(sup, ptr::null(), n, o, l, e)
        });
        assert_null_argument_of("out_json", |e| {
            svp_supervisor_execute(sup, p, n, ptr::null_mut(), l, e)
        });
        assert_null_argument_of("out_len", |e| {
            svp_supervisor_execute(sup, p, n, o, ptr::null_mut(), e)
        });
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    assert_eq!(string_of(svp_supervisor_snapshot_json, sup), before);
    free(sup);
}

#[test]
fn null_arguments_of_example_json_are_null_argument() {
    let (name, n) = (c"three-zone".as_ptr(), 10);
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let (o, l): (*mut *mut c_char, *mut usize) = (&mut out, &mut len);
    unsafe {
        assert_null_argument_of("name", |e| svp_example_json(ptr::null(), 0, o, l, e));
        assert_null_argument_of("out_json", |e| {
            svp_example_json(name, n, ptr::null_mut(), l, e)
        });
        assert_null_argument_of("out_len", |e| {
            svp_example_json(name, n, o, ptr::null_mut(), e)
        });
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
}

#[test]
fn err_may_be_null_and_the_status_is_still_returned() {
    let mut out = sentinel::<Supervisor>();
    let status = unsafe {
        svp_supervisor_from_spec_json(b"{".as_ptr().cast(), 1, &mut out, ptr::null_mut())
    };
    assert_eq!(status, Status::Validation);
    assert_eq!(out, sentinel());
    let status =
        unsafe { svp_supervisor_from_spec_json(ptr::null(), 0, ptr::null_mut(), ptr::null_mut()) };
    assert_eq!(status, Status::NullArgument);
}

#[test]
fn success_leaves_err_untouched() {
    let marker = sentinel::<Error>();
    let mut err = marker;
    let mut out = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(
            THREE_ZONE.as_ptr().cast(),
            THREE_ZONE.len(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(status, Status::Ok);
    assert_eq!(err, marker);
    free(out);
}

#[test]
fn free_of_null_is_a_no_op_and_getters_of_null_are_safe() {
    unsafe {
        svp_supervisor_free(ptr::null_mut());
        svp_string_free(ptr::null_mut());
        svp_error_free(ptr::null_mut());
        assert_eq!(svp_error_code(ptr::null()), Status::NullArgument);
        assert!(svp_error_message(ptr::null()).is_null());
        assert!(svp_error_json(ptr::null()).is_null());
    }
}

#[test]
fn invalid_utf8_is_invalid_utf8_with_the_byte_offset() {
    // `out` untouched on failure (checked by `enable_bytes`).
    let f = enable_bytes(b"{\"api_version\": \"\xff\"}").unwrap_err();
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert_mentions(&f, &["offset 17"]);

    let f = example(b"three\xc3").unwrap_err();
    assert_failure(&f, Status::InvalidUtf8, &["`name`", "offset 5"]);

    let sup = enable(THREE_ZONE).unwrap();
    let f = execute_bytes(sup, b"{\"op\":\"\xe2\x82\"}").unwrap_err();
    assert_failure(&f, Status::InvalidUtf8, &["offset 7"]);
    free(sup);
}

#[test]
fn nul_byte_within_len_is_invalid_argument_with_the_offset() {
    // The classic mistake: a length larger than the string, e.g. sizeof a buffer.
    let mut buf = THREE_ZONE.as_bytes().to_vec();
    buf.push(0);
    buf.extend_from_slice(b"garbage");
    let f = enable_bytes(&buf).unwrap_err();
    assert_ffi_document(&f, Status::InvalidArgument);
    let at = format!(
        "length does not match the string: NUL byte at offset {}",
        THREE_ZONE.len()
    );
    assert_mentions(&f, &[&at]);

    let f = restore("{\"a\":1}\0").unwrap_err();
    assert_failure(&f, Status::InvalidArgument, &["NUL byte at offset 7"]);
    let f = example(b"three-zone\0").unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    let sup = enable(THREE_ZONE).unwrap();
    let f = execute(sup, "{\"op\":\0\"x\"}").unwrap_err();
    assert_mentions(&f, &["NUL byte at offset 6"]);
    free(sup);
}

#[test]
fn length_beyond_isize_max_is_invalid_argument() {
    let f = with_out(sentinel::<Supervisor>(), "out", |out, err| unsafe {
        svp_supervisor_from_spec_json(b"{}".as_ptr().cast(), usize::MAX, out, err)
    })
    .unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
}

#[test]
fn input_is_read_only_up_to_len() {
    // The bytes after `len` are never read: here they would make the JSON invalid.
    let mut buf = THREE_ZONE.as_bytes().to_vec();
    buf.extend_from_slice(b"\xff\0 trailing");
    free(enable_bytes(&buf[..THREE_ZONE.len()]).unwrap());
}

#[test]
fn empty_input_is_malformed_json() {
    let f = enable("").unwrap_err();
    assert_failure(&f, Status::Validation, &["malformed JSON"]);
}

#[test]
fn malformed_json_is_validation() {
    let f = enable("{\"api_version\": ").unwrap_err();
    assert_failure(&f, Status::Validation, &["malformed JSON"]);
    assert_eq!(f.document["kind"], "validation");
    assert_eq!(f.document["code"], 1);
    let f = enable(&format!("{THREE_ZONE} extra")).unwrap_err();
    assert_failure(&f, Status::Validation, &["trailing characters"]);
}
