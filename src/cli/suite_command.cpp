// `isobench suite FILE`: every case of a torchao config or JSON suite, each in its own process.
#include <unistd.h>

#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "device/device.hpp"
#include "isobench/error.hpp"
#include "suite/suite.hpp"
#include "suite/suite_runner.hpp"

namespace isobench::cli {

command add_suite_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "suite",
      "Run a suite (torchao microbenchmark YAML or JSON): each case in a child process with limits, "
      "results as JSON and torchao's CSV");
  struct options {
    std::string file, out, pin_cpu;
    bool resume = false, force = false, list = false;
    double timeout_s = 600.0;
    double memory_mib = 0.0;
  };
  auto o = std::make_shared<options>();
  sub->add_option("suite", o->file, "Suite file: .yaml/.yml (torchao) or .json")->required();
  sub->add_option("--out", o->out, "Output directory (default: the suite's output_dir)");
  sub->add_flag("--resume", o->resume, "Keep the finished cases of an earlier run and run the rest");
  sub->add_flag("--force", o->force, "Start over even if results of an earlier run exist");
  sub->add_flag("--list", o->list, "List the cases (and why any would be skipped) without running them");
  sub->add_option("--case-timeout-s", o->timeout_s, "Wall-time limit of one case (its process group is killed)")
      ->check(finite_range(0.1, 7 * 24 * 3600.0))
      ->capture_default_str();
  sub->add_option("--case-memory-mib", o->memory_mib,
                  "Address-space limit of one CPU case in MiB (default: 90% of physical memory)")
      ->check(finite_range(16.0, 1e9));
  sub->add_option("--pin-cpu", o->pin_cpu, "Passed to every case's `isobench run`, e.g. 1 or 2-3");
  return {sub, [&ctx, o] {
            if (o->resume && o->force) throw config_error("--resume and --force exclude each other");
            const auto cuda = probe_cuda();
            const auto s = load_suite(o->file, ctx.reg, {cuda.available, cuda.reason});
            for (const auto& n : s.notes) ctx.err << "isobench suite: " << n << '\n';
            if (o->list) {
              for (const auto& c : s.cases) {
                ctx.out << c.id << (c.skip_reason.empty() ? "" : "  [skipped: " + c.skip_reason + "]") << '\n';
              }
              return 0;
            }
            suite_options so;
            so.out_dir = o->out;
            so.resume = o->resume;
            so.force = o->force;
            so.case_timeout_s = o->timeout_s;
            if (o->memory_mib > 0) so.case_memory_bytes = static_cast<std::size_t>(o->memory_mib * 1048576.0);
            if (!o->pin_cpu.empty()) so.run_args = {"--pin-cpu", o->pin_cpu};
            so.terminal = ::isatty(STDERR_FILENO) == 1;
            ctx.err << fmt::format("isobench suite {}: {} cases ({})\n", s.name, s.cases.size(), s.source);
            const auto r = run_suite(s, so, ctx.err);
            ctx.err << fmt::format(
                "isobench suite {}: {} ok, {} failed, {} crashed, {} timed out, {} skipped{} -> {}\n", s.name,
                r.count(case_status::ok), r.count(case_status::failed), r.count(case_status::crashed),
                r.count(case_status::timed_out), r.count(case_status::skipped),
                r.interrupted
                    ? fmt::format(", interrupted after {} of {} (--resume continues)", r.records.size(), s.cases.size())
                    : "",
                r.results_csv.string());
            if (r.interrupted) return 130;
            const bool bad =
                r.count(case_status::failed) + r.count(case_status::crashed) + r.count(case_status::timed_out) > 0;
            return bad ? static_cast<int>(exit_code::gate_failed) : 0;
          }};
}

}  // namespace isobench::cli
