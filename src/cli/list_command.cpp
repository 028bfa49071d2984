#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "isobench/error.hpp"
#include "report/json_reporter.hpp"

namespace isobench::detail::cli {

namespace {

nlohmann::json to_json(const kernel_info& k) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : k.params) {
    nlohmann::json j = {{"name", p.name}, {"type", to_string(p.type)}, {"description", p.description}};
    if (p.default_value) std::visit([&](const auto& v) { j["default"] = v; }, *p.default_value);
    if (p.min_value) j["min"] = *p.min_value;
    params.push_back(std::move(j));
  }
  nlohmann::json devices = nlohmann::json::array();
  for (auto d : k.devices) devices.push_back(to_string(d));
  nlohmann::json dtypes = nlohmann::json::array();
  for (auto t : k.dtypes) dtypes.push_back(to_string(t));
  return {{"name", k.full_name()},
          {"op", k.op},
          {"impl", k.impl},
          {"category", to_string(k.category)},
          {"devices", devices},
          {"dtypes", dtypes},
          {"description", k.description},
          {"params", params},
          {"isa", k.isa},
          {"sources", k.sources},
          {"keywords", k.keywords},
          {"has_flops", static_cast<bool>(k.flops)},
          {"has_bytes", static_cast<bool>(k.bytes)}};
}

std::string join_names(const auto& items) {
  std::vector<std::string> names;
  for (const auto& x : items) names.emplace_back(to_string(x));
  return fmt::format("{}", fmt::join(names, ","));
}

}  // namespace

command add_list_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("list", "List the registered kernels");
  auto json = std::make_shared<bool>(false);
  auto target = std::make_shared<std::string>();
  sub->add_flag("--json", *json, "Print JSON");
  sub->add_option("--target", *target, "Only this op");

  return {sub, [&ctx, json, target] {
            if (!target->empty() && !ctx.reg.has_op(*target)) {
              auto close = ctx.reg.suggest(*target);
              throw error(exit_code::target_not_resolved,
                          fmt::format("unknown target '{}'{}", *target,
                                      close.empty() ? "" : fmt::format("; did you mean {}?", fmt::join(close, ", "))));
            }
            const auto kernels = ctx.reg.list(*target);
            if (*json) {
              nlohmann::json arr = nlohmann::json::array();
              for (const auto* k : kernels) arr.push_back(to_json(*k));
              ctx.out << arr.dump(2) << '\n';
              return 0;
            }
            for (const auto* k : kernels) {
              std::vector<std::string> ps;
              for (const auto& p : k->params) {
                ps.push_back(p.default_value ? fmt::format("{}={}", p.name, isobench::to_string(*p.default_value))
                                             : p.name);
              }
              ctx.out << fmt::format("{:<22} {:<15} {:<9} {:<10} {}\n", k->full_name(), to_string(k->category),
                                     join_names(k->devices), join_names(k->dtypes), k->description);
              ctx.out << fmt::format("{:<22} params: {}\n", "", fmt::join(ps, " "));
              if (!k->sources.empty()) ctx.out << fmt::format("{:<22} sources: {}\n", "", fmt::join(k->sources, " "));
            }
            return 0;
          }};
}

}  // namespace isobench::detail::cli
