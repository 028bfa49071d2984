#include "generate/workloads.hpp"

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "isobench/error.hpp"
#include "shapes.hpp"

namespace isobench::detail {

namespace {

bool has(const kernel_info& k, std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    if (k.find_param(n) == nullptr) return false;
  }
  return true;
}

nlohmann::json entry(std::string name, std::initializer_list<std::pair<const char*, std::int64_t>> values) {
  nlohmann::json w{{"name", std::move(name)}};
  for (const auto& [key, v] : values) w[key] = v;
  return w;
}

// Matrix products (m, k, n): the model's projections, or torchao's llama shapes.
generated_workloads matmul_workloads(const kernel_info& k, device_kind device, const model_dims& m, bool model_named) {
  generated_workloads g;
  // Weight-only kernels serve decoding (M of 1 to 16); dense products prefill. torchao's llama
  // rule uses M = 16384, which GPUs run; on a CPU a prefill chunk of 128 rows keeps a case in
  // seconds.
  const bool decode = k.op == "linear";
  const std::vector<std::int64_t> ms = decode                        ? std::vector<std::int64_t>{1, 16}
                                       : device == device_kind::cuda ? std::vector<std::int64_t>{16384}
                                                                     : std::vector<std::int64_t>{128};
  std::vector<matrix_shape> layers;
  if (model_named) {
    const auto qkv = (m.heads + 2 * m.kv_heads) * m.head_dim;
    layers = {{"attn.wqkv", 0, m.hidden, qkv},
              {"attn.w0", 0, m.heads * m.head_dim, m.hidden},
              {"ffn.w13", 0, m.hidden, 2 * m.intermediate},
              {"ffn.w2", 0, m.intermediate, m.hidden}};
    g.rule = fmt::format("{}'s projections (K, N per layer), M in {}", m.name, ms);
  } else {
    layers = generate_shapes("llama");
    g.rule = fmt::format("torchao's llama shapes (K, N per layer), M in {} instead of 16384 on this device", ms);
    if (device == device_kind::cuda && !decode) g.rule = "torchao's llama shapes, M = 16384";
  }
  for (const auto mm : ms) {
    for (const auto& l : layers) {
      std::string name = fmt::format("{}_m{}", l.name, mm);
      for (char& ch : name) {
        if (ch == '.') ch = '_';
      }
      g.workloads.push_back(entry(name, {{"m", mm}, {"k", l.k}, {"n", l.n}}));
    }
  }
  return g;
}

// Whole transformer blocks (tokens, hidden, heads, ffn): one block, decode steps.
generated_workloads block_workloads(const model_dims& m, bool model_named) {
  generated_workloads g;
  const model_dims d = model_named ? m : model_dims{"tinyllama-1.1b", 2048, 5632, 32, 4, 64, 32000};
  for (std::int64_t t : {1, 16}) {
    g.workloads.push_back(entry(fmt::format("{}_t{}", d.name, t),
                                {{"tokens", t}, {"hidden", d.hidden}, {"heads", d.heads}, {"ffn", d.intermediate}}));
  }
  g.rule = fmt::format("one {} block, decode steps of 1 and 16 tokens{}", d.name,
                       model_named ? "" : " (TinyLlama when no model is named: an 8B block is 0.9 GB of fp32)");
  return g;
}

// Ops over rows or tokens of one of the model's sizes (norms, activations, rotary, top-k, softmax).
std::optional<generated_workloads> row_workloads(const kernel_info& k, const model_dims& m, const std::string& model) {
  generated_workloads g;
  auto& out = g.workloads;
  if (has(k, {"rows", "dim"})) {
    for (std::int64_t r : {16, 2048})
      out.push_back(entry(fmt::format("rows{}_{}", r, m.name), {{"rows", r}, {"dim", m.hidden}}));
    g.rule = fmt::format("{} hidden size {}, 16 (decode) and 2048 (prefill) rows", model, m.hidden);
  } else if (has(k, {"tokens", "d"})) {
    for (std::int64_t t : {16, 2048}) {
      out.push_back(entry(fmt::format("t{}_{}", t, m.name), {{"tokens", t}, {"d", m.intermediate}}));
    }
    g.rule = fmt::format("{} intermediate size {}, 16 and 2048 tokens", model, m.intermediate);
  } else if (has(k, {"tokens", "heads", "head_dim"})) {
    for (std::int64_t t : {64, 2048}) {
      out.push_back(
          entry(fmt::format("t{}_{}", t, m.name), {{"tokens", t}, {"heads", m.heads}, {"head_dim", m.head_dim}}));
    }
    g.rule = fmt::format("{} heads {} x {}, 64 and 2048 tokens", model, m.heads, m.head_dim);
  } else if (has(k, {"rows", "vocab", "k"})) {
    for (std::int64_t r : {1, 8})
      out.push_back(entry(fmt::format("rows{}_vocab{}", r, m.vocab), {{"rows", r}, {"vocab", m.vocab}, {"k", 50}}));
    g.rule = fmt::format("{} vocabulary {}, top 50, 1 and 8 rows", model, m.vocab);
  } else if (has(k, {"rows", "cols"})) {
    out.push_back(entry("attn_scores_4k", {{"rows", 32}, {"cols", 4096}}));
    out.push_back(entry(fmt::format("logits_vocab{}", m.vocab), {{"rows", 8}, {"cols", m.vocab}}));
    g.rule = fmt::format("attention scores over 4096 keys, and {} logits ({})", m.vocab, model);
  } else {
    return std::nullopt;
  }
  return g;
}

// Attention and its KV cache (paged blocks, heads over a sequence).
std::optional<generated_workloads> attention_workloads(const kernel_info& k, const model_dims& m,
                                                       const std::string& model) {
  generated_workloads g;
  if (has(k, {"seqs", "seq_len", "width"})) {
    const auto width = m.kv_heads * m.head_dim;
    g.workloads.push_back(entry(fmt::format("b16_t2048_w{}", width),
                                {{"seqs", 16}, {"seq_len", 2048}, {"width", width}, {"block_size", 16}}));
    g.rule = fmt::format("16 sequences of 2048 tokens, one layer's K of {} ({} KV heads x {})", model, m.kv_heads,
                         m.head_dim);
  } else if (has(k, {"heads", "seq_len", "head_dim"})) {
    for (std::int64_t t : {1024, 2048}) {
      auto w =
          entry(fmt::format("causal_t{}_d{}", t, m.head_dim), {{"heads", 4}, {"seq_len", t}, {"head_dim", m.head_dim}});
      if (k.find_param("causal") != nullptr) w["causal"] = true;
      g.workloads.push_back(w);
    }
    g.rule = fmt::format(
        "4 of {}'s heads (dim {}), causal, 1024 and 2048 tokens: all heads multiply the time, "
        "not the ratio",
        model, m.head_dim);
  } else {
    return std::nullopt;
  }
  return g;
}

// No rule: the op's declared defaults, when every parameter has one.
generated_workloads default_workloads(const kernel_info& k) {
  std::vector<std::string> missing;
  for (const auto& p : k.params) {
    if (!p.default_value) missing.push_back(p.name);
  }
  if (!missing.empty()) {
    throw config_error(
        fmt::format("no shape rule for op '{}' and parameters without defaults ({}): pass "
                    "--workloads-from a spec of '{}', or give the parameters defaults",
                    k.op, fmt::join(missing, ", "), k.op));
  }
  generated_workloads g;
  g.workloads.push_back(nlohmann::json{{"name", "defaults"}});
  g.rule = "the op's declared parameter defaults (no shape rule for it)";
  return g;
}

}  // namespace

generated_workloads workloads_for(const kernel_info& k, device_kind device, const model_dims& m, bool model_named) {
  if (has(k, {"m", "k", "n"})) return matmul_workloads(k, device, m, model_named);
  if (has(k, {"tokens", "hidden", "heads", "ffn"})) return block_workloads(m, model_named);
  if (has(k, {"tokens", "hidden", "heads"})) {
    // Recomputing the prefix is O(T^2) in projections: model-sized hidden states take minutes.
    generated_workloads g;
    g.workloads.push_back(entry("t32_h1024", {{"tokens", 32}, {"hidden", 1024}, {"heads", 8}}));
    g.workloads.push_back(entry("t64_h1024", {{"tokens", 64}, {"hidden", 1024}, {"heads", 8}}));
    g.rule = "32 and 64 decode steps at hidden 1024 (model-sized states make the O(T^2) baseline take minutes)";
    return g;
  }
  const std::string model = model_named ? m.name : m.name + " (no model named; the default)";
  if (auto g = row_workloads(k, m, model)) return *g;
  if (auto g = attention_workloads(k, m, model)) return *g;
  // Declared parameters a rule did not set keep their defaults; that is the runner's job.
  return default_workloads(k);
}

}  // namespace isobench::detail
