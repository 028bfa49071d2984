#pragma once
// `isobench selfcheck`: measures the harness's own error rates on this machine, with the spin
// kernel as code whose speed is known. For each mode (interleaved A/B inside one run; compare of
// separate runs) and each injected effect (0 = A/A, +5%, +2% slower), it runs many independent
// verdicts exactly as CI would (each run is a fresh isobench process) and counts how often a
// difference was found, and how long each verdict took.

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace isobench::detail {

struct selfcheck_options {
  std::vector<std::string> modes = {"interleaved", "separate"};
  std::vector<double> effects = {0.0, 0.05, 0.02};  // relative slowdowns of the head
  // Kernel classes (kernel_classes()): spin (compute, no memory) and memory-bound kernels at L1,
  // L2 and DRAM sizes, each with its injected slowdown.
  std::vector<std::string> classes = {"spin"};
  int comparisons = 200;     // per mode and effect
  double kernel_ms = 1.0;    // spin duration, calibrated once
  int runs_per_side = 10;    // separate mode: enough for the rank test to
                             // survive one disturbed run at alpha 0.01
  double run_time_s = 0.08;  // separate mode: min_time_s of each run
  double alpha = 0.01;
  double noise_threshold = 0.02;  // the spec default
  // More fields of every spec's "verdict" object (a JSON object's members without the braces, e.g.
  // "max_launches": 30): to measure the error rates of other settings.
  std::string verdict_fields;
  std::string pin_cpu;  // passed to every run
  std::filesystem::path work_dir;
  std::uint64_t seed = 1;
};

// A kind of code the self-check measures: its implementations (baseline = candidate at scale 1)
// and workload parameters.
struct kernel_class {
  std::string name;
  std::string baseline, candidate;  // the candidate takes "scale"
  std::string dtype;
  std::string params;  // JSON members of the workload, without "scale"
  std::string description;
};
// Every class, the spin chain sized to `spin_iterations`.
std::vector<kernel_class> kernel_classes(std::int64_t spin_iterations);

struct scenario_result {
  std::string kernel_class;
  std::string mode;
  double effect = 0.0;
  int comparisons = 0;
  int significant = 0;            // p (Holm-adjusted) < alpha, either direction
  int detected = 0;               // significant and in the injected direction (effect > 0)
  int flagged = 0;                // verdict REGRESSED or IMPROVED (test + noise threshold)
  std::vector<double> verdict_s;  // wall time of each verdict, process starts included
  std::vector<double> speedups;
  std::vector<double> p_adjusted;
  std::vector<double> overhead_pct;  // builds mode: coordination overhead of each verdict's rounds
  std::vector<double> p50_ms;        // processes mode: each separate process's p50 per call
  // Each verdict object (compact JSON, with its wall time): so a false alarm can be read afterwards
  // (its launches, layout sensitivity, stop reason), not only counted.
  std::vector<std::string> verdicts;
  // Verdicts that would flag a change at another noise threshold (same data, same test).
  [[nodiscard]] int flagged_at(double threshold, double alpha) const;
};

std::vector<scenario_result> run_selfcheck(const selfcheck_options& o, std::ostream& progress);
void print_selfcheck(const std::vector<scenario_result>& results, const selfcheck_options& o, std::ostream& os);
nlohmann::json selfcheck_to_json(const std::vector<scenario_result>& results, const selfcheck_options& o);

}  // namespace isobench::detail
