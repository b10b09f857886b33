"""Representative bad specs: every problem is a ValidationError naming the path and the rule."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, List

import pytest

import supervisor_planner as sp
from conftest import validation_issues, with_fourth_zone


def rules(issues: List[Dict[str, str]]) -> List[str]:
    return [i.get("rule", "") for i in issues]


def test_r_z_1_two_zones_rejected(three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    (issue,) = validation_issues(three_zone)
    assert (issue["path"], issue["rule"]) == ("supervisor.zones", "R-Z-1")
    assert "2 were given" in issue["message"]


def test_r_z_1_four_zones_rejected(three_zone: dict) -> None:
    (issue,) = validation_issues(with_fourth_zone(three_zone))
    assert (issue["path"], issue["rule"]) == ("supervisor.zones", "R-Z-1")
    assert "4 were given" in issue["message"]


def test_unknown_field_rejected_with_path(three_zone: dict) -> None:
    three_zone["supervisor"]["colour"] = "blue"
    (issue,) = validation_issues(three_zone)
    assert issue["path"] == "supervisor.colour"
    assert "unknown field" in issue["message"]


def test_wrong_type_rejected_with_path(three_zone: dict) -> None:
    three_zone["supervisor"]["management_network"]["address_count"] = "five"
    (issue,) = validation_issues(three_zone)
    assert issue["path"] == "supervisor.management_network.address_count"
    assert issue["message"].startswith("expected an integer from 0 to ")
    assert issue["message"].endswith(', found the string "five"')


@pytest.mark.parametrize(
    "text",
    ['{"api_version": ', "", '{"api_version": "supervisor-planner/v1"', sp.example("single-cluster") + " trailing"],
    ids=["eof-in-value", "empty", "eof-in-object", "trailing-characters"],
)
def test_malformed_json_rejected(text: str) -> None:
    (issue,) = validation_issues(text)
    assert "malformed JSON" in issue["message"] or "trailing characters" in issue["message"]


def test_r_ip_1_block_of_4_addresses_rejected(three_zone: dict) -> None:
    three_zone["supervisor"]["management_network"]["address_count"] = 4
    (issue,) = validation_issues(three_zone)
    assert (issue["path"], issue["rule"]) == ("supervisor.management_network.address_count", "R-IP-1")


def test_r_ip_2_gateway_in_block_rejected(single_cluster: dict) -> None:
    single_cluster["supervisor"]["management_network"]["gateway"] = "172.16.10.52"
    issues = validation_issues(single_cluster)
    assert "R-IP-2" in rules(issues)
    assert any("172.16.10.52" in i["message"] for i in issues)


def test_r_n_3_overlapping_workload_ranges_rejected(three_zone: dict) -> None:
    three_zone["supervisor"]["workload_network"]["egress_cidrs"] = ["192.168.100.128/25"]
    (issue,) = validation_issues(three_zone)
    assert (issue["path"], issue["rule"]) == ("supervisor.workload_network.egress_cidrs[0]", "R-N-3")
    # Both overlapping ranges are named.
    assert "192.168.100.128/25" in issue["message"] and "192.168.100.0/24" in issue["message"]


def test_duplicate_host_rejected(three_zone: dict) -> None:
    three_zone["inventory"]["clusters"][1]["hosts"][0]["name"] = "esx-a-01.corp.example"
    (issue,) = validation_issues(three_zone)
    assert issue["path"] == "inventory.clusters[1].hosts[0].name"
    assert "duplicate" in issue["message"]


@pytest.mark.parametrize("example", ["three-zone", "single-cluster"])
def test_r_z_6_ha_off_rejected(example: str) -> None:
    spec = json.loads(sp.example(example))
    spec["inventory"]["clusters"][0]["ha"]["enabled"] = False
    (issue,) = validation_issues(spec)
    assert (issue["path"], issue["rule"]) == ("inventory.clusters[0].ha.enabled", "R-Z-6")


def test_every_problem_is_reported_at_once(three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    three_zone["supervisor"]["management_network"]["address_count"] = 4
    three_zone["supervisor"]["workload_network"]["egress_cidrs"] = ["192.168.100.128/25"]
    issues = validation_issues(three_zone)
    assert {"R-Z-1", "R-IP-1", "R-N-3"} <= set(rules(issues))


def test_control_plane_that_fits_nowhere_is_capacity_error(single_cluster: dict) -> None:
    for host in single_cluster["inventory"]["clusters"][0]["hosts"]:
        host["memory_mib"] = 4096
    with pytest.raises(sp.CapacityError) as info:
        sp.Supervisor.enable(single_cluster)
    assert (info.value.kind, info.value.code, info.value.issues) == ("capacity", 2, [])
    assert "fits on no host" in str(info.value)
    assert not isinstance(info.value, ValueError)


def test_validation_error_is_a_value_error_with_paths(three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a"] * 2
    with pytest.raises(ValueError) as info:
        sp.Supervisor.enable(three_zone)
    assert isinstance(info.value, sp.ValidationError)
    assert all("path" in issue and "message" in issue for issue in info.value.issues)


def test_bad_input_leaves_the_caller_s_dict_alone(three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    before: Any = copy.deepcopy(three_zone)
    validation_issues(three_zone)
    assert three_zone == before
