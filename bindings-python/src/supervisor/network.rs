//! `Supervisor` methods for workload networking (R-N-1, R-N-2).

use crate::convert::*;
use crate::supervisor::*;
use pyo3::types::PyTuple;
use supervisor_planner::{render, Request, Supervisor};

#[pymethods]
impl PySupervisor {
    // --- Workload networking (R-N-1, R-N-2) ------------------------------------------------

    /// The next address of a namespace (NSX, R-N-1); the same as
    /// `execute({"op": "allocate_address", "namespace": namespace})` (without `op`) and
    /// journaled like it.
    ///
    /// Addresses come lowest first from the namespace's subnets; inside a subnet its network
    /// address, its first address (the segment's gateway) and its broadcast address are never
    /// handed out. When every subnet of the namespace is full it takes another subnet of
    /// `namespace_subnet_prefix` from the pod CIDRs (`new_subnet` True). Returns
    /// `{"namespace", "ip", "subnet", "new_subnet"}`. An unknown namespace is a
    /// `NotFoundError`; VDS networking (no namespace subnets, R-N-2) an `UnsupportedError`; no
    /// address and no subnet left an `AddressExhaustedError`. A failure changes nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> sup.allocate_address("web")
    /// {'namespace': 'web', 'ip': '10.244.0.2', 'subnet': '10.244.0.0/28', 'new_subnet': False}
    pub(crate) fn allocate_address<'py>(&self, py: Python<'py>, namespace: &Arg<'py>) -> Doc<'py> {
        self.str_request(py, "allocate_address", [(namespace, "namespace")])
    }

    /// Gives an address of a namespace back (NSX, R-N-1); the same as
    /// `execute({"op": "release_address", "namespace": namespace, "ip": ip})` (without `op`)
    /// and journaled like it. Returns the namespace's network afterwards: `{"namespace",
    /// "subnets", "egress", "addresses"}`, `addresses` being what is still handed out in its
    /// subnets (the key is absent when nothing is). An address that is not handed out in that
    /// namespace (never, already released, or another namespace's) is a `ConflictError`; text
    /// that is no IPv4 address a `ValidationError` at `ip`, as through `execute`; an unknown
    /// namespace a `NotFoundError`; VDS networking an `UnsupportedError`. A failure changes
    /// nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> ip = sup.allocate_address("web")["ip"]
    /// >>> sup.release_address("web", ip)
    /// {'namespace': 'web', 'subnets': ['10.244.0.0/28'], 'egress': '192.168.101.1'}
    pub(crate) fn release_address<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        ip: &Arg<'py>,
    ) -> Doc<'py> {
        self.str_request(
            py,
            "release_address",
            [(namespace, "namespace"), (ip, "ip")],
        )
    }

    /// A LoadBalancer service and its address: the lowest free ingress address (NSX, R-N-1) or
    /// VIP of the load balancer's ranges (VDS, R-N-2). The same as
    /// `execute({"op": "create_load_balancer_service", "namespace": namespace, "name": name})`
    /// (without `op`) and journaled like it. Returns `{"namespace", "name", "ip"}`. An unknown
    /// namespace is a `NotFoundError`; a name that is not a DNS label a `ValidationError` at
    /// `name`; a service of that name in the namespace a `ConflictError`; no address left an
    /// `AddressExhaustedError`. A failure changes nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> sup.create_load_balancer_service("web", "shop")
    /// {'namespace': 'web', 'name': 'shop', 'ip': '192.168.100.1'}
    pub(crate) fn create_load_balancer_service<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
    ) -> Doc<'py> {
        let args = [(namespace, "namespace"), (name, "name")];
        self.str_request(py, "create_load_balancer_service", args)
    }

    /// Deletes a LoadBalancer service, giving its address back; the same as
    /// `execute({"op": "delete_load_balancer_service", ...})` (without `op`) and journaled like
    /// it. Returns the service as it was, `{"namespace", "name", "ip"}`. An unknown service is a
    /// `NotFoundError` saying how many the namespace has.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> _ = sup.create_load_balancer_service("web", "shop")
    /// >>> sup.delete_load_balancer_service("web", "shop")["ip"]
    /// '192.168.100.1'
    pub(crate) fn delete_load_balancer_service<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
    ) -> Doc<'py> {
        let args = [(namespace, "namespace"), (name, "name")];
        self.str_request(py, "delete_load_balancer_service", args)
    }

    /// The whole Supervisor as compact JSON (spec, journal, state); deterministic.
    pub(crate) fn snapshot(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.with(py, |s| Ok(s.snapshot_json()))
    }

    /// Every applied request, in order, as dicts.
    pub(crate) fn journal<'py>(&self, py: Python<'py>) -> Doc<'py> {
        self.inner.json(py, |s| {
            let journal: Vec<String> = s.journal().iter().map(Request::to_json).collect();
            Ok(format!("[{}]", journal.join(",")))
        })
    }

    /// A readable multi-line summary of the report. Zones of more than 8 hosts list only the
    /// hosts that matter (control plane, not connected, the 5 most loaded) unless
    /// `all_hosts=True`; a line says how many were left out.
    #[pyo3(signature = (*, all_hosts = Opt::Default), text_signature = "($self, *, all_hosts=False)")]
    pub(crate) fn summary(&self, py: Python<'_>, all_hosts: Opt<'_>) -> PyResult<String> {
        let all_hosts = all_hosts.flag(false, "summary", "all_hosts")?;
        let options = render::SummaryOptions { all_hosts };
        self.inner
            .with(py, |s| Ok(render::summary_with(&s.report(), &options)))
    }

    /// An SVG picture of the report.
    pub(crate) fn to_svg(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.with(py, |s| Ok(render::svg(&s.report())))
    }

    /// The spec the Supervisor was enabled from.
    pub(crate) fn spec(&self, py: Python<'_>) -> PyResult<PySpec> {
        let doc = self.inner.with(py, |s| Ok(s.spec().clone()))?;
        Ok(PySpec { doc })
    }

    pub(crate) fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.inner
            .equal_by_snapshot(py, &other.inner, Supervisor::snapshot)
    }

    pub(crate) fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (name, mode, running) = self.inner.with(py, |sup| {
            let running: Vec<String> = sup
                .state()
                .control_plane
                .iter()
                .filter(|vm| vm.running)
                .map(|vm| vm.index.to_string())
                .collect();
            Ok((
                sup.spec().supervisor.name.clone(),
                sup.enablement().mode.as_str(),
                running.join(", "),
            ))
        })?;
        Ok(format!(
            "Supervisor(name={}, mode={}, running_control_plane_vms=[{running}])",
            py_repr(py, &name)?,
            py_repr(py, mode)?,
        ))
    }

    pub(crate) fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let snapshot = slf.get().snapshot(slf.py())?;
        reduce_from_text(slf.as_any(), Some("restore"), snapshot)
    }
}
