#include "commits/continuous.hpp"

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail {

continuous_args split_revisions(const std::vector<std::string>& args) {
  continuous_args a;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    std::error_code ec;
    if (std::filesystem::exists(args[i], ec)) break;
    a.revisions.push_back(args[i]);
  }
  for (; i < args.size(); ++i) {
    std::error_code ec;
    if (!std::filesystem::exists(args[i], ec)) {
      throw config_error(fmt::format("{}: no such spec file (revisions come first: [BASE] [HEAD] SPEC...)", args[i]));
    }
    a.specs.emplace_back(args[i]);
  }
  if (a.specs.empty()) {
    throw config_error(a.revisions.empty() ? std::string("expected [BASE] [HEAD] SPEC...: no spec given")
                                           : fmt::format("{}: no such spec file", a.revisions.back()));
  }
  if (a.revisions.size() > 2) {
    throw config_error(fmt::format("'{}' is neither a file nor one of two revisions (expected [BASE] [HEAD] SPEC...)",
                                   a.revisions[2]));
  }
  return a;
}

continuous_outcome run_continuous(builder& b, const continuous_args& a, const two_build_options& o,
                                  const std::vector<int>& cpus, const std::vector<report_target>& reporters,
                                  std::ostream& err) {
  const auto& repo = b.repository();
  continuous_outcome out;
  out.head = repo.resolve(a.revisions.empty() ? std::string("HEAD") : a.revisions.back());
  if (a.revisions.size() == 2) {
    out.base = repo.resolve(a.revisions.front());
  } else {
    const auto meta = repo.describe(out.head);
    if (meta.parents.empty()) {
      throw config_error(
          fmt::format("{} is a root commit: name the base to judge it against", git::short_sha(out.head)));
    }
    out.base = meta.parents.front();
  }
  if (!o.run.quiet) {
    err << fmt::format("isobench continuous: {} (base) vs {} (head) in {}\n", git::short_sha(out.base),
                       git::short_sha(out.head), repo.top().string());
  }
  for (const auto& spec_file : a.specs) {
    two_build_options so = o;
    so.run.spec_file = spec_file;
    out.judgements.push_back(judge_commits(b, out.base, out.head, so, cpus, reporters, err));
    const auto code = out.judgements.back().outcome.code;
    if (out.code == exit_code::ok) out.code = code;
  }
  return out;
}

}  // namespace isobench::detail
