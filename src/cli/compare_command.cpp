#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "compare/compare_runs.hpp"
#include "io/atomic_file.hpp"
#include "isobench/error.hpp"
#include "report/verdict_reporter.hpp"

namespace isobench::detail::cli {

namespace {

struct compare_args {
  std::vector<std::string> positional;
  std::vector<std::string> base;
  std::vector<std::string> head;
  std::optional<double> claim;
  double claim_tolerance = 0.8;
  double threshold_pct = 2.0;
  double alpha = 0.01;
  bool allow_env_mismatch = false;
  std::string json_file, junit_file, markdown_file;
};

}  // namespace

// Writes each requested CI output of a verdict report; shared with `run`.
void write_verdict_outputs(const verdict_report& r, const std::string& json_file, const std::string& junit_file,
                           const std::string& markdown_file) {
  const std::pair<const std::string*, const char*> outputs[] = {
      {&json_file, "json"}, {&junit_file, "junit"}, {&markdown_file, "markdown"}};
  for (const auto& [file, format] : outputs) {
    if (file->empty()) continue;
    std::ostringstream s;
    make_verdict_reporter(format)->report(r, s);
    write_file_atomic(*file, s.str(), overwrite::allow);
  }
}

command add_compare_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("compare", "Judge head result files against base result files");
  auto a = std::make_shared<compare_args>();
  sub->add_option("files", a->positional, "BASE.json HEAD.json")->expected(0, 2);
  sub->add_option("--base", a->base,
                  "Base result files, one per run (>= 2 runs per side test run medians: Welch's t from 2, "
                  "Mann-Whitney from 6; 10 recommended)");
  sub->add_option("--head", a->head, "Head result files");
  sub->add_option("--claim", a->claim, "Claimed speedup (head faster by this factor) for PASS/PARTIAL/FAIL")
      ->check(finite_range(0.0, 1e6, true));
  sub->add_option("--claim-tolerance", a->claim_tolerance, "Fraction of the claim that must be shown")
      ->check(finite_range(0.01, 1.0))
      ->capture_default_str();
  sub->add_option("--threshold", a->threshold_pct, "Noise threshold in percent")
      ->check(finite_range(0.0, 100.0))
      ->capture_default_str();
  sub->add_option("--alpha", a->alpha, "Significance level (after Holm across workloads)")
      ->check(finite_range(1e-9, 0.5))
      ->capture_default_str();
  sub->add_flag("--allow-env-mismatch", a->allow_env_mismatch, "Compare results from different environments");
  sub->add_option("--json", a->json_file, "Write the verdicts as JSON");
  sub->add_option("--junit", a->junit_file, "Write JUnit XML (one testcase per spec x workload x implementation)");
  sub->add_option("--markdown", a->markdown_file, "Write a markdown summary for a PR comment or job summary");

  return {sub, [&ctx, a] {
            if (!a->positional.empty() && (!a->base.empty() || !a->head.empty())) {
              throw config_error("give BASE HEAD, or --base/--head, not both");
            }
            if (a->positional.size() == 1) throw config_error("compare needs BASE.json and HEAD.json");
            if (a->positional.size() == 2) {
              a->base = {a->positional[0]};
              a->head = {a->positional[1]};
            }
            if (a->base.empty() || a->head.empty()) throw config_error("compare needs base and head result files");
            std::vector<loaded_result> base, head;
            for (const auto& f : a->base) base.push_back(load_result(f));
            for (const auto& f : a->head) head.push_back(load_result(f));
            compare_options o;
            o.policy.alpha = a->alpha;
            o.policy.noise_threshold = a->threshold_pct / 100.0;
            if (a->claim) o.policy.claim = claim{*a->claim, a->claim_tolerance};
            o.allow_env_mismatch = a->allow_env_mismatch;
            auto rep = compare_results(base, head, o);
            verdict_report vr{
                fmt::format("isobench compare: {} run(s) of base vs {} run(s) of head", base.size(), head.size()),
                rep.policy, std::move(rep.verdicts), std::move(rep.notes)};
            make_verdict_reporter("text")->report(vr, ctx.out);
            write_verdict_outputs(vr, a->json_file, a->junit_file, a->markdown_file);
            return vr.gate_failures() > 0 ? static_cast<int>(exit_code::gate_failed) : 0;
          }};
}

}  // namespace isobench::detail::cli
