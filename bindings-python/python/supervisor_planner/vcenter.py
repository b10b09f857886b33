"""Read a live vCenter into a spec's ``inventory`` (the import half of the vCenter round trip).

This is the only module of the package that does I/O. It needs pyVmomi, an optional extra
(``pip install 'supervisor-planner[vcenter]'``); the REST calls (vSphere Zones) use only the
standard library, with the same TLS policy as the SOAP connection::

    from supervisor_planner import vcenter
    inventory = vcenter.import_inventory(server="vc.corp.example:443",
                                         user="administrator@vsphere.local", password=password)
    spec = vcenter.spec_document(inventory)  # with a skeleton supervisor to edit

What is read, with one PropertyCollector ``RetrieveContents`` per object type (a ContainerView
over the root folder):

- ``ClusterComputeResource``: ``name``, ``host``, ``datastore`` and ``configurationEx`` *whole*
  (a real vCenter refuses paths into it such as ``configurationEx.dasConfig``);
- ``HostSystem``: ``name``, ``summary.hardware.{numCpuCores,cpuMhz,memorySize}``,
  ``runtime.{connectionState,inMaintenanceMode}``;
- ``Datastore``: ``summary.type`` and ``host`` (the mounts);
- ``DistributedVirtualSwitch`` (``VmwareDistributedVirtualSwitch`` is a subtype): ``name``,
  ``uuid``; ``DistributedVirtualPortgroup``: ``name``, ``config.distributedVirtualSwitch``,
  ``config.uplink``, ``tag`` (uplink port groups are left out);
- storage policies through SPBM (``/pbm``): the names and profile IDs of the storage
  requirement profiles;
- vSphere Zones through REST (``POST /api/session``, then
  ``GET /api/vcenter/consumption-domains/zones`` and ``.../zone-associations/cluster``); a
  vCenter without that API (404, before 8.0.0.1) has no zones.

How it maps (model decisions, documented here once):

- Clusters are sorted by name, hosts by name within their cluster, zones by name, storage
  policies by name, port groups by switch then name.
- ``memory_mib`` = ``summary.hardware.memorySize`` // 1 MiB. ``state``: ``disconnected`` when
  ``runtime.connectionState`` is not ``connected`` (``notResponding``, ``disconnected``),
  else ``maintenance`` when in maintenance mode, else ``connected``. A host without a hardware
  summary is imported as ``disconnected`` with 0 cores, 0 MHz and 0 MiB, with a warning.
- ``ha.enabled`` = ``dasConfig.enabled``; admission control only when
  ``dasConfig.admissionControlEnabled``: ``FailoverResourcesAdmissionControlPolicy`` →
  ``cluster_resource_percentage`` with ``cpu_percent``/``memory_percent``, or with
  ``host_failures_to_tolerate`` = ``failoverLevel`` when ``autoComputePercentages``;
  ``FailoverLevelAdmissionControlPolicy`` → ``slot_policy``; ``FailoverHostAdmissionControlPolicy``
  → ``dedicated_failover_hosts`` (host names, vCenter's order); any other policy type → a
  warning, and the cluster is imported without admission control.
- ``drs`` = ``{"enabled": drsConfig.enabled, "automation": ...}`` from ``defaultVmBehavior``
  (``fullyAutomated`` → ``fully_automated``, ``partiallyAutomated`` → ``partially_automated``,
  ``manual`` → ``manual``; unset → ``fully_automated``, vSphere's default).
- ``storage``: ``vsan`` when ``vsanConfigInfo.enabled``; otherwise from the cluster's *shared*
  datastores, those mounted on every host of the cluster: ``VMFS`` → ``vmfs``, ``NFS`` and
  ``NFS41`` → ``nfs``, the kind most shared datastores have (a tie goes to ``vmfs``). Without a
  shared VMFS/NFS datastore, the kind most of the cluster's datastores have, with a warning;
  without any, ``vmfs`` with a warning.
- Optional fields: ``clusters[].moid``, ``storage_policies[].id`` (the SPBM profile ID; no
  ``storage`` kind is inferred), ``port_groups`` (``name``, ``moid``, ``switch``,
  ``switch_uuid``), ``zones`` (``name``, ``cluster`` name).

Errors are :class:`~supervisor_planner.errors.SupervisorPlannerError` subclasses with a one-line
message: :class:`~supervisor_planner.errors.VCenterError` (pyVmomi missing, unreachable
server, TLS certificate not verified, login refused, an unexpected answer),
:class:`~supervisor_planner.errors.NotFoundError` (an unknown ``clusters`` name or a ``zones``
mapping to a cluster that is not imported),
:class:`~supervisor_planner.errors.ValidationError` (a cluster with more than 96 hosts). No
message, warning, progress line or ``repr`` ever holds the password.
"""

from __future__ import annotations

import base64
import json
import socket
import ssl
import sys
import urllib.error
import urllib.request
import warnings
from collections import Counter
from http.cookies import SimpleCookie
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from supervisor_planner.errors import NotFoundError, ValidationError, VCenterError

__all__ = [
    "CLUSTER_PROPERTIES",
    "HOST_PROPERTIES",
    "MAX_HOSTS_PER_CLUSTER",
    "VCenterImportWarning",
    "import_inventory",
    "import_spec",
    "skeleton_supervisor",
    "spec_document",
]

#: vSphere's configuration maximum of hosts per cluster.
MAX_HOSTS_PER_CLUSTER = 96

#: What is read of each cluster (``configurationEx`` whole: never a path into it).
CLUSTER_PROPERTIES = ("name", "host", "datastore", "configurationEx")
#: What is read of each host.
HOST_PROPERTIES = (
    "name",
    "parent",
    "summary.hardware.numCpuCores",
    "summary.hardware.cpuMhz",
    "summary.hardware.memorySize",
    "runtime.connectionState",
    "runtime.inMaintenanceMode",
)

#: The spec's ``api_version``.
_API_VERSION = "supervisor-planner/v1"

_INSTALL_HINT = "pip install 'supervisor-planner[vcenter]'"
_MIB = 1024 * 1024
_DRS_AUTOMATION = {
    "fullyAutomated": "fully_automated",
    "partiallyAutomated": "partially_automated",
    "manual": "manual",
}
_DATASTORE_KIND = {"VMFS": "vmfs", "NFS": "nfs", "NFS41": "nfs"}
_UPLINK_TAG = "SYSTEM/DVS.UPLINKPG"

Progress = Callable[[str], None]
Warn = Callable[[str], None]


class VCenterImportWarning(UserWarning):
    """Something in vCenter that the import could not carry over as it is (a host without a
    hardware summary, an admission-control policy the model does not know, ...). Issued through
    :mod:`warnings` unless a ``warn`` callback is given."""


def _warn_caller(message: str) -> None:
    """:func:`warnings.warn` a :class:`VCenterImportWarning` attributed to the first caller
    outside this module."""
    frame = sys._getframe(0)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
        level += 1
    warnings.warn(message, VCenterImportWarning, stacklevel=level)


class _Redactor:
    """Removes the password from any text that came from elsewhere (an exception's message)."""

    def __init__(self, password: Optional[str]) -> None:
        self._password = password or ""

    def __call__(self, text: str) -> str:
        if len(self._password) >= 1 and self._password in text:
            text = text.replace(self._password, "***")
        return text

    def __repr__(self) -> str:
        return "_Redactor(***)"


def _pyvmomi() -> Tuple[Any, Any, Any, Any]:
    """``(vim, vmodl, pbm, pyVim.connect)``, or a :class:`VCenterError` naming the extra."""
    try:
        from pyVim import connect
        from pyVmomi import pbm, vim, vmodl
    except ImportError as e:
        raise VCenterError(f"reading a vCenter needs pyVmomi: {_INSTALL_HINT} ({e})") from None
    return vim, vmodl, pbm, connect


def _split_server(server: str) -> Tuple[str, int]:
    """``HOST[:PORT]`` (``[v6]:PORT`` for IPv6) → ``(host, port)``; port 443 by default."""
    server = server.strip()
    if server.startswith("["):
        host, _, rest = server[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif server.count(":") == 1:
        host, port_text = server.split(":")
    else:
        host, port_text = server, ""
    if not host:
        raise VCenterError(f"no vCenter host in {server!r} (give HOST or HOST:PORT)")
    if not port_text:
        return host, 443
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise VCenterError(f"bad port in {server!r} (give HOST or HOST:PORT)")
    return host, int(port_text)


def _ssl_context(insecure: bool, ca_file: Optional[str]) -> ssl.SSLContext:
    if insecure:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as e:
        raise VCenterError(f"cannot read the CA file {ca_file}: {e}") from None


def _tls_hint(where: str, e: BaseException) -> VCenterError:
    reason = getattr(e, "verify_message", None) or getattr(e, "reason", None) or str(e)
    return VCenterError(
        f"the TLS certificate of vCenter {where} is not verified ({reason}): give its CA "
        "(--ca-file / ca_file=), or pass --insecure (CLI) / insecure=True if you trust this server"
    )


def _connection_error(where: str, e: BaseException, redact: _Redactor) -> VCenterError:
    """The one-line error of a failed connection attempt."""
    if isinstance(e, ssl.SSLCertVerificationError):
        return _tls_hint(where, e)
    if isinstance(e, urllib.error.URLError) and isinstance(e.reason, ssl.SSLCertVerificationError):
        return _tls_hint(where, e.reason)
    if isinstance(e, urllib.error.URLError):
        e = e.reason if isinstance(e.reason, BaseException) else e
    if isinstance(e, socket.gaierror):
        what = f"unknown host ({e.strerror or e})"
    elif isinstance(e, ConnectionRefusedError):
        what = "connection refused"
    elif isinstance(e, (socket.timeout, TimeoutError)):
        what = "timed out"
    else:
        what = str(e) or type(e).__name__
    return VCenterError(redact(f"cannot reach vCenter {where}: {what}"))


# --- SOAP: login and the property collector ------------------------------------------------


def _login(
    host: str, port: int, user: str, password: str, ctx: ssl.SSLContext, timeout: float, redact: _Redactor
) -> Any:
    """A logged-in ``vim.ServiceInstance`` (version negotiated as ``SmartConnect`` does); its
    connections are dropped when the login fails, so no socket is left open."""
    vim, _, _, connect = _pyvmomi()
    where = f"{host}:{port}"
    stub: Any = None
    try:
        stub = connect.SmartStubAdapter(host=host, port=port, sslContext=ctx, httpConnectionTimeout=timeout)
        si = vim.ServiceInstance("ServiceInstance", stub)
        si.RetrieveContent().sessionManager.Login(user, password, None)
        return si
    except BaseException as e:
        if stub is not None:
            stub.DropConnections()
        raise _login_error(e, user, where, redact) from None


def _login_error(e: BaseException, user: str, where: str, redact: _Redactor) -> BaseException:
    vim, _, _, _ = _pyvmomi()
    if isinstance(e, vim.fault.InvalidLogin):
        return VCenterError(f"vCenter refused the login for {user}: incorrect user name or password ({where})")
    if isinstance(e, vim.fault.NoPermission):
        return VCenterError(f"vCenter refused the login for {user}: no permission ({where})")
    if isinstance(e, (OSError, ssl.SSLError)):
        return _connection_error(where, e, redact)
    if not isinstance(e, Exception):
        return e  # KeyboardInterrupt, SystemExit
    # An HTTP error page, a broken answer: say what, never the password.
    return VCenterError(redact(f"vCenter {where} did not answer as vCenter does: {type(e).__name__}: {e}"))


def _logout(si: Any) -> None:
    """Logs out (errors ignored) and closes the connections."""
    try:
        si.RetrieveContent().sessionManager.Logout()
    except Exception:
        pass
    si._stub.DropConnections()


def _retrieve(si: Any, vim_type: Any, props: Sequence[str]) -> List[Tuple[str, Dict[str, Any]]]:
    """``[(moid, {property: value})]`` of every object of ``vim_type``: one RetrieveContents
    over a ContainerView of the root folder. Properties vCenter leaves unset are absent."""
    _, vmodl, _, _ = _pyvmomi()
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim_type], True)
    try:
        pc = vmodl.query.PropertyCollector
        spec = pc.FilterSpec(
            objectSet=[
                pc.ObjectSpec(
                    obj=view,
                    skip=True,
                    selectSet=[pc.TraversalSpec(name="view", path="view", skip=False, type=type(view))],
                )
            ],
            propSet=[pc.PropertySpec(type=vim_type, pathSet=list(props))],
        )
        result = content.propertyCollector.RetrieveContents([spec])
    finally:
        view.Destroy()
    out = []
    for obj in result or ():
        out.append((obj.obj._moId, {p.name: p.val for p in obj.propSet}))
    return out


def _storage_policies(si: Any, warn: Warn) -> List[Dict[str, Any]]:
    """The SPBM storage requirement profiles, ``[{"name", "id"}]`` by name."""
    _, _, pbm, _ = _pyvmomi()
    from pyVmomi import SoapAdapter

    stub_adapter: Any = SoapAdapter.SoapStubAdapter
    stub = si._stub
    session = SimpleCookie(stub.cookie).get("vmware_soap_session")
    session_id = session.value if session is not None else ""
    host, _, port = str(stub.host).rpartition(":")
    pstub: Any = None
    try:
        pstub = stub_adapter(
            host=host.strip("[]"),
            port=int(port),
            path="/pbm",
            version="pbm.version.version11",
            sslContext=stub.schemeArgs.get("context"),
            requestContext={"vcSessionCookie": session_id},
            sessionId=session_id,
        )
        manager = pbm.ServiceInstance("ServiceInstance", pstub).RetrieveContent().profileManager
        ids = manager.PbmQueryProfile(
            resourceType=pbm.profile.ResourceType(resourceType="STORAGE"), profileCategory="REQUIREMENT"
        )
        profiles = manager.PbmRetrieveContent(profileIds=ids) if ids else []
    except Exception as e:
        warn(f"storage policies not read (SPBM: {type(e).__name__}); the inventory lists none")
        return []
    finally:
        if pstub is not None:
            pstub.DropConnections()
    return sorted(
        ({"name": str(p.name), "id": str(p.profileId.uniqueId)} for p in profiles),
        key=lambda p: (p["name"], p["id"]),
    )


# --- REST: vSphere Zones -------------------------------------------------------------------


class _Rest:
    """A vSphere Automation REST session (``POST /api/session``), standard library only."""

    def __init__(self, host: str, port: int, ctx: ssl.SSLContext, timeout: float, redact: _Redactor) -> None:
        netloc = f"[{host}]" if ":" in host else host
        self._base = f"https://{netloc}:{port}"
        self._where = f"{host}:{port}"
        self._ctx = ctx
        self._timeout = timeout
        self._redact = redact
        self._session: Optional[str] = None

    def __repr__(self) -> str:
        return f"_Rest({self._where!r})"

    def _call(self, method: str, path: str, headers: Mapping[str, str]) -> Tuple[int, Any]:
        req = urllib.request.Request(self._base + path, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(req, context=self._ctx, timeout=self._timeout) as resp:
                body = resp.read()
                status = int(resp.status)
        except urllib.error.HTTPError as e:
            return int(e.code), None
        except (OSError, ssl.SSLError) as e:
            raise _connection_error(self._where, e, self._redact) from None
        if not body:
            return status, None
        try:
            return status, json.loads(body)
        except ValueError:
            raise VCenterError(f"vCenter {self._where} answered {path} with something that is not JSON") from None

    def login(self, user: str, password: str) -> bool:
        """Opens a session; False when the server has no ``/api/session`` (before 7.0 U2)."""
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        status, body = self._call("POST", "/api/session", {"Authorization": f"Basic {token}"})
        if status == 404:
            return False
        if status in (401, 403):
            raise VCenterError(f"vCenter refused the login for {user}: REST session refused ({self._where})")
        if not 200 <= status < 300 or not isinstance(body, str):
            raise VCenterError(f"vCenter {self._where} answered POST /api/session with HTTP {status}")
        self._session = body
        return True

    def get(self, path: str) -> Tuple[int, Any]:
        assert self._session is not None
        return self._call("GET", path, {"vmware-api-session-id": self._session, "Accept": "application/json"})

    def logout(self) -> None:
        if self._session is not None:
            try:
                self._call("DELETE", "/api/session", {"vmware-api-session-id": self._session})
            except VCenterError:
                pass
            self._session = None


def _rest_zones(rest: _Rest, user: str, password: str) -> Optional[List[Tuple[str, str]]]:
    """``[(zone, cluster MoID)]`` from the consumption-domains API, or None without that API.
    A zone without a cluster is listed with an empty MoID."""
    if not rest.login(user, password):
        return None
    try:
        status, zones = rest.get("/api/vcenter/consumption-domains/zones")
        if status == 404:
            return None
        if status != 200 or not isinstance(zones, dict):
            raise VCenterError(f"vCenter answered GET /api/vcenter/consumption-domains/zones with HTTP {status}")
        status, assoc = rest.get("/api/vcenter/consumption-domains/zone-associations/cluster")
        if status == 404:
            return None
        if status != 200 or not isinstance(assoc, dict):
            raise VCenterError(
                f"vCenter answered GET /api/vcenter/consumption-domains/zone-associations/cluster with HTTP {status}"
            )
    finally:
        rest.logout()
    pairs: List[Tuple[str, str]] = []
    associated = set()
    for a in assoc.get("associations") or []:
        pairs.append((str(a["zone"]), str(a["cluster"])))
        associated.add(str(a["zone"]))
    for item in zones.get("items") or []:
        if str(item["zone"]) not in associated:
            pairs.append((str(item["zone"]), ""))
    return pairs


# --- the import ----------------------------------------------------------------------------


def _host_entry(name: str, props: Mapping[str, Any], warn: Warn) -> Dict[str, Any]:
    cores = props.get("summary.hardware.numCpuCores")
    mhz = props.get("summary.hardware.cpuMhz")
    memory = props.get("summary.hardware.memorySize")
    connection = str(props.get("runtime.connectionState") or "disconnected")
    if connection != "connected":
        state = "disconnected"
    elif props.get("runtime.inMaintenanceMode"):
        state = "maintenance"
    else:
        state = "connected"
    if not cores or not mhz or not memory:
        warn(
            f"host {name} has no hardware summary (connection state {connection}): "
            "imported as disconnected with no CPU or memory"
        )
        return {"name": name, "cpu_cores": 0, "cpu_mhz_per_core": 0, "memory_mib": 0, "state": "disconnected"}
    return {
        "name": name,
        "cpu_cores": int(cores),
        "cpu_mhz_per_core": int(mhz),
        "memory_mib": int(memory) // _MIB,
        "state": state,
    }


def _admission_control(
    cluster: str, das: Any, host_names: Mapping[str, str], warn: Warn
) -> Optional[Dict[str, Any]]:
    vim, _, _, _ = _pyvmomi()
    if das is None or not das.admissionControlEnabled:
        return None
    policy = das.admissionControlPolicy
    if isinstance(policy, vim.cluster.FailoverResourcesAdmissionControlPolicy):
        if policy.autoComputePercentages:
            return {"policy": "cluster_resource_percentage", "host_failures_to_tolerate": int(policy.failoverLevel)}
        return {
            "policy": "cluster_resource_percentage",
            "cpu_percent": int(policy.cpuFailoverResourcesPercent),
            "memory_percent": int(policy.memoryFailoverResourcesPercent),
        }
    if isinstance(policy, vim.cluster.FailoverLevelAdmissionControlPolicy):
        return {"policy": "slot_policy", "host_failures_to_tolerate": int(policy.failoverLevel)}
    if isinstance(policy, vim.cluster.FailoverHostAdmissionControlPolicy):
        hosts = [host_names.get(h._moId, h._moId) for h in policy.failoverHosts or ()]
        return {"policy": "dedicated_failover_hosts", "hosts": hosts}
    kind = getattr(policy, "_wsdlName", None) or type(policy).__name__
    warn(
        f"cluster {cluster}: HA admission control policy {kind} is not modelled; "
        "imported without admission control"
    )
    return None


def _storage_kind(
    cluster: str,
    vsan: bool,
    host_moids: Sequence[str],
    datastores: Iterable[str],
    ds_props: Mapping[str, Mapping[str, Any]],
    warn: Warn,
) -> str:
    if vsan:
        return "vsan"
    members = set(host_moids)
    shared: List[str] = []
    every: List[str] = []
    for moid in datastores:
        props = ds_props.get(moid)
        if props is None:
            continue
        kind = _DATASTORE_KIND.get(str(props.get("summary.type") or ""))
        if kind is None:
            continue
        every.append(kind)
        mounted = {
            m.key._moId for m in props.get("host") or () if m.mountInfo is None or m.mountInfo.mounted is not False
        }
        if members and members <= mounted:
            shared.append(kind)

    def most(kinds: List[str]) -> str:
        counts = Counter(kinds)
        return "vmfs" if counts["vmfs"] >= counts["nfs"] else "nfs"

    if shared:
        return most(shared)
    if every:
        kind = most(every)
        warn(f"cluster {cluster}: no VMFS or NFS datastore is mounted on every host; storage set to {kind}")
        return kind
    warn(f"cluster {cluster}: no vSAN and no VMFS or NFS datastore; storage set to vmfs")
    return "vmfs"


def import_inventory(
    service_instance: Any = None,
    *,
    server: Optional[str] = None,
    user: Optional[str] = None,
    password: Optional[str] = None,
    insecure: bool = False,
    ca_file: Optional[str] = None,
    clusters: Optional[Sequence[str]] = None,
    zones: Optional[Mapping[str, str]] = None,
    progress: Optional[Progress] = None,
    warn: Optional[Warn] = None,
    rest: Optional[bool] = None,
    timeout: float = 30.0,
) -> Dict[str, Any]:
    """Reads vCenter and returns the spec's ``inventory`` document (a new dict).

    Either give ``service_instance`` (a logged-in pyVmomi ``vim.ServiceInstance``; it stays
    logged in) or ``server`` (``HOST`` or ``HOST:PORT``), ``user`` and ``password``: then this
    logs in, and out when done. TLS is verified against the system's CAs, or ``ca_file`` (a PEM
    bundle), unless ``insecure``.

    ``clusters``: import only these clusters (names; an unknown name is a
    :class:`~supervisor_planner.errors.NotFoundError` listing the clusters vCenter has).
    ``zones``: ``{zone: cluster name}`` added to the zones vCenter has; a zone of the same name,
    or vCenter's zone of the same cluster, is replaced. ``rest``: read vSphere Zones through the
    REST API (default: when ``server``, ``user`` and ``password`` are given). ``progress`` gets
    one line per cluster read; ``warn`` gets each warning (default: :func:`warnings.warn` with
    :class:`VCenterImportWarning`). ``timeout``: seconds for each network operation.

    Raises :class:`~supervisor_planner.errors.VCenterError` (connection, TLS, login),
    :class:`~supervisor_planner.errors.NotFoundError` (unknown cluster, a ``zones`` cluster not
    imported) or :class:`~supervisor_planner.errors.ValidationError` (more than 96 hosts in a
    cluster). See the module's documentation for what is read and how it maps.
    """
    vim, vmodl, _, _ = _pyvmomi()
    redact = _Redactor(password)
    say: Progress = progress if progress is not None else (lambda line: None)
    tell: Warn = warn if warn is not None else _warn_caller

    host = ""
    port = 443
    ctx: Optional[ssl.SSLContext] = None
    if server is not None:
        host, port = _split_server(server)
        ctx = _ssl_context(insecure, ca_file)
    si = service_instance
    own = si is None
    if own:
        if server is None or user is None or password is None:
            raise VCenterError("give a service_instance, or server, user and password")
        assert ctx is not None
        si = _login(host, port, user, password, ctx, timeout, redact)
    where = f"{host}:{port}" if server is not None else "vCenter"
    try:
        try:
            cluster_rows = _retrieve(si, vim.ClusterComputeResource, CLUSTER_PROPERTIES)
            host_rows = _retrieve(si, vim.HostSystem, HOST_PROPERTIES)
            ds_rows = _retrieve(si, vim.Datastore, ["summary.type", "host"])
            switch_rows = _retrieve(si, vim.DistributedVirtualSwitch, ["name", "uuid"])
            pg_rows = _retrieve(
                si,
                vim.dvs.DistributedVirtualPortgroup,
                ["name", "config.distributedVirtualSwitch", "config.uplink", "tag"],
            )
        except (OSError, ssl.SSLError) as e:
            raise _connection_error(where, e, redact) from None
        except vim.fault.NotAuthenticated:
            raise VCenterError(f"vCenter {where}: the session is not logged in") from None
        except vmodl.MethodFault as e:  # InvalidProperty on a vCenter older than 7.0, NoPermission...
            detail = getattr(e, "msg", "") or ""
            message = f"vCenter {where} refused to read its inventory: {e._wsdlName} {detail}".rstrip()
            raise VCenterError(redact(message)) from None
        policies = _storage_policies(si, tell)
    finally:
        if own:
            _logout(si)

    hosts = {moid: props for moid, props in host_rows}
    host_names = {moid: str(props.get("name", moid)) for moid, props in host_rows}
    ds_props = {moid: props for moid, props in ds_rows}

    by_name = {str(props["name"]): (moid, props) for moid, props in cluster_rows}
    wanted = sorted(by_name)
    if clusters is not None:
        unknown = [name for name in clusters if name not in by_name]
        if unknown:
            raise NotFoundError(
                f"no cluster named {', '.join(unknown)} in vCenter {where}; "
                f"its clusters: {', '.join(sorted(by_name)) or 'none'}"
            )
        wanted = sorted(set(clusters))

    for zone, cluster in (zones or {}).items():
        if cluster not in wanted:
            raise NotFoundError(
                f"zone {zone}: no cluster {cluster} in the import; imported clusters: {', '.join(wanted) or 'none'}"
            )

    out_clusters: List[Dict[str, Any]] = []
    for index, name in enumerate(wanted):
        moid, props = by_name[name]
        member_moids = [h._moId for h in props.get("host") or ()]
        if len(member_moids) > MAX_HOSTS_PER_CLUSTER:
            message = (
                f"cluster {name} has {len(member_moids)} hosts; vSphere allows at most "
                f"{MAX_HOSTS_PER_CLUSTER} hosts per cluster"
            )
            raise ValidationError(message, issues=[{"path": f"inventory.clusters[{index}].hosts", "message": message}])
        entries = [_host_entry(host_names.get(h, h), hosts.get(h, {}), tell) for h in member_moids]
        entries.sort(key=lambda e: str(e["name"]))
        config = props.get("configurationEx")
        das = getattr(config, "dasConfig", None)
        drs = getattr(config, "drsConfig", None)
        vsan_info = getattr(config, "vsanConfigInfo", None)
        ha: Dict[str, Any] = {"enabled": bool(das is not None and das.enabled)}
        admission = _admission_control(name, das, host_names, tell)
        if admission is not None:
            ha["admission_control"] = admission
        behavior = str(getattr(drs, "defaultVmBehavior", None) or "fullyAutomated")
        automation = _DRS_AUTOMATION.get(behavior)
        if automation is None:
            tell(f"cluster {name}: DRS automation {behavior} is not modelled; imported as manual")
            automation = "manual"
        storage = _storage_kind(
            name,
            bool(vsan_info is not None and vsan_info.enabled),
            member_moids,
            [d._moId for d in props.get("datastore") or ()],
            ds_props,
            tell,
        )
        out_clusters.append(
            {
                "name": name,
                "moid": moid,
                "ha": ha,
                "drs": {"enabled": bool(drs is not None and drs.enabled), "automation": automation},
                "storage": storage,
                "hosts": entries,
            }
        )
        say(
            f"cluster {name} ({moid}): {len(entries)} hosts, HA {'on' if ha['enabled'] else 'off'}"
            f"{' (' + admission['policy'] + ')' if admission else ''}, DRS "
            f"{automation if drs is not None and drs.enabled else 'off'}, storage {storage}"
        )

    # Zones: vCenter's (REST), then the caller's mapping on top.
    imported = {c["moid"]: c["name"] for c in out_clusters}
    all_moids = {moid: name for name, (moid, _) in by_name.items()}
    zone_map: Dict[str, str] = {}
    use_rest = rest if rest is not None else (server is not None and user is not None and password is not None)
    if use_rest:
        if server is None or user is None or password is None:
            raise VCenterError("reading vSphere Zones (rest=True) needs server, user and password")
        assert ctx is not None
        pairs = _rest_zones(_Rest(host, port, ctx, timeout, redact), user, password)
        if pairs is None:
            say("zones: this vCenter has no vSphere Zones API (before 8.0.0.1): none read")
            pairs = []
        for zone, cluster_moid in sorted(pairs, key=lambda p: (p[0], all_moids.get(p[1], p[1]))):
            if not cluster_moid:
                tell(f"zone {zone} has no cluster: left out")
            elif cluster_moid in imported:
                if zone in zone_map:
                    tell(f"zone {zone} has more than one cluster: only {zone_map[zone]} is imported with it")
                else:
                    zone_map[zone] = imported[cluster_moid]
            elif cluster_moid not in all_moids:
                tell(f"zone {zone}: its cluster {cluster_moid} is not in vCenter's inventory: left out")
    for zone, cluster in (zones or {}).items():
        zone_map = {z: c for z, c in zone_map.items() if c != cluster and z != zone}
        zone_map[zone] = cluster
    if zones is not None or use_rest:
        say(f"zones: {', '.join(f'{z}={c}' for z, c in sorted(zone_map.items())) or 'none'}")

    switches = {moid: props for moid, props in switch_rows}
    port_groups: List[Dict[str, Any]] = []
    for moid, props in pg_rows:
        if props.get("config.uplink") or any(getattr(t, "key", None) == _UPLINK_TAG for t in props.get("tag") or ()):
            continue
        switch_ref = props.get("config.distributedVirtualSwitch")
        switch = switches.get(switch_ref._moId, {}) if switch_ref is not None else {}
        port_groups.append(
            {
                "name": str(props["name"]),
                "moid": moid,
                "switch": str(switch.get("name", "")),
                "switch_uuid": str(switch.get("uuid", "")),
            }
        )
    port_groups.sort(key=lambda p: (p["switch"], p["name"], p["moid"]))
    say(f"storage policies: {len(policies)}; distributed port groups: {len(port_groups)}")

    return {
        "clusters": out_clusters,
        "zones": [{"name": z, "cluster": c} for z, c in sorted(zone_map.items())],
        "storage_policies": policies,
        "port_groups": port_groups,
    }


def skeleton_supervisor(inventory: Mapping[str, Any]) -> Dict[str, Any]:
    """A ``supervisor`` object to edit, for an imported inventory: on the imported zones when
    there are 1 or 3 (else on the first cluster), a small control plane on the first storage
    policy, a management network in 192.0.2.0/24 (documentation addresses: replace them) and an
    NSX workload network with the default ranges."""
    zone_names = [str(z["name"]) for z in inventory.get("zones") or ()]
    clusters = inventory.get("clusters") or ()
    policies = inventory.get("storage_policies") or ()
    sup: Dict[str, Any] = {"name": "supervisor"}
    if len(zone_names) in (1, 3):
        sup["zones"] = zone_names
    else:
        sup["cluster"] = str(clusters[0]["name"]) if clusters else "EDIT-ME"
    sup["control_plane"] = {"size": "small", "storage_policy": str(policies[0]["name"]) if policies else "EDIT-ME"}
    sup["management_network"] = {
        "starting_address": "192.0.2.20",
        "address_count": 5,
        "prefix_length": 24,
        "gateway": "192.0.2.1",
        "dns_servers": ["192.0.2.2"],
        "ntp_servers": ["192.0.2.3"],
    }
    sup["workload_network"] = {
        "type": "nsx",
        "pod_cidrs": ["10.244.0.0/20"],
        "service_cidr": "10.96.0.0/23",
        "ingress_cidrs": ["198.51.100.0/24"],
        "egress_cidrs": ["203.0.113.0/24"],
        "namespace_subnet_prefix": 28,
    }
    return sup


def spec_document(inventory: Mapping[str, Any], supervisor_part: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """A whole spec document: ``api_version``, the ``inventory``, and the ``supervisor`` (and
    ``workloads``) of ``supervisor_part``, a dict ``{"supervisor": {...}, "workloads"?: {...}}``
    (a whole spec document too: its ``inventory`` and ``api_version`` are replaced). Without
    it, :func:`skeleton_supervisor`."""
    doc: Dict[str, Any] = {"api_version": _API_VERSION, "inventory": dict(inventory)}
    if supervisor_part is None:
        doc["supervisor"] = skeleton_supervisor(inventory)
        return doc
    extra = sorted(set(supervisor_part) - {"api_version", "inventory", "supervisor", "workloads"})
    if extra:
        raise ValidationError(
            f"the supervisor part has unknown field(s) {', '.join(extra)} "
            "(it holds supervisor, optionally workloads)"
        )
    if "supervisor" not in supervisor_part:
        raise ValidationError("the supervisor part has no supervisor field")
    doc["supervisor"] = supervisor_part["supervisor"]
    if "workloads" in supervisor_part:
        doc["workloads"] = supervisor_part["workloads"]
    return doc


def import_spec(
    service_instance: Any = None,
    *,
    supervisor_part: Optional[Mapping[str, Any]] = None,
    **kwargs: Any,
) -> Dict[str, Any]:
    """:func:`import_inventory` (same arguments) wrapped in a whole spec document by
    :func:`spec_document` with ``supervisor_part``."""
    return spec_document(import_inventory(service_instance, **kwargs), supervisor_part)
