#include "generate/commit_clues.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "generate/text_scan.hpp"

namespace isobench::detail {

namespace {

struct type_word {
  std::string_view word;
  optimization_type type;
};

// Words in the subject and message (weight 2) and in identifiers (weight 0.5).
constexpr type_word k_type_words[] = {
    {"kernel", optimization_type::kernel},
    {"cuda", optimization_type::kernel},
    {"triton", optimization_type::kernel},
    {"fused", optimization_type::kernel},
    {"fuse", optimization_type::kernel},
    {"fusion", optimization_type::kernel},
    {"vectoriz", optimization_type::kernel},
    {"vectoris", optimization_type::kernel},
    {"simd", optimization_type::kernel},
    {"avx", optimization_type::kernel},
    {"cutlass", optimization_type::kernel},
    {"ptx", optimization_type::kernel},
    {"tensor core", optimization_type::kernel},
    {"warp", optimization_type::kernel},
    {"shared memory", optimization_type::kernel},
    {"gemm", optimization_type::kernel},
    {"marlin", optimization_type::kernel},
    {"intrinsic", optimization_type::kernel},
    {"algorithm", optimization_type::algorithm},
    {"complexity", optimization_type::algorithm},
    {"o(n", optimization_type::algorithm},
    {"sort", optimization_type::algorithm},
    {"heap", optimization_type::algorithm},
    {"binary search", optimization_type::algorithm},
    {"recomput", optimization_type::algorithm},
    {"cache the", optimization_type::algorithm},
    {"precompute", optimization_type::algorithm},
    {"lookup", optimization_type::algorithm},
    {"early exit", optimization_type::algorithm},
    {"avoid", optimization_type::algorithm},
    {"skip", optimization_type::algorithm},
    {"redundant", optimization_type::algorithm},
    {"quantiz", optimization_type::memory},
    {"weight-only", optimization_type::memory},
    {"sync", optimization_type::parallelization},
    {"synchroniz", optimization_type::parallelization},
    {"reuse", optimization_type::algorithm},
    {"re-project", optimization_type::algorithm},
    {"incremental", optimization_type::algorithm},
    {"cached", optimization_type::algorithm},
    {"memory", optimization_type::memory},
    {"prefetch", optimization_type::memory},
    {"bandwidth", optimization_type::memory},
    {"coalesc", optimization_type::memory},
    {"128-bit", optimization_type::memory},
    {"selection", optimization_type::algorithm},
    {"heuristic", optimization_type::algorithm},
    {"switch point", optimization_type::algorithm},
    {"cost model", optimization_type::algorithm},
    {"bpw", optimization_type::algorithm},
    {"alloc", optimization_type::memory},
    {"copy", optimization_type::memory},
    {"copies", optimization_type::memory},
    {"memcpy", optimization_type::memory},
    {"buffer", optimization_type::memory},
    {"pinned", optimization_type::memory},
    {"zero-copy", optimization_type::memory},
    {"footprint", optimization_type::memory},
    {"oom", optimization_type::memory},
    {"gather", optimization_type::memory},
    {"layout", optimization_type::memory},
    {"contiguous", optimization_type::memory},
    {"paged", optimization_type::memory},
    {"parallel", optimization_type::parallelization},
    {"thread", optimization_type::parallelization},
    {"multi-gpu", optimization_type::parallelization},
    {"async", optimization_type::parallelization},
    {"overlap", optimization_type::parallelization},
    {"stream", optimization_type::parallelization},
    {"nccl", optimization_type::parallelization},
    {"all-reduce", optimization_type::parallelization},
    {"allreduce", optimization_type::parallelization},
    {"concurren", optimization_type::parallelization},
    {"openmp", optimization_type::parallelization},
    {"multiprocess", optimization_type::parallelization},
    {"schedul", optimization_type::scheduling},
    {"batching", optimization_type::scheduling},
    {"prefill", optimization_type::scheduling},
    {"chunked", optimization_type::scheduling},
    {"preempt", optimization_type::scheduling},
    {"queue", optimization_type::scheduling},
    {"priority", optimization_type::scheduling},
    {"dispatch", optimization_type::scheduling},
};

// Words too common to weigh as much as the others.
// "kernel", "cuda", "triton" and "gemm" name what nearly every commit of a kernel library touches,
// not how it made it faster.
constexpr std::string_view k_weak_words[] = {"avoid",  "skip",  "copy",     "buffer", "layout", "thread",
                                             "stream", "queue", "dispatch", "sort",   "lookup", "cached",
                                             "kernel", "cuda",  "triton",   "gemm"};

bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](auto x) { return s.ends_with(x); });
}

}  // namespace

std::string_view to_string(optimization_type t) noexcept {
  switch (t) {
    case optimization_type::kernel: return "kernel";
    case optimization_type::algorithm: return "algorithm";
    case optimization_type::memory: return "memory";
    case optimization_type::parallelization: return "parallelization";
    case optimization_type::scheduling: return "scheduling";
    case optimization_type::other: return "other";
  }
  return "?";
}

typed_commit classify_optimization(const commit_extraction& c, const std::vector<std::string>& identifiers,
                                   bool measured) {
  std::array<double, 6> score{};
  std::array<std::vector<std::string>, 6> why;
  auto add = [&](optimization_type t, double w, std::string evidence) {
    score[static_cast<std::size_t>(t)] += w;
    auto& list = why[static_cast<std::size_t>(t)];
    if (list.size() < 6) list.push_back(std::move(evidence));
  };
  // What files a commit touches says where it works, once: ten .cu files are no more a kernel change
  // than one (a sum let any commit of a CUDA library outvote what its message says it did).
  std::array<double, 6> file_weight{};
  auto add_file = [&](optimization_type t, double w, std::string evidence) {
    auto& best = file_weight[static_cast<std::size_t>(t)];
    if (w <= best) return;
    score[static_cast<std::size_t>(t)] += w - best;
    best = w;
    auto& list = why[static_cast<std::size_t>(t)];
    if (list.size() < 6) list.push_back(std::move(evidence));
  };
  for (const auto& f : c.files) {
    const auto low = text::lower_ascii(f.path);
    if (ends_with_any(low, {".cu", ".cuh", ".ptx", ".cl", ".metal", ".hip"})) {
      add_file(optimization_type::kernel, 3, fmt::format("file {} (device code)", f.path));
    } else if (low.find("triton") != std::string::npos || low.find("csrc/") != std::string::npos ||
               low.find("kernels/") != std::string::npos) {
      add_file(optimization_type::kernel, 2, fmt::format("file {} (kernel source)", f.path));
    } else if (low.find("schedul") != std::string::npos) {
      add_file(optimization_type::scheduling, 2, fmt::format("file {}", f.path));
    } else if (low.find("alloc") != std::string::npos || low.find("block_manager") != std::string::npos) {
      add_file(optimization_type::memory, 1.5, fmt::format("file {}", f.path));
    } else if (low.find("parallel") != std::string::npos || low.find("distributed") != std::string::npos) {
      add_file(optimization_type::parallelization, 1.5, fmt::format("file {}", f.path));
    }
  }
  // What a commit is about is said early: the first 64 KiB of its message is enough, and each type
  // word is searched in the whole of it (a page of megabytes would cost seconds).
  constexpr std::size_t k_read = 64 * 1024;
  const auto words = text::lower_ascii(c.subject + "\n" + c.message.substr(0, k_read) + "\n" + c.category + "\n" + [&] {
    std::string s;
    for (const auto& x : c.clues) s += x + " ";
    return s;
  }());
  for (const auto& tw : k_type_words) {
    if (!text::contains_word(words, std::span(&tw.word, 1))) continue;
    const bool weak = std::find(std::begin(k_weak_words), std::end(k_weak_words), tw.word) != std::end(k_weak_words);
    add(tw.type, weak ? 1 : 2, fmt::format("message: '{}'", tw.word));
  }
  // A subject that calls the commit a fix, a revert, a refactor or a build change, with no change
  // measured, says what kind of change it is, whatever kernel it touches.
  if (!measured) {
    const auto subject = text::lower_ascii(c.subject);
    constexpr std::string_view not_a_speedup[] = {"fix", "bugfix", "revert", "refactor", "flaky", "build"};
    for (auto w : not_a_speedup) {
      if (text::contains_word(subject, std::span(&w, 1))) {
        add(optimization_type::other, 6, fmt::format("subject: '{}'", w));
        break;
      }
    }
  }
  // A subject about a benchmark, a test, the build or compile time names what the commit changed,
  // measured or not: its figures time the harness or the toolchain, not a faster kernel.
  {
    const auto subject = text::lower_ascii(c.subject);
    constexpr std::string_view not_the_code[] = {"benchmark", "benchmarks", "test",         "tests",
                                                 "ci",        "build",      "compile time", "compilation"};
    for (auto w : not_the_code) {
      if (text::contains_word(subject, std::span(&w, 1), true)) {
        add(optimization_type::other, 6, fmt::format("subject: '{}'", w));
        break;
      }
    }
  }
  // A revert undoes an earlier change, measured or not: it is no kind of optimization of its own.
  if (const auto subject = text::lower_ascii(text::trim(c.subject)); subject.starts_with("revert")) {
    add(optimization_type::other, 6, "subject: a revert");
  }
  // A dataset's own category is a person's label: it outweighs word counts.
  if (const auto t = from_string<optimization_type>(text::lower_ascii(text::trim(c.category)))) {
    add(*t, 5, fmt::format("csv_metadata.category: {}", c.category));
  }
  for (std::size_t i = 0; i < identifiers.size() && i < 80; ++i) {
    for (const auto& tw : k_type_words) {
      if (tw.word.find(' ') == std::string_view::npos && identifiers[i].find(tw.word) != std::string::npos) {
        add(tw.type, 0.5, fmt::format("identifier {}", identifiers[i]));
        break;
      }
    }
  }
  typed_commit out;
  for (std::size_t t = 0; t < score.size(); ++t) {
    if (score[t] > out.score) {
      out.score = score[t];
      out.type = static_cast<optimization_type>(t);
      out.evidence = why[t];
    }
  }
  if (out.score == 0.0) out.evidence.push_back("no file type, identifier or message word points to a kind");
  return out;
}

std::optional<dtype_clue> detect_dtype(const commit_extraction& c, const std::vector<std::string>& identifiers) {
  struct dtype_word {
    std::string_view word;
    std::string_view dtype;
  };
  static constexpr dtype_word words[] = {
      {"fp8", "fp8"},    {"float8", "fp8"},    {"e4m3", "fp8"},   {"e5m2", "fp8"},         {"int4", "int4"},
      {"w4a16", "int4"}, {"w4a8", "int4"},     {"awq", "int4"},   {"4-bit", "int4"},       {"4bit", "int4"},
      {"int8", "int8"},  {"w8a8", "int8"},     {"w8a16", "int8"}, {"smoothquant", "int8"}, {"8-bit", "int8"},
      {"bf16", "bf16"},  {"bfloat16", "bf16"}, {"fp16", "fp16"},  {"float16", "fp16"},     {"half precision", "fp16"}};
  auto best_in = [&](std::string_view low, std::string_view where) -> std::optional<dtype_clue> {
    std::optional<dtype_clue> best;
    std::size_t best_count = 0;
    for (const auto& w : words) {
      std::size_t n = 0;
      for (std::size_t p = low.find(w.word); p != std::string_view::npos; p = low.find(w.word, p + 1)) {
        if (text::word_at(low, p, w.word, false)) ++n;  // not the "8-bit" of "128-bit loads"
      }
      if (n > best_count) {
        best_count = n;
        best = dtype_clue{std::string(w.dtype), fmt::format("{} names '{}' ({}x)", where, w.word, n)};
      }
    }
    return best;
  };
  if (auto d = best_in(text::lower_ascii(c.subject + "\n" + c.message), "the message")) return d;
  std::string clues;
  for (const auto& x : c.clues) clues += x + " ";
  if (auto d = best_in(text::lower_ascii(clues + " " + c.category), "the clues")) return d;
  std::string ids;
  for (std::size_t i = 0; i < identifiers.size() && i < 200; ++i) ids += identifiers[i] + " ";
  return best_in(ids, "the diff");
}

model_dims default_model() {
  return {"llama-3-8b", 4096, 14336, 32, 8, 128, 128256};
}

std::optional<model_dims> detect_model(const commit_extraction& c) {
  struct family {
    std::initializer_list<std::string_view> all;  // every word must occur
    model_dims dims;
  };
  static const family families[] = {
      {{"llama", "70b"}, {"llama-3-70b", 8192, 28672, 64, 8, 128, 128256}},
      {{"llama-2", "13b"}, {"llama-2-13b", 5120, 13824, 40, 40, 128, 32000}},
      {{"llama-2", "7b"}, {"llama-2-7b", 4096, 11008, 32, 32, 128, 32000}},
      {{"llama-3", "8b"}, {"llama-3-8b", 4096, 14336, 32, 8, 128, 128256}},
      {{"llama-3.1", "8b"}, {"llama-3-8b", 4096, 14336, 32, 8, 128, 128256}},
      {{"llama-3.2", "1b"}, {"llama-3.2-1b", 2048, 8192, 32, 8, 64, 128256}},
      {{"llama-3.2", "3b"}, {"llama-3.2-3b", 3072, 8192, 24, 8, 128, 128256}},
      {{"tinyllama"}, {"tinyllama-1.1b", 2048, 5632, 32, 4, 64, 32000}},
      {{"mixtral"}, {"mixtral-8x7b", 4096, 14336, 32, 8, 128, 32000}},
      {{"mistral", "7b"}, {"mistral-7b", 4096, 14336, 32, 8, 128, 32768}},
      {{"qwen2", "72b"}, {"qwen2-72b", 8192, 29568, 64, 8, 128, 152064}},
      {{"qwen2", "7b"}, {"qwen2-7b", 3584, 18944, 28, 4, 128, 152064}},
      {{"qwen3", "8b"}, {"qwen3-8b", 4096, 12288, 32, 8, 128, 151936}},
      {{"gemma-2", "9b"}, {"gemma-2-9b", 3584, 14336, 16, 8, 256, 256000}},
      {{"opt", "125m"}, {"opt-125m", 768, 3072, 12, 12, 64, 50272}},
      {{"llama", "8b"}, {"llama-3-8b", 4096, 14336, 32, 8, 128, 128256}},
      {{"llama", "7b"}, {"llama-2-7b", 4096, 11008, 32, 32, 128, 32000}},
  };
  auto match = [&](std::string_view low) -> std::optional<model_dims> {
    for (const auto& f : families) {
      if (std::all_of(f.all.begin(), f.all.end(), [&](auto w) { return low.find(w) != std::string_view::npos; })) {
        return f.dims;
      }
    }
    return std::nullopt;
  };
  for (const auto& m : c.models) {
    if (auto d = match(text::lower_ascii(m))) return d;
  }
  if (auto d = match(text::lower_ascii(c.subject + " " + c.message + " " + c.perf_command))) return d;
  return std::nullopt;
}

}  // namespace isobench::detail

namespace isobench {

template <>
std::optional<detail::optimization_type> from_string<detail::optimization_type>(std::string_view text) noexcept {
  using detail::optimization_type;
  static constexpr optimization_type all[] = {optimization_type::kernel,     optimization_type::algorithm,
                                              optimization_type::memory,     optimization_type::parallelization,
                                              optimization_type::scheduling, optimization_type::other};
  return from_string_among(text, all);
}

}  // namespace isobench
