#include "runner/plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "env/cpu_isa.hpp"
#include "isobench/error.hpp"
#include "isobench/random.hpp"
#include "spec/json_reader.hpp"

namespace isobench::detail {

std::uint64_t workload_seed(const spec& s, const workload& w) {
  return w.seed ? *w.seed : gen::derive_seed(s.seed, w.name);
}

std::vector<const workload*> select_workloads(const spec& s, const std::vector<std::string>& only) {
  for (const auto& name : only) {
    if (std::none_of(s.workloads.begin(), s.workloads.end(), [&](const auto& w) { return w.name == name; })) {
      throw config_error(fmt::format("{}: no workload named '{}'", s.source, name));
    }
  }
  std::vector<const workload*> out;
  for (const auto& w : s.workloads) {
    if (only.empty() || std::find(only.begin(), only.end(), w.name) != only.end()) out.push_back(&w);
  }
  return out;
}

namespace {

std::string expected_text(const param_spec& p) {
  switch (p.type) {
    case param_type::integer:
      return p.min_value ? fmt::format("an integer >= {}", static_cast<std::int64_t>(*p.min_value)) : "an integer";
    case param_type::number: return "a number";
    case param_type::boolean: return "true or false";
    case param_type::string: return "a string";
  }
  return "a value";
}

std::string describe(const params::value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::int64_t>)
          return fmt::format("integer {}", x);
        else if constexpr (std::is_same_v<T, double>)
          return fmt::format("number {}", x);
        else if constexpr (std::is_same_v<T, bool>)
          return fmt::format("boolean {}", x);
        else
          return fmt::format("string \"{}\"", x);
      },
      v);
}

bool matches(const param_spec& p, const params::value& v) {
  switch (p.type) {
    case param_type::integer: {
      const auto* i = std::get_if<std::int64_t>(&v);
      return i != nullptr && (!p.min_value || static_cast<double>(*i) >= *p.min_value);
    }
    case param_type::number: {
      const double x = std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v))
                       : std::holds_alternative<double>(v)     ? std::get<double>(v)
                                                               : NAN;
      return std::isfinite(x) && (!p.min_value || x >= *p.min_value);
    }
    case param_type::boolean: return std::holds_alternative<bool>(v);
    case param_type::string: return std::holds_alternative<std::string>(v);
  }
  return false;
}

params bind_params(const spec& s, const workload& w, const kernel_info& k) {
  const auto pointer = fmt::format("/workloads/{}", w.index);
  params bound;
  for (const auto& p : k.params) {
    if (w.values.contains(p.name)) {
      const auto& v = w.values.items().find(p.name)->second;
      if (!matches(p, v)) {
        throw_spec_error(
            s.source, fmt::format("{}/{}", pointer, p.name),
            fmt::format("expected {} ({} of {}), got {}", expected_text(p), p.description, k.full_name(), describe(v)));
      }
      bound.set(p.name, v);
    } else if (p.default_value) {
      bound.set(p.name, *p.default_value);
    } else {
      throw_spec_error(s.source, pointer,
                       fmt::format("missing parameter '{}' ({}) required by {}: expected {}", p.name, p.description,
                                   k.full_name(), expected_text(p)));
    }
  }
  return bound;
}

}  // namespace

plan make_plan(const spec& s, const registry& reg, const cuda_status& cuda, const std::vector<std::string>& only) {
  plan pl;
  // Names first, so a typo is reported as such even when the device is missing too.
  for (const auto& ref : s.implementations) {
    try {
      (void)reg.resolve(s.target, ref.name, device_kind::cpu);
    } catch (const error& e) {
      // Exists, for another device: decided below.
      if (e.code() != exit_code::unsupported) throw error(e.code(), fmt::format("{}: {}", s.source, e.what()));
    }
  }
  pl.device = resolve_device(s.device, cuda);
  for (const auto& ref : s.implementations) {
    try {
      pl.impls.push_back({&reg.resolve(s.target, ref.name, pl.device), ref.role});
    } catch (const error& e) {
      throw error(e.code(), fmt::format("{}: {}", s.source, e.what()));
    }
  }
  if (pl.impls.size() == 2 && pl.impls[0].info == pl.impls[1].info) {
    throw_spec_error(s.source, "/implementations", "baseline and candidate name the same implementation");
  }
  for (const auto& im : pl.impls) {
    if (pl.device == device_kind::cpu && !cpu_supports_isa(im.info->isa)) {
      throw error(exit_code::unsupported,
                  fmt::format("{}: {} was compiled for {}, which this CPU ({}) does not run; rebuild with "
                              "-DISOBENCH_KERNEL_ARCH=native on this machine",
                              s.source, im.info->full_name(), im.info->isa, best_cpu_isa()));
    }
    if (!im.info->supports(s.type)) {
      std::vector<std::string_view> names;
      for (auto t : im.info->dtypes) names.push_back(to_string(t));
      throw error(exit_code::unsupported, fmt::format("{}: {} does not support dtype {} (it supports {})", s.source,
                                                      im.info->full_name(), to_string(s.type), fmt::join(names, ", ")));
    }
  }

  for (const auto* selected : select_workloads(s, only)) {
    const auto& w = *selected;
    // A parameter no implementation declares is almost always a typo.
    for (const auto& [key, value] : w.values.items()) {
      const bool known = std::any_of(pl.impls.begin(), pl.impls.end(),
                                     [&k = key](const auto& im) { return im.info->find_param(k) != nullptr; });
      if (!known) {
        std::vector<std::string> declared;
        for (const auto& im : pl.impls) {
          for (const auto& p : im.info->params) declared.push_back(p.name);
        }
        std::sort(declared.begin(), declared.end());
        declared.erase(std::unique(declared.begin(), declared.end()), declared.end());
        throw_spec_error(
            s.source, fmt::format("/workloads/{}/{}", w.index, key),
            fmt::format("unknown parameter for target {} (known: {})", s.target, fmt::join(declared, ", ")));
      }
    }
    planned_workload pw{w.name, w.index, workload_seed(s, w), w.values, {}};
    for (const auto& im : pl.impls) pw.per_impl.push_back(bind_params(s, w, *im.info));
    pl.workloads.push_back(std::move(pw));
  }
  return pl;
}

std::vector<reference_workload> reference_workloads(const plan& p) {
  std::vector<reference_workload> out;
  for (const auto& w : p.workloads) out.push_back({w.name, w.values, w.seed});
  return out;
}

}  // namespace isobench::detail
