#include "spec/spec.hpp"

#include "shapes.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "spec/json_reader.hpp"

namespace isobench::detail {

std::string_view to_string(device_request d) noexcept {
  switch (d) {
    case device_request::cpu: return "cpu";
    case device_request::cuda: return "cuda";
    case device_request::automatic: return "auto";
  }
  return "cpu";
}

std::string_view to_string(cache_mode c) noexcept {
  return c == cache_mode::cold ? "cold" : "warm";
}

std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::baseline: return "baseline";
    case role::candidate: return "candidate";
    case role::single: return "single";
  }
  return "single";
}

namespace {

constexpr auto k_int_max = std::numeric_limits<std::int64_t>::max();
constexpr auto k_int32_max = std::int64_t{std::numeric_limits<int>::max()};
// Bounds that keep a case's time and memory finite: a day of wall time, 10 million samples (80 MB
// of doubles, and their JSON), an hour per interleaved round.
constexpr double k_max_seconds = 86400.0;
constexpr std::int64_t k_max_samples = 10'000'000;
constexpr std::int64_t k_max_warmup = 1'000'000;
constexpr double k_max_round_s = 3600.0;

// Names end up in file names, so keep them to a portable alphabet.
bool is_safe_name(std::string_view s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

std::string safe_name(json_reader& r, std::string_view key) {
  auto s = r.required_string(key);
  if (!is_safe_name(s)) {
    r.fail(key, fmt::format("expected a name of letters, digits, '_', '-' or '.' (at most 128), got {}",
                            describe_json(nlohmann::json(s))));
  }
  return s;
}

void parse_implementations(json_reader& r, spec& s) {
  const bool single = r.has("implementation");
  const bool pair = r.has("implementations");
  if (single && pair) r.fail("implementations", "give either 'implementation' or 'implementations', not both");
  if (!single && !pair) {
    r.fail("implementation",
           "required field is missing (expected \"implementation\": \"<op>.<impl>\" or "
           "\"implementations\": {\"baseline\": ..., \"candidate\": ...})");
  }
  if (single) {
    s.implementations.push_back({role::single, r.required_string("implementation")});
    return;
  }
  auto obj = *r.optional_object("implementations");
  s.implementations.push_back({role::baseline, obj.required_string("baseline")});
  s.implementations.push_back({role::candidate, obj.required_string("candidate")});
  obj.finish();
}

params::value param_value(const nlohmann::json& v, const json_reader& w, std::string_view key) {
  switch (v.type()) {
    case nlohmann::json::value_t::number_integer: return v.get<std::int64_t>();
    case nlohmann::json::value_t::number_unsigned:
      if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(k_int_max)) break;
      return v.get<std::int64_t>();
    case nlohmann::json::value_t::number_float: return v.get<double>();
    case nlohmann::json::value_t::boolean: return v.get<bool>();
    case nlohmann::json::value_t::string: return v.get<std::string>();
    default: break;
  }
  w.fail(key,
         fmt::format("expected a workload parameter (integer, number, boolean or string), got {}", describe_json(v)));
}

void parse_workloads(json_reader& r, spec& s, const std::string& source) {
  const auto* arr = r.get("workloads");
  if (arr == nullptr && r.has("shapes")) return;
  if (arr == nullptr) {
    r.fail("workloads", "required field is missing (expected a non-empty array of objects, or \"shapes\")");
  }
  if (!arr->is_array() || arr->empty()) {
    r.fail("workloads", fmt::format("expected a non-empty array of objects, got {}", describe_json(*arr)));
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    json_reader w((*arr)[i], source, fmt::format("{}/{}", r.child_pointer("workloads"), i));
    workload wl;
    wl.index = i;
    wl.name = safe_name(w, "name");
    if (!names.insert(wl.name).second) w.fail("name", fmt::format("duplicate workload name '{}'", wl.name));
    if (auto seed = w.optional_int("seed", 0, k_int_max)) wl.seed = static_cast<std::uint64_t>(*seed);
    for (const auto& [key, value] : (*arr)[i].items()) {
      if (key == "name" || key == "seed" || (!key.empty() && (key.front() == '$' || key.front() == '_'))) continue;
      wl.values.set(key, param_value(value, w, key));
    }
    s.workloads.push_back(std::move(wl));
  }
}

// "shapes": {"generator": "llama", "min_power": 10, "max_power": 12, "custom": [[m, k, n], ...],
// "params": {"threads": 1}} -> one workload per shape (m, k, n plus the shared params), named by the
// generator ("attn.wqkv", "pow2_10", ...). torchao's rules, generators/shapes.hpp.
void parse_shapes(json_reader& r, spec& s, const std::string& source) {
  auto obj = r.optional_object("shapes");
  if (!obj) return;
  const auto generator = obj->required_string("generator");
  shape_options o;
  if (auto v = obj->optional_int("min_power", 0, 40)) o.min_power = static_cast<int>(*v);
  if (auto v = obj->optional_int("max_power", 0, 40)) o.max_power = static_cast<int>(*v);
  if (const auto* custom = obj->get("custom")) {
    if (!custom->is_array())
      obj->fail("custom", fmt::format("expected an array of [m, k, n], got {}", describe_json(*custom)));
    for (std::size_t i = 0; i < custom->size(); ++i) {
      const auto& t = (*custom)[i];
      if (!t.is_array() || t.size() != 3 || !std::all_of(t.begin(), t.end(), [](const nlohmann::json& x) {
            return x.is_number_integer() && x.get<std::int64_t>() > 0 &&
                   x.get<std::int64_t>() <= (std::int64_t{1} << 40);
          })) {
        throw_spec_error(source, fmt::format("{}/{}", obj->child_pointer("custom"), i),
                         fmt::format("expected [m, k, n] of integers in 1..2^40, got {}", describe_json(t)));
      }
      o.custom.push_back({t[0].get<std::int64_t>(), t[1].get<std::int64_t>(), t[2].get<std::int64_t>()});
    }
  }
  params shared;
  if (const auto* extra = obj->get("params")) {
    if (!extra->is_object()) obj->fail("params", fmt::format("expected an object, got {}", describe_json(*extra)));
    json_reader w(*extra, source, obj->child_pointer("params"));
    for (const auto& [key, value] : extra->items()) {
      if (key == "m" || key == "k" || key == "n") w.fail(key, "set by the shape generator");
      shared.set(key, param_value(value, w, key));
    }
  }
  std::vector<matrix_shape> shapes;
  try {
    shapes = generate_shapes(generator, o);
  } catch (const config_error& e) {
    obj->fail("generator", e.what());
  }
  constexpr std::size_t max_shapes = 4096;
  if (shapes.size() > max_shapes) {
    obj->fail("generator",
              fmt::format("{} shapes; at most {} per spec (narrow min_power..max_power)", shapes.size(), max_shapes));
  }
  std::set<std::string> names;
  for (const auto& w : s.workloads) names.insert(w.name);
  for (const auto& shape : shapes) {
    workload wl;
    wl.index = s.workloads.size();
    wl.name = shape.name;
    if (!names.insert(wl.name).second) obj->fail("generator", fmt::format("workload name '{}' is taken", wl.name));
    wl.values = shared;
    wl.values.set("m", shape.m);
    wl.values.set("k", shape.k);
    wl.values.set("n", shape.n);
    s.workloads.push_back(std::move(wl));
  }
  obj->finish();
}

void parse_timing(json_reader& r, timing_policy& t) {
  auto obj = r.optional_object("timing");
  if (!obj) return;
  if (auto v = obj->optional_int("warmup", 0, k_max_warmup)) t.warmup = static_cast<int>(*v);
  if (auto v = obj->optional_int("min_iters", 1, k_max_samples)) t.min_iters = static_cast<int>(*v);
  if (auto v = obj->optional_int("max_iters", 1, k_max_samples)) t.max_iters = static_cast<int>(*v);
  if (auto v = obj->optional_number("min_time_s", 0.0, false, k_max_seconds)) t.min_time_s = *v;
  if (auto v = obj->optional_number("max_time_s", 0.0, true, k_max_seconds)) t.max_time_s = *v;
  if (auto v = obj->optional_string("cache")) {
    t.cache_given = true;
    const auto c = from_string<cache_mode>(*v);
    if (!c) obj->fail("cache", fmt::format("expected \"warm\" or \"cold\", got {}", describe_json(nlohmann::json(*v))));
    t.cache = *c;
  }
  if (t.max_iters < t.min_iters) {
    obj->fail("max_iters", fmt::format("expected an integer >= min_iters ({}), got {}", t.min_iters, t.max_iters));
  }
  if (t.max_time_s < t.min_time_s) {
    obj->fail("max_time_s", fmt::format("expected a number >= min_time_s ({}), got {}", t.min_time_s, t.max_time_s));
  }
  obj->finish();
}

void parse_equivalence(json_reader& r, equivalence_policy& e) {
  auto obj = r.optional_object("equivalence");
  if (!obj) return;
  if (auto v = obj->optional_string("level")) {
    auto level = from_string<eq_level>(*v);
    if (!level || *level == eq_level::none) {
      obj->fail("level", fmt::format("expected \"exact\", \"numeric\" or \"behavioral\", got {}",
                                     describe_json(nlohmann::json(*v))));
    }
    e.level = *level;
  }
  e.rtol = obj->optional_number("rtol", 0.0, false);
  e.atol = obj->optional_number("atol", 0.0, false);
  obj->finish();
}

void parse_commit(json_reader& r, commit_info& c) {
  auto obj = r.optional_object("commit");
  if (!obj) return;
  c.hash = obj->optional_string("hash").value_or("");
  c.parent = obj->optional_string("parent").value_or("");
  c.message = obj->optional_string("message").value_or("");
  obj->finish();
}

void parse_claim(json_reader& r, spec& s) {
  auto obj = r.optional_object("claim");
  if (!obj) return;
  claim c;
  auto speedup = obj->optional_number("speedup", 0.0, true);
  if (!speedup) obj->fail("speedup", "required field is missing (expected a number > 0, e.g. 2.8)");
  c.speedup = *speedup;
  if (auto t = obj->optional_number("tolerance", 0.0, true)) {
    if (*t > 1.0) obj->fail("tolerance", fmt::format("expected a number in (0, 1], got {}", *t));
    c.tolerance = *t;
  }
  obj->finish();
  s.claim = c;
}

void parse_verdict(json_reader& r, verdict_settings& v) {
  auto obj = r.optional_object("verdict");
  if (!obj) return;
  if (auto x = obj->optional_number("alpha", 0.0, true)) {
    if (*x >= 0.5) obj->fail("alpha", fmt::format("expected a number in (0, 0.5), got {}", *x));
    v.alpha = *x;
  }
  if (auto x = obj->optional_number("noise_threshold", 0.0, false)) {
    if (*x >= 1.0) obj->fail("noise_threshold", fmt::format("expected a fraction in [0, 1), got {}", *x));
    v.noise_threshold = *x;
  }
  if (auto x = obj->optional_number("ci_half_width", 0.0, true)) {
    if (*x >= 1.0) obj->fail("ci_half_width", fmt::format("expected a fraction in (0, 1), got {}", *x));
    v.ci_half_width = *x;
  }
  if (auto x = obj->optional_int("min_rounds", 1, k_max_samples)) v.min_rounds = static_cast<int>(*x);
  if (auto x = obj->optional_int("max_rounds", 1, k_max_samples)) v.max_rounds = static_cast<int>(*x);
  if (auto x = obj->optional_number("round_time_s", 0.0, true, k_max_round_s)) v.round_time_s = *x;
  if (auto x = obj->optional_int("min_launches", 2, 1000)) v.min_launches = static_cast<int>(*x);
  if (auto x = obj->optional_int("max_launches", 2, 1000)) v.max_launches = static_cast<int>(*x);
  if (auto x = obj->optional_int("launch_rounds", 2, k_max_samples)) v.launch_rounds = static_cast<int>(*x);
  if (v.max_launches < v.min_launches) {
    obj->fail("max_launches",
              fmt::format("expected an integer >= min_launches ({}), got {}", v.min_launches, v.max_launches));
  }
  if (v.max_rounds < v.min_rounds) {
    obj->fail("max_rounds", fmt::format("expected an integer >= min_rounds ({}), got {}", v.min_rounds, v.max_rounds));
  }
  obj->finish();
}

}  // namespace

spec parse_spec(const nlohmann::json& document, const std::string& source) {
  json_reader r(document, source, "");
  spec s;
  s.source = source;
  if (auto v = r.optional_int("version", 1, k_int32_max)) {
    if (*v != spec_format_version) {
      r.fail("version",
             fmt::format("unsupported spec version {}; this isobench reads version {}", *v, spec_format_version));
    }
  }
  s.name = safe_name(r, "name");
  s.target = r.required_string("target");
  parse_implementations(r, s);
  if (auto v = r.optional_string("device")) {
    const auto d = from_string<device_request>(*v);
    if (!d)
      r.fail("device",
             fmt::format("expected \"cpu\", \"cuda\" or \"auto\", got {}", describe_json(nlohmann::json(*v))));
    s.device = *d;
  }
  if (auto v = r.optional_string("dtype")) {
    auto t = from_string<dtype>(*v);
    if (!t) {
      r.fail("dtype", fmt::format("expected one of fp32, fp64, fp16, bf16, int8, uint8, int32, int64, got {}",
                                  describe_json(nlohmann::json(*v))));
    }
    s.type = *t;
  }
  if (auto v = r.optional_int("seed", 0, k_int_max)) s.seed = static_cast<std::uint64_t>(*v);
  parse_workloads(r, s, source);
  parse_shapes(r, s, source);
  parse_timing(r, s.timing);
  parse_equivalence(r, s.equivalence);
  parse_commit(r, s.commit);
  parse_claim(r, s);
  parse_verdict(r, s.verdict);
  if (auto v = r.optional_bool("require_opt_path")) s.require_opt_path = *v;
  r.finish();
  return s;
}

spec load_spec(const std::filesystem::path& file) {
  return parse_spec_text(read_file(file, spec_max_bytes, exit_code::invalid_config, "spec"), file.string());
}

spec parse_spec_text(std::string_view text, const std::string& source) {
  return parse_spec(parse_json_document(text, source, exit_code::invalid_config), source);
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::device_request> from_string<detail::device_request>(std::string_view text) noexcept {
  using detail::device_request;
  static constexpr device_request all[] = {device_request::cpu, device_request::cuda, device_request::automatic};
  return from_string_among(text, all);
}

template <>
std::optional<detail::cache_mode> from_string<detail::cache_mode>(std::string_view text) noexcept {
  using detail::cache_mode;
  static constexpr cache_mode all[] = {cache_mode::warm, cache_mode::cold};
  return from_string_among(text, all);
}

template <>
std::optional<detail::role> from_string<detail::role>(std::string_view text) noexcept {
  using detail::role;
  static constexpr role all[] = {role::baseline, role::candidate, role::single};
  return from_string_among(text, all);
}

}  // namespace isobench
