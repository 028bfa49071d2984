#include "generate/generate.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "env/build_info.hpp"
#include "generate/claims.hpp"
#include "generate/commit_clues.hpp"
#include "generate/target_match.hpp"
#include "generate/text_scan.hpp"
#include "generate/workloads.hpp"
#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "spec/spec.hpp"

namespace isobench::detail {

namespace {

nlohmann::json claim_json(const perf_claim& c) {
  nlohmann::json j{{"text", c.text},
                   {"source", to_string(c.source)},
                   {"kind", to_string(c.kind)},
                   {"value", c.value},
                   {"unit", c.unit},
                   {"direction", to_string(c.direction)},
                   {"qualifier", to_string(c.qualifier)},
                   {"metric", c.metric}};
  if (c.value_to) j[c.before_after ? "after" : "value_to"] = *c.value_to;
  if (c.before_after) j["before"] = c.value;
  j["expected_speedup"] = c.expected_speedup ? nlohmann::json(*c.expected_speedup) : nlohmann::json(nullptr);
  nlohmann::json flags = nlohmann::json::array();
  if (c.cumulative) flags.push_back("cumulative");
  if (c.end_to_end) flags.push_back("end_to_end");
  j["flags"] = flags;
  return j;
}

std::string safe_token(std::string_view s, std::size_t max) {
  std::string out;
  for (char ch : s) {
    if (out.size() >= max) break;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) out += ch;
  }
  return out;
}

std::uint64_t seed_of(std::string_view hash) {
  std::uint64_t s = 0;
  for (char ch : hash.substr(0, 12)) s = s * 131 + static_cast<unsigned char>(ch);
  return s % 2147483647;
}

bool quantized(std::string_view impl) {
  return impl.find("int8") != std::string_view::npos || impl.find("int4") != std::string_view::npos ||
         impl.find("fp8") != std::string_view::npos;
}

// What generate_spec builds up: the notes under "_generated" and the explanation lines.
struct decisions {
  nlohmann::json notes = nlohmann::json::object();
  std::vector<std::string>& why;
};

// Claims of the subject, message and PR page (restatements dropped) and the one tested.
std::vector<perf_claim> find_claims(const commit_extraction& c, claim_choice& choice, decisions& d) {
  std::vector<perf_claim> claims;
  for (auto [text, source] :
       {std::pair{&c.subject, claim_source::subject}, std::pair{&c.message, claim_source::message},
        std::pair{&c.pr_text, claim_source::pr_text}}) {
    auto found = extract_claims(*text, source);
    claims.insert(claims.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  drop_repeated_claims(claims);
  choice = choose_claim(claims);
  d.notes["claims"] = nlohmann::json::array();
  for (const auto& cl : claims) d.notes["claims"].push_back(claim_json(cl));
  d.notes["chosen_claim"] = choice.index ? nlohmann::json(*choice.index) : nlohmann::json(nullptr);
  d.notes["claim_decision"] = choice.reason;
  d.why.push_back(fmt::format("claims: {} found", claims.size()));
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const auto& cl = claims[i];
    d.why.push_back(fmt::format("  {}. [{}] {} {} {}{}: '{}'", i + 1, to_string(cl.source), to_string(cl.kind),
                                cl.metric.empty() ? "speed" : cl.metric,
                                cl.expected_speedup ? fmt::format("{:.3g}x", *cl.expected_speedup) : "(no speedup)",
                                cl.cumulative || cl.end_to_end
                                    ? fmt::format(" [{}{}]", cl.cumulative ? "cumulative" : "",
                                                  cl.end_to_end ? (cl.cumulative ? ", end-to-end" : "end-to-end") : "")
                                    : "",
                                text::utf8_prefix(cl.text, 100)));
  }
  d.why.push_back("claim: " + choice.reason);
  return claims;
}

// Why no implementation matches well enough: the nearest candidates, else the registered names
// closest to the changed functions' names, else the registered ops.
std::string no_target(const commit_extraction& c, const registry& reg, const std::vector<target_candidate>& ranked,
                      const std::vector<std::string>& identifiers) {
  std::vector<std::string> nearest;
  for (std::size_t i = 0; i < ranked.size() && i < 3; ++i) {
    nearest.push_back(fmt::format("{} ({:.2f}: {})", ranked[i].kernel->full_name(), ranked[i].confidence,
                                  fmt::join(ranked[i].evidence, "; ")));
  }
  if (nearest.empty()) {
    // No evidence at all: the registered names closest to the changed functions' names.
    std::vector<std::string> names(c.functions.begin(), c.functions.end());
    for (std::size_t i = 0; i < identifiers.size() && i < 5; ++i) names.push_back(identifiers[i]);
    for (const auto& n : names) {
      for (const auto& s : reg.suggest(n.substr(0, 64), 1)) {
        const auto shown = fmt::format("{} (name close to {})", s, n);
        if (nearest.size() < 3 && std::none_of(nearest.begin(), nearest.end(),
                                               [&](const std::string& x) { return x.starts_with(s + " "); })) {
          nearest.push_back(shown);
        }
      }
    }
  }
  if (nearest.empty()) nearest.push_back(fmt::format("none; registered ops: {}", fmt::join(reg.ops(), ", ")));
  return fmt::format(
      "{}: no registered implementation matches this commit well enough (confidence >= {:.2f} "
      "needed); nearest: {}. Pass --target op.impl to choose one.",
      c.source, target_min_confidence, fmt::join(nearest, " | "));
}

// The implementation the spec runs: --target, else the best match if it is good enough; nullptr
// when none is, with the reason in `unresolved`.
const kernel_info* choose_target(const commit_extraction& c, const registry& reg, const generate_options& o,
                                 const std::vector<std::string>& identifiers, const std::optional<dtype_clue>& dtype,
                                 decisions& d, std::optional<std::string>& unresolved) {
  const auto ranked = rank_targets(reg, c, identifiers, dtype);
  nlohmann::json candidates = nlohmann::json::array();
  for (std::size_t i = 0; i < ranked.size() && i < 5; ++i) {
    candidates.push_back({{"implementation", ranked[i].kernel->full_name()},
                          {"confidence", std::round(ranked[i].confidence * 100) / 100},
                          {"evidence", ranked[i].evidence}});
  }
  const kernel_info* target = nullptr;
  std::string target_reason;
  if (o.target) {
    const auto dot = o.target->find('.');
    if (dot == std::string::npos) {
      throw config_error(fmt::format("--target: expected op.impl (e.g. rmsnorm.fused), got '{}'", *o.target));
    }
    target = &reg.resolve(o.target->substr(0, dot), o.target->substr(dot + 1));
    target_reason = "given with --target";
  } else if (!ranked.empty() && ranked.front().confidence >= target_min_confidence) {
    target = ranked.front().kernel;
    target_reason =
        fmt::format("confidence {:.2f}: {}", ranked.front().confidence, fmt::join(ranked.front().evidence, "; "));
  } else {
    unresolved = no_target(c, reg, ranked, identifiers);
    d.notes["target"] = {{"chosen", nullptr}, {"why", *unresolved}, {"candidates", candidates}};
    d.why.push_back("target: none (" + *unresolved + ")");
    return nullptr;
  }
  d.notes["target"] = {{"chosen", target->full_name()}, {"why", target_reason}, {"candidates", candidates}};
  d.why.push_back(fmt::format("target: {} ({})", target->full_name(), target_reason));
  for (std::size_t i = 1; i < ranked.size() && i < 4; ++i) {
    d.why.push_back(fmt::format("  also: {} ({:.2f})", ranked[i].kernel->full_name(), ranked[i].confidence));
  }
  return target;
}

// The CPU unless the commit changes device code and the target has a CUDA build.
std::string choose_device(const commit_extraction& c, const registry& reg, const kernel_info& target, decisions& d) {
  bool device_code = false;
  for (const auto& f : c.files) {
    device_code = device_code || f.path.ends_with(".cu") || f.path.ends_with(".cuh");
  }
  const bool has_cuda = reg.find(target.full_name(), device_kind::cuda) != nullptr;
  const bool has_cpu = reg.find(target.full_name(), device_kind::cpu) != nullptr;
  const std::string device = !has_cpu ? "cuda" : device_code && has_cuda ? "auto" : "cpu";
  d.why.push_back(
      fmt::format("device: {}{}", device,
                  device == "auto" ? " (CUDA code changed and the target has a CUDA build; the CPU without one)" : ""));
  return device;
}

// The activation type the target supports; the commit's own dtype is recorded.
std::string choose_dtype(const std::optional<dtype_clue>& dtype, const kernel_info& target, decisions& d) {
  std::string spec_dtype = "fp32";
  if (dtype) {
    const auto t = from_string<isobench::dtype>(dtype->dtype);
    if (t && target.supports(*t)) spec_dtype = dtype->dtype;
    d.notes["dtype"] = {{"clue", dtype->dtype}, {"evidence", dtype->evidence}, {"spec", spec_dtype}};
    d.why.push_back(fmt::format("dtype: {} ({}){}", spec_dtype, dtype->evidence,
                                spec_dtype == dtype->dtype ? ""
                                                           : fmt::format("; {} supports {} only as weights or not "
                                                                         "at all, so activations stay fp32",
                                                                         target.full_name(), dtype->dtype)));
  } else {
    d.notes["dtype"] = {{"clue", nullptr}, {"spec", spec_dtype}};
    d.why.push_back("dtype: fp32 (no dtype named)");
  }
  return spec_dtype;
}

// A spec of the target's op given with --workloads-from (null without one).
nlohmann::json given_spec(const generate_options& o, const kernel_info& target) {
  if (!o.workloads_from) return nullptr;
  const auto text = read_file(*o.workloads_from, spec_max_bytes, exit_code::invalid_config, "spec");
  auto given = parse_json_document(text, o.workloads_from->string(), exit_code::invalid_config);
  const auto checked = parse_spec(given, o.workloads_from->string());
  if (checked.target != target.op) {
    throw config_error(fmt::format("--workloads-from {}: a spec of op '{}', but the target is {}",
                                   o.workloads_from->string(), checked.target, target.full_name()));
  }
  return given;
}

// The spec itself: the decisions, then what a --workloads-from spec sets, then the claim.
nlohmann::json assemble_spec(const commit_extraction& c, const kernel_info& target, const std::string& device,
                             const std::string& spec_dtype, const generated_workloads& wl,
                             const nlohmann::json& given) {
  const bool q = quantized(target.impl);
  nlohmann::json spec{
      {"version", 1},
      {"name", fmt::format("{}_{}", target.op, c.hash.empty() ? std::string("commit") : safe_token(c.hash, 12))},
      {"target", target.op},
      {"implementation", target.full_name()},
      {"device", device},
      {"dtype", spec_dtype},
      {"seed", seed_of(c.hash)},
      {"workloads", wl.workloads},
      {"timing", {{"warmup", 2}, {"min_iters", 10}, {"min_time_s", 0.3}, {"max_time_s", 30}}},
      {"equivalence", target.op == "topk" ? nlohmann::json{{"level", "exact"}}
                      : q                 ? nlohmann::json{{"level", "numeric"}, {"rtol", 0.02}, {"atol", 0.08}}
                                          : nlohmann::json{{"level", "numeric"}, {"rtol", 1e-3}, {"atol", 1e-4}}},
      {"commit", {{"hash", c.hash}, {"parent", c.parent}, {"message", c.subject}}}};
  if (!given.is_null()) {
    if (given.contains("shapes")) spec["shapes"] = given["shapes"];
    if (wl.workloads.empty()) spec.erase("workloads");
    for (const char* key : {"timing", "equivalence", "dtype", "seed"}) {
      if (given.contains(key)) spec[key] = given[key];
    }
  }
  return spec;
}

// What generate found when no implementation matches: spec-shaped, with "target": null, so a
// caller can still score the claims or route the commit; `run` refuses it.
nlohmann::json unresolved_document(const commit_extraction& c, const std::vector<perf_claim>& claims,
                                   const claim_choice& choice, nlohmann::json notes) {
  nlohmann::json doc{
      {"version", 1},
      {"name", fmt::format("commit_{}", c.hash.empty() ? std::string("unknown") : safe_token(c.hash, 12))},
      {"target", nullptr},
      {"implementation", nullptr},
      {"commit", {{"hash", c.hash}, {"parent", c.parent}, {"message", c.subject}}}};
  if (choice.index) {
    const auto& cl = claims[*choice.index];
    doc["claim"] = {{"speedup", std::round(*cl.expected_speedup * 1000) / 1000}, {"tolerance", choice.tolerance}};
  }
  doc["_generated"] = std::move(notes);
  return doc;
}

}  // namespace

commit_extraction load_commit_extraction(const std::filesystem::path& file) {
  return parse_commit_extraction_text(
      read_file(file, extraction_max_bytes, exit_code::invalid_config, "commit extraction"), file.string());
}

commit_extraction parse_commit_extraction_text(std::string text, const std::string& source) {
  const auto replaced = replace_invalid_utf8(text);
  auto c = parse_commit_extraction(parse_json_document(text, source, exit_code::invalid_config), source);
  if (replaced > 0) {
    c.notes.push_back(fmt::format("{} bytes of invalid UTF-8 replaced by U+FFFD before parsing", replaced));
  }
  return c;
}

generated_spec generate_spec(const commit_extraction& c, const registry& reg, const generate_options& o) {
  generated_spec g;
  decisions d{nlohmann::json::object(), g.explanation};
  d.notes["generator"] = fmt::format("isobench generate {}", build::version);
  d.notes["input"] = c.source;
  d.notes["format"] = c.format;
  for (const auto& n : c.notes) d.why.push_back("input: " + n);

  claim_choice choice;
  const auto claims = find_claims(c, choice, d);
  // Optimisation type, dtype, model.
  const auto identifiers = diff_identifiers(c);
  const auto typed = classify_optimization(c, identifiers, !claims.empty());
  d.notes["optimization_type"] = {{"type", to_string(typed.type)}, {"evidence", typed.evidence}};
  d.why.push_back(fmt::format("optimization type: {} ({})", to_string(typed.type), fmt::join(typed.evidence, "; ")));
  const auto dtype = detect_dtype(c, identifiers);
  const auto model = detect_model(c);

  const auto* found = choose_target(c, reg, o, identifiers, dtype, d, g.unresolved);
  if (found == nullptr) {
    g.spec = unresolved_document(c, claims, choice, std::move(d.notes));
    return g;
  }
  const auto& target = *found;
  const auto device = choose_device(c, reg, target, d);
  const auto spec_dtype = choose_dtype(dtype, target, d);

  // Workloads: from a given spec of the op, else by rule.
  generated_workloads wl;
  const auto given = given_spec(o, target);
  if (!given.is_null()) {
    wl.workloads = given.value("workloads", nlohmann::json::array());
    wl.rule = fmt::format("taken from {}", o.workloads_from->string());
  } else {
    wl = workloads_for(target, device == "cuda" ? device_kind::cuda : device_kind::cpu, model.value_or(default_model()),
                       model.has_value());
  }
  d.notes["model"] = model ? nlohmann::json(model->name) : nlohmann::json(nullptr);
  d.notes["workloads"] = wl.rule;
  d.why.push_back(fmt::format("workloads: {} ({})", wl.workloads.size(), wl.rule));

  auto spec = assemble_spec(c, target, device, spec_dtype, wl, given);
  if (choice.index) {
    const auto& cl = claims[*choice.index];
    spec["claim"] = {{"speedup", std::round(*cl.expected_speedup * 1000) / 1000}, {"tolerance", choice.tolerance}};
  }
  d.why.push_back(fmt::format("equivalence: {} (the head build is checked against the base build's reference)",
                              spec["equivalence"].dump()));
  spec["_generated"] = d.notes;
  g.spec = std::move(spec);
  return g;
}

}  // namespace isobench::detail
