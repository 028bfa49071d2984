#include "commits/judge_commits.hpp"

#include <fmt/format.h>

#include "commits/failed_build.hpp"
#include "env/affinity.hpp"

namespace isobench::detail {

namespace {

// This process on `cpus` for the judging, then back on the CPUs it had.
class pinned_scope {
public:
  explicit pinned_scope(const std::vector<int>& cpus) {
    if (cpus.empty()) return;
    m_before = current_affinity();
    pin_to_cpus(cpus);
  }
  ~pinned_scope() {
    if (m_before.empty() || m_before == "?") return;
    try {
      pin_to_cpus(parse_cpu_list(m_before));
    } catch (const std::exception&) {  // the CPUs went away meanwhile: stay where we are
    }
  }
  pinned_scope(const pinned_scope&) = delete;
  pinned_scope& operator=(const pinned_scope&) = delete;

private:
  std::string m_before;
};

}  // namespace

commit_judgement judge_commits(builder& b, const std::string& base, const std::string& head, two_build_options o,
                               const std::vector<int>& cpus, const std::vector<report_target>& reporters,
                               std::ostream& err) {
  commit_judgement j;
  j.base = b.build(base);
  j.head = b.build(head);
  o.base_executable = j.base.executable;
  o.head_executable = j.head.executable;
  if (!o.run.commit_hash) o.run.commit_hash = head;
  for (const auto* r : {&j.base, &j.head}) {
    if (!o.run.quiet && r->cached) {
      err << fmt::format("  {} {}: {} (cache: {})\n", r == &j.base ? "base" : "head", git::short_sha(r->commit),
                         r->ok ? "built before" : "does not build, as before", r->dir.string());
    }
  }
  if (!j.base.ok || !j.head.ok) {
    const auto& failed = j.base.ok ? j.head : j.base;
    const auto reason = fmt::format("{} build of {} failed: {}", &failed == &j.base ? "base" : "head",
                                    git::short_sha(failed.commit), failed.reason);
    j.outcome = failed_build_outcome(o, reason, reporters, err);
    return j;
  }
  // The one place commits reach the two-build runner.
  const pinned_scope pinned(cpus);
  j.outcome = run_two_builds(o, reporters, err);
  return j;
}

}  // namespace isobench::detail
