//! Argument errors (NULL pointers, lengths, UTF-8) and the IPv4 helpers.

use super::*;

#[test]
fn null_arguments_of_every_pool_call_are_null_argument_and_change_nothing() {
    let p = new_pool(VIP).unwrap();
    let before = snapshot(p);
    let (json, n) = (VIP.as_ptr().cast::<c_char>(), VIP.len());
    let mut out_pool = sentinel::<IpPool>();
    let mut out_ip = SENTINEL_IP;
    let mut out_counts = SENTINEL_COUNTS;
    let mut out_str = sentinel::<c_char>();
    let mut out_len = SENTINEL_LEN;
    let np = ptr::null_mut::<IpPool>();
    // Raw pointers to the out-parameters, so that every call below may name them.
    let (op, oi, oc): (*mut *mut IpPool, *mut u32, *mut IpPoolCounts) =
        (&mut out_pool, &mut out_ip, &mut out_counts);
    let (os, ol): (*mut *mut c_char, *mut usize) = (&mut out_str, &mut out_len);
    unsafe {
        type Call<'a> = (&'a str, Box<dyn Fn(*mut *mut Error) -> Status + 'a>);
        let calls: Vec<Call> = vec![
            (
                "spec_json",
                Box::new(|e| svp_ip_pool_new(ptr::null(), 0, op, e)),
            ),
            (
                "out",
                Box::new(|e| svp_ip_pool_new(json, n, ptr::null_mut(), e)),
            ),
            (
                "json",
                Box::new(|e| svp_ip_pool_restore_json(ptr::null(), 5, op, e)),
            ),
            (
                "out",
                Box::new(|e| svp_ip_pool_restore_json(json, n, ptr::null_mut(), e)),
            ),
            ("pool", Box::new(|e| svp_ip_pool_allocate(np, oi, e))),
            (
                "out_ip",
                Box::new(|e| svp_ip_pool_allocate(p, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocate_specific(np, ip("10.0.0.9"), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocate_block(np, 2, oi, e)),
            ),
            (
                "out_first",
                Box::new(|e| svp_ip_pool_allocate_block(p, 2, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocate_subnet(np, 30, oi, e)),
            ),
            (
                "out_network",
                Box::new(|e| svp_ip_pool_allocate_subnet(p, 30, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_release(np, ip("10.0.0.9"), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_release_block(np, ip("10.0.0.9"), 2, e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_release_subnet(np, ip("10.0.0.8"), 30, e)),
            ),
            ("pool", Box::new(|e| svp_ip_pool_get_counts(np, oc, e))),
            (
                "out",
                Box::new(|e| svp_ip_pool_get_counts(p, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocations_json(np, os, ol, e)),
            ),
            (
                "out_json",
                Box::new(|e| svp_ip_pool_allocations_json(p, ptr::null_mut(), ol, e)),
            ),
            (
                "out_len",
                Box::new(|e| svp_ip_pool_allocations_json(p, os, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_snapshot_json(np, os, ol, e)),
            ),
            (
                "out_json",
                Box::new(|e| svp_ip_pool_snapshot_json(p, ptr::null_mut(), ol, e)),
            ),
            (
                "out_len",
                Box::new(|e| svp_ip_pool_snapshot_json(p, os, ptr::null_mut(), e)),
            ),
            ("text", Box::new(|e| svp_ipv4_parse(ptr::null(), 0, oi, e))),
            (
                "out_ip",
                Box::new(|e| svp_ipv4_parse(json, 1, ptr::null_mut(), e)),
            ),
            (
                "out",
                Box::new(|e| svp_ipv4_format(1, ptr::null_mut(), 16, e)),
            ),
        ];
        for (argument, call) in &calls {
            let mut err = ptr::null_mut();
            let status = call(&mut err);
            assert_null_argument(status, err, argument);
            // err may be NULL: the status alone.
            assert_eq!(call(ptr::null_mut()), Status::NullArgument, "{argument}");
        }
        for (name, q) in QUESTIONS {
            let mut answer = true;
            let mut err = ptr::null_mut();
            assert_null_argument(q(np, 1, &mut answer, &mut err), err, "pool");
            let mut err = ptr::null_mut();
            assert_null_argument(q(p, 1, ptr::null_mut(), &mut err), err, "out");
            assert!(answer, "{name}: out is untouched");
        }
    }
    assert_eq!(out_pool, sentinel());
    assert_eq!(out_ip, SENTINEL_IP);
    assert_eq!(out_counts, SENTINEL_COUNTS);
    assert_eq!((out_str, out_len), (sentinel(), SENTINEL_LEN));
    assert_eq!(snapshot(p), before);
    free_pool(p);
}

#[test]
fn bad_utf8_or_a_nul_in_a_spec_or_snapshot_is_refused_with_the_offset() {
    let f = new_pool_bytes(b"{\"name\":\"p\xff\",\"ranges\":[\"10.0.0.0/24\"]}").unwrap_err();
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert_mentions(&f, &["`spec_json`", "offset 10"]);
    let f = new_pool_bytes(format!("{VIP}\0").as_bytes()).unwrap_err();
    let at = format!("NUL byte at offset {}", VIP.len());
    assert_failure(&f, Status::InvalidArgument, &[&at]);
    let f = restore_pool("{\"api_version\":\"\u{0}\"}").unwrap_err();
    assert_failure(&f, Status::InvalidArgument, &["`json`"]);
    // `out` untouched on failure (checked by `make_handle`).
    let f = make_handle(svp_ip_pool_restore_json, b"{\"a\":\"\xc3\"}").unwrap_err();
    assert_failure(&f, Status::InvalidUtf8, &["offset 6"]);
    // Only `len` bytes are read.
    let longer = format!("{VIP}\u{0}garbage");
    let mut out = ptr::null_mut();
    let s =
        unsafe { svp_ip_pool_new(longer.as_ptr().cast(), VIP.len(), &mut out, ptr::null_mut()) };
    assert_eq!(s, Status::Ok);
    free_pool(out);
    let mut out = sentinel::<IpPool>();
    let s = unsafe { svp_ip_pool_new(VIP.as_ptr().cast(), usize::MAX, &mut out, ptr::null_mut()) };
    assert_eq!(s, Status::InvalidArgument);
    assert_eq!(out, sentinel());
}

#[test]
fn free_of_a_null_pool_is_a_no_op() {
    free_pool(ptr::null_mut());
}

#[test]
fn one_pool_shared_between_threads_hands_out_each_address_once() {
    let p = Shared(new_pool(r#"{"name":"pods","ranges":["10.244.0.0/22"]}"#).unwrap());
    let got = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for t in 0..4u32 {
            let (p, got) = (&p, &got);
            scope.spawn(move || {
                let mut mine = Vec::new();
                for i in 0..200u32 {
                    match (t + i) % 3 {
                        0 | 1 => mine.push(allocate(p.0).unwrap()),
                        _ => {
                            let first = allocate_block(p.0, 2).unwrap();
                            mine.extend([first, first + 1]);
                        }
                    }
                    if i % 10 == 0 {
                        let a = mine.swap_remove(0);
                        let r = release(p.0, a);
                        if r.is_err() {
                            // Part of a block: put it back, release nothing this time.
                            mine.push(a);
                        }
                    }
                }
                got.lock().unwrap().extend(mine);
            });
        }
    });
    let mut all = got.into_inner().unwrap();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "no address was handed out twice");
    assert_eq!(counts(p.0).allocated, n as u64);
    // The snapshot replays to the same state.
    let json = snapshot(p.0);
    let q = restore_pool(&json).unwrap();
    assert_eq!(snapshot(q), json);
    free_pool(q);
    free_pool(p.0);
}

fn parse(text: &[u8]) -> Result<u32, Failure> {
    with_out_ip(|out, err| unsafe { svp_ipv4_parse(text.as_ptr().cast(), text.len(), out, err) })
}

fn format_into(a: u32, buf: &mut [u8]) -> Result<String, Failure> {
    let (out, size) = (buf.as_mut_ptr().cast(), buf.len());
    checked(call_status(|err| unsafe {
        svp_ipv4_format(a, out, size, err)
    }))?;
    let text = CStr::from_bytes_until_nul(buf).expect("NUL-terminated");
    Ok(text.to_str().unwrap().to_string())
}

#[test]
fn ipv4_parse_and_format_use_host_order_with_the_first_octet_most_significant() {
    assert_eq!(parse(b"10.0.0.1").unwrap(), 0x0A00_0001);
    assert_eq!(parse(b"255.255.255.255").unwrap(), u32::MAX);
    assert_eq!(parse(b"0.0.0.0").unwrap(), 0);
    let mut buf = [0xAAu8; SVP_IPV4_TEXT_SIZE];
    assert_eq!(format_into(0x0A00_0001, &mut buf).unwrap(), "10.0.0.1");
    assert_eq!(buf[9], 0xAA, "nothing is written after the NUL");
    assert_eq!(format_into(u32::MAX, &mut buf).unwrap(), "255.255.255.255");
    assert_eq!(
        buf[15], 0,
        "the longest address with its NUL fills SVP_IPV4_TEXT_SIZE"
    );
    for a in [1u32, 0xC0A8_0101, 0x0AF4_0000, 0x7F00_0001] {
        assert_eq!(
            parse(format_into(a, &mut buf).unwrap().as_bytes()).unwrap(),
            a
        );
    }
    // The pool's own numbers: what svp_ip_pool_allocate writes is what svp_ipv4_parse reads.
    let p = new_pool(r#"{"name":"p","ranges":["192.168.7.0/24"]}"#).unwrap();
    assert_eq!(allocate(p).unwrap(), parse(b"192.168.7.1").unwrap());
    free_pool(p);
}

#[test]
fn ipv4_parse_refuses_anything_but_a_dotted_quad_and_format_a_short_buffer() {
    for bad in [
        &b"10.0.0"[..],
        b"10.0.0.256",
        b" 10.0.0.1",
        b"10.0.0.1/24",
        b"",
        b"0x0a.0.0.1",
    ] {
        let f = parse(bad).unwrap_err();
        assert_failure(&f, Status::Validation, &["is not an IPv4 address"]);
        assert_eq!(f.document["issues"][0]["path"], "text");
    }
    let f = parse(b"10.0.0.\xff").unwrap_err();
    assert_failure(&f, Status::InvalidUtf8, &["`text`", "offset 7"]);
    let f = parse(b"10.0.0.1\0").unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    // Too small for the longest address: refused whatever the address, buffer untouched.
    let mut small = [0xAAu8; SVP_IPV4_TEXT_SIZE - 1];
    let f = format_into(1, &mut small).unwrap_err();
    assert_ffi_document(&f, Status::InvalidArgument);
    assert_mentions(&f, &["`out_size` is 15", "SVP_IPV4_TEXT_SIZE (16)"]);
    assert!(small.iter().all(|b| *b == 0xAA));
}

#[test]
fn header_defines_svp_ipv4_text_size() {
    let header = committed_header();
    assert_eq!(
        header_define(&header, "SVP_IPV4_TEXT_SIZE"),
        SVP_IPV4_TEXT_SIZE.to_string()
    );
    assert!(
        header.contains("#include <stdbool.h>"),
        "bool out-parameters need it"
    );
}
