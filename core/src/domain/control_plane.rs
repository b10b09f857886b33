//! The control plane's VMs as requests change them (R-CP-4, R-IP-4): a VM stops or runs again,
//! and the floating IP moves with its holder. Where the VMs are placed is
//! `crate::placement::place_control_plane`; the rolling patch is `crate::ha::patch`.

use crate::error::{Error, Result};
use crate::model::control_plane_vm_name;
use crate::state::World;
use serde::{Deserialize, Serialize};

/// The control plane after a change (R-CP-4, R-IP-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneStatus {
    /// The VM the request was about.
    pub vm: u8,
    /// Name of the VM holding the floating IP, `None` when no VM runs.
    pub floating_ip_holder: Option<String>,
    /// Whether the floating IP changed holder.
    pub floating_ip_moved: bool,
    /// How many control-plane VMs run.
    pub running: u8,
    /// Whether the Supervisor API is available (quorum and a floating IP holder, R-CP-4).
    pub api_available: bool,
}

impl World {
    /// Control-plane VM `vm` stops running; when it held the floating IP, the running VM with
    /// the lowest index takes it over, or none does (R-IP-4).
    pub(crate) fn do_fail_control_plane_vm(&mut self, vm: u8) -> Result<ControlPlaneStatus> {
        let i = self.cp_index(vm)?;
        if !self.state.control_plane[i].running {
            return Err(Error::Conflict(format!(
                "control-plane VM {vm} is already down; recover it first"
            )));
        }
        let before = self.state.floating_ip_holder;
        self.state.control_plane[i].running = false;
        if before == Some(vm) {
            self.state.floating_ip_holder = self
                .state
                .control_plane
                .iter()
                .find(|v| v.running)
                .map(|v| v.index);
        }
        Ok(self.cp_status(vm, before))
    }

    /// Control-plane VM `vm` runs again; it takes the floating IP only when no running VM held
    /// it (no fail-back, R-IP-4).
    pub(crate) fn do_recover_control_plane_vm(&mut self, vm: u8) -> Result<ControlPlaneStatus> {
        let i = self.cp_index(vm)?;
        if self.state.control_plane[i].running {
            return Err(Error::Conflict(format!(
                "control-plane VM {vm} is already running"
            )));
        }
        if self.state.control_plane[i].host_failed {
            return Err(Error::Conflict(format!(
                "control-plane VM {vm} is down with its failed host {:?}; recover the host",
                self.state.control_plane[i].host
            )));
        }
        let before = self.state.floating_ip_holder;
        self.state.control_plane[i].running = true;
        if before.is_none() {
            self.state.floating_ip_holder = Some(vm);
        }
        Ok(self.cp_status(vm, before))
    }

    /// Whether the Supervisor API is available: at least 2 of 3 control-plane VMs run and a
    /// running VM holds the floating IP (R-CP-4).
    pub(crate) fn api_available(&self) -> bool {
        self.running_count() >= 2 && self.state.floating_ip_holder.is_some()
    }

    fn running_count(&self) -> u8 {
        self.state
            .control_plane
            .iter()
            .filter(|v| v.running)
            .count() as u8
    }

    fn cp_index(&self, vm: u8) -> Result<usize> {
        self.state
            .control_plane
            .iter()
            .position(|v| v.index == vm)
            .ok_or_else(|| Error::NotFound {
                what: "control-plane VM",
                name: vm.to_string(),
                known: "1, 2, 3".to_string(),
            })
    }

    fn cp_status(&self, vm: u8, holder_before: Option<u8>) -> ControlPlaneStatus {
        ControlPlaneStatus {
            vm,
            floating_ip_holder: self.state.floating_ip_holder.map(control_plane_vm_name),
            floating_ip_moved: holder_before != self.state.floating_ip_holder,
            running: self.running_count(),
            api_available: self.api_available(),
        }
    }
}
