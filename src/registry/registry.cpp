#include "isobench/registry.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "isobench/error.hpp"
#include "registry/suggest.hpp"

namespace isobench {

std::string_view to_string(category c) noexcept {
  switch (c) {
    case category::kernel: return "kernel";
    case category::algorithm: return "algorithm";
    case category::memory: return "memory";
    case category::parallelization: return "parallelization";
  }
  return "kernel";
}

template <>
std::optional<category> from_string<category>(std::string_view text) noexcept {
  static constexpr category all[] = {category::kernel, category::algorithm, category::memory,
                                     category::parallelization};
  return from_string_among(text, all);
}

std::string_view to_string(param_type t) noexcept {
  switch (t) {
    case param_type::integer: return "integer";
    case param_type::number: return "number";
    case param_type::boolean: return "boolean";
    case param_type::string: return "string";
  }
  return "integer";
}

template <>
std::optional<param_type> from_string<param_type>(std::string_view text) noexcept {
  static constexpr param_type all[] = {param_type::integer, param_type::number, param_type::boolean,
                                       param_type::string};
  return from_string_among(text, all);
}

bool kernel_info::supports(device_kind d) const {
  return std::find(devices.begin(), devices.end(), d) != devices.end();
}

bool kernel_info::supports(dtype t) const {
  return std::find(dtypes.begin(), dtypes.end(), t) != dtypes.end();
}

const param_spec* kernel_info::find_param(std::string_view name) const {
  auto it = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.name == name; });
  return it == params.end() ? nullptr : &*it;
}

isobench::params kernel_info::with_defaults(isobench::params values) const {
  for (const auto& p : params) {
    if (!values.contains(p.name) && p.default_value) values.set(p.name, *p.default_value);
  }
  return values;
}

kernel_builder& kernel_builder::category(isobench::category c) {
  m_info->category = c;
  return *this;
}

kernel_builder& kernel_builder::devices(std::initializer_list<device_kind> d) {
  m_info->devices.assign(d);
  return *this;
}

kernel_builder& kernel_builder::dtypes(std::initializer_list<dtype> t) {
  m_info->dtypes.assign(t);
  return *this;
}

kernel_builder& kernel_builder::description(std::string text) {
  m_info->description = std::move(text);
  return *this;
}

kernel_builder& kernel_builder::int_param(std::string name, std::string description,
                                          std::optional<std::int64_t> default_value, std::int64_t min_value) {
  param_spec p{std::move(name), param_type::integer, std::move(description), std::nullopt,
               static_cast<double>(min_value)};
  if (default_value) p.default_value = *default_value;
  m_info->params.push_back(std::move(p));
  return *this;
}

kernel_builder& kernel_builder::number_param(std::string name, std::string description,
                                             std::optional<double> default_value) {
  param_spec p{std::move(name), param_type::number, std::move(description), std::nullopt, 0.0};
  if (default_value) p.default_value = *default_value;
  m_info->params.push_back(std::move(p));
  return *this;
}

kernel_builder& kernel_builder::bool_param(std::string name, std::string description,
                                           std::optional<bool> default_value) {
  param_spec p{std::move(name), param_type::boolean, std::move(description), std::nullopt, std::nullopt};
  if (default_value) p.default_value = *default_value;
  m_info->params.push_back(std::move(p));
  return *this;
}

kernel_builder& kernel_builder::isa(std::string name) {
  m_info->isa = std::move(name);
  return *this;
}

kernel_builder& kernel_builder::keywords(std::initializer_list<std::string> words) {
  m_info->keywords.insert(m_info->keywords.end(), words.begin(), words.end());
  return *this;
}

kernel_builder& kernel_builder::sources(std::initializer_list<std::string> paths) {
  m_info->sources.insert(m_info->sources.end(), paths.begin(), paths.end());
  return *this;
}

kernel_builder& kernel_builder::flops(formula f) {
  m_info->flops = std::move(f);
  return *this;
}

kernel_builder& kernel_builder::bytes(formula f) {
  m_info->bytes = std::move(f);
  return *this;
}

registry& registry::global() {
  static registry instance;
  return instance;
}

kernel_builder registry::add(std::string op, std::string impl, kernel_factory factory) {
  kernel_info info;
  info.op = std::move(op);
  info.impl = std::move(impl);
  info.factory = std::move(factory);
  m_entries.push_back(std::move(info));
  return kernel_builder(m_entries.back());
}

const kernel_info* registry::find(std::string_view full_name) const {
  auto it = std::find_if(m_entries.begin(), m_entries.end(),
                         [&](const kernel_info& k) { return k.full_name() == full_name; });
  return it == m_entries.end() ? nullptr : &*it;
}

const kernel_info* registry::find(std::string_view full_name, device_kind device) const {
  auto it = std::find_if(m_entries.begin(), m_entries.end(),
                         [&](const kernel_info& k) { return k.full_name() == full_name && k.supports(device); });
  return it == m_entries.end() ? nullptr : &*it;
}

void registry::validate() const {
  for (auto a = m_entries.begin(); a != m_entries.end(); ++a) {
    for (auto b = std::next(a); b != m_entries.end(); ++b) {
      if (a->full_name() != b->full_name()) continue;
      for (auto d : a->devices) {
        if (b->supports(d)) {
          // Two registrations of one name on one device is a build mistake; fail loudly.
          throw error(exit_code::internal_error,
                      fmt::format("kernel '{}' is registered twice for {}", a->full_name(), to_string(d)));
        }
      }
    }
  }
}

bool registry::has_op(std::string_view op) const {
  return std::any_of(m_entries.begin(), m_entries.end(), [&](const kernel_info& k) { return k.op == op; });
}

std::vector<const kernel_info*> registry::list(std::string_view op) const {
  std::vector<const kernel_info*> out;
  for (const auto& k : m_entries) {
    if (op.empty() || k.op == op) out.push_back(&k);
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->full_name() < b->full_name(); });
  return out;
}

std::vector<std::string> registry::ops() const {
  std::vector<std::string> out;
  for (const auto& k : m_entries) out.push_back(k.op);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> registry::suggest(std::string_view name, std::size_t max_count) const {
  std::vector<std::string> candidates;
  for (const auto& k : m_entries) candidates.push_back(k.full_name());
  for (auto& op : ops()) candidates.push_back(op);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  return detail::closest_names(name, candidates, max_count);
}

namespace {

std::string did_you_mean(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  return fmt::format("; did you mean {}?", fmt::format("'{}'", fmt::join(names, "', '")));
}

}  // namespace

const kernel_info& registry::resolve(std::string_view op, std::string_view impl, device_kind device) const {
  if (!has_op(op)) {
    throw error(exit_code::target_not_resolved, fmt::format("unknown target '{}'{} (`isobench list` shows all)", op,
                                                            did_you_mean(detail::closest_names(op, ops(), 3))));
  }
  std::string full(impl);
  if (full.find('.') == std::string::npos) full = fmt::format("{}.{}", op, impl);
  if (const auto* k = find(full, device); k != nullptr && k->op == op) return *k;
  if (const auto* k = find(full); k != nullptr && k->op == op) {
    std::vector<std::string_view> devices;
    for (const auto& e : m_entries) {
      if (e.full_name() != full) continue;
      for (auto d : e.devices) devices.push_back(to_string(d));
    }
    throw error(exit_code::unsupported, fmt::format("{} does not run on {} (it runs on {})", full, to_string(device),
                                                    fmt::join(devices, ", ")));
  }

  std::vector<std::string> same_op;
  for (const auto* k : list(op)) same_op.push_back(k->full_name());
  std::sort(same_op.begin(), same_op.end());
  same_op.erase(std::unique(same_op.begin(), same_op.end()), same_op.end());
  auto close = detail::closest_names(full, same_op, 3);
  if (close.empty()) close = same_op;
  throw error(exit_code::target_not_resolved,
              fmt::format("unknown implementation '{}' of target '{}'{}", impl, op, did_you_mean(close)));
}

}  // namespace isobench
