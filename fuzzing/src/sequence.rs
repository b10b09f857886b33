//! Request sequences on the bundled examples.
//!
//! The first byte picks the example; then each request takes an `op` byte and field values drawn
//! from three sources: the Supervisor's own names (its report and spec: namespaces, zones,
//! hosts, VM classes…), what earlier responses returned (the address just allocated, the VM
//! just placed, the TKG cluster just created), and hostile values. Without the first two,
//! `power_on_vm`, `release_address`, TKG scaling and `delete_workload` would almost never
//! succeed. After every request: a failure left the whole Supervisor as it was (state, loads,
//! pools, journal, so `snapshot_json()` too); a success left a state that keeps the invariants.
//! At the end the snapshot restores to an equal Supervisor.

use crate::bytes::Bytes;
use crate::mutate::{hostile, mutate};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::OnceLock;
use supervisor_planner::bundled::EXAMPLES;
use supervisor_planner::{Request, Supervisor};

/// Every `op` of a request, in the order of the request schema.
pub const OPS: &[&str] = &[
    "fail_control_plane_vm",
    "recover_control_plane_vm",
    "create_namespace",
    "update_namespace",
    "delete_namespace",
    "admit",
    "release",
    "place_vm",
    "place_pod",
    "place_vms",
    "place_pods",
    "delete_workload",
    "power_off_vm",
    "power_on_vm",
    "create_tkg_cluster",
    "scale_node_pool",
    "delete_tkg_cluster",
    "enter_maintenance",
    "exit_maintenance",
    "rebalance",
    "fail_host",
    "recover_host",
    "fail_zone",
    "recover_zone",
    "patch_control_plane",
    "allocate_address",
    "release_address",
    "create_load_balancer_service",
    "delete_load_balancer_service",
];

/// How often each `op` was tried and how often it succeeded.
#[derive(Debug, Default, Clone)]
pub struct OpStats {
    /// `op` → (tried, succeeded).
    pub ops: BTreeMap<String, (u64, u64)>,
}

impl OpStats {
    fn note(&mut self, op: &str, ok: bool) {
        let e = self.ops.entry(op.to_string()).or_default();
        e.0 += 1;
        e.1 += u64::from(ok);
    }
}

/// The most requests one input makes.
const MAX_REQUESTS: usize = 32;
/// The most values a pool of names keeps.
const POOL_CAP: usize = 64;

/// The bundled examples, enabled, with the names their report and spec hold (computed once:
/// every input starts from a copy).
fn enabled() -> &'static [(Supervisor, Pools)] {
    static ENABLED: OnceLock<Vec<(Supervisor, Pools)>> = OnceLock::new();
    ENABLED.get_or_init(|| {
        EXAMPLES
            .iter()
            .map(|(_, text)| {
                let sup = Supervisor::from_json(text).expect("bundled examples enable");
                let mut pools = Pools::default();
                let report = serde_json::to_value(sup.report()).expect("reports serialise");
                pools.harvest(&report, "");
                pools.harvest(
                    &serde_json::to_value(sup.spec()).expect("specs serialise"),
                    "",
                );
                (sup, pools)
            })
            .collect()
    })
}

/// Names seen so far, by what they name.
#[derive(Default, Clone)]
struct Pools {
    by_key: BTreeMap<String, Vec<String>>,
    fresh: u32,
}

impl Pools {
    fn record(&mut self, key: &str, value: &str) {
        let pool = self.by_key.entry(key.to_string()).or_default();
        if pool.len() < POOL_CAP && !pool.iter().any(|v| v == value) {
            pool.push(value.to_string());
        }
        if key != "ip" && value.parse::<Ipv4Addr>().is_ok() {
            self.record("ip", value);
        }
    }

    /// Records every string of a document under the key that holds it; a `name` inside a list
    /// `things` is recorded as a `thing`.
    fn harvest(&mut self, v: &Value, key: &str) {
        match v {
            Value::Object(map) => {
                for (k, val) in map {
                    if let Value::String(s) = val {
                        let what = if k == "name" {
                            singular(key)
                        } else {
                            k.as_str()
                        };
                        self.record(what, s);
                    }
                    self.harvest(val, k);
                }
            }
            Value::Array(items) => {
                for item in items {
                    if let Value::String(s) = item {
                        self.record(singular(key), s);
                    }
                    self.harvest(item, key);
                }
            }
            _ => {}
        }
    }

    /// A value for a field naming a `key`: mostly one seen before, sometimes a fresh name, a
    /// name of another kind or a hostile value.
    fn name(&mut self, r: &mut Bytes, key: &str) -> Value {
        match r.below(16) {
            0 => hostile(r),
            1 => {
                self.fresh += 1;
                json!(format!("fz-{key}-{}", self.fresh))
            }
            2 => {
                let keys: Vec<&String> = self.by_key.keys().collect();
                let k = r.pick(&keys).map(|k| k.to_string());
                match k.and_then(|k| self.by_key.get(&k)).and_then(|p| r.pick(p)) {
                    Some(v) => json!(v),
                    None => hostile(r),
                }
            }
            _ => match self.by_key.get(key).and_then(|p| r.pick(p)) {
                Some(v) => json!(v),
                None => {
                    self.fresh += 1;
                    json!(format!("fz-{key}-{}", self.fresh))
                }
            },
        }
    }

    /// A new name (for something to create), sometimes one already taken.
    fn new_name(&mut self, r: &mut Bytes, key: &str) -> Value {
        if r.below(4) == 0 {
            return self.name(r, key);
        }
        self.fresh += 1;
        json!(format!("fz-{key}-{}", self.fresh))
    }
}

fn singular(key: &str) -> &str {
    match key {
        "vm_classes" => "vm_class",
        "storage_policies" => "storage_policy",
        "addresses" => "ip",
        k => k.strip_suffix('s').unwrap_or(k),
    }
}

/// A quantity: mostly a plausible one, sometimes a limit of its type.
fn amount(r: &mut Bytes) -> Value {
    match r.below(12) {
        0 => hostile(r),
        1 => json!(0),
        2 => json!(u64::from(u32::MAX)),
        3 => json!(u64::MAX),
        n => json!([100u64, 250, 500, 1000, 2000, 4096, 8192, 30000][usize::from(n as u8 - 4)]),
    }
}

fn small(r: &mut Bytes, max: u8) -> Value {
    if r.below(16) == 0 {
        hostile(r)
    } else {
        json!(r.u8() % (max + 1))
    }
}

fn maybe(
    map: &mut Map<String, Value>,
    r: &mut Bytes,
    key: &str,
    value: impl FnOnce(&mut Bytes) -> Value,
) {
    if r.bool() {
        map.insert(key.to_string(), value(r));
    }
}

fn vm_spec(p: &mut Pools, r: &mut Bytes) -> Value {
    let mut m = Map::new();
    m.insert("namespace".into(), p.name(r, "namespace"));
    m.insert("name".into(), p.new_name(r, "workload"));
    m.insert("vm_class".into(), p.name(r, "vm_class"));
    maybe(&mut m, r, "zone", |r| p.name(r, "zone"));
    maybe(&mut m, r, "anti_affinity_group", |r| {
        json!(format!("g{}", r.u8() % 3))
    });
    maybe(&mut m, r, "restart_priority", |r| {
        json!(["disabled", "lowest", "low", "medium", "high", "highest", "bogus"][r.below(7)])
    });
    maybe(
        &mut m,
        r,
        "labels",
        |r| json!({"rack": format!("r{}", r.u8() % 3)}),
    );
    Value::Object(m)
}

fn pod_spec(p: &mut Pools, r: &mut Bytes) -> Value {
    let mut m = Map::new();
    m.insert("namespace".into(), p.name(r, "namespace"));
    m.insert("name".into(), p.new_name(r, "workload"));
    m.insert("cpu_mhz".into(), amount(r));
    m.insert("memory_mib".into(), amount(r));
    maybe(
        &mut m,
        r,
        "node_selector",
        |r| json!({"rack": format!("r{}", r.u8() % 3)}),
    );
    maybe(&mut m, r, "replicas_of", |r| {
        json!(format!("app{}", r.u8() % 3))
    });
    Value::Object(m)
}

fn workload_ref(p: &mut Pools, r: &mut Bytes, m: &mut Map<String, Value>) {
    m.insert("namespace".into(), p.name(r, "namespace"));
    m.insert("name".into(), p.name(r, "workload"));
    maybe(m, r, "kind", |r| {
        json!(["vm", "pod", "neither"][r.below(3)])
    });
}

fn quota_fields(r: &mut Bytes, m: &mut Map<String, Value>) {
    for key in [
        "cpu_limit_mhz",
        "cpu_reservation_mhz",
        "memory_limit_mib",
        "memory_reservation_mib",
    ] {
        if r.below(3) == 0 {
            let v = if r.bool() { Value::Null } else { amount(r) };
            m.insert(key.into(), v);
        }
    }
}

/// The request `op` with fields drawn from the pools.
fn request(op: &str, p: &mut Pools, r: &mut Bytes) -> Value {
    let mut m = Map::new();
    m.insert("op".into(), json!(op));
    match op {
        "fail_control_plane_vm" | "recover_control_plane_vm" => {
            m.insert("vm".into(), small(r, 4));
        }
        "create_namespace" => {
            m.insert("name".into(), p.new_name(r, "namespace"));
            quota_fields(r, &mut m);
            maybe(&mut m, r, "vm_classes", |r| {
                let class = p.name(r, "vm_class");
                json!([class])
            });
            maybe(&mut m, r, "storage", |r| {
                let policy = p.name(r, "storage_policy");
                match policy {
                    Value::String(s) => json!({ s: 1024 * u64::from(r.u8()) }),
                    _ => json!({}),
                }
            });
        }
        "update_namespace" => {
            m.insert("name".into(), p.name(r, "namespace"));
            quota_fields(r, &mut m);
            maybe(&mut m, r, "add_vm_classes", |r| {
                let class = p.name(r, "vm_class");
                json!([class])
            });
            maybe(&mut m, r, "remove_vm_classes", |r| {
                let class = p.name(r, "vm_class");
                json!([class])
            });
        }
        "delete_namespace" => {
            m.insert("name".into(), p.name(r, "namespace"));
            maybe(&mut m, r, "force", |r| json!(r.bool()));
        }
        "admit" | "release" => {
            m.insert("namespace".into(), p.name(r, "namespace"));
            m.insert("zone".into(), p.name(r, "zone"));
            m.insert("cpu_mhz".into(), amount(r));
            m.insert("memory_mib".into(), amount(r));
        }
        "place_vm" => return with_op(vm_spec(p, r), op),
        "place_pod" => return with_op(pod_spec(p, r), op),
        "place_vms" | "place_pods" => {
            let n = r.below(5);
            let items: Vec<Value> = (0..n)
                .map(|_| {
                    if op == "place_vms" {
                        vm_spec(p, r)
                    } else {
                        pod_spec(p, r)
                    }
                })
                .collect();
            m.insert("items".into(), Value::Array(items));
        }
        "delete_workload" | "power_off_vm" | "power_on_vm" => workload_ref(p, r, &mut m),
        "create_tkg_cluster" => {
            m.insert("namespace".into(), p.name(r, "namespace"));
            m.insert("name".into(), p.new_name(r, "tkg_cluster"));
            m.insert(
                "control_plane_replicas".into(),
                json!([1, 1, 3, 2, 0][r.below(5)]),
            );
            // One class for the whole cluster, mostly: a namespace offers few.
            let class = p.name(r, "vm_class");
            maybe(&mut m, r, "control_plane_vm_class", |_| class.clone());
            let pools: Vec<Value> = (0..r.below(3))
                .map(|i| {
                    let mut pool = Map::new();
                    pool.insert("name".into(), json!(format!("pool-{i}")));
                    pool.insert("replicas".into(), small(r, 4));
                    let own = if r.below(4) == 0 {
                        p.name(r, "vm_class")
                    } else {
                        class.clone()
                    };
                    pool.insert("vm_class".into(), own);
                    maybe(&mut pool, r, "zone", |r| p.name(r, "zone"));
                    Value::Object(pool)
                })
                .collect();
            m.insert("node_pools".into(), Value::Array(pools));
        }
        "scale_node_pool" => {
            m.insert("namespace".into(), p.name(r, "namespace"));
            m.insert("cluster".into(), p.name(r, "tkg_cluster"));
            m.insert("pool".into(), p.name(r, "node_pool"));
            m.insert("replicas".into(), small(r, 5));
        }
        "delete_tkg_cluster" => {
            m.insert("namespace".into(), p.name(r, "namespace"));
            m.insert("name".into(), p.name(r, "tkg_cluster"));
        }
        "enter_maintenance" | "exit_maintenance" | "fail_host" | "recover_host" => {
            m.insert("host".into(), p.name(r, "host"));
        }
        "rebalance" => maybe(&mut m, r, "migration_threshold", |r| small(r, 6)),
        "fail_zone" | "recover_zone" => {
            m.insert("zone".into(), p.name(r, "zone"));
        }
        "patch_control_plane" => {
            maybe(&mut m, r, "force", |r| json!(r.bool()));
            maybe(&mut m, r, "resume", |r| json!(r.bool()));
            maybe(&mut m, r, "stop_after", |r| small(r, 4));
        }
        "allocate_address" => {
            m.insert("namespace".into(), p.name(r, "namespace"));
        }
        "release_address" => {
            m.insert("namespace".into(), p.name(r, "namespace"));
            m.insert("ip".into(), p.name(r, "ip"));
        }
        _ => {
            // create_load_balancer_service, delete_load_balancer_service
            m.insert("namespace".into(), p.name(r, "namespace"));
            let name = if op.starts_with("create") {
                p.new_name(r, "service")
            } else {
                p.name(r, "service")
            };
            m.insert("name".into(), name);
        }
    }
    Value::Object(m)
}

/// What the top-level `name` of a response names.
fn response_key(op: &str) -> &str {
    match op {
        "create_namespace" | "update_namespace" => "namespaces",
        "create_tkg_cluster" | "scale_node_pool" => "tkg_clusters",
        "create_load_balancer_service" => "services",
        op if op.starts_with("place_") || op.starts_with("power_") => "workloads",
        op => op,
    }
}

fn with_op(mut v: Value, op: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("op".into(), json!(op));
    }
    v
}

/// Runs one input; see the module documentation.
pub fn sequence(data: &[u8]) {
    sequence_with_stats(data, &mut OpStats::default());
}

/// [`sequence`], counting how often each `op` was tried and succeeded.
pub fn sequence_with_stats(data: &[u8], stats: &mut OpStats) {
    let mut r = Bytes::new(data);
    let examples = enabled();
    let (sup, pools) = &examples[r.below(examples.len())];
    let (mut sup, mut pools) = (sup.clone(), pools.clone());
    // The Supervisor as it was before the request; copied again only after a success changed
    // it (most requests fail, and the copy was a quarter of this body's time).
    let mut before = sup.clone();
    for _ in 0..MAX_REQUESTS {
        if r.is_empty() {
            break;
        }
        let op = OPS[r.below(OPS.len())];
        let mut doc = request(op, &mut pools, &mut r);
        if r.below(16) == 0 {
            mutate(&mut doc, &mut r, 1);
        }
        let Ok(request) = Request::from_json(&doc.to_string()) else {
            stats.note(op, false);
            continue;
        };
        match sup.execute(request) {
            Ok(response) => {
                stats.note(op, true);
                sup.check_invariants()
                    .unwrap_or_else(|e| panic!("{op} left a state that breaks an invariant: {e}"));
                let value = serde_json::to_value(&response).expect("responses serialise");
                pools.harvest(&value, response_key(op));
                before = sup.clone();
            }
            Err(e) => {
                stats.note(op, false);
                assert!(!e.to_string().is_empty(), "errors say what is wrong");
                if sup != before {
                    assert_eq!(
                        sup.snapshot_json(),
                        before.snapshot_json(),
                        "a failed {op} ({e}) changed the snapshot"
                    );
                    panic!("a failed {op} ({e}) changed the loads or the address pools");
                }
            }
        }
    }
    crate::spec::check_supervisor(&sup);
}
