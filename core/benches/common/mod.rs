//! What the benchmarks share: the bundled three-zone example grown to many hosts.

/// The three-zone example with each cluster's hosts replaced by `hosts_per_cluster` copies of
/// its first host, named `esx-{cluster}-{i:04}.corp.example`; `adjust(i, host)` may change copy
/// `i`.
pub fn three_zone_grown(
    hosts_per_cluster: usize,
    adjust: impl Fn(usize, &mut serde_json::Value),
) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../../examples/three-zone.json")).unwrap();
    for (ci, c) in v["inventory"]["clusters"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        let template = c["hosts"][0].clone();
        let hosts: Vec<_> = (0..hosts_per_cluster)
            .map(|i| {
                let mut h = template.clone();
                h["name"] = format!("esx-{ci}-{i:04}.corp.example").into();
                adjust(i, &mut h);
                h
            })
            .collect();
        c["hosts"] = hosts.into();
    }
    v
}
