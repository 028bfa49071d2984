// torchao microbenchmark configs (benchmarks/microbenchmarks/test/*.yml) as suites.
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "isobench/error.hpp"
#include "shapes.hpp"
#include "spec/spec.hpp"
#include "suite/suite.hpp"

namespace isobench::detail {

namespace {

constexpr std::string_view k_top_keys[] = {"benchmark_mode", "quantization_config_recipe_names",
                                           "sparsity_config_recipe_names", "output_dir", "model_params"};
constexpr std::string_view k_model_keys[] = {
    "name",   "matrix_shapes", "high_precision_dtype", "use_torch_compile",     "torch_compile_mode",
    "device", "model_type",    "enable_profiler",      "enable_memory_profiler"};
constexpr std::string_view k_activations[] = {"relu", "relu6", "gelu", "silu", "sigmoid", "hardswish", "leakyrelu"};

struct ctx {
  std::string source;
  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw config_error(fmt::format("{}: {}: {}", source, where, problem));
  }
};

std::string line_of(const YAML::Node& n) {
  return n.Mark().is_null() ? std::string() : fmt::format(" (line {})", n.Mark().line + 1);
}

// A list longer than a suite may have is refused, never cut short.
void check_length(const ctx& c, const YAML::Node& n, const std::string& where) {
  if (n.size() > suite_max_cases) {
    c.fail(where + line_of(n), fmt::format("{} entries; a suite may have at most {}", n.size(), suite_max_cases));
  }
}

// YAML forbids a key twice in one mapping; yaml-cpp keeps both and reads the first, so a later
// value would be ignored without a word.
void check_duplicate_keys(const ctx& c, const YAML::Node& n, const std::string& where, int depth = 0) {
  if (depth > 64) c.fail(where, "nested more than 64 levels deep");
  if (n.IsMap()) {
    std::set<std::string> seen;
    for (const auto& kv : n) {
      const auto key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
      if (kv.first.IsScalar() && !seen.insert(key).second) {
        c.fail(where + "." + key + line_of(kv.first), "duplicate key (each key may appear once per mapping)");
      }
      check_duplicate_keys(c, kv.second, where + "." + key, depth + 1);
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i)
      check_duplicate_keys(c, n[i], fmt::format("{}[{}]", where, i), depth + 1);
  }
}

std::string scalar(const ctx& c, const YAML::Node& n, const std::string& where) {
  if (!n.IsScalar()) c.fail(where + line_of(n), "expected a string");
  return n.Scalar();
}

bool boolean(const ctx& c, const YAML::Node& n, const std::string& where) {
  if (!n || n.IsNull()) return false;
  const auto s = scalar(c, n, where);
  if (s == "true" || s == "True") return true;
  if (s == "false" || s == "False") return false;
  c.fail(where + line_of(n), fmt::format("expected true or false, got '{}'", s));
}

std::int64_t integer(const ctx& c, const YAML::Node& n, const std::string& where, std::int64_t lo, std::int64_t hi) {
  const auto s = scalar(c, n, where);
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || s.empty() || v < lo || v > hi) {
    c.fail(where + line_of(n), fmt::format("expected an integer in {}..{}, got '{}'", lo, hi, s));
  }
  return v;
}

std::vector<std::string> string_list(const ctx& c, const YAML::Node& n, const std::string& where) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) c.fail(where + line_of(n), "expected a list of names");
  check_length(c, n, where);
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(scalar(c, n[i], fmt::format("{}[{}]", where, i)));
  return out;
}

void check_keys(const ctx& c, const YAML::Node& map, std::span<const std::string_view> known,
                const std::string& where) {
  for (const auto& kv : map) {
    const auto key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      c.fail(where + "." + key + line_of(kv.first), fmt::format("unknown key (known: {})", fmt::join(known, ", ")));
    }
  }
}

// What a recipe name means here: the implementation suffix that runs it, or why it cannot run.
struct recipe {
  std::string impl;  // "dense", "int8wo", "int4wo-128"
  std::string skip;  // known to torchao, no kernel here
};

std::optional<recipe> parse_recipe(std::string_view name) {
  if (name == "baseline") return recipe{"dense", ""};
  if (name == "int8wo") return recipe{"int8wo", ""};
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 5 &&
           std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  if (name.starts_with("int4wo-")) {
    auto rest = name.substr(7);
    const bool hqq = rest.ends_with("-hqq");
    if (hqq) rest.remove_suffix(4);
    if (!digits(rest)) return std::nullopt;
    if (rest == "128" && !hqq) return recipe{"int4wo-128", ""};
    return recipe{"",
                  fmt::format("no {} kernel in this build (int4 weight-only runs with groups of 128, no HQQ)", name)};
  }
  constexpr std::string_view known_unsupported[] = {
      "int8dq",       "int8dq-prefill", "float8wo",      "float8dq",  "float8dq-tensor",
      "float8dq-row", "marlin",         "sparse-marlin", "fp6",       "mxfp8",
      "mxfp4",        "nvfp4",          "int8sq",        "spinquant", "autoquant"};
  if (std::find(std::begin(known_unsupported), std::end(known_unsupported), name) != std::end(known_unsupported)) {
    return recipe{"", fmt::format("no {} kernel in this build", name)};
  }
  for (std::string_view prefix : {"uintx-", "gemlitewo-", "mx_", "intx-"}) {
    if (name.starts_with(prefix)) return recipe{"", fmt::format("no {} kernel in this build", name)};
  }
  return std::nullopt;
}

std::optional<std::string> parse_dtype(std::string_view torch_name) {
  if (torch_name == "torch.float32" || torch_name == "float32") return "fp32";
  if (torch_name == "torch.bfloat16" || torch_name == "bfloat16") return "bf16";
  if (torch_name == "torch.float16" || torch_name == "float16") return "fp16";
  return std::nullopt;
}

// The config's recipes, checked: quantizations (each known, at least one) and sparsities ("None"
// when absent).
struct recipe_set {
  std::vector<std::string> quants, sparsities;
  std::vector<recipe> recipes;  // parallel to quants
};

recipe_set read_recipes(const ctx& c, const YAML::Node& doc) {
  recipe_set r;
  r.quants = string_list(c, doc["quantization_config_recipe_names"], "quantization_config_recipe_names");
  r.sparsities = string_list(c, doc["sparsity_config_recipe_names"], "sparsity_config_recipe_names");
  if (r.sparsities.empty()) r.sparsities.push_back("None");
  if (r.quants.empty()) c.fail("quantization_config_recipe_names", "required: at least one recipe (e.g. baseline)");
  for (std::size_t i = 0; i < r.quants.size(); ++i) {
    auto parsed = parse_recipe(r.quants[i]);
    if (!parsed) {
      c.fail(fmt::format("quantization_config_recipe_names[{}]", i),
             fmt::format("unknown recipe '{}' (known: baseline, int8wo, int4wo-<group>[-hqq], int8dq, float8wo, "
                         "float8dq[-tensor|-row], uintx-<bits>-<group>, gemlitewo-<bits>-<group>, marlin, fp6, ...)",
                         r.quants[i]));
    }
    r.recipes.push_back(*parsed);
  }
  for (std::size_t i = 0; i < r.sparsities.size(); ++i) {
    const auto& sp = r.sparsities[i];
    if (sp != "None" && sp != "none" && sp != "semi-sparse" && sp != "2:4" && sp != "block" && sp != "marlin") {
      c.fail(fmt::format("sparsity_config_recipe_names[{}]", i),
             fmt::format("unknown sparsity '{}' (known: None, semi-sparse, 2:4, block, marlin)", sp));
    }
  }
  return r;
}

// model_params: a list of mappings, or one mapping.
std::vector<YAML::Node> model_list(const ctx& c, const YAML::Node& doc) {
  auto models = doc["model_params"];
  if (!models || models.IsNull()) c.fail("model_params", "required: a list of model parameter sets (or one mapping)");
  std::vector<YAML::Node> out;
  if (models.IsMap()) {
    out.push_back(models);
  } else if (models.IsSequence()) {
    check_length(c, models, "model_params");
    for (std::size_t i = 0; i < models.size(); ++i) out.push_back(models[i]);
  } else {
    c.fail("model_params" + line_of(models), "expected a list of mappings, or one mapping");
  }
  return out;
}

// One matrix_shapes entry's shapes: a generator (custom, llama, pow2, ...) and its options.
std::vector<matrix_shape> read_shape_entry(const ctx& c, const YAML::Node& sn, const std::string& sw) {
  if (!sn.IsMap() || !sn["name"]) c.fail(sw + line_of(sn), "expected a mapping with a name (custom, llama, pow2, ...)");
  constexpr std::string_view shape_keys[] = {"name", "shapes", "min_power", "max_power"};
  check_keys(c, sn, shape_keys, sw);
  const auto gname = scalar(c, sn["name"], sw + ".name");
  shape_options o;
  if (sn["min_power"]) o.min_power = static_cast<int>(integer(c, sn["min_power"], sw + ".min_power", 0, 40));
  if (sn["max_power"]) o.max_power = static_cast<int>(integer(c, sn["max_power"], sw + ".max_power", 0, 40));
  if (const auto lits = sn["shapes"]) {
    if (!lits.IsSequence()) c.fail(sw + ".shapes" + line_of(lits), "expected a list of [m, k, n]");
    check_length(c, lits, sw + ".shapes");
    for (std::size_t li = 0; li < lits.size(); ++li) {
      const auto t = lits[li];
      const auto lw = fmt::format("{}.shapes[{}]", sw, li);
      if (!t.IsSequence() || t.size() != 3) c.fail(lw + line_of(t), "expected [m, k, n]");
      o.custom.push_back({integer(c, t[0], lw, 1, std::int64_t{1} << 40),
                          integer(c, t[1], lw, 1, std::int64_t{1} << 40),
                          integer(c, t[2], lw, 1, std::int64_t{1} << 40)});
    }
  }
  try {
    auto shapes = generate_shapes(gname, o);
    if (gname == "custom") {
      for (auto& sh : shapes) sh.name = fmt::format("custom_{}x{}x{}", sh.m, sh.k, sh.n);
    }
    return shapes;
  } catch (const config_error& e) {
    c.fail(sw + ".name", e.what());
  }
}

std::vector<matrix_shape> read_shapes(const ctx& c, const YAML::Node& mp, const std::string& where) {
  const auto shapes_node = mp["matrix_shapes"];
  if (!shapes_node || !shapes_node.IsSequence() || shapes_node.size() == 0) {
    c.fail(where + ".matrix_shapes", "required: a list of {name: <generator>, ...}");
  }
  std::vector<matrix_shape> shapes;
  check_length(c, shapes_node, where + ".matrix_shapes");
  for (std::size_t si = 0; si < shapes_node.size(); ++si) {
    const auto sw = fmt::format("{}.matrix_shapes[{}]", where, si);
    const auto more = read_shape_entry(c, shapes_node[si], sw);
    shapes.insert(shapes.end(), more.begin(), more.end());
    if (shapes.size() > suite_max_cases) c.fail(sw, fmt::format("more than {} shapes", suite_max_cases));
  }
  return shapes;
}

// One model_params entry, checked: its identity columns, the op its model type runs, its shapes.
struct model_entry {
  std::string where, name, model_type;
  std::string op, act;  // the target; act: ln_linear's activation
  std::string hp, dtype, device, compile_mode;
  bool profiler = false, mem_profiler = false;
  std::vector<matrix_shape> shapes;
};

// The target a model type runs (and ln_linear's activation).
void read_model_type(const ctx& c, model_entry& m) {
  if (m.model_type == "linear") {
    m.op = "linear";
  } else if (m.model_type == "transformer_block") {
    m.op = "transformer_block";
  } else if (m.model_type.starts_with("ln_linear_")) {
    m.act = m.model_type.substr(10);
    if (std::find(std::begin(k_activations), std::end(k_activations), m.act) == std::end(k_activations)) {
      c.fail(m.where + ".model_type",
             fmt::format("unknown activation '{}' (known: {})", m.act, fmt::join(k_activations, ", ")));
    }
    m.op = m.model_type;
  } else {
    c.fail(m.where + ".model_type", fmt::format("unknown model type '{}' (known: linear, ln_linear_<{}>, "
                                                "transformer_block)",
                                                m.model_type, fmt::join(k_activations, "|")));
  }
}

// Keys accepted from torchao that do not apply here go to `not_applicable` (the suite's notes).
model_entry read_model(const ctx& c, const YAML::Node& mp, std::size_t mi, std::set<std::string>& not_applicable) {
  model_entry m;
  m.where = fmt::format("model_params[{}]", mi);
  const auto& where = m.where;
  if (!mp.IsMap()) c.fail(where + line_of(mp), "expected a mapping");
  check_keys(c, mp, k_model_keys, where);
  m.name = mp["name"] ? scalar(c, mp["name"], where + ".name") : fmt::format("model{}", mi);
  m.model_type = mp["model_type"] ? scalar(c, mp["model_type"], where + ".model_type") : std::string("linear");
  read_model_type(c, m);
  m.hp = mp["high_precision_dtype"] ? scalar(c, mp["high_precision_dtype"], where + ".high_precision_dtype")
                                    : std::string("torch.bfloat16");
  const auto dtype = parse_dtype(m.hp);
  if (!dtype) {
    c.fail(where + ".high_precision_dtype",
           fmt::format("expected torch.float32, torch.bfloat16 or torch.float16, got '{}'", m.hp));
  }
  m.dtype = *dtype;
  m.device = mp["device"] ? scalar(c, mp["device"], where + ".device") : std::string("cuda");
  if (m.device != "cpu" && m.device != "cuda" && m.device != "mps" && m.device != "xpu") {
    c.fail(where + ".device", fmt::format("expected cpu, cuda, mps or xpu, got '{}'", m.device));
  }
  const bool compile = boolean(c, mp["use_torch_compile"], where + ".use_torch_compile");
  m.compile_mode =
      mp["torch_compile_mode"] ? scalar(c, mp["torch_compile_mode"], where + ".torch_compile_mode") : std::string();
  m.profiler = boolean(c, mp["enable_profiler"], where + ".enable_profiler");
  m.mem_profiler = boolean(c, mp["enable_memory_profiler"], where + ".enable_memory_profiler");
  if (compile)
    not_applicable.insert(
        "use_torch_compile/torch_compile_mode: there is no compiler here; compiled-mode columns stay empty");
  if (m.profiler)
    not_applicable.insert("enable_profiler: no PyTorch profiler; each case's log and result JSON are kept");
  if (m.mem_profiler)
    not_applicable.insert("enable_memory_profiler: peak host and device memory are recorded per case instead");
  m.shapes = read_shapes(c, mp, where);
  return m;
}

// Why a case cannot run here (empty: it can): recipe, sparsity, device, or no kernel in `reg`.
std::string skip_reason(const model_entry& m, const suite_case& k, const recipe& rc, const registry& reg,
                        const suite_environment& env, const std::string& baseline_impl,
                        const std::string& candidate_impl, std::int64_t shape_k) {
  std::string why;
  if (!m.act.empty() && !k.baseline_only)
    why = fmt::format("no quantized {} kernel in this build (its baseline runs)", m.op);
  if (!rc.skip.empty()) why = rc.skip;
  if (k.sparsity != "None" && k.sparsity != "none")
    why = fmt::format("no '{}' sparse kernel in this build", k.sparsity);
  if (m.device == "mps" || m.device == "xpu") why = fmt::format("device {} is not supported here", m.device);
  if (m.device == "cuda" && !env.cuda_available && why.empty())
    why = fmt::format("needs a CUDA device: {}", env.cuda_reason);
  // torchao's TransformerBlock(hidden = k, mlp = n): heads of dimension 128.
  if (m.op == "transformer_block" && shape_k % 128 != 0 && why.empty()) {
    why = fmt::format("transformer_block needs k divisible by 128 (heads of 128), got {}", shape_k);
  }
  const device_kind dk = m.device == "cuda" ? device_kind::cuda : device_kind::cpu;
  for (const auto& impl : {baseline_impl, candidate_impl}) {
    if (impl.empty() || !why.empty()) continue;
    const auto full = m.op + "." + impl;
    const auto* info = reg.find(full, dk);
    if (info == nullptr) {
      why = fmt::format("no {} build of {}", m.device, full);
    } else if (!info->supports(*from_string<isobench::dtype>(m.dtype))) {
      why = fmt::format("{} computes in fp32 only; the config asks for {}", full, m.hp);
    }
  }
  return why;
}

// The spec a case runs: its one workload, timing and verdict settings, and the implementations.
nlohmann::json case_spec(const model_entry& m, const suite_case& k, const matrix_shape& shape,
                         const std::string& baseline_impl, const std::string& candidate_impl) {
  nlohmann::json wl{{"name", case_id(shape.name)}};
  if (m.op == "transformer_block") {
    // torchao's TransformerBlock(hidden = k, mlp = n) on m tokens; heads of dimension 128.
    wl.update({{"tokens", shape.m},
               {"hidden", shape.k},
               {"heads", std::max<std::int64_t>(1, shape.k / 128)},
               {"ffn", shape.n}});
  } else {
    wl.update({{"m", shape.m}, {"k", shape.k}, {"n", shape.n}});
  }
  nlohmann::json spec{{"version", 1},
                      {"name", k.id},
                      {"target", m.op},
                      {"device", m.device == "cuda" ? "cuda" : "cpu"},
                      {"dtype", m.dtype},
                      {"seed", 7},
                      {"workloads", {wl}},
                      {"timing", {{"warmup", 2}, {"min_iters", 10}, {"min_time_s", 0.3}, {"max_time_s", 10}}},
                      // torchao reports a mean of a few runs; a 2% confidence half-width is
                      // tighter than that and keeps a suite of many shapes affordable.
                      {"verdict", {{"ci_half_width", 0.02}}}};
  if (k.baseline_only) {
    spec["implementation"] = m.op + "." + baseline_impl;
  } else {
    spec["implementations"] = {{"baseline", m.op + "." + baseline_impl}, {"candidate", m.op + "." + candidate_impl}};
    // Quantised outputs differ from the baseline's by the quantisation error, not by bits.
    const bool int4 = candidate_impl.starts_with("int4");
    const bool block = m.op == "transformer_block";
    spec["equivalence"] = {{"level", "numeric"},
                           {"rtol", int4 ? (block ? 0.2 : 0.1) : (block ? 0.05 : 0.02)},
                           {"atol", int4 ? (block ? 1.0 : 0.6) : (block ? 0.1 : 0.08)}};
  }
  return spec;
}

// One case: a model entry's shape under one quantization recipe and one sparsity.
suite_case torchao_case(const model_entry& m, const matrix_shape& shape, const std::string& quant, const recipe& rc,
                        const std::string& sp, const registry& reg, const suite_environment& env) {
  suite_case k;
  k.name = m.name;
  k.quantization = quant;
  k.sparsity = sp;
  k.high_precision_dtype = m.hp;
  k.torch_compile_mode = m.compile_mode;
  k.device = m.device;
  k.model_type = m.model_type;
  k.m = shape.m;
  k.k = shape.k;
  k.n = shape.n;
  k.enable_profiler = m.profiler;
  k.enable_memory_profiler = m.mem_profiler;
  k.baseline_only = quant == "baseline";
  k.id = case_id(fmt::format("{}.{}.{}.{}", m.name, shape.name, quant, sp));
  const std::string baseline_impl = m.op == "linear" || m.op == "transformer_block" ? "dense" : "unfused";
  const std::string candidate_impl = k.baseline_only ? baseline_impl : rc.impl;
  k.skip_reason = skip_reason(m, k, rc, reg, env, baseline_impl, candidate_impl, shape.k);
  k.spec = case_spec(m, k, shape, baseline_impl, candidate_impl);
  return k;
}

}  // namespace

suite load_torchao_suite(const std::string& text, const std::string& source, const registry& reg,
                         const suite_environment& env) {
  const ctx c{source};
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw config_error(fmt::format("{}: not valid YAML: {}", source, e.what()));
  }
  if (!doc.IsMap()) c.fail("top level", "expected a mapping (a torchao microbenchmark config)");
  check_duplicate_keys(c, doc, "config");
  check_keys(c, doc, k_top_keys, "config");

  suite s;
  s.source = source;
  s.kind = "torchao";
  s.name = case_id(std::filesystem::path(source).stem().string());
  if (const auto mode = doc["benchmark_mode"]; mode && !mode.IsNull()) {
    const auto m = scalar(c, mode, "benchmark_mode");
    if (m != "inference")
      c.fail("benchmark_mode", fmt::format("expected \"inference\" (torchao's only mode), got '{}'", m));
  }
  const auto recipes = read_recipes(c, doc);
  if (const auto out = doc["output_dir"]; out && !out.IsNull()) s.output_dir = scalar(c, out, "output_dir");

  const auto models = model_list(c, doc);
  std::set<std::string> not_applicable;
  for (std::size_t mi = 0; mi < models.size(); ++mi) {
    const auto m = read_model(c, models[mi], mi, not_applicable);
    for (const auto& shape : m.shapes) {
      for (std::size_t ri = 0; ri < recipes.quants.size(); ++ri) {
        for (const auto& sp : recipes.sparsities) {
          s.cases.push_back(torchao_case(m, shape, recipes.quants[ri], recipes.recipes[ri], sp, reg, env));
          if (s.cases.size() > suite_max_cases) c.fail(m.where, fmt::format("more than {} cases", suite_max_cases));
        }
      }
    }
  }
  for (const auto& n : not_applicable) s.notes.push_back("not applicable: " + n);
  std::set<std::string> ids;
  for (const auto& k : s.cases) {
    if (!ids.insert(k.id).second)
      c.fail("model_params",
             fmt::format("two cases share the id '{}' (give each model_params entry its own name)", k.id));
  }
  if (s.output_dir.empty()) s.output_dir = std::filesystem::path("suite_results") / s.name;
  return s;
}

std::string case_id(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (out.size() >= 120) break;
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                    ch == '-' || ch == '.';
    out += ok ? ch : '_';
  }
  return out;
}

}  // namespace isobench::detail
