//! The vCenter side of a plan: the identifiers a spec may carry for vCenter (checked when a
//! Supervisor is enabled), the body of the vSphere Automation API call that enables the planned
//! Supervisor ([`enable_request`]), and which clusters of an inventory can host a Supervisor at
//! all ([`cluster_compatibility`], as vCenter's cluster-compatibility list shows first).
//!
//! Three API calls are built, with field names exactly as VMware's own SDK writes them on the
//! wire (the vAPI canonical names keep a few capitals: `floating_IP_address`,
//! `egress_IP_ranges`, `master_DNS`, `master_NTP_servers`, `floating_IP`):
//! - [`EnableApi::EnableOnZones`]: `POST /api/vcenter/namespace-management/supervisors?action=enable_on_zones`
//!   (`EnableOnZonesSpec`, vSphere 8.0 U1 and later), for a Supervisor on zones (one or three);
//! - [`EnableApi::EnableOnComputeCluster`]:
//!   `POST /api/vcenter/namespace-management/supervisors/{cluster}?action=enable_on_compute_cluster`
//!   (`EnableOnComputeClusterSpec`, 8.0 U1 and later), for a single-cluster Supervisor;
//! - [`EnableApi::ClustersEnable`]: `POST /api/vcenter/namespace-management/clusters/{cluster}?action=enable`
//!   (`Clusters.EnableSpec`, vSphere 7 and 8.0 GA; deprecated in 9.0), for a Supervisor on one
//!   cluster.
//!
//! Mapping (model decisions where the API leaves a choice):
//! - The management block becomes the control plane's static `ip_management`: the gateway as
//!   `address/prefix` and the block as one `IPRange` of `address_count` addresses assigned to
//!   `NODE`; an explicit `floating_ip` goes apart in `floating_IP_address`, otherwise vCenter
//!   takes it from the block as the plan does (R-IP-3). The older API takes `floating_IP` only
//!   for a DHCP management network, so a plan with an explicit floating IP is refused there.
//! - NSX: pod CIDRs are `POD` assignments and the service CIDR a `SERVICE` assignment of the
//!   workload network; ingress CIDRs are the edge's load balancer ranges, egress CIDRs its
//!   `egress_IP_ranges` (routing mode `NAT`: every namespace has an SNAT address, R-N-1).
//! - VDS: the static ranges are `NODE` assignments, the service CIDR a `SERVICE` assignment, the
//!   VIP ranges the edge's load balancer ranges; the load balancer's `id` defaults to `lb-1`.
//! - IDs come from the spec: a cluster's `moid`, a storage policy's `id`, a port group's `moid`
//!   and `switch_uuid` (an import from vCenter fills them in). A missing one is an error naming
//!   its path, unless placeholders are asked for.
//! - Secrets (load balancer passwords) and certificate chains are never part of a spec and are
//!   never invented: the body carries a marked placeholder (`<fill in: ...>`) and
//!   [`EnableRequest::fill_in`] lists each, by its path in the body.

use crate::error::{Error, Issue, Result};
use crate::inventory::{join_names, ClusterId, Inventory};
use crate::ipam::{Ipv4Range, LoadBalancer, WorkloadNetwork};
use crate::model::Enablement;
use crate::spec::{
    ControlPlaneSize, InventorySpec, LoadBalancerKind, NsxNetworkSpec, SpecDocument,
    VdsNetworkSpec, WorkloadNetworkSpec,
};
use crate::supervisor::Supervisor;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::net::Ipv4Addr;

/// Which vSphere Automation API call enables the Supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnableApi {
    /// `supervisors?action=enable_on_zones` (vSphere 8.0 U1 and later): one or three zones.
    EnableOnZones,
    /// `supervisors/{cluster}?action=enable_on_compute_cluster` (8.0 U1 and later): one cluster.
    EnableOnComputeCluster,
    /// `clusters/{cluster}?action=enable` (vSphere 7 and 8.0 GA): one cluster.
    ClustersEnable,
}

impl EnableApi {
    /// Every API, in the order the docs list them.
    pub const ALL: [EnableApi; 3] = [
        EnableApi::EnableOnZones,
        EnableApi::EnableOnComputeCluster,
        EnableApi::ClustersEnable,
    ];

    /// The name as the CLI and JSON write it (`enable_on_zones`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EnableApi::EnableOnZones => "enable_on_zones",
            EnableApi::EnableOnComputeCluster => "enable_on_compute_cluster",
            EnableApi::ClustersEnable => "clusters_enable",
        }
    }

    /// Parses a name written by [`EnableApi::as_str`]; the error lists the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        EnableApi::ALL
            .into_iter()
            .find(|a| a.as_str() == name)
            .ok_or_else(|| {
                Error::Validation(vec![Issue::new(
                    "api",
                    format!(
                        "unknown API {name:?}; valid: {}",
                        join_names(EnableApi::ALL.iter().map(|a| a.as_str()))
                    ),
                )])
            })
    }

    /// The API that fits a Supervisor's mode: zones for a zone-based Supervisor, the compute
    /// cluster for a single-cluster one.
    pub fn default_for(sup: &Supervisor) -> Self {
        if sup.spec().supervisor.cluster.is_some() {
            EnableApi::EnableOnComputeCluster
        } else {
            EnableApi::EnableOnZones
        }
    }
}

/// One value of the body the caller must fill in before sending it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FillIn {
    /// Where in the body, as a JSON path (`workloads.edge.haproxy.password`).
    pub path: String,
    /// What goes there.
    pub what: String,
}

/// The enable call: method, path and body, what to fill in, and notes on what the API cannot
/// say of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnableRequest {
    /// Which call.
    pub api: EnableApi,
    /// Always `POST`.
    pub method: String,
    /// The path under the vCenter's address (`/api/vcenter/...`).
    pub path: String,
    /// The JSON body (keys in sorted order).
    pub body: Value,
    /// Placeholders in the body (`<fill in: ...>`): secrets, and with placeholders asked for,
    /// the IDs the spec does not give. Empty when the body is ready to send.
    pub fill_in: Vec<FillIn>,
    /// What of the plan the call cannot express (for example a control-plane vCPU override).
    pub notes: Vec<String>,
}

impl EnableRequest {
    /// The call as a `curl` command (reading `$VCENTER` and `$SESSION`, a session from
    /// `POST /api/session`), with the placeholders listed first as comments.
    pub fn to_curl(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "# {} (vSphere Automation API, {})\n",
            self.api.as_str(),
            match self.api {
                EnableApi::ClustersEnable => "vSphere 7 and 8.0 GA",
                _ => "vSphere 8.0 U1 and later",
            }
        ));
        out.push_str("# A session first: SESSION=$(curl -s -X POST -u \"$VCENTER_USER\" \"https://$VCENTER/api/session\" | tr -d '\"')\n");
        if !self.fill_in.is_empty() {
            out.push_str("# Fill in before sending:\n");
            for f in &self.fill_in {
                out.push_str(&format!("#   {}: {}\n", f.path, f.what));
            }
        }
        for n in &self.notes {
            out.push_str(&format!("# Note: {n}\n"));
        }
        out.push_str(&format!(
            "curl -X {} \"https://$VCENTER{}\" \\\n  -H \"vmware-api-session-id: $SESSION\" \\\n  -H \"Content-Type: application/json\" \\\n  --data-binary @- <<'BODY'\n",
            self.method, self.path
        ));
        out.push_str(
            &serde_json::to_string_pretty(&self.body).expect("a JSON value always serialises"),
        );
        out.push_str("\nBODY\n");
        out
    }

    /// The request as compact JSON: `{"api", "method", "path", "body", "fill_in", "notes"}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an enable request always serialises")
    }
}

/// Builds the body of the API call that enables `sup` in vCenter (see the module docs for the
/// mapping). `api` `None` picks the call that fits the Supervisor's mode. Without
/// `placeholders`, every ID the call needs must be in the spec: the error lists each missing
/// one by its spec path (`inventory.clusters[0].moid`). With `placeholders`, a missing ID
/// becomes a `<fill in: ...>` value listed in [`EnableRequest::fill_in`].
///
/// Errors: `Unsupported` when the call cannot express the Supervisor (three zones through a
/// single-cluster call, the Foundation load balancer through `clusters_enable`); `Validation`
/// for missing IDs.
///
/// ```
/// use supervisor_planner::{vcenter, Supervisor};
/// let sup = Supervisor::from_json(include_str!("../../../examples/three-zone.json")).unwrap();
/// // The bundled example has no vCenter IDs: export with placeholders.
/// let req = vcenter::enable_request(&sup, None, true).unwrap();
/// assert_eq!(req.path, "/api/vcenter/namespace-management/supervisors?action=enable_on_zones");
/// assert_eq!(req.body["zones"][1], "zone-b");
/// assert!(req.fill_in.iter().any(|f| f.path == "control_plane.storage_policy"));
/// ```
pub fn enable_request(
    sup: &Supervisor,
    api: Option<EnableApi>,
    placeholders: bool,
) -> Result<EnableRequest> {
    let api = api.unwrap_or_else(|| EnableApi::default_for(sup));
    let mut b = Builder {
        spec: sup.spec(),
        placeholders,
        missing: Vec::new(),
        fill_in: Vec::new(),
        notes: Vec::new(),
    };
    let plan = sup.enablement();
    let inv = sup.inventory();
    let zone_clusters: Vec<ClusterId> = plan.zone_clusters.clone();
    let single = zone_clusters.len() == 1;
    if api != EnableApi::EnableOnZones && !single {
        return Err(Error::Unsupported(format!(
            "{} enables a Supervisor on one cluster; this one spans {} zones: use enable_on_zones",
            api.as_str(),
            zone_clusters.len()
        )));
    }
    if api == EnableApi::ClustersEnable {
        if let WorkloadNetworkSpec::Vds(v) = &b.spec.supervisor.workload_network {
            if v.load_balancer.kind == LoadBalancerKind::Foundation {
                return Err(Error::Unsupported(
                    "clusters_enable takes an HAProxy or NSX Advanced load balancer; the Foundation load balancer needs enable_on_zones or enable_on_compute_cluster (vSphere 8.0 U1 and later)".into(),
                ));
            }
        }
    }
    if api == EnableApi::ClustersEnable && plan.management.floating_ip_explicit {
        // Clusters.NetworkSpec takes `floating_IP` only in DHCP mode (the SDK's union rule on
        // `mode`); with a static range the floating IP comes from the range.
        return Err(Error::Unsupported(format!(
            "clusters_enable takes a floating IP only for a DHCP management network; this plan's floating IP {} stands apart from its static block: use enable_on_compute_cluster (vSphere 8.0 U1 and later), or drop supervisor.management_network.floating_ip so that the block's first address is the floating IP (R-IP-3)",
            plan.management.floating_ip
        )));
    }
    if plan.cp_vcpus != b.spec.supervisor.control_plane.size.default_resources().0
        || plan.cp_memory_mib != b.spec.supervisor.control_plane.size.default_resources().1
    {
        b.notes.push(format!(
            "the plan sizes control-plane VMs at {} vCPU / {} MiB; the API takes only the size ({}), so vCenter uses that size's own figures",
            plan.cp_vcpus,
            plan.cp_memory_mib,
            size_hint(b.spec.supervisor.control_plane.size)
        ));
    }
    let (path, body) = match api {
        EnableApi::EnableOnZones => {
            let zones: Vec<Value> = plan
                .zones
                .iter()
                .map(|z| Value::String(inv.zone(z.id).name.clone()))
                .collect();
            let body = json!({
                "zones": zones,
                "name": b.spec.supervisor.name,
                "control_plane": b.control_plane(plan),
                "workloads": b.workloads(plan),
            });
            (
                "/api/vcenter/namespace-management/supervisors?action=enable_on_zones".to_string(),
                body,
            )
        }
        EnableApi::EnableOnComputeCluster => {
            let cid = zone_clusters[0];
            let moid = b.cluster_moid(inv, cid, "path {cluster}");
            let zone = inv.zone(plan.zones[0].id).name.clone();
            let body = json!({
                "zone": zone,
                "name": b.spec.supervisor.name,
                "control_plane": b.control_plane(plan),
                "workloads": b.workloads(plan),
            });
            (
                format!("/api/vcenter/namespace-management/supervisors/{moid}?action=enable_on_compute_cluster"),
                body,
            )
        }
        EnableApi::ClustersEnable => {
            let cid = zone_clusters[0];
            let moid = b.cluster_moid(inv, cid, "path {cluster}");
            let body = b.clusters_enable(plan);
            (
                format!("/api/vcenter/namespace-management/clusters/{moid}?action=enable"),
                body,
            )
        }
    };
    if !b.missing.is_empty() {
        return Err(Error::Validation(b.missing));
    }
    Ok(EnableRequest {
        api,
        method: "POST".into(),
        path,
        body,
        fill_in: b.fill_in,
        notes: b.notes,
    })
}

/// Placeholder text for a value the caller fills in.
fn placeholder(what: &str) -> String {
    format!("<fill in: {what}>")
}

struct Builder<'a> {
    spec: &'a SpecDocument,
    placeholders: bool,
    missing: Vec<Issue>,
    fill_in: Vec<FillIn>,
    notes: Vec<String>,
}

impl Builder<'_> {
    /// An ID the spec must give: `found` or, when absent, a placeholder (with placeholders) or a
    /// missing-ID issue at `spec_path`.
    fn id(
        &mut self,
        found: Option<&String>,
        spec_path: &str,
        what: &str,
        body_path: &str,
    ) -> String {
        if let Some(v) = found {
            return v.clone();
        }
        if self.placeholders {
            self.fill_in.push(FillIn {
                path: body_path.to_string(),
                what: what.to_string(),
            });
        } else {
            self.missing.push(Issue::new(
                spec_path,
                format!("the enable request needs {what} here; add it (an import from vCenter fills it in) or export with placeholders"),
            ));
        }
        placeholder(what)
    }

    /// A secret: always a placeholder, always listed.
    fn secret(&mut self, what: &str, body_path: &str) -> String {
        self.fill_in.push(FillIn {
            path: body_path.to_string(),
            what: format!("{what} (never part of a spec)"),
        });
        placeholder(what)
    }

    fn cluster_moid(&mut self, inv: &Inventory, cid: ClusterId, body_path: &str) -> String {
        let i = cid.index();
        let c = &self.spec.inventory.clusters[i];
        self.id(
            c.moid.as_ref(),
            &format!("inventory.clusters[{i}].moid"),
            &format!(
                "the managed object ID of cluster {:?} (domain-c…)",
                inv.cluster(cid).name
            ),
            body_path,
        )
    }

    /// The control plane's storage policy ID.
    fn storage_policy_id(&mut self, body_path: &str) -> String {
        let name = &self.spec.supervisor.control_plane.storage_policy;
        let found = self
            .spec
            .inventory
            .storage_policies
            .iter()
            .enumerate()
            .find(|(_, p)| &p.name == name);
        let (spec_path, id) = match found {
            Some((i, p)) => (format!("inventory.storage_policies[{i}].id"), p.id.as_ref()),
            None => ("supervisor.control_plane.storage_policy".to_string(), None),
        };
        self.id(
            id,
            &spec_path,
            &format!("the ID of storage policy {name:?}"),
            body_path,
        )
    }

    /// A port group's managed object ID, by the name or MoID a network names
    /// (`spec_path` is the network's `port_group` field).
    fn port_group_moid(
        &mut self,
        given: Option<&String>,
        spec_path: &str,
        what: &str,
        body_path: &str,
    ) -> String {
        let what =
            format!("the managed object ID of the {what}'s distributed port group (dvportgroup-…)");
        let Some(given) = given else {
            return self.id(None, spec_path, &what, body_path);
        };
        let found = self
            .spec
            .inventory
            .port_groups
            .iter()
            .enumerate()
            .find(|(_, p)| &p.name == given || p.moid.as_ref() == Some(given));
        match found {
            Some((i, p)) => {
                let moid = p.moid.clone();
                self.id(
                    moid.as_ref(),
                    &format!("inventory.port_groups[{i}].moid"),
                    &what,
                    body_path,
                )
            }
            // Checked at enable: a given port group is always in the inventory.
            None => self.id(None, spec_path, &what, body_path),
        }
    }

    /// The management network's port group MoID, at `body_path` of the body.
    fn management_port_group(&mut self, body_path: &str) -> String {
        let given = self.spec.supervisor.management_network.port_group.as_ref();
        self.port_group_moid(
            given,
            "supervisor.management_network.port_group",
            "management network",
            body_path,
        )
    }

    /// A VDS Supervisor's primary workload network's port group MoID, at `body_path`.
    fn primary_port_group(&mut self, spec: &VdsNetworkSpec, body_path: &str) -> String {
        self.port_group_moid(
            spec.primary.port_group.as_ref(),
            "supervisor.workload_network.primary.port_group",
            "primary workload network",
            body_path,
        )
    }

    /// The NSX distributed switch's UUID.
    fn switch_uuid(&mut self, given: Option<&String>, body_path: &str) -> String {
        let spec_path = "supervisor.workload_network.distributed_switch";
        let what = "the UUID of the distributed switch NSX uses";
        let Some(given) = given else {
            return self.id(None, spec_path, what, body_path);
        };
        let found = self
            .spec
            .inventory
            .port_groups
            .iter()
            .enumerate()
            .find(|(_, p)| {
                p.switch.as_ref() == Some(given) || p.switch_uuid.as_ref() == Some(given)
            });
        match found {
            Some((i, p)) => {
                let uuid = p.switch_uuid.clone();
                self.id(
                    uuid.as_ref(),
                    &format!("inventory.port_groups[{i}].switch_uuid"),
                    what,
                    body_path,
                )
            }
            None => self.id(None, spec_path, what, body_path),
        }
    }

    fn services(&self) -> Option<Value> {
        let m = &self.spec.supervisor.management_network;
        let mut services = Map::new();
        if !m.dns_servers.is_empty() || !m.dns_search_domains.is_empty() {
            services.insert(
                "dns".into(),
                json!({"servers": m.dns_servers, "search_domains": m.dns_search_domains}),
            );
        }
        if !m.ntp_servers.is_empty() {
            services.insert("ntp".into(), json!({"servers": m.ntp_servers}));
        }
        (!services.is_empty()).then_some(Value::Object(services))
    }

    /// `ControlPlane` of the Supervisors API.
    fn control_plane(&mut self, plan: &Enablement) -> Value {
        let m = &plan.management;
        let moid = self.management_port_group("control_plane.network.backing.network");
        let mut network = json!({
            "backing": {"backing": "NETWORK", "network": moid},
            "ip_management": {
                "dhcp_enabled": false,
                "gateway_address": format!("{}/{}", m.gateway, m.prefix_length),
                "ip_assignments": [{"assignee": "NODE", "ranges": [ip_range(m.block)]}],
            },
        });
        if let Some(s) = self.services() {
            network["services"] = s;
        }
        if m.floating_ip_explicit {
            network["floating_IP_address"] = json!(m.floating_ip.to_string());
        }
        let policy = self.storage_policy_id("control_plane.storage_policy");
        json!({
            "network": network,
            "size": size_hint(self.spec.supervisor.control_plane.size),
            "storage_policy": policy,
        })
    }

    /// `Workloads` of the Supervisors API.
    fn workloads(&mut self, plan: &Enablement) -> Value {
        match workload(plan, self.spec) {
            Workload::Nsx {
                pod_cidrs,
                service_cidr,
                ingress_cidrs,
                egress_cidrs,
                namespace_subnet_prefix,
                spec,
            } => {
                let dvs = self.switch_uuid(
                    spec.distributed_switch.as_ref(),
                    "workloads.network.nsx.dvs",
                );
                let mut nsx = json!({
                    "routing_mode": "NAT",
                    "egress_IP_ranges": ip_ranges(egress_cidrs),
                });
                if let Some(edge) = &spec.edge_cluster {
                    nsx["edge_cluster_ID"] = json!(edge);
                }
                json!({
                    "network": {
                        "network_type": "NSXT",
                        "nsx": {"dvs": dvs, "namespace_subnet_prefix": namespace_subnet_prefix},
                        "ip_management": {
                            "dhcp_enabled": false,
                            "ip_assignments": [
                                {"assignee": "POD", "ranges": ip_ranges(pod_cidrs)},
                                {"assignee": "SERVICE", "ranges": [ip_range(service_cidr)]},
                            ],
                        },
                    },
                    "edge": {
                        "provider": "NSX",
                        "load_balancer_address_ranges": ip_ranges(ingress_cidrs),
                        "nsx": nsx,
                    },
                })
            }
            Workload::Vds {
                subnet,
                gateway,
                address_ranges,
                service_cidr,
                load_balancer,
                spec,
            } => {
                let dvpg = self.primary_port_group(spec, "workloads.network.vsphere.dvpg");
                let mut edge = json!({
                    "id": load_balancer_id(spec),
                    "load_balancer_address_ranges": ip_ranges(&load_balancer.vip_ranges),
                });
                match load_balancer.kind {
                    LoadBalancerKind::Haproxy => {
                        edge["provider"] = json!("HAPROXY");
                        edge["haproxy"] = self.haproxy("workloads.edge.haproxy");
                    }
                    LoadBalancerKind::NsxAlb => {
                        edge["provider"] = json!("NSX_ADVANCED");
                        edge["nsx_advanced"] = self.avi("workloads.edge.nsx_advanced");
                    }
                    LoadBalancerKind::Foundation => {
                        edge["provider"] = json!("VSPHERE_FOUNDATION");
                    }
                }
                json!({
                    "network": {
                        "network_type": "VSPHERE",
                        "vsphere": {"dvpg": dvpg},
                        "ip_management": {
                            "dhcp_enabled": false,
                            "gateway_address": format!("{gateway}/{}", prefix_of(subnet)),
                            "ip_assignments": [
                                {"assignee": "NODE", "ranges": ip_ranges(address_ranges)},
                                {"assignee": "SERVICE", "ranges": [ip_range(service_cidr)]},
                            ],
                        },
                    },
                    "edge": edge,
                })
            }
        }
    }

    /// The load balancer's servers as `{host, port}` (default port `default_port`), its user.
    fn lb_login(&mut self, body_path: &str, default_port: u16) -> (Vec<Value>, String) {
        let WorkloadNetworkSpec::Vds(v) = &self.spec.supervisor.workload_network else {
            unreachable!("only a VDS Supervisor has a load balancer of its own")
        };
        let lb = v.load_balancer.clone();
        let mut servers: Vec<Value> = lb
            .servers
            .iter()
            .map(|s| {
                let (host, port) = split_host_port(s, default_port);
                json!({"host": host, "port": port})
            })
            .collect();
        if servers.is_empty() {
            let host = self.id(
                None,
                "supervisor.workload_network.load_balancer.servers",
                "the load balancer's address (host:port)",
                &format!("{body_path}.servers[0].host"),
            );
            servers.push(json!({"host": host, "port": default_port}));
        }
        let user = self.id(
            lb.username.as_ref(),
            "supervisor.workload_network.load_balancer.username",
            "the user the Supervisor logs in to the load balancer as",
            &format!("{body_path}.username"),
        );
        (servers, user)
    }

    fn haproxy(&mut self, body_path: &str) -> Value {
        let (servers, username) = self.lb_login(body_path, 5556);
        json!({
            "servers": servers,
            "username": username,
            "password": self.secret("the HAProxy data-plane API password", &format!("{body_path}.password")),
            "certificate_authority_chain": self.secret("the HAProxy data-plane API's CA certificate chain (PEM)", &format!("{body_path}.certificate_authority_chain")),
        })
    }

    fn avi(&mut self, body_path: &str) -> Value {
        let (servers, username) = self.lb_login(body_path, 443);
        json!({
            "server": servers[0],
            "username": username,
            "password": self.secret("the NSX Advanced Load Balancer controller password", &format!("{body_path}.password")),
            "certificate_authority_chain": self.secret("the NSX Advanced Load Balancer controller's CA certificate chain (PEM)", &format!("{body_path}.certificate_authority_chain")),
        })
    }

    /// `Clusters.EnableSpec` (vSphere 7 and 8.0 GA).
    fn clusters_enable(&mut self, plan: &Enablement) -> Value {
        let m = &plan.management;
        let mgmt = &self.spec.supervisor.management_network;
        let moid = self.management_port_group("master_management_network.network");
        let network = json!({
            "mode": "STATICRANGE",
            "network": moid,
            "address_range": {
                "starting_address": m.block.first.to_string(),
                "address_count": m.block.len(),
                "subnet_mask": mask_of(m.prefix_length).to_string(),
                "gateway": m.gateway.to_string(),
            },
        });
        let policy = self.storage_policy_id("master_storage_policy");
        let mut body = json!({
            "size_hint": size_hint(self.spec.supervisor.control_plane.size),
            "master_management_network": network,
            "master_storage_policy": policy,
            "ephemeral_storage_policy": policy,
            "image_storage": {"storage_policy": policy},
        });
        if !mgmt.dns_servers.is_empty() {
            body["master_DNS"] = json!(mgmt.dns_servers);
        }
        if !mgmt.dns_search_domains.is_empty() {
            body["master_DNS_search_domains"] = json!(mgmt.dns_search_domains);
        }
        if !mgmt.ntp_servers.is_empty() {
            body["master_NTP_servers"] = json!(mgmt.ntp_servers);
        }
        match workload(plan, self.spec) {
            Workload::Nsx {
                pod_cidrs,
                service_cidr,
                ingress_cidrs,
                egress_cidrs,
                namespace_subnet_prefix,
                spec,
            } => {
                let dvs = self.switch_uuid(
                    spec.distributed_switch.as_ref(),
                    "ncp_cluster_network_spec.cluster_distributed_switch",
                );
                body["network_provider"] = json!("NSXT_CONTAINER_PLUGIN");
                body["service_cidr"] = cidr(service_cidr);
                let mut ncp = json!({
                    "pod_cidrs": cidrs(pod_cidrs),
                    "ingress_cidrs": cidrs(ingress_cidrs),
                    "egress_cidrs": cidrs(egress_cidrs),
                    "cluster_distributed_switch": dvs,
                    "namespace_subnet_prefix": namespace_subnet_prefix,
                });
                if let Some(edge) = &spec.edge_cluster {
                    ncp["nsx_edge_cluster"] = json!(edge);
                }
                body["ncp_cluster_network_spec"] = ncp;
            }
            Workload::Vds {
                subnet,
                gateway,
                address_ranges,
                service_cidr,
                load_balancer,
                spec,
            } => {
                let portgroup = self.primary_port_group(spec, "workload_networks_spec.supervisor_primary_workload_network.vsphere_network.portgroup");
                body["network_provider"] = json!("VSPHERE_NETWORK");
                body["service_cidr"] = cidr(service_cidr);
                body["workload_networks_spec"] = json!({
                    "supervisor_primary_workload_network": {
                        "network": "primary",
                        "network_provider": "VSPHERE_NETWORK",
                        "vsphere_network": {
                            "portgroup": portgroup,
                            "ip_assignment_mode": "STATICRANGE",
                            "address_ranges": ip_ranges(address_ranges),
                            "gateway": gateway.to_string(),
                            "subnet_mask": mask_of(prefix_of(subnet)).to_string(),
                        },
                    },
                });
                let mut lb = json!({
                    "id": load_balancer_id(spec),
                    "address_ranges": ip_ranges(&load_balancer.vip_ranges),
                });
                match load_balancer.kind {
                    LoadBalancerKind::Haproxy => {
                        lb["provider"] = json!("HA_PROXY");
                        lb["ha_proxy_config_create_spec"] =
                            self.haproxy("load_balancer_config_spec.ha_proxy_config_create_spec");
                    }
                    LoadBalancerKind::NsxAlb => {
                        lb["provider"] = json!("AVI");
                        lb["avi_config_create_spec"] =
                            self.avi("load_balancer_config_spec.avi_config_create_spec");
                    }
                    LoadBalancerKind::Foundation => {
                        unreachable!("refused before building")
                    }
                }
                body["load_balancer_config_spec"] = lb;
            }
        }
        body
    }
}

/// The workload network as the export reads it: the validated ranges with the spec's vCenter
/// references, matched once.
enum Workload<'a> {
    Nsx {
        pod_cidrs: &'a [Ipv4Range],
        service_cidr: Ipv4Range,
        ingress_cidrs: &'a [Ipv4Range],
        egress_cidrs: &'a [Ipv4Range],
        namespace_subnet_prefix: u8,
        spec: &'a NsxNetworkSpec,
    },
    Vds {
        subnet: Ipv4Range,
        gateway: Ipv4Addr,
        address_ranges: &'a [Ipv4Range],
        service_cidr: Ipv4Range,
        load_balancer: &'a LoadBalancer,
        spec: &'a VdsNetworkSpec,
    },
}

fn workload<'a>(plan: &'a Enablement, spec: &'a SpecDocument) -> Workload<'a> {
    match (&plan.workload, &spec.supervisor.workload_network) {
        (
            WorkloadNetwork::Nsx {
                pod_cidrs,
                service_cidr,
                ingress_cidrs,
                egress_cidrs,
                namespace_subnet_prefix,
            },
            WorkloadNetworkSpec::Nsx(spec),
        ) => Workload::Nsx {
            pod_cidrs,
            service_cidr: *service_cidr,
            ingress_cidrs,
            egress_cidrs,
            namespace_subnet_prefix: *namespace_subnet_prefix,
            spec,
        },
        (
            WorkloadNetwork::Vds {
                subnet,
                gateway,
                address_ranges,
                service_cidr,
                load_balancer,
            },
            WorkloadNetworkSpec::Vds(spec),
        ) => Workload::Vds {
            subnet: *subnet,
            gateway: *gateway,
            address_ranges,
            service_cidr: *service_cidr,
            load_balancer,
            spec,
        },
        _ => unreachable!("the validated workload network is of the spec's kind"),
    }
}

/// The load balancer's ID in the request (model default `lb-1`).
fn load_balancer_id(spec: &VdsNetworkSpec) -> String {
    spec.load_balancer
        .id
        .clone()
        .unwrap_or_else(|| "lb-1".into())
}

fn size_hint(size: ControlPlaneSize) -> &'static str {
    match size {
        ControlPlaneSize::Tiny => "TINY",
        ControlPlaneSize::Small => "SMALL",
        ControlPlaneSize::Medium => "MEDIUM",
        ControlPlaneSize::Large => "LARGE",
    }
}

/// `IPRange` `{address, count}`.
fn ip_range(r: Ipv4Range) -> Value {
    json!({"address": r.first.to_string(), "count": r.len()})
}

fn ip_ranges(rs: &[Ipv4Range]) -> Vec<Value> {
    rs.iter().map(|r| ip_range(*r)).collect()
}

/// The prefix length of a range that is a CIDR block (validated subnets and CIDRs are).
fn prefix_of(r: Ipv4Range) -> u8 {
    32 - r.len().trailing_zeros() as u8
}

fn mask_of(prefix: u8) -> Ipv4Addr {
    Ipv4Addr::from(u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0))
}

/// `Ipv4Cidr` `{address, prefix}` of a CIDR block.
fn cidr(r: Ipv4Range) -> Value {
    json!({"address": r.first.to_string(), "prefix": prefix_of(r)})
}

/// The fewest CIDR blocks that cover each range exactly, in address order.
fn cidrs(rs: &[Ipv4Range]) -> Vec<Value> {
    let mut out = Vec::new();
    for r in rs {
        let (mut first, last) = (u64::from(u32::from(r.first)), u64::from(u32::from(r.last)));
        while first <= last {
            // The largest aligned block that starts at `first` and ends by `last`.
            let mut size = if first == 0 {
                1u64 << 32
            } else {
                1u64 << first.trailing_zeros()
            };
            while first + size - 1 > last {
                size >>= 1;
            }
            let prefix = 32 - size.trailing_zeros() as u8;
            out.push(
                json!({"address": Ipv4Addr::from(first as u32).to_string(), "prefix": prefix}),
            );
            first += size;
        }
    }
    out
}

/// `host:port` → `(host, port)`; a missing or unreadable port takes `default_port`.
fn split_host_port(s: &str, default_port: u16) -> (String, u16) {
    match s.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => match port.parse::<u16>() {
            Ok(p) => (host.to_string(), p),
            Err(_) => (s.to_string(), default_port),
        },
        _ => (s.to_string(), default_port),
    }
}

/// Whether a cluster can host a Supervisor, and if not, every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterCompatibility {
    /// Cluster name.
    pub cluster: String,
    /// Its managed object ID, when the inventory gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moid: Option<String>,
    /// The zone it is mapped to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Whether a Supervisor can be enabled on it (no reasons).
    pub compatible: bool,
    /// Every reason it cannot, each with the inventory path and the rule.
    pub reasons: Vec<Issue>,
}

/// For every cluster of an inventory, whether it can host a Supervisor and, if not, every
/// reason (R-Z-6: vSphere HA on, DRS on and fully or partially automated, at least 3 hosts — 4
/// on vSAN —, valid HA admission control settings, valid hosts), in inventory order, as
/// vCenter's cluster-compatibility list shows before the enable wizard. Problems of the
/// inventory that belong to no one cluster (zones, storage policies, duplicate names across
/// clusters are reported on the later cluster) are a `Validation` error.
///
/// ```
/// use supervisor_planner::{spec::SpecDocument, vcenter};
/// let doc = SpecDocument::from_json(include_str!("../../../examples/three-zone.json")).unwrap();
/// let list = vcenter::cluster_compatibility(&doc.inventory).unwrap();
/// assert!(list.iter().all(|c| c.compatible));
/// ```
pub fn cluster_compatibility(inventory: &InventorySpec) -> Result<Vec<ClusterCompatibility>> {
    let mut issues = Vec::new();
    let inv = Inventory::build_with(
        inventory,
        "inventory",
        crate::inventory::MAX_HOSTS_PER_CLUSTER,
        &mut issues,
    );
    let mut per_cluster: Vec<Vec<Issue>> = vec![Vec::new(); inventory.clusters.len()];
    let mut other = Vec::new();
    for issue in issues {
        match cluster_of_path(&issue.path) {
            Some(i) if i < per_cluster.len() => per_cluster[i].push(issue),
            _ => other.push(issue),
        }
    }
    if !other.is_empty() {
        return Err(Error::Validation(other));
    }
    let mut out = Vec::with_capacity(inventory.clusters.len());
    for (i, c) in inventory.clusters.iter().enumerate() {
        let cid = ClusterId(i as u32);
        let mut reasons = std::mem::take(&mut per_cluster[i]);
        if reasons.is_empty() {
            // The checks below read the validated cluster; they run when it built cleanly.
            crate::supervisor::check_cluster(&inv, cid, &mut reasons);
            crate::ha::check_settings(&inv, &[cid], &mut reasons);
        }
        out.push(ClusterCompatibility {
            cluster: c.name.clone(),
            moid: c.moid.clone(),
            zone: inv.zone_of_cluster(cid).map(|z| inv.zone(z).name.clone()),
            compatible: reasons.is_empty(),
            reasons,
        });
    }
    Ok(out)
}

/// A document with an `inventory`: a whole spec, with or without its `supervisor` part (the
/// other top-level fields are not read).
#[derive(Deserialize)]
struct InventoryDocument {
    inventory: InventorySpec,
}

/// [`cluster_compatibility`] of the `inventory` of a JSON document: a whole spec, with or
/// without its `supervisor` part (as `supervisor-planner import` writes one). A document that
/// cannot be read is a `Validation` error naming the path.
///
/// ```
/// use supervisor_planner::vcenter;
/// let list = vcenter::cluster_compatibility_json(r#"{"inventory": {"clusters": [{"name": "c1",
///     "ha": {"enabled": false}, "drs": {"enabled": true}, "storage": "vmfs", "hosts": []}]}}"#).unwrap();
/// assert!(!list[0].compatible);
/// assert_eq!(list[0].reasons[0].path, "inventory.clusters[0].ha.enabled");
/// ```
pub fn cluster_compatibility_json(text: &str) -> Result<Vec<ClusterCompatibility>> {
    let doc: InventoryDocument = crate::spec::parse_json(text)?;
    cluster_compatibility(&doc.inventory)
}

/// `inventory.clusters[7]...` → 7.
fn cluster_of_path(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("inventory.clusters[")?;
    let (n, _) = rest.split_once(']')?;
    n.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(first: &str, last: &str) -> Ipv4Range {
        Ipv4Range::new(first.parse().unwrap(), last.parse().unwrap()).unwrap()
    }

    #[test]
    fn cidrs_cover_a_range_exactly_with_the_fewest_blocks() {
        assert_eq!(
            cidrs(&[r("10.0.0.0", "10.0.0.255")]),
            vec![json!({"address": "10.0.0.0", "prefix": 24})]
        );
        assert_eq!(
            cidrs(&[r("10.0.0.5", "10.0.0.9")]),
            vec![
                json!({"address": "10.0.0.5", "prefix": 32}),
                json!({"address": "10.0.0.6", "prefix": 31}),
                json!({"address": "10.0.0.8", "prefix": 31}),
            ]
        );
        assert_eq!(
            cidrs(&[r("0.0.0.0", "255.255.255.255")]),
            vec![json!({"address": "0.0.0.0", "prefix": 0})]
        );
    }

    #[test]
    fn masks_and_prefixes() {
        assert_eq!(mask_of(24).to_string(), "255.255.255.0");
        assert_eq!(mask_of(0).to_string(), "0.0.0.0");
        assert_eq!(mask_of(32).to_string(), "255.255.255.255");
        assert_eq!(prefix_of(r("10.0.0.0", "10.0.0.255")), 24);
    }

    #[test]
    fn host_port_split() {
        assert_eq!(
            split_host_port("192.168.1.1:5556", 1),
            ("192.168.1.1".to_string(), 5556)
        );
        assert_eq!(
            split_host_port("lb.example", 443),
            ("lb.example".to_string(), 443)
        );
    }
}
