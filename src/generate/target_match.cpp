#include "generate/target_match.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "generate/text_scan.hpp"

namespace isobench::detail {

namespace {

bool glob(std::string_view p, std::string_view s) {
  if (p.empty()) return s.empty();
  if (p.starts_with("**")) {
    auto rest = p.substr(2);
    if (rest.starts_with("/")) rest.remove_prefix(1);
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (glob(rest, s.substr(i))) return true;
    }
    return false;
  }
  if (p.front() == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (glob(p.substr(1), s.substr(i))) return true;
      if (i < s.size() && s[i] == '/') break;
    }
    return false;
  }
  if (s.empty()) return false;
  if (p.front() != '?' && p.front() != s.front()) return false;
  return glob(p.substr(1), s.substr(1));
}

// Lower case without separators: "Fused_Add_RMS_Norm" -> "fusedaddrmsnorm".
std::string squash(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch >= 'A' && ch <= 'Z')
      out += static_cast<char>(ch - 'A' + 'a');
    else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
      out += ch;
  }
  return out;
}

// A name matches an identifier when the identifier contains it (names of 4+ characters) or equals
// it (shorter names such as "mm" or "rms", which occur inside unrelated words).
bool name_in(std::string_view name, std::string_view squashed_identifier) {
  if (name.size() >= 4) return squashed_identifier.find(name) != std::string_view::npos;
  return squashed_identifier == name;
}

// The commit as target matching reads it: squashed identifiers, declared names, words and paths.
struct commit_text {
  const std::vector<std::string>& identifiers;
  std::vector<std::string> squashed_ids;
  std::vector<std::pair<std::string, std::string>> declared;  // functions_changed and apis
  std::string words, paths;
  bool device_code = false;
  // Many implementations share names: each is looked for once in a message of any length.
  mutable std::unordered_map<std::string, bool> in_words_memo;

  bool in_words(const std::string& n) const {
    const auto [it, added] = in_words_memo.try_emplace(n, false);
    if (added) it->second = words.find(n) != std::string::npos;
    return it->second;
  }
};

commit_text read_commit(const commit_extraction& c, const std::vector<std::string>& identifiers) {
  commit_text t{identifiers, {}, {}, {}, {}, false, {}};
  for (const auto& id : identifiers) t.squashed_ids.push_back(squash(id));
  for (const auto& f : c.functions) t.declared.emplace_back("functions_changed", f);
  for (const auto& a : c.apis) t.declared.emplace_back("apis", a);
  std::string clues;
  for (const auto& x : c.clues) clues += x + " ";
  t.words = squash(c.subject + "\n" + c.message + "\n" + clues + "\n" + c.category);
  for (const auto& f : c.files) t.paths += squash(f.path) + " ";
  for (const auto& p : c.affected_paths) t.paths += squash(p) + " ";
  for (const auto& f : c.files) t.device_code = t.device_code || f.path.ends_with(".cu") || f.path.ends_with(".cuh");
  return t;
}

// 1. Changed files against the implementation's declared sources.
void score_sources(target_candidate& t, const commit_extraction& c) {
  int source_hits = 0;
  for (const auto& f : c.files) {
    for (const auto& pattern : t.kernel->sources) {
      if (source_matches(pattern, f.path)) {
        if (source_hits++ == 0) {
          t.confidence += 0.9;
          t.evidence.push_back(fmt::format("changed {} matches its declared source {}", f.path, pattern));
        } else {
          t.confidence += 0.05;
        }
        break;
      }
    }
  }
}

// 2. The commit's names, words and paths against the op's name and keywords.
void score_names(target_candidate& t, const commit_text& text) {
  const auto* k = t.kernel;
  std::vector<std::string> names{squash(k->op)};
  for (const auto& kw : k->keywords) names.push_back(squash(kw));
  bool declared_hit = false, diff_hit = false, word_hit = false, path_hit = false;
  for (const auto& n : names) {
    if (n.empty()) continue;
    for (const auto& [field, value] : text.declared) {
      if (!declared_hit && name_in(n, squash(value))) {
        declared_hit = true;
        t.confidence += 0.6;
        t.evidence.push_back(fmt::format("{} has {} (op {})", field, value, k->op));
      }
    }
    for (std::size_t i = 0; i < text.squashed_ids.size() && !diff_hit; ++i) {
      if (name_in(n, text.squashed_ids[i])) {
        diff_hit = true;
        t.confidence += 0.5;
        t.evidence.push_back(fmt::format("the diff changes {} (op {})", text.identifiers[i], k->op));
      }
    }
    if (!word_hit && n.size() >= 4 && text.in_words(n)) {
      word_hit = true;
      t.confidence += 0.4;
      t.evidence.push_back(fmt::format("the message names '{}'", n));
    }
    if (!path_hit && n.size() >= 4 && text.paths.find(n) != std::string::npos) {
      path_hit = true;
      t.confidence += 0.3;
      t.evidence.push_back(fmt::format("a changed path contains '{}'", n));
    }
  }
}

// 3. The implementation itself, once its op has evidence: its name in the message, device code,
// or the dtype it is about.
void score_implementation(target_candidate& t, const commit_text& text, const registry& reg,
                          const std::optional<dtype_clue>& dtype) {
  const auto* k = t.kernel;
  const auto impl = squash(k->impl);
  // Parts of the op's name ("gelu" of ln_linear_gelu) tell variants of one family apart.
  for (std::size_t s = 0, e = 0; s < k->op.size(); s = e + 1) {
    e = k->op.find('_', s);
    if (e == std::string::npos) e = k->op.size();
    const auto part = squash(std::string_view(k->op).substr(s, e - s));
    if (part.size() >= 4 && text.in_words(part)) t.confidence += 0.05;
  }
  if (text.device_code && reg.find(k->full_name(), device_kind::cuda) != nullptr) {
    t.confidence += 0.1;
    t.evidence.push_back("the commit changes device code and this implementation has a CUDA build");
  }
  const auto& ids = text.squashed_ids;
  if (impl.size() >= 4 && (text.in_words(impl) || std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
                             return id.find(impl) != std::string::npos;
                           }))) {
    t.confidence += 0.15;
    t.evidence.push_back(fmt::format("'{}' occurs in the message or diff", k->impl));
  }
  if (dtype && impl.find(dtype->dtype) != std::string::npos) {
    t.confidence += 0.3;
    t.evidence.push_back(fmt::format("the commit is about {} ({})", dtype->dtype, dtype->evidence));
  }
  // An implementation written for another dtype is less likely than the plain one.
  for (std::string_view other : {"int8", "int4", "bf16", "fp8"}) {
    if (impl.find(other) != std::string::npos && (!dtype || dtype->dtype != other)) t.confidence -= 0.1;
  }
}

}  // namespace

bool source_matches(std::string_view pattern, std::string_view path) {
  if (glob(pattern, path)) return true;
  for (std::size_t p = path.find('/'); p != std::string_view::npos; p = path.find('/', p + 1)) {
    if (glob(pattern, path.substr(p + 1))) return true;
  }
  return false;
}

std::vector<target_candidate> rank_targets(const registry& reg, const commit_extraction& c,
                                           const std::vector<std::string>& identifiers,
                                           const std::optional<dtype_clue>& dtype) {
  const auto text = read_commit(c, identifiers);
  std::vector<target_candidate> out;
  for (const auto* k : reg.list()) {
    target_candidate t{k, 0.0, {}};
    score_sources(t, c);
    score_names(t, text);
    if (t.confidence > 0.0) score_implementation(t, text, reg, dtype);
    if (t.confidence <= 0.0) continue;
    // CPU and CUDA registrations of one name are one candidate.
    if (std::any_of(out.begin(), out.end(),
                    [&](const target_candidate& o) { return o.kernel->full_name() == k->full_name(); })) {
      continue;
    }
    out.push_back(std::move(t));
  }
  // Sorted on the raw score (so the implementation-level evidence still orders candidates whose
  // op evidence is overwhelming), reported clamped to [0, 1].
  std::stable_sort(out.begin(), out.end(), [](const target_candidate& a, const target_candidate& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.kernel->full_name() < b.kernel->full_name();
  });
  for (auto& t : out) t.confidence = std::min(t.confidence, 1.0);
  return out;
}

}  // namespace isobench::detail
