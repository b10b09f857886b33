//! `Supervisor` methods for vCenter: the enable request.

use pyo3::prelude::*;

use crate::convert::*;
use crate::supervisor::*;

impl PySupervisor {
    /// The enable request (`api`: `None` for the default; `placeholders`: whether to mark
    /// missing IDs as placeholders) the core makes, written by `write` while detached.
    fn export<'py, T: Send>(
        &self,
        py: Python<'py>,
        func: &str,
        (api, placeholders): (Option<&Arg<'py>>, Opt<'py>),
        write: impl FnOnce(vcenter::EnableRequest) -> T + Send,
    ) -> PyResult<T> {
        let api = match opt_str_arg(api, func, "api")? {
            None => None,
            Some(name) => Some(vcenter::EnableApi::parse(&name).map_err(|e| to_pyerr(py, e))?),
        };
        let placeholders = placeholders.flag(false, func, "placeholders")?;
        self.inner.with(py, |s| {
            Ok(write(vcenter::enable_request(s, api, placeholders)?))
        })
    }
}

#[pymethods]
impl PySupervisor {
    // --- vCenter: the enable request ------------------------------------------------------------

    /// The vSphere Automation API call that enables this Supervisor in vCenter:
    /// `{"api", "method", "path", "body", "fill_in", "notes"}`. `api` is `"enable_on_zones"`
    /// (vSphere 8.0 U1 and later), `"enable_on_compute_cluster"` (8.0 U1 and later, one
    /// cluster), `"clusters_enable"` (vSphere 7 and 8.0 GA, one cluster) or `None` for the one
    /// that fits the Supervisor's mode. The body uses the field names VMware's SDK sends
    /// (`floating_IP_address`, `egress_IP_ranges`, `master_DNS`, ...). `fill_in` lists
    /// `{"path", "what"}` of every `<fill in: ...>` placeholder: secrets (load balancer passwords,
    /// CA chains) always, and with `placeholders=True` the vCenter IDs the spec does not give.
    /// Changes nothing.
    ///
    /// Errors: an unknown `api` is a `ValidationError` at `api`; a call that cannot express the
    /// Supervisor (three zones through a single-cluster call) an `UnsupportedError`; without
    /// placeholders, the missing vCenter IDs a `ValidationError` naming each by its spec path.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> req = sup.enable_request(placeholders=True)
    /// >>> req["method"], req["path"]
    /// ('POST', '/api/vcenter/namespace-management/supervisors?action=enable_on_zones')
    /// >>> req["body"]["control_plane"]["network"]["ip_management"]["ip_assignments"]
    /// [{'assignee': 'NODE', 'ranges': [{'address': '10.10.0.20', 'count': 5}]}]
    /// >>> [f["path"] for f in req["fill_in"]]
    /// ['control_plane.network.backing.network', 'control_plane.storage_policy', 'workloads.network.nsx.dvs']
    #[pyo3(
        signature = (api = None, placeholders = Opt::Default),
        text_signature = "($self, api=None, placeholders=False)"
    )]
    pub(crate) fn enable_request<'py>(
        &self,
        py: Python<'py>,
        api: Option<&Arg<'py>>,
        placeholders: Opt<'py>,
    ) -> Doc<'py> {
        let text = self.export(py, "enable_request", (api, placeholders), |r| r.to_json())?;
        json_loads(py, &text)
    }

    /// The same call as `enable_request`, as a `curl` command to paste into a shell (it reads
    /// `$VCENTER` and `$SESSION`), the placeholders to fill in listed first as comments. Same
    /// arguments and errors.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> print(sup.enable_request_curl(placeholders=True).splitlines()[0])
    /// # enable_on_zones (vSphere Automation API, vSphere 8.0 U1 and later)
    #[pyo3(
        signature = (api = None, placeholders = Opt::Default),
        text_signature = "($self, api=None, placeholders=False)"
    )]
    pub(crate) fn enable_request_curl<'py>(
        &self,
        py: Python<'py>,
        api: Option<&Arg<'py>>,
        placeholders: Opt<'py>,
    ) -> PyResult<String> {
        self.export(py, "enable_request_curl", (api, placeholders), |r| {
            r.to_curl()
        })
    }
}
