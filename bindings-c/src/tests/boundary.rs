//! Returned strings, the panic boundary, threads.

use super::*;

#[test]
fn returned_string_with_a_nul_inside_is_freed_by_its_recorded_length() {
    let (ptr, len) = into_c_string("a\0bc".to_string());
    assert_eq!(len, 4);
    assert_eq!(take_string(ptr, len), "a\0bc");
    let (ptr, len) = into_c_string(String::new());
    assert_eq!(len, 0);
    assert_eq!(take_string(ptr, len), "");
}

#[test]
fn panic_boundary_turns_a_panic_into_status_panic() {
    let mut err = ptr::null_mut();
    let status = unsafe { ffi_call(&mut err, || panic!("boom {}", 42)) };
    assert_eq!(status, Status::Panic);
    let f = take_error(err);
    assert_ffi_document(&f, Status::Panic);
    assert_mentions(&f, &["boom 42"]);

    let status = unsafe { ffi_call(ptr::null_mut(), || std::panic::panic_any(7_u8)) };
    assert_eq!(status, Status::Panic);
    assert_eq!(guard(5, || panic!("no status")), 5);
    assert_eq!(guard(5, || 6), 6);
}

#[test]
fn one_handle_is_safe_to_share_between_threads() {
    let sup = Shared(enable(THREE_ZONE).unwrap());
    let (fail, recover) = (
        r#"{"op":"fail_control_plane_vm","vm":3}"#,
        r#"{"op":"recover_control_plane_vm","vm":3}"#,
    );
    let applied = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (sup, applied) = (&sup, &applied);
            scope.spawn(move || {
                for i in 0..50 {
                    let request = if (t + i) % 2 == 0 { fail } else { recover };
                    match execute(sup.0, request) {
                        Ok(_) => {
                            applied.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(f) => assert_eq!(f.status, Status::Conflict, "{}", f.message),
                    }
                    let r = report(sup.0);
                    assert_eq!(
                        r["control_plane"]["floating_ip_holder"], "SupervisorControlPlaneVM (1)",
                        "VM 3 never holds the floating IP (R-IP-4)"
                    );
                    let _ = string_of(svp_supervisor_snapshot_json, sup.0);
                }
            });
        }
    });
    let r = report(sup.0);
    assert_eq!(
        r["journal_length"],
        applied.load(std::sync::atomic::Ordering::Relaxed)
    );
    // The journal replays to the same state: no request was half-applied.
    let restored = restore(&string_of(svp_supervisor_snapshot_json, sup.0)).unwrap();
    assert_eq!(report(restored), r);
    free(restored);
    free(sup.0);
}
