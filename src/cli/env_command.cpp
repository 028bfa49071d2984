#include <memory>
#include <set>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "device/device.hpp"
#include "env/host_info.hpp"
#include "timing/clock.hpp"

namespace isobench::detail::cli {

command add_env_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("env", "Print the environment fingerprint recorded in results");
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "Print JSON");

  return {
      sub, [&ctx, json] {
        auto host = collect_host_info();
        timing::steady_clock clock;
        host.timer_overhead_ns = timing::estimate_timer_overhead_s(clock) * 1e9;
        // The vector paths the registered CPU kernels were compiled for (kernels may still pick
        // another at run time: results record the one each case ran).
        std::set<std::string> kernel_isas;
        for (const auto* k : ctx.reg.list()) {
          if (k->supports(device_kind::cpu)) kernel_isas.insert(k->isa);
        }
        const auto cuda = probe_cuda();
        if (*json) {
          auto j = to_json(host);
          j["kernel_isas"] = kernel_isas;
          j["cuda"] = to_json(cuda);
          ctx.out << j.dump(2) << '\n';
          return 0;
        }
        ctx.out << fmt::format("isobench      {} ({})\n", host.isobench_version, host.git_revision);
        if (!host.user_project.empty()) {
          ctx.out << fmt::format("built by      {} ({})\n", host.user_project, host.user_revision);
        }
        ctx.out << fmt::format("cpu           {} ({} logical CPUs)\n", host.cpu_model, host.logical_cpus);
        for (const auto& c : host.caches) {
          ctx.out << fmt::format("cache         L{} {:<11} {} KiB\n", c.level, c.type, c.size_bytes >> 10);
        }
        ctx.out << fmt::format("memory        {:.1f} GiB\n", static_cast<double>(host.memory_bytes) / (1u << 30));
        ctx.out << fmt::format("os            {} | {}\n", host.os, host.kernel);
        ctx.out << fmt::format("governor      {}\n", host.cpu_governor.empty() ? "(not exposed)" : host.cpu_governor);
        ctx.out << fmt::format("build         {} | {} | {} | kernels: {}\n", host.build_type, host.compiler,
                               host.cxx_flags, host.kernel_cxx_flags);
        ctx.out << fmt::format("isa           cpu runs {}; CPU kernels compiled for {} (-march={})\n", host.cpu_isa,
                               fmt::join(kernel_isas, ", "),
                               host.kernel_arch.empty() ? "compiler default" : host.kernel_arch);
        ctx.out << fmt::format("timer         steady_clock, {:.1f} ns per reading (median)\n", *host.timer_overhead_ns);
        if (!cuda.available) {
          ctx.out << fmt::format("cuda          unavailable: {}\n", cuda.reason);
        } else {
          const auto& g = *cuda.gpu;
          ctx.out << fmt::format(
              "gpu           {} (sm_{}{}), {} SMs, {:.1f} GiB, {}-bit bus, {:.0f} GB/s peak, L2 {} MiB\n", g.name,
              g.cc_major, g.cc_minor, g.sm_count, static_cast<double>(g.memory_bytes) / (1u << 30), g.bus_width_bits,
              g.peak_bandwidth_gbps, g.l2_bytes >> 20);
          ctx.out << fmt::format("gpu clocks    {} MHz core, {} MHz memory, ECC {}, MIG {}\n", g.clock_khz / 1000,
                                 g.memory_clock_khz / 1000, g.ecc ? "on" : "off", mig_profile(g).value_or("off"));
          ctx.out << fmt::format("gpu peak      {:.1f} TFLOP/s fp32, {:.1f} TFLOP/s fp16/bf16 tensor (dense)\n",
                                 peak_tflops(g, dtype::f32), peak_tflops(g, dtype::f16));
        }
        ctx.out << fmt::format("cuda versions driver {}, runtime {}\n", cuda.driver_version, cuda.runtime_version);
        return 0;
      }};
}

}  // namespace isobench::detail::cli
