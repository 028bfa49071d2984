#include <unistd.h>

#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "io/atomic_file.hpp"
#include "selfcheck/selfcheck.hpp"

namespace isobench::detail::cli {

command add_selfcheck_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "selfcheck", "Measure this machine's false-positive and detection rates of isobench's verdicts (slow)");
  auto o = std::make_shared<selfcheck_options>();
  auto json_file = std::make_shared<std::string>();
  o->work_dir = std::filesystem::temp_directory_path() / fmt::format("isobench-selfcheck-{}", ::getpid());
  sub->add_option("--mode", o->modes,
                  "interleaved, separate, builds (isobench ab of two builds) and/or processes (one build's p50 in "
                  "separate processes)")
      ->check(CLI::IsMember({"interleaved", "separate", "builds", "processes"}))
      ->capture_default_str();
  sub->add_option("--class", o->classes,
                  "Kernel classes: spin, rmsnorm_l1, rmsnorm_l1x4, silu_l1, softmax_l2, rmsnorm_l2, rmsnorm_dram")
      ->check(
          CLI::IsMember({"spin", "rmsnorm_l1", "rmsnorm_l1x4", "silu_l1", "softmax_l2", "rmsnorm_l2", "rmsnorm_dram"}))
      ->capture_default_str();
  sub->add_option("--effects", o->effects, "Injected slowdowns (0 = A/A)")
      ->check(finite_range(0.0, 10.0))
      ->capture_default_str();
  sub->add_option("--comparisons", o->comparisons, "Verdicts per mode and effect")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--kernel-ms", o->kernel_ms, "Duration of the spin kernel")
      ->check(finite_range(0.0, 1e4, true))
      ->capture_default_str();
  sub->add_option("--runs-per-side", o->runs_per_side, "Separate mode: runs per side")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  sub->add_option("--run-time", o->run_time_s, "Separate mode: seconds of timed work per run")
      ->check(finite_range(0.0, 3600.0, true))
      ->capture_default_str();
  sub->add_option("--alpha", o->alpha, "Significance level")->check(finite_range(1e-6, 0.5))->capture_default_str();
  sub->add_option("--threshold", o->noise_threshold, "Noise threshold (fraction)")
      ->check(finite_range(0.0, 1.0))
      ->capture_default_str();
  sub->add_option("--verdict-fields", o->verdict_fields,
                  "More members of each spec's verdict object, e.g. '\"max_launches\": 30'");
  sub->add_option("--pin-cpu", o->pin_cpu, "Pass --pin-cpu to every run");
  sub->add_option("--work-dir", o->work_dir, "Scratch directory");
  sub->add_option("--seed", o->seed, "Seed of the run-order randomisation")->capture_default_str();
  sub->add_option("--json", *json_file, "Write the figures as JSON");
  return {sub, [&ctx, o, json_file] {
            const auto results = run_selfcheck(*o, ctx.err);
            print_selfcheck(results, *o, ctx.out);
            if (!json_file->empty()) {
              write_file_atomic(*json_file, selfcheck_to_json(results, *o).dump(2) + "\n", overwrite::allow);
            }
            std::filesystem::remove_all(o->work_dir);
            return 0;
          }};
}

}  // namespace isobench::detail::cli
