// C++ consumer test of the supervisor-planner C API, built by tests/c/run.sh with
//   -std=c++17 -Wall -Wextra -Werror
// against the static library. It wraps the C handles in std::unique_ptr with custom deleters
// (the way a C++ program should hold them) and turns failures into exceptions.
//
// The last line printed is "N passed, M failed"; the exit status is 0 only when nothing failed.

#include "supervisor_planner.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace svp {

struct SupervisorDeleter {
    void operator()(svp_supervisor *p) const noexcept { svp_supervisor_free(p); }
};
struct ErrorDeleter {
    void operator()(svp_error *p) const noexcept { svp_error_free(p); }
};
struct StringDeleter {
    void operator()(char *p) const noexcept { svp_string_free(p); }
};
using SupervisorPtr = std::unique_ptr<svp_supervisor, SupervisorDeleter>;
using ErrorPtr = std::unique_ptr<svp_error, ErrorDeleter>;
using StringPtr = std::unique_ptr<char, StringDeleter>;

// A failed call: its status, message and JSON error document.
class Error : public std::runtime_error {
  public:
    Error(svp_status status, std::string message, std::string json)
        : std::runtime_error(std::move(message)), status_(status), json_(std::move(json)) {}
    svp_status status() const noexcept { return status_; }
    const std::string &json() const noexcept { return json_; }

  private:
    svp_status status_;
    std::string json_;
};

// Throws svp::Error unless `status` is OK; takes ownership of `raw_err`. Call it with the status
// already in a variable: in `check(f(&err), err)` the second argument may be read first.
void check(svp_status status, svp_error *raw_err) {
    ErrorPtr err(raw_err);
    if (status == SVP_STATUS_OK) {
        return;
    }
    if (!err) {
        throw Error(status, svp_status_name(status), "");
    }
    throw Error(svp_error_code(err.get()), svp_error_message(err.get()), svp_error_json(err.get()));
}

// Takes ownership of a returned string and copies it (its length is exact, NULs included).
std::string take(char *raw, std::size_t len) {
    StringPtr owned(raw);
    return std::string(owned.get(), len);
}

std::string example(std::string_view name) {
    char *out = nullptr;
    std::size_t len = 0;
    svp_error *err = nullptr;
    svp_status status = svp_example_json(name.data(), name.size(), &out, &len, &err);
    check(status, err);
    return take(out, len);
}

// The shares of `total` over `parts` zones (R-Q-2).
std::vector<std::uint64_t> split_evenly(std::uint64_t total, std::size_t parts) {
    // At least one element: an empty vector's data() may be nullptr, which the library reports
    // as SVP_STATUS_NULL_ARGUMENT before it looks at `parts`.
    std::vector<std::uint64_t> out(parts == 0 ? 1 : parts);
    svp_error *err = nullptr;
    svp_status status = svp_split_evenly(total, parts, out.data(), out.size(), &err);
    check(status, err);
    out.resize(parts);
    return out;
}

class Supervisor {
  public:
    static Supervisor from_spec(std::string_view json) {
        svp_supervisor *out = nullptr;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_from_spec_json(json.data(), json.size(), &out, &err);
        check(status, err);
        return Supervisor(out);
    }
    static Supervisor restore(std::string_view json) {
        svp_supervisor *out = nullptr;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_restore_json(json.data(), json.size(), &out, &err);
        check(status, err);
        return Supervisor(out);
    }
    std::string report() const { return render(svp_supervisor_report_json); }
    std::string snapshot() const { return render(svp_supervisor_snapshot_json); }
    std::string summary() const { return render(svp_supervisor_summary_text); }
    std::string svg() const { return render(svp_supervisor_svg); }
    std::string execute(std::string_view request) {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_execute(handle_.get(), request.data(), request.size(),
                                                   &out, &len, &err);
        check(status, err);
        return take(out, len);
    }

    // Typed admission against quota (R-Q-4); the pool's headroom afterwards.
    svp_pool_headroom admit(std::string_view ns, std::string_view zone, std::uint64_t cpu_mhz,
                            std::uint64_t memory_mib) {
        return admission(svp_supervisor_admit, ns, zone, cpu_mhz, memory_mib);
    }
    svp_pool_headroom release(std::string_view ns, std::string_view zone, std::uint64_t cpu_mhz,
                              std::uint64_t memory_mib) {
        return admission(svp_supervisor_release, ns, zone, cpu_mhz, memory_mib);
    }

    // Typed pod placement (R-P-1): the positions of the chosen host and zone in the report.
    svp_placement place_pod(std::string_view ns, std::string_view name, std::uint64_t cpu_mhz,
                            std::uint64_t memory_mib) {
        svp_placement placement{};
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_place_pod(handle_.get(), ns.data(), ns.size(),
                                                     name.data(), name.size(), cpu_mhz,
                                                     memory_mib, &placement, &err);
        check(status, err);
        return placement;
    }
    std::string nodes() const { return render(svp_supervisor_nodes_json); }
    std::string workloads() const { return render(svp_supervisor_workloads_json); }
    std::string rebalance_plan(std::uint8_t migration_threshold) const {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_rebalance_plan_json(handle_.get(), migration_threshold,
                                                               &out, &len, &err);
        check(status, err);
        return take(out, len);
    }

    // vSphere HA: a cluster's admission control, what-ifs ({"hosts":[...],"zones":[...]}) and
    // the sweep of every single-host and single-zone failure. None of them changes anything.
    std::string ha_status(std::string_view cluster) const {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_ha_status_json(handle_.get(), cluster.data(),
                                                          cluster.size(), &out, &len, &err);
        check(status, err);
        return take(out, len);
    }
    std::string simulate_failure(std::string_view request) const {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_simulate_failure_json(
            handle_.get(), request.data(), request.size(), &out, &len, &err);
        check(status, err);
        return take(out, len);
    }
    std::string failure_sweep(std::size_t limit) const {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = svp_supervisor_failure_sweep_json(handle_.get(), limit, &out, &len,
                                                              &err);
        check(status, err);
        return take(out, len);
    }

  private:
    explicit Supervisor(svp_supervisor *raw) : handle_(raw) {}
    using Admission = svp_status (*)(svp_supervisor *, const char *, std::size_t, const char *,
                                     std::size_t, std::uint64_t, std::uint64_t,
                                     svp_pool_headroom *, svp_error **);
    svp_pool_headroom admission(Admission fn, std::string_view ns, std::string_view zone,
                                std::uint64_t cpu_mhz, std::uint64_t memory_mib) {
        svp_pool_headroom headroom{};
        svp_error *err = nullptr;
        svp_status status = fn(handle_.get(), ns.data(), ns.size(), zone.data(), zone.size(),
                               cpu_mhz, memory_mib, &headroom, &err);
        check(status, err);
        return headroom;
    }
    using Render = svp_status (*)(const svp_supervisor *, char **, std::size_t *, svp_error **);
    std::string render(Render fn) const {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = fn(handle_.get(), &out, &len, &err);
        check(status, err);
        return take(out, len);
    }
    SupervisorPtr handle_;
};

struct IpPoolDeleter {
    void operator()(svp_ip_pool *p) const noexcept { svp_ip_pool_free(p); }
};
using IpPoolPtr = std::unique_ptr<svp_ip_pool, IpPoolDeleter>;

// A dotted quad as the library's number (host order, first octet most significant), and back.
std::uint32_t ipv4(std::string_view text) {
    std::uint32_t out = 0;
    svp_error *err = nullptr;
    svp_status status = svp_ipv4_parse(text.data(), text.size(), &out, &err);
    check(status, err);
    return out;
}
std::string ipv4_text(std::uint32_t ip) {
    char out[SVP_IPV4_TEXT_SIZE];
    svp_error *err = nullptr;
    svp_status status = svp_ipv4_format(ip, out, sizeof out, &err);
    check(status, err);
    return out;
}

// A standalone IPv4 pool; every call throws svp::Error on failure.
class IpPool {
  public:
    static IpPool from_spec(std::string_view json) {
        return make(svp_ip_pool_new, json);
    }
    static IpPool restore(std::string_view json) { return make(svp_ip_pool_restore_json, json); }
    std::uint32_t allocate() {
        return hand_out([&](std::uint32_t *out, svp_error **err) {
            return svp_ip_pool_allocate(handle_.get(), out, err);
        });
    }
    std::uint32_t allocate_block(std::uint32_t count) {
        return hand_out([&](std::uint32_t *out, svp_error **err) {
            return svp_ip_pool_allocate_block(handle_.get(), count, out, err);
        });
    }
    std::uint32_t allocate_subnet(std::uint8_t prefix) {
        return hand_out([&](std::uint32_t *out, svp_error **err) {
            return svp_ip_pool_allocate_subnet(handle_.get(), prefix, out, err);
        });
    }
    void allocate_specific(std::uint32_t ip) {
        svp_error *err = nullptr;
        svp_status status = svp_ip_pool_allocate_specific(handle_.get(), ip, &err);
        check(status, err);
    }
    void release(std::uint32_t ip) {
        svp_error *err = nullptr;
        svp_status status = svp_ip_pool_release(handle_.get(), ip, &err);
        check(status, err);
    }
    void release_block(std::uint32_t first, std::uint32_t count) {
        svp_error *err = nullptr;
        svp_status status = svp_ip_pool_release_block(handle_.get(), first, count, &err);
        check(status, err);
    }
    void release_subnet(std::uint32_t network, std::uint8_t prefix) {
        svp_error *err = nullptr;
        svp_status status = svp_ip_pool_release_subnet(handle_.get(), network, prefix, &err);
        check(status, err);
    }
    svp_ip_pool_counts counts() const {
        svp_ip_pool_counts out{};
        svp_error *err = nullptr;
        svp_status status = svp_ip_pool_get_counts(handle_.get(), &out, &err);
        check(status, err);
        return out;
    }
    bool contains(std::uint32_t ip) const { return ask(svp_ip_pool_contains, ip); }
    bool is_allocated(std::uint32_t ip) const { return ask(svp_ip_pool_is_allocated, ip); }
    bool is_free(std::uint32_t ip) const { return ask(svp_ip_pool_is_free, ip); }
    bool is_reserved(std::uint32_t ip) const { return ask(svp_ip_pool_is_reserved, ip); }
    std::string allocations() const { return render(svp_ip_pool_allocations_json); }
    std::string snapshot() const { return render(svp_ip_pool_snapshot_json); }
    svp_ip_pool *get() const noexcept { return handle_.get(); }

  private:
    explicit IpPool(svp_ip_pool *raw) : handle_(raw) {}
    using Make = svp_status (*)(const char *, std::size_t, svp_ip_pool **, svp_error **);
    static IpPool make(Make fn, std::string_view json) {
        svp_ip_pool *out = nullptr;
        svp_error *err = nullptr;
        svp_status status = fn(json.data(), json.size(), &out, &err);
        check(status, err);
        return IpPool(out);
    }
    template <typename F> static std::uint32_t hand_out(F call) {
        std::uint32_t out = 0;
        svp_error *err = nullptr;
        svp_status status = call(&out, &err);
        check(status, err);
        return out;
    }
    using Question = svp_status (*)(const svp_ip_pool *, std::uint32_t, bool *, svp_error **);
    bool ask(Question fn, std::uint32_t ip) const {
        bool out = false;
        svp_error *err = nullptr;
        svp_status status = fn(handle_.get(), ip, &out, &err);
        check(status, err);
        return out;
    }
    using Render = svp_status (*)(const svp_ip_pool *, char **, std::size_t *, svp_error **);
    std::string render(Render fn) const {
        char *out = nullptr;
        std::size_t len = 0;
        svp_error *err = nullptr;
        svp_status status = fn(handle_.get(), &out, &len, &err);
        check(status, err);
        return take(out, len);
    }
    IpPoolPtr handle_;
};

}  // namespace svp

namespace {

int checks_failed = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            ++checks_failed;                                                             \
            std::fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                                \
    } while (0)

bool contains(const std::string &haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// Runs `body`, expecting an svp::Error with `status` whose message contains `needle`.
void expect_error(svp_status status, std::string_view needle, const std::function<void()> &body) {
    try {
        body();
        ++checks_failed;
        std::fprintf(stderr, "  expected %s, the call succeeded\n", svp_status_name(status));
    } catch (const svp::Error &e) {
        CHECK(e.status() == status);
        CHECK(contains(e.what(), needle));
        CHECK(contains(e.json(), "\"code\":" + std::to_string(static_cast<int>(status))));
        if (e.status() != status || !contains(e.what(), needle)) {
            std::fprintf(stderr, "  got %s: %s\n", svp_status_name(e.status()), e.what());
        }
    }
}

const char *const kFailVm1 = R"({"op":"fail_control_plane_vm","vm":1})";

void test_version() {
    CHECK(std::string(svp_version()) == SVP_VERSION_STRING);
    CHECK(std::to_string(SVP_VERSION_MAJOR) + "." + std::to_string(SVP_VERSION_MINOR) + "." +
              std::to_string(SVP_VERSION_PATCH) ==
          SVP_VERSION_STRING);
}

void test_examples_enable_and_report() {
    auto three = svp::Supervisor::from_spec(svp::example("three-zone"));
    CHECK(contains(three.report(), R"("mode":"three-zone")"));
    auto single = svp::Supervisor::from_spec(svp::example("single-cluster"));
    CHECK(contains(single.report(), R"("mode":"single-cluster")"));
    CHECK(contains(single.summary(), "sv-lab"));
    CHECK(contains(three.svg(), "<svg"));
}

void test_r_ip_4_floating_ip_moves_when_holder_fails() {
    auto sup = svp::Supervisor::from_spec(svp::example("three-zone"));
    std::string response = sup.execute(kFailVm1);
    CHECK(contains(response, R"json("floating_ip_holder":"SupervisorControlPlaneVM (2)")json"));
    CHECK(contains(response, R"("floating_ip_moved":true)"));
    CHECK(contains(sup.report(), R"json("floating_ip_holder":"SupervisorControlPlaneVM (2)")json"));
}

void test_snapshot_restore_report_equal() {
    auto sup = svp::Supervisor::from_spec(svp::example("three-zone"));
    sup.execute(kFailVm1);
    auto restored = svp::Supervisor::restore(sup.snapshot());
    CHECK(restored.report() == sup.report());
    CHECK(restored.snapshot() == sup.snapshot());
}

void test_errors_become_exceptions() {
    std::string spec = svp::example("three-zone");
    // Drop the third zone of the Supervisor (R-Z-1: 1 or 3 zones).
    std::size_t sup_at = spec.find("\"supervisor\"");
    std::size_t zone_c = spec.find(",", spec.find("\"zone-b\"", sup_at));
    std::size_t end = spec.find("]", zone_c);
    spec.replace(zone_c, end - zone_c, "");
    expect_error(SVP_STATUS_VALIDATION, "supervisor.zones",
                 [&] { svp::Supervisor::from_spec(spec); });
    expect_error(SVP_STATUS_VALIDATION, "malformed JSON",
                 [] { svp::Supervisor::from_spec("{\"api_version\": "); });
    expect_error(SVP_STATUS_NOT_FOUND, "three-zone", [] { svp::example("two-zone"); });
    auto sup = svp::Supervisor::from_spec(svp::example("three-zone"));
    sup.execute(kFailVm1);
    expect_error(SVP_STATUS_CONFLICT, "already down", [&] { sup.execute(kFailVm1); });
    expect_error(SVP_STATUS_INVALID_SNAPSHOT, "", [] { svp::Supervisor::restore("{}"); });
    // A string_view over a buffer with a NUL inside its length.
    const char with_nul[] = "three-zone\0";
    expect_error(SVP_STATUS_INVALID_ARGUMENT, "NUL byte at offset 10",
                 [&] { svp::example(std::string_view(with_nul, sizeof with_nul)); });
    expect_error(SVP_STATUS_INVALID_UTF8, "offset 5",
                 [] { svp::example(std::string_view("three\xff", 6)); });
}

void test_null_arguments() {
    svp_supervisor *out = reinterpret_cast<svp_supervisor *>(&checks_failed);
    svp_error *raw = nullptr;
    CHECK(svp_supervisor_from_spec_json(nullptr, 0, &out, &raw) == SVP_STATUS_NULL_ARGUMENT);
    svp::ErrorPtr err(raw);
    CHECK(err && svp_error_code(err.get()) == SVP_STATUS_NULL_ARGUMENT);
    CHECK(out == reinterpret_cast<svp_supervisor *>(&checks_failed));
    CHECK(svp_supervisor_report_json(nullptr, nullptr, nullptr, nullptr) ==
          SVP_STATUS_NULL_ARGUMENT);
    svp_supervisor_free(nullptr);
    svp_string_free(nullptr);
    svp_error_free(nullptr);
}

void test_one_handle_shared_between_threads() {
    auto spec = svp::example("three-zone");
    svp_supervisor *raw = nullptr;
    CHECK(svp_supervisor_from_spec_json(spec.data(), spec.size(), &raw, nullptr) == SVP_STATUS_OK);
    svp::SupervisorPtr sup(raw);
    std::atomic<int> applied{0}, unexpected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                std::string request = std::string(R"({"op":")") +
                                      ((t + i) % 2 == 0 ? "fail" : "recover") +
                                      R"(_control_plane_vm","vm":3})";
                char *out = nullptr;
                std::size_t len = 0;
                svp_status s = svp_supervisor_execute(sup.get(), request.data(), request.size(),
                                                      &out, &len, nullptr);
                if (s == SVP_STATUS_OK) {
                    ++applied;
                    svp_string_free(out);
                } else if (s != SVP_STATUS_CONFLICT) {
                    ++unexpected;
                }
                if (svp_supervisor_report_json(sup.get(), &out, &len, nullptr) != SVP_STATUS_OK) {
                    ++unexpected;
                } else {
                    svp_string_free(out);
                }
            }
        });
    }
    for (auto &th : threads) {
        th.join();
    }
    CHECK(unexpected.load() == 0);
    char *report = nullptr;
    std::size_t len = 0;
    CHECK(svp_supervisor_report_json(sup.get(), &report, &len, nullptr) == SVP_STATUS_OK);
    std::string text = svp::take(report, len);
    CHECK(contains(text, "\"journal_length\":" + std::to_string(applied.load())));
}

void test_s15_split_and_r_q_4_typed_admission() {
    CHECK(svp::split_evenly(300, 3) == (std::vector<std::uint64_t>{100, 100, 100}));
    CHECK(svp::split_evenly(301, 3) == (std::vector<std::uint64_t>{101, 100, 100}));
    CHECK(svp::split_evenly(UINT64_MAX, 2) ==
          (std::vector<std::uint64_t>{UINT64_C(1) << 63, (UINT64_C(1) << 63) - 1}));
    expect_error(SVP_STATUS_VALIDATION, "parts", [] { svp::split_evenly(300, 0); });

    auto sup = svp::Supervisor::from_spec(svp::example("three-zone"));
    sup.execute(R"({"op":"create_namespace","name":"web","cpu_limit_mhz":300})");
    sup.execute(R"({"op":"create_namespace","name":"free"})");
    svp_pool_headroom h = sup.admit("web", "zone-a", 60, 1);
    CHECK(h.cpu_mhz == 40 && h.memory_mib == SVP_UNLIMITED);
    expect_error(SVP_STATUS_CAPACITY, "would pass the limit of 100 MHz",
                 [&] { sup.admit("web", "zone-a", 41, 0); });
    expect_error(SVP_STATUS_CONFLICT, "cannot release", [&] { sup.release("web", "zone-a", 61, 1); });
    CHECK(sup.release("web", "zone-a", 60, 1).cpu_mhz == 100);

    // Typed admissions from several threads on one handle: all of them count.
    std::vector<std::thread> threads;
    std::atomic<int> unexpected{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            const char *zones[3] = {"zone-a", "zone-b", "zone-c"};
            for (int i = 0; i < 100; ++i) {
                try {
                    sup.admit("free", zones[(t + i) % 3], 10, 10);
                } catch (const svp::Error &) {
                    ++unexpected;
                }
            }
        });
    }
    for (auto &th : threads) {
        th.join();
    }
    CHECK(unexpected.load() == 0);
    // 2 creates + admit + release + 400 admissions (the refused calls are not journaled).
    CHECK(contains(sup.report(), R"("journal_length":404)"));
}

// The name of the `index`-th {"name":"..."} object after `key` (the report's hosts and zones,
// the nodes view: flat objects that start with their name).
std::string nth_name(const std::string &json, std::string_view key, std::size_t index) {
    std::size_t at = json.find(key);
    for (std::size_t i = 0; at != std::string::npos && i <= index; ++i) {
        at = json.find(R"({"name":")", at);
        if (at != std::string::npos) {
            at += std::strlen(R"({"name":")");
        }
    }
    if (at == std::string::npos) {
        return "";
    }
    return json.substr(at, json.find('"', at) - at);
}

void test_r_p_1_typed_pods_and_the_views() {
    auto plain = svp::Supervisor::from_spec(svp::example("three-zone"));
    plain.execute(R"({"op":"create_namespace","name":"web"})");
    expect_error(SVP_STATUS_UNSUPPORTED, "zonal_vsphere_pods",
                 [&] { plain.place_pod("web", "p", 100, 100); });

    std::string spec = svp::example("three-zone");
    std::size_t name_at = spec.find("\"name\"", spec.find("\"supervisor\""));
    spec.insert(name_at, "\"zonal_vsphere_pods\": true, ");
    auto sup = svp::Supervisor::from_spec(spec);
    sup.execute(R"({"op":"create_namespace","name":"web"})");
    std::string report = sup.report();
    // Positions are fixed for the Supervisor: read the report once, then index into it.
    std::vector<std::string> hosts, zones;
    for (std::size_t i = 0; i < 12; ++i) {
        hosts.push_back(nth_name(report, R"("hosts":[)", i));
    }
    for (std::size_t i = 0; i < 3; ++i) {
        zones.push_back(nth_name(report, R"("zones":[)", i));
    }
    CHECK(zones == (std::vector<std::string>{"zone-a", "zone-b", "zone-c"}));
    for (int i = 0; i < 9; ++i) {
        std::string name = "p-" + std::to_string(i);
        svp_placement p = sup.place_pod("web", name, 2000, 4096);
        CHECK(p.host_index < hosts.size() && p.zone_index < zones.size());
        if (p.host_index < hosts.size() && p.zone_index < zones.size()) {
            CHECK(contains(sup.workloads(), R"("name":")" + name + R"(","zone":")" +
                                                zones[p.zone_index] + R"(","host":")" +
                                                hosts[p.host_index] + "\""));
            CHECK(nth_name(sup.nodes(), "[", p.host_index) == hosts[p.host_index]);
        }
    }
    expect_error(SVP_STATUS_CONFLICT, "already exists", [&] { sup.place_pod("web", "p-0", 1, 1); });
    expect_error(SVP_STATUS_CAPACITY, "0/12 nodes are available: 12 Insufficient memory.",
                 [&] { sup.place_pod("web", "huge", 1, 100000000); });
    expect_error(SVP_STATUS_VALIDATION, "1 (conservative) to 5", [&] { sup.rebalance_plan(9); });
    CHECK(contains(sup.rebalance_plan(3), R"("applied":false)"));

    // Pods from several threads on one handle: all placed, none lost.
    std::vector<std::thread> threads;
    std::atomic<int> unexpected{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                try {
                    sup.place_pod("web", "t" + std::to_string(t) + "-" + std::to_string(i), 10, 10);
                } catch (const svp::Error &) {
                    ++unexpected;
                }
            }
        });
    }
    for (auto &th : threads) {
        th.join();
    }
    CHECK(unexpected.load() == 0);
    // create_namespace + 9 + 100 placements (the refused calls are not journaled).
    CHECK(contains(sup.report(), R"("journal_length":110)"));
}

void test_s6_r_ha_1_what_if_then_fail_and_recover_through_execute() {
    auto sup = svp::Supervisor::from_spec(svp::example("three-zone"));
    CHECK(contains(sup.ha_status("wld-cl-b"), R"({"cluster":"wld-cl-b","policy":"disabled",)"));
    const std::string before = sup.snapshot();
    const std::string what = sup.simulate_failure(R"({"zones":["zone-a"]})");
    CHECK(sup.snapshot() == before);  // byte-identical: a what-if changes nothing
    CHECK(contains(what, R"json("down":["SupervisorControlPlaneVM (1)"])json"));
    CHECK(contains(what, R"("quorum":true,)"));
    CHECK(contains(sup.failure_sweep(2), R"({"hosts_tried":12,"zones_tried":3,"worst":[{)"));
    CHECK(sup.snapshot() == before);

    // The failure reports what the what-if said (its part from "hosts" to "broken_promises").
    std::string failed = sup.execute(R"({"op":"fail_zone","zone":"zone-a"})");
    std::size_t from = what.find(R"("hosts":)"), to = what.find(R"(,"namespaces":)");
    CHECK(failed == R"({"op":"fail_zone",)" + what.substr(from, to - from) + "}");
    CHECK(contains(sup.ha_status("wld-cl-a"), R"("ready_hosts":0,)"));
    std::string back = sup.execute(R"({"op":"recover_zone","zone":"zone-a"})");
    CHECK(contains(back, R"json("restarted_in_place":["SupervisorControlPlaneVM (1)"])json"));
    CHECK(contains(sup.execute(R"({"op":"fail_host","host":"esx-b-01.corp.example"})"),
                   R"("running":3,)"));
    sup.execute(R"({"op":"recover_host","host":"esx-b-01.corp.example"})");

    expect_error(SVP_STATUS_NOT_FOUND, R"(the Supervisor's clusters: "wld-cl-a")",
                 [&] { sup.ha_status("zone-a"); });
    expect_error(SVP_STATUS_NOT_FOUND, R"(host "esx-99" not found)",
                 [&] { sup.simulate_failure(R"({"hosts":["esx-99"]})"); });
    expect_error(SVP_STATUS_VALIDATION, "unknown field \"force\"",
                 [&] { sup.simulate_failure(R"({"zones":["zone-a"],"force":true})"); });
    expect_error(SVP_STATUS_VALIDATION, "malformed JSON",
                 [&] { sup.simulate_failure(R"({"zones":)"); });
    expect_error(SVP_STATUS_CONFLICT, "has not failed",
                 [&] { sup.execute(R"({"op":"recover_host","host":"esx-b-01.corp.example"})"); });
    expect_error(SVP_STATUS_INVALID_UTF8, "`cluster`",
                 [&] { sup.ha_status(std::string_view("wld-cl-\xff", 8)); });
    CHECK(contains(sup.report(), R"("journal_length":4)"));
}

void test_ip_pool_typed_calls_and_their_errors() {
    auto pool = svp::IpPool::from_spec(
        R"({"name":"vip","ranges":["10.0.0.0/24"],"exclusions":["10.0.0.2-10.0.0.3"],)"
        R"("gateway":"10.0.0.1"})");
    std::uint32_t a = pool.allocate();
    CHECK(a == 0x0A000004u && svp::ipv4_text(a) == "10.0.0.4");
    std::uint32_t block = pool.allocate_block(5);
    CHECK(svp::ipv4_text(block) == "10.0.0.5");
    std::uint32_t subnet = pool.allocate_subnet(28);
    CHECK(svp::ipv4_text(subnet) == "10.0.0.16");
    pool.allocate_specific(svp::ipv4("10.0.0.200"));
    svp_ip_pool_counts c = pool.counts();
    CHECK(c.size == 256 && c.free == 228 && c.allocated == 23 && c.reserved == 5);
    CHECK(pool.allocations() == R"([{"kind":"address","range":"10.0.0.4"},)"
                                R"({"kind":"block","range":"10.0.0.5-10.0.0.9"},)"
                                R"({"kind":"subnet","range":"10.0.0.16/28"},)"
                                R"({"kind":"address","range":"10.0.0.200"}])");
    CHECK(pool.contains(svp::ipv4("10.0.0.1")) && pool.is_reserved(svp::ipv4("10.0.0.1")));
    CHECK(pool.is_allocated(svp::ipv4("10.0.0.7")) && !pool.is_free(svp::ipv4("10.0.0.7")));
    CHECK(pool.is_free(svp::ipv4("10.0.0.10")) && !pool.contains(svp::ipv4("10.0.1.0")));

    std::string before = pool.snapshot();
    expect_error(SVP_STATUS_CONFLICT, "release it with release_block(10.0.0.5, 5)",
                 [&] { pool.release(svp::ipv4("10.0.0.6")); });
    expect_error(SVP_STATUS_CONFLICT, "10.0.0.11 is not allocated",
                 [&] { pool.release(svp::ipv4("10.0.0.11")); });
    expect_error(SVP_STATUS_CONFLICT, "not an allocated subnet",
                 [&] { pool.release_subnet(svp::ipv4("10.0.0.8"), 29); });
    expect_error(SVP_STATUS_VALIDATION, "has host bits set",
                 [&] { pool.release_subnet(subnet + 1, 28); });
    expect_error(SVP_STATUS_VALIDATION, "it is the gateway",
                 [&] { pool.allocate_specific(svp::ipv4("10.0.0.1")); });
    expect_error(SVP_STATUS_ADDRESS_EXHAUSTED, "pool \"vip\" has no free aligned /24",
                 [&] { pool.allocate_subnet(24); });
    expect_error(SVP_STATUS_ADDRESS_EXHAUSTED, "block of 300 consecutive free addresses",
                 [&] { pool.allocate_block(300); });
    expect_error(SVP_STATUS_VALIDATION, "is not an IPv4 address", [] { svp::ipv4("10.0.0"); });
    CHECK(pool.snapshot() == before);

    pool.release(a);
    pool.release_block(block, 5);
    pool.release_subnet(subnet, 28);
    expect_error(SVP_STATUS_CONFLICT, "already released", [&] { pool.release(a); });
    c = pool.counts();
    CHECK(c.free == 250 && c.allocated == 1);

    // Snapshots restore byte for byte; bad ones are refused.
    auto copy = svp::IpPool::restore(pool.snapshot());
    CHECK(copy.snapshot() == pool.snapshot());
    expect_error(SVP_STATUS_INVALID_SNAPSHOT, "missing field", [] { svp::IpPool::restore("{}"); });
    expect_error(SVP_STATUS_VALIDATION, "unknown field \"gatway\"", [] {
        svp::IpPool::from_spec(R"({"name":"p","ranges":["10.0.0.0/24"],"gatway":"10.0.0.1"})");
    });
    expect_error(SVP_STATUS_VALIDATION, "ranges[1]: \"10.0.1.300\" is not an IPv4 address", [] {
        svp::IpPool::from_spec(R"({"name":"p","ranges":["10.0.0.0/24","10.0.1.300"]})");
    });
    expect_error(SVP_STATUS_INVALID_UTF8, "`spec_json`",
                 [] { svp::IpPool::from_spec(std::string_view("{\"name\":\"\xff\"}", 12)); });
}

void test_ip_pool_slash_31_and_slash_32_then_exhausted() {
    auto pool = svp::IpPool::from_spec(R"({"name":"p2p","ranges":["10.0.0.0/31","10.0.0.9/32"]})");
    CHECK(pool.counts().reserved == 0);
    CHECK(svp::ipv4_text(pool.allocate()) == "10.0.0.0");
    CHECK(svp::ipv4_text(pool.allocate()) == "10.0.0.1");
    CHECK(svp::ipv4_text(pool.allocate()) == "10.0.0.9");
    expect_error(SVP_STATUS_ADDRESS_EXHAUSTED, "3 addresses, 0 free, 3 allocated, 0 reserved",
                 [&] { pool.allocate(); });
}

void test_ip_pool_shared_between_threads_hands_out_each_address_once() {
    auto pool = svp::IpPool::from_spec(R"({"name":"pods","ranges":["10.244.0.0/21"]})");
    std::vector<std::vector<std::uint32_t>> got(4);
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::uint32_t first = 0;
                svp_status s = (i % 3 == 2)
                                   ? svp_ip_pool_allocate_block(pool.get(), 2, &first, nullptr)
                                   : svp_ip_pool_allocate(pool.get(), &first, nullptr);
                if (s != SVP_STATUS_OK) {
                    ++unexpected;
                    continue;
                }
                got[t].push_back(first);
                if (i % 3 == 2) {
                    got[t].push_back(first + 1);
                }
            }
        });
    }
    for (auto &th : threads) {
        th.join();
    }
    CHECK(unexpected.load() == 0);
    std::vector<std::uint32_t> all;
    for (const auto &mine : got) {
        all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());  // each address once
    CHECK(pool.counts().allocated == all.size());
    CHECK(svp::ipv4_text(all.front()) == "10.244.0.1");  // lowest first, nothing skipped
    CHECK(all.back() - all.front() + 1 == all.size());
}

}  // namespace

int main() {
    const std::pair<const char *, void (*)()> tests[] = {
        {"test_version", test_version},
        {"test_examples_enable_and_report", test_examples_enable_and_report},
        {"test_r_ip_4_floating_ip_moves_when_holder_fails",
         test_r_ip_4_floating_ip_moves_when_holder_fails},
        {"test_snapshot_restore_report_equal", test_snapshot_restore_report_equal},
        {"test_errors_become_exceptions", test_errors_become_exceptions},
        {"test_null_arguments", test_null_arguments},
        {"test_one_handle_shared_between_threads", test_one_handle_shared_between_threads},
        {"test_s15_split_and_r_q_4_typed_admission", test_s15_split_and_r_q_4_typed_admission},
        {"test_r_p_1_typed_pods_and_the_views", test_r_p_1_typed_pods_and_the_views},
        {"test_s6_r_ha_1_what_if_then_fail_and_recover_through_execute",
         test_s6_r_ha_1_what_if_then_fail_and_recover_through_execute},
        {"test_ip_pool_typed_calls_and_their_errors", test_ip_pool_typed_calls_and_their_errors},
        {"test_ip_pool_slash_31_and_slash_32_then_exhausted",
         test_ip_pool_slash_31_and_slash_32_then_exhausted},
        {"test_ip_pool_shared_between_threads_hands_out_each_address_once",
         test_ip_pool_shared_between_threads_hands_out_each_address_once},
    };
    int passed = 0, failed = 0;
    for (const auto &[name, fn] : tests) {
        int before = checks_failed;
        try {
            fn();
        } catch (const std::exception &e) {
            ++checks_failed;
            std::fprintf(stderr, "  unexpected exception: %s\n", e.what());
        }
        if (checks_failed == before) {
            ++passed;
            std::printf("ok   %s\n", name);
        } else {
            ++failed;
            std::printf("FAIL %s\n", name);
        }
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
