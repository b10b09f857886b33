"""Supervisor.enable and the report: zones, capabilities, HA level, control plane, addresses."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import supervisor_planner as sp


# --- enable: accepted inputs -------------------------------------------------------------------


def test_enable_from_dict_str_and_spec_agree(three_zone: dict) -> None:
    a = sp.Supervisor.enable(three_zone)
    b = sp.Supervisor.enable(json.dumps(three_zone))
    c = sp.Supervisor.enable(sp.Spec(three_zone))
    d = sp.Supervisor.from_json(json.dumps(three_zone))
    assert a == b == c == d
    assert a.report() == b.report() == c.report() == d.report()


@pytest.mark.parametrize("bad", [None, 42, 1.5, ["spec"], b"{}", object()])
def test_enable_other_types_are_type_errors_naming_the_argument(bad: object) -> None:
    with pytest.raises(TypeError) as info:
        sp.Supervisor.enable(bad)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("Supervisor.enable(spec): expected a dict, a JSON str or a supervisor_planner.Spec, got ")
    assert type(bad).__name__ in message


def test_from_json_takes_only_str(three_zone: dict) -> None:
    with pytest.raises(TypeError, match=r"Supervisor\.from_json\(text\): expected a str, got dict"):
        sp.Supervisor.from_json(three_zone)  # type: ignore[arg-type]


def test_supervisor_has_no_public_constructor() -> None:
    with pytest.raises(TypeError):
        sp.Supervisor()  # type: ignore[call-arg]


def test_spec_returns_the_enabled_document(three_zone: dict) -> None:
    sup = sp.Supervisor.enable(three_zone)
    assert sup.spec() == sp.Spec(three_zone)
    assert isinstance(sup.spec(), sp.Spec)


# --- the report --------------------------------------------------------------------------------


def test_report_has_the_keys_the_issue_requires(three_zone: dict) -> None:
    r = sp.Supervisor.enable(three_zone).report()
    assert {"mode", "zones", "capabilities", "ha_level", "control_plane"} <= set(r)
    for zone in r["zones"]:
        assert {"name", "cluster"} <= set(zone)
    assert {"vsphere_pods", "tkg_clusters", "vm_service"} <= set(r["capabilities"])
    cp = r["control_plane"]
    assert {"vms", "floating_ip", "floating_ip_holder", "spare_ip"} <= set(cp)
    for vm in cp["vms"]:
        assert {"name", "zone", "host", "ip"} <= set(vm)


def test_report_is_plain_json_data(three_zone: dict) -> None:
    r = sp.Supervisor.enable(three_zone).report()
    assert json.loads(json.dumps(r)) == r


def test_s6_s11_three_zone_one_control_plane_vm_per_zone(three_zone: dict) -> None:
    r = sp.Supervisor.enable(three_zone).report()
    assert r["mode"] == "three-zone"
    assert [z["name"] for z in r["zones"]] == ["zone-a", "zone-b", "zone-c"]
    assert [z["cluster"] for z in r["zones"]] == ["wld-cl-a", "wld-cl-b", "wld-cl-c"]
    assert sorted(vm["zone"] for vm in r["control_plane"]["vms"]) == ["zone-a", "zone-b", "zone-c"]


def test_r_cp_1_single_cluster_vms_on_three_distinct_hosts(single_cluster: dict) -> None:
    vms = sp.Supervisor.enable(single_cluster).report()["control_plane"]["vms"]
    assert [vm["name"] for vm in vms] == [f"SupervisorControlPlaneVM ({i})" for i in (1, 2, 3)]
    assert len({vm["host"] for vm in vms}) == 3


def test_s8_single_cluster_creates_zone(single_cluster: dict) -> None:
    r = sp.Supervisor.enable(single_cluster).report()
    assert r["mode"] == "single-cluster"
    (zone,) = r["zones"]
    assert zone == {**zone, "name": "zone-compute-cluster-01", "cluster": "Compute-Cluster-01", "created": True}


def test_s8_single_cluster_uses_the_existing_zone(single_cluster: dict) -> None:
    single_cluster["inventory"]["zones"] = [{"name": "zone-lab", "cluster": "Compute-Cluster-01"}]
    (zone,) = sp.Supervisor.enable(single_cluster).report()["zones"]
    assert (zone["name"], zone["created"]) == ("zone-lab", False)


def test_r_z_7_s9_single_cluster_has_host_level_ha(single_cluster: dict) -> None:
    assert sp.Supervisor.enable(single_cluster).report()["ha_level"] == "host"


def test_r_z_7_s6_three_zone_has_zone_level_ha(three_zone: dict) -> None:
    assert sp.Supervisor.enable(three_zone).report()["ha_level"] == "zone"


def test_r_c_2_three_zone_has_no_vsphere_pods(three_zone: dict) -> None:
    caps = sp.Supervisor.enable(three_zone).report()["capabilities"]
    assert caps["vsphere_pods"] is False
    assert "R-C-2" in caps["vsphere_pods_reason"]


def test_r_c_2_single_cluster_nsx_has_vsphere_pods(single_cluster: dict) -> None:
    caps = sp.Supervisor.enable(single_cluster).report()["capabilities"]
    assert caps["vsphere_pods"] is True
    assert "vsphere_pods_reason" not in caps


def test_r_c_2_three_zone_pods_when_zonal_vsphere_pods_is_on(three_zone: dict) -> None:
    three_zone["supervisor"]["zonal_vsphere_pods"] = True
    assert sp.Supervisor.enable(three_zone).report()["capabilities"]["vsphere_pods"] is True


def test_r_c_2_vds_has_no_vsphere_pods(single_cluster: dict) -> None:
    single_cluster["supervisor"]["workload_network"] = {
        "type": "vds",
        "primary": {
            "gateway": "192.168.50.1",
            "prefix_length": 24,
            "address_ranges": ["192.168.50.10-192.168.50.100"],
        },
        "load_balancer": {"type": "haproxy", "vip_ranges": ["192.168.60.0/24"]},
    }
    r = sp.Supervisor.enable(single_cluster).report()
    assert r["networking"] == "vds"
    assert r["capabilities"]["vsphere_pods"] is False
    assert "NSX" in r["capabilities"]["vsphere_pods_reason"]


@pytest.mark.parametrize("example", ["three-zone", "single-cluster"])
def test_r_c_1_tkg_and_vm_service_everywhere(example: str) -> None:
    caps = sp.Supervisor.enable(sp.example(example)).report()["capabilities"]
    assert caps["tkg_clusters"] is True and caps["vm_service"] is True


def test_s12_r_ip_3_five_address_layout(three_zone: dict) -> None:
    cp = sp.Supervisor.enable(three_zone).report()["control_plane"]
    start = ipaddress.IPv4Address(three_zone["supervisor"]["management_network"]["starting_address"])
    block = [str(start + i) for i in range(5)]
    assert cp["floating_ip"] == block[0]
    assert [vm["ip"] for vm in cp["vms"]] == block[1:4]
    assert cp["spare_ip"] == block[4]
    assert cp["floating_ip_holder"] == "SupervisorControlPlaneVM (1)"


def test_r_ip_3_explicit_floating_ip(single_cluster: dict) -> None:
    single_cluster["supervisor"]["management_network"]["floating_ip"] = "172.16.10.99"
    cp = sp.Supervisor.enable(single_cluster).report()["control_plane"]
    assert cp["floating_ip"] == "172.16.10.99"
    assert cp["floating_ip"] not in {vm["ip"] for vm in cp["vms"]}


def test_r_cp_2_control_plane_size(three_zone: dict) -> None:
    cp = sp.Supervisor.enable(three_zone).report()["control_plane"]
    assert (cp["size"], cp["vcpus"], cp["memory_mib"]) == ("small", 4, 16384)


# --- views -------------------------------------------------------------------------------------


def test_summary_names_zones_vms_and_addresses(three_zone: dict) -> None:
    sup = sp.Supervisor.enable(three_zone)
    text = sup.summary()
    r = sup.report()
    for needle in ["sv-prod", "zone-a", "zone-b", "zone-c", r["control_plane"]["floating_ip"]]:
        assert needle in text
    for vm in r["control_plane"]["vms"]:
        assert vm["host"] in text and vm["ip"] in text


def test_to_svg_is_valid_svg(three_zone: dict) -> None:
    root = ET.fromstring(sp.Supervisor.enable(three_zone).to_svg())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(root.itertext())
    assert "zone-a" in text and "sv-prod" in text


def test_repr_shows_name_mode_and_running_vms(three_zone: dict) -> None:
    sup = sp.Supervisor.enable(three_zone)
    assert repr(sup) == "Supervisor(name='sv-prod', mode='three-zone', running_control_plane_vms=[1, 2, 3])"
    sup.fail_control_plane_vm(2)
    assert repr(sup) == "Supervisor(name='sv-prod', mode='three-zone', running_control_plane_vms=[1, 3])"


def test_supervisor_is_unhashable(three_zone: dict) -> None:
    with pytest.raises(TypeError):
        hash(sp.Supervisor.enable(three_zone))


# --- summary(all_hosts=...) at vCenter sizes ---------------------------------------------------


def _grown(three_zone: dict, hosts_per_cluster: int) -> dict:
    """The three-zone example with each cluster's first host copied ``hosts_per_cluster`` times."""
    spec = json.loads(json.dumps(three_zone))
    for c in spec["inventory"]["clusters"]:
        template = c["hosts"][0]
        c["hosts"] = [dict(template, name=f"{c['name']}-esx-{i:03}.corp.example") for i in range(1, hosts_per_cluster + 1)]
    return spec


def _listed_hosts(text: str, report: dict) -> list:
    names = {h["name"] for h in report["hosts"]}
    return [line.split()[0] for line in text.splitlines() if line.split() and line.split()[0] in names]


def test_summary_of_a_large_supervisor_lists_the_hosts_that_matter_unless_all_hosts(three_zone: dict) -> None:
    sup = sp.Supervisor.enable(_grown(three_zone, 96))
    sup.fail_host("wld-cl-b-esx-050.corp.example")
    r = sup.report()
    short = sup.summary()
    assert short == sup.summary(all_hosts=False)
    listed = _listed_hosts(short, r)
    cp_hosts = {vm["host"] for vm in r["control_plane"]["vms"]}
    assert cp_hosts | {"wld-cl-b-esx-050.corp.example"} <= set(listed)
    assert len(listed) <= 3 * 6 + 1 and len(short.splitlines()) <= 70
    assert f"  ... and {288 - len(listed)} more connected hosts" in short
    assert "summary(all_hosts=True)" in short
    every = sup.summary(all_hosts=True)
    assert _listed_hosts(every, r) == [h["name"] for h in r["hosts"]]
    assert "more connected hosts" not in every


def test_summary_all_hosts_is_keyword_only_and_a_bool(three_zone: dict) -> None:
    sup = sp.Supervisor.enable(three_zone)
    assert sup.summary(all_hosts=True) == sup.summary()  # a small Supervisor lists every host anyway
    with pytest.raises(TypeError):
        sup.summary(True)  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"summary\(all_hosts\): expected a bool"):
        sup.summary(all_hosts=1)  # type: ignore[arg-type]


def test_cli_plan_all_hosts_prints_every_host(three_zone: dict, tmp_path: Path) -> None:
    spec = _grown(three_zone, 20)
    path = tmp_path / "large.json"
    path.write_text(json.dumps(spec))
    sup = sp.Supervisor.enable(spec)
    for flags, all_hosts in [([], False), (["--all-hosts"], True)]:
        p = subprocess.run(
            [sys.executable, "-m", "supervisor_planner", "plan", str(path), *flags],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert p.returncode == 0, p.stderr
        assert p.stdout == sup.summary(all_hosts=all_hosts)
    assert len(_listed_hosts(p.stdout, sup.report())) == 60
