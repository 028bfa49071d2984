#pragma once
// What a commit's text and files say besides its claims: the kind of optimisation, the data type
// it is about, and the model it was measured on. Each answer carries its evidence.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/commit_extraction.hpp"
#include "isobench/enum_string.hpp"

namespace isobench::detail {

enum class optimization_type : std::uint8_t { kernel, algorithm, memory, parallelization, scheduling, other };
std::string_view to_string(optimization_type t) noexcept;

struct typed_commit {
  optimization_type type = optimization_type::other;
  double score = 0.0;
  std::vector<std::string> evidence;  // "file kernels/x.cu (.cu)", "message: 'fused'", ...
};
// File types (.cu/.cuh, triton), identifiers and message words, weighted; `other` when nothing
// points anywhere, or when the subject calls it a fix, revert, refactor or build change and no
// change was measured (`measured`: the text claims a figure).
typed_commit classify_optimization(const commit_extraction& c, const std::vector<std::string>& identifiers,
                                   bool measured = true);

struct dtype_clue {
  std::string dtype;  // int8, int4, fp8, fp16, bf16
  std::string evidence;
};
// The dtype the message (then the clues, then the diff) names most.
std::optional<dtype_clue> detect_dtype(const commit_extraction& c, const std::vector<std::string>& identifiers);

struct model_dims {
  std::string name;
  std::int64_t hidden = 0, intermediate = 0, heads = 0, kv_heads = 0, head_dim = 0, vocab = 0;
};
// The first of models[] (then the message) that names a known model family; nullopt otherwise.
std::optional<model_dims> detect_model(const commit_extraction& c);
// Llama 3 8B: the default shapes when no model is named.
model_dims default_model();

}  // namespace isobench::detail

namespace isobench::detail {}

namespace isobench {

template <>
std::optional<detail::optimization_type> from_string<detail::optimization_type>(std::string_view text) noexcept;

}  // namespace isobench
