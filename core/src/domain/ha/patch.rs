//! Rolling patch of the control plane on the fifth management address (S12, R-IP-5, R-CP-4).
//!
//! A patch replaces the three control-plane VMs one at a time, VM 1 first. For each: a new VM is
//! created on the spare address in the replaced VM's zone (four control-plane VMs exist for a
//! while), it joins etcd, the floating IP moves to it if the replaced VM held it, the old VM is
//! removed, and the old VM's address becomes the spare. The new VM goes to the least-loaded host
//! of the zone's cluster that fits it, on a host without another control-plane VM when one can
//! take it (R-CP-3). After every step the invariants are checked: no two VMs share an address; the
//! floating IP is held by a running VM; the five addresses are exactly the VMs', the floating
//! IP and the spare (when not in use); quorum (3 of 4 while four exist, 2 of 3 otherwise).
//!
//! A patch is refused while a member is down (quorum would be at risk) unless `force`; with
//! `force`, a down member is replaced by a running one. `stop_after` replaces only that many VMs
//! and leaves the patch in progress; `resume` continues it. Starting a patch during a patch is a
//! conflict.

use crate::error::{Error, Result};
use crate::inventory::HostId;
use crate::placement::{choose, vm_resources, Footprint, Unfit};
pub use crate::schema::requests::PatchRequest;
pub use crate::state::patch::PatchProgress;
use crate::state::World;
use serde::Serialize;
use std::net::Ipv4Addr;

/// One step of a rolling patch, and the control plane right after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatchStep {
    /// `create`, `join`, `move_floating_ip`, `remove` or `rotate_spare`.
    pub step: &'static str,
    /// The VM being replaced (1–3).
    pub vm: u8,
    /// Host of the VM the step is about (the new VM for create/join, the old for remove).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Address of the VM the step is about, or the new spare.
    pub ip: Ipv4Addr,
    /// etcd members after the step.
    pub members: u8,
    /// Of those, running.
    pub running: u8,
    /// Whether a majority of the members runs.
    pub quorum: bool,
}

/// What a patch did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatchReport {
    /// The steps, in order.
    pub steps: Vec<PatchStep>,
    /// VMs replaced by this request.
    pub replaced: Vec<u8>,
    /// Whether the patch is complete (all three replaced).
    pub complete: bool,
    /// The spare address afterwards.
    pub spare_ip: Ipv4Addr,
}

impl World {
    /// [`Supervisor::spare_ip`](crate::Supervisor::spare_ip), on the world.
    pub fn spare_ip(&self) -> Ipv4Addr {
        self.state()
            .spare_ip
            .unwrap_or(self.enablement().management.spare)
    }

    /// Runs (part of) a rolling patch (R-IP-5); a multi-step request, so a failure changes
    /// nothing.
    pub(crate) fn do_patch(&mut self, r: &PatchRequest) -> Result<PatchReport> {
        if let Some(n) = r.stop_after.filter(|n| !(1..=3).contains(n)) {
            return Err(Error::invalid(
                "stop_after",
                format!("{n} VMs; valid: 1 to 3"),
            ));
        }
        let (first, force) = match (&self.state().patch, r.resume) {
            (Some(p), true) => (p.next_vm, p.force || r.force),
            (Some(p), false) => {
                return Err(Error::Conflict(format!(
                "a rolling patch is in progress ({} of 3 VMs replaced); continue it with resume",
                p.next_vm - 1
            )))
            }
            (None, true) => {
                return Err(Error::Conflict(
                    "no rolling patch is in progress; start one without resume".into(),
                ))
            }
            (None, false) => (1, r.force),
        };
        let down: Vec<u8> = self
            .state()
            .control_plane
            .iter()
            .filter(|v| !v.running)
            .map(|v| v.index)
            .collect();
        if !down.is_empty() && !force {
            return Err(Error::Conflict(format!(
                "control-plane VM(s) {down:?} down: a rolling patch now would put quorum at risk (R-CP-4); recover them first or patch with force"
            )));
        }
        let last = r
            .stop_after
            .map_or(3, |n| (u32::from(first) + n - 1).min(3) as u8);
        let mut report = PatchReport {
            steps: Vec::new(),
            replaced: Vec::new(),
            complete: false,
            spare_ip: self.spare_ip(),
        };
        for vm in first..=last {
            self.replace_control_plane_vm(vm, &mut report.steps)?;
            report.replaced.push(vm);
        }
        self.state.patch = (last < 3).then_some(PatchProgress {
            next_vm: last + 1,
            force,
        });
        report.complete = last == 3;
        report.spare_ip = self.spare_ip();
        Ok(report)
    }

    /// The five steps that replace control-plane VM `vm`.
    fn replace_control_plane_vm(&mut self, vm: u8, steps: &mut Vec<PatchStep>) -> Result<()> {
        let i = usize::from(vm) - 1;
        let inv = self.inventory();
        let (vcpus, mem) = (self.enablement().cp_vcpus, self.enablement().cp_memory_mib);
        let old = self.state().control_plane[i].clone();
        let old_host = inv
            .host_id(&old.host)
            .expect("control-plane VMs run on known hosts");
        let zone = self
            .enablement()
            .quota
            .zones
            .iter()
            .position(|(z, _)| *z == old.zone)
            .expect("control-plane VMs run in the Supervisor's zones");
        let cluster = self.enablement().zone_clusters[zone];
        let others: Vec<HostId> = self
            .state()
            .control_plane
            .iter()
            .filter_map(|v| inv.host_id(&v.host))
            .collect();
        let fp = |h: HostId| Footprint::reserved(vm_resources(inv, h, vcpus, mem));
        let hosts = || inv.cluster(cluster).hosts.iter().copied();
        let pick = choose(inv, self.loads(), hosts(), |h| {
            if others.contains(&h) {
                Err(Unfit::Filter("host(s) already run a control-plane VM"))
            } else {
                Ok(fp(h))
            }
        })
        .or_else(|_| choose(inv, self.loads(), hosts(), |h| Ok(fp(h))));
        let (new_host, new_fp) = pick.map_err(|nofit| {
            Error::Capacity(format!(
                "rolling patch: the new control-plane VM {vm} fits on no host of zone {:?}: {nofit}",
                old.zone
            ))
        })?;
        let new_host_name = inv.host(new_host).name.clone();
        let spare = self.spare_ip();
        let old_running = old.running;
        let running_others = self
            .state()
            .control_plane
            .iter()
            .filter(|v| v.running && v.index != vm)
            .count() as u8;
        let step = |step, host: Option<&str>, ip, members: u8, running: u8| PatchStep {
            step,
            vm,
            host: host.map(str::to_string),
            ip,
            members,
            running,
            quorum: running * 2 > members,
        };
        // 1. Create the new VM on the spare address; 2. it joins (four members).
        self.loads.add_footprint(new_host, new_fp);
        let with_old = running_others + u8::from(old_running);
        steps.push(step("create", Some(&new_host_name), spare, 3, with_old));
        steps.push(step("join", Some(&new_host_name), spare, 4, with_old + 1));
        // 3. The floating IP moves to the new VM if the old one held it (or nobody did).
        let holder = self.state().floating_ip_holder;
        if holder == Some(vm) || holder.is_none() {
            steps.push(step(
                "move_floating_ip",
                Some(&new_host_name),
                self.enablement().management.floating_ip,
                4,
                with_old + 1,
            ));
        }
        // 4. The old VM leaves; 5. its address becomes the spare.
        let old_fp = Footprint::reserved(vm_resources(self.inventory(), old_host, vcpus, mem));
        self.loads.remove_footprint(old_host, old_fp);
        steps.push(step(
            "remove",
            Some(&old.host),
            old.ip,
            3,
            running_others + 1,
        ));
        {
            let v = &mut self.state.control_plane[i];
            v.host = new_host_name;
            v.ip = spare;
            v.running = true;
            v.host_failed = false;
            v.generation += 1;
        }
        if holder.is_none() {
            self.state.floating_ip_holder = Some(vm);
        }
        self.state.spare_ip = Some(old.ip);
        steps.push(step("rotate_spare", None, old.ip, 3, running_others + 1));
        self.check_addresses()
            .map_err(|m| Error::Conflict(format!("rolling patch broke an invariant: {m}")))
    }

    /// R-IP-5: the five addresses are exactly the three VMs', the floating IP and the spare,
    /// all different; the floating IP is held by a running VM.
    pub(crate) fn check_addresses(&self) -> std::result::Result<(), String> {
        let m = &self.enablement().management;
        let mut used: Vec<Ipv4Addr> = self.state().control_plane.iter().map(|v| v.ip).collect();
        used.push(m.floating_ip);
        used.push(self.spare_ip());
        let mut expected: Vec<Ipv4Addr> = m.vm_addresses.to_vec();
        expected.push(m.floating_ip);
        expected.push(m.spare);
        used.sort_unstable();
        expected.sort_unstable();
        if used != expected {
            return Err(format!(
                "the management addresses in use {used:?} are not the block's {expected:?}"
            ));
        }
        if used.windows(2).any(|w| w[0] == w[1]) {
            return Err(format!("an address is held twice: {used:?}"));
        }
        match self.state().floating_ip_holder {
            Some(h) if !self.state().control_plane[usize::from(h) - 1].running => {
                Err(format!("the floating IP holder, VM {h}, is not running"))
            }
            _ => Ok(()),
        }
    }
}
