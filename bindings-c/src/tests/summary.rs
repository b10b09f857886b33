//! svp_supervisor_summary_text_all: every host, whatever the size of the zones.

use super::*;

#[test]
fn summary_text_all_lists_every_host_of_a_large_supervisor() {
    let mut v: Value = serde_json::from_str(THREE_ZONE).unwrap();
    for c in v["inventory"]["clusters"].as_array_mut().unwrap() {
        let template = c["hosts"][0].clone();
        let cluster = c["name"].as_str().unwrap().to_string();
        let hosts: Vec<Value> = (1..=20)
            .map(|i| {
                let mut h = template.clone();
                h["name"] = format!("{cluster}-esx-{i:02}.corp.example").into();
                h
            })
            .collect();
        c["hosts"] = hosts.into();
    }
    let json = v.to_string();
    let sup = enable(&json).unwrap();
    let core = supervisor_planner::Supervisor::from_json(&json)
        .unwrap()
        .report();
    let short = string_of(svp_supervisor_summary_text, sup);
    let all = string_of(svp_supervisor_summary_text_all, sup);
    assert_eq!(short, render::summary(&core));
    let every = render::SummaryOptions { all_hosts: true };
    assert_eq!(all, render::summary_with(&core, &every));
    for h in &core.hosts {
        assert!(all.contains(&format!("\n  {} ", h.name)), "{}", h.name);
    }
    assert!(
        !short.contains("\n  wld-cl-a-esx-20.corp.example "),
        "{short}"
    );
    assert!(short.contains("svp_supervisor_summary_text_all"), "{short}");
    assert!(!all.contains("svp_supervisor_summary_text_all"));
    free(sup);
    // A small Supervisor lists every host either way.
    let small = enable(THREE_ZONE).unwrap();
    assert_eq!(
        string_of(svp_supervisor_summary_text_all, small),
        string_of(svp_supervisor_summary_text, small)
    );
    free(small);
}

#[test]
fn summary_text_all_null_arguments_are_null_argument() {
    let sup = enable(THREE_ZONE).unwrap();
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_supervisor_summary_text_all(ptr::null(), &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "sup");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_summary_text_all(sup, ptr::null_mut(), &mut len, &mut err);
        assert_null_argument(s, err, "out_json");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_summary_text_all(sup, &mut out, ptr::null_mut(), &mut err);
        assert_null_argument(s, err, "out_len");
        // Without an error object too.
        let s = svp_supervisor_summary_text_all(ptr::null(), &mut out, &mut len, ptr::null_mut());
        assert_eq!(s, Status::NullArgument);
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    free(sup);
}
