#include "commits/bisect.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

std::string verdict_line(const verdict_result& v) {
  if (!std::isfinite(v.estimate.speedup)) return fmt::format("{}: {}", v.workload, to_string(v.verdict));
  return fmt::format("{}: {} {:.3f}x [{:.3f}, {:.3f}] p={:.2g}", v.workload, to_string(v.verdict), v.estimate.speedup,
                     v.estimate.ci.low, v.estimate.ci.high, v.p_adjusted);
}

}  // namespace

probe_answer classify_probe(const run_outcome& o, double threshold, std::string& why) {
  const auto& rep = o.report;
  bool bad = false;
  std::vector<std::string> parts;
  for (const auto& v : rep.verdicts) {
    const auto& m = v.estimate.method;
    if (v.verdict == verdict::error) {
      // A head that hung past its time (line_process: "gave no answer within") is slow, not broken.
      if (m.starts_with("head build") && m.find("gave no answer") != std::string::npos) {
        parts.push_back(fmt::format("{}: timed out (counts as slow)", v.workload));
        bad = true;
        continue;
      }
      if (m.starts_with("base build")) {
        throw config_error(fmt::format("the good commit's build failed to run: {}", first_line(m)));
      }
      why = fmt::format("{}: ERROR {}", v.workload, first_line(m));
      return probe_answer::skip;
    }
    parts.push_back(verdict_line(v));
    if (v.p_adjusted <= rep.policy.alpha && v.estimate.speedup < 1.0 / (1.0 + threshold)) bad = true;
  }
  why = fmt::format("{}", fmt::join(parts, "; "));
  return bad ? probe_answer::bad : probe_answer::good;
}

bisect_outcome run_bisect(builder& b, const bisect_request& rq, std::ostream& err) {
  const auto& repo = b.repository();
  const bool quiet = rq.ab.run.quiet;
  bisect_outcome r;
  const auto good = repo.resolve(rq.good);
  const auto bad = repo.resolve(rq.bad);
  if (good == bad || !repo.is_ancestor(good, bad)) {
    throw config_error(fmt::format("bisect: {} (good) must be an ancestor of {} (bad)", rq.good, rq.bad));
  }
  r.commits.push_back(good);
  for (auto& c : repo.list(good + ".." + bad)) r.commits.push_back(std::move(c));
  const auto good_build = b.build(good);
  r.builds += good_build.cached ? 0 : 1;
  if (!good_build.ok)
    throw config_error(fmt::format("the good commit {} does not build: {}", rq.good, good_build.reason));
  if (!quiet) {
    err << fmt::format("isobench bisect: {} commits after {} (good) up to {} (bad); at most {} probes if all build\n",
                       r.commits.size() - 1, git::short_sha(good), git::short_sha(bad),
                       static_cast<int>(std::ceil(std::log2(static_cast<double>(r.commits.size() - 1)))) + 1);
  }
  std::optional<double> threshold = rq.threshold;
  const auto probe = [&](std::size_t i) {
    const auto& commit = r.commits[i];
    const auto built = b.build(commit);
    r.builds += built.cached ? 0 : 1;
    std::string why;
    probe_answer a = probe_answer::skip;
    if (!built.ok) {
      why = fmt::format("does not build (log: {})", built.log.string());
    } else {
      two_build_options o = rq.ab;
      o.run.quiet = true;  // a probe is one line of its own
      o.run.impl_tag = fmt::format("{}-{}", rq.ab.run.impl_tag, git::short_sha(commit));
      auto j = judge_commits(b, good, commit, o, rq.cpus, {}, err);
      if (!threshold) threshold = j.outcome.report.policy.noise_threshold;
      a = classify_probe(j.outcome, *threshold, why);
      if (a != probe_answer::skip) r.judged.emplace(i, std::move(j));
    }
    if (a == probe_answer::skip) r.skip_reasons[i] = why;
    if (!quiet) {
      err << fmt::format("  [{}/{}] {}: {} -> {}\n", i, r.commits.size() - 1, git::short_sha(commit), why,
                         a == probe_answer::good  ? "good"
                         : a == probe_answer::bad ? "bad"
                                                  : "skipped");
    }
    return a;
  };
  r.steps = bisect_search(r.commits.size(), probe);
  return r;
}

void print_bisect_summary(const bisect_outcome& r, const git::repository& repo, std::ostream& out) {
  const auto& s = r.steps;
  const auto& good = r.commits[s.last_good];
  if (s.found) {
    const auto meta = repo.describe(r.commits[s.first_bad]);
    out << fmt::format("first bad commit: {}\n  {}\n", meta.sha, meta.subject);
    for (const auto& v : r.judged.at(s.first_bad).outcome.report.verdicts) {
      out << fmt::format("  {} (vs {})\n", verdict_line(v), git::short_sha(r.commits.front()));
    }
    out << fmt::format("last good commit: {}\n", good);
  } else if (s.no_regression) {
    out << fmt::format("no regression: {} is not slower than {}\n", r.commits.back(), r.commits.front());
  } else {
    out << "undecided: the commits that could decide do not build\n";
  }
  for (const auto k : s.untestable) {
    out << fmt::format("  untestable: {} ({})\n", r.commits[k], r.skip_reasons.count(k) ? r.skip_reasons.at(k) : "");
  }
  out << fmt::format("probes: {} two-build verdicts over {} commits; {} skipped; {} builds\n", s.probes,
                     r.commits.size() - 1, s.probed.size() - static_cast<std::size_t>(s.probes), r.builds);
}

}  // namespace isobench::detail
