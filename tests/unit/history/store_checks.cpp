#include "history/store_checks.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "history/store.hpp"

namespace isobench::detail::history {

namespace {

point make_point(const std::string& machine, const std::string& commit, std::string produced, double base) {
  point p;
  p.key = {"spec", "w", "op.impl", machine};
  p.commit = commit;
  p.parent = "parent-of-" + commit;
  p.produced_at = std::move(produced);
  p.source = "run";
  p.impl_tag = "child";
  p.samples = {base, base * 1.01, base * 0.99};
  p.median = base;
  p.environment = {{"cpu_model", machine}};
  return p;
}

}  // namespace

void check_round_trip(const std::string& database) {
  store s(database);
  EXPECT_EQ(s.version(), schema_version);
  batch b;
  b.points.push_back(make_point("cpu-a", "c2", "2026-01-02T00:00:00Z", 2.0));
  b.points.push_back(make_point("cpu-a", "c1", "2026-01-01T00:00:00Z", 1.0));
  b.points.push_back(make_point("cpu-b", "c1", "2026-01-01T00:00:00Z", 5.0));  // another machine: another series
  verdict_record v;
  v.spec = "spec";
  v.workload = "w";
  v.baseline = "op.a";
  v.candidate = "op.b";
  v.machine = "cpu-a";
  v.head_commit = "c2";
  v.verdict = "IMPROVED";
  v.speedup = 1.5;
  v.ci_low = 1.4;
  v.ci_high = 1.6;
  v.p_value = 1e-6;
  v.produced_at = "2026-01-02T00:00:00Z";
  v.source = "run";
  b.verdicts.push_back(v);
  auto c = s.record(b);
  EXPECT_EQ(c.points_new, 3u);
  EXPECT_EQ(c.verdicts_new, 1u);
  c = s.record(b);  // again: a no-op
  EXPECT_EQ(c.points_new, 0u);
  EXPECT_EQ(c.points_known, 3u);
  EXPECT_EQ(c.verdicts_known, 1u);

  const auto series = s.series();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].key.machine, "cpu-a");
  EXPECT_EQ(series[0].points, 2);
  EXPECT_EQ(series[0].first_commit, "c1");
  EXPECT_EQ(series[0].last_commit, "c2");
  const auto pts = s.points(series[0].id);
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[0].p.commit, "c1");  // produced first, recorded second
  EXPECT_EQ(pts[0].p.samples, (std::vector<double>{1.0, 1.01, 0.99}));
  EXPECT_EQ(pts[0].p.environment["cpu_model"], "cpu-a");
  EXPECT_EQ(pts[1].p.parent, "parent-of-c2");
  const auto vs = s.verdicts();
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_DOUBLE_EQ(vs[0].speedup, 1.5);
  EXPECT_EQ(vs[0].verdict, "IMPROVED");
}

void check_concurrent_recorders(const std::string& database, int processes, int points_each) {
  { store s(database); }  // created once; the children race on recording (and migration is idempotent)
  std::vector<pid_t> children;
  for (int k = 0; k < processes; ++k) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int rc = 0;
      try {
        store s(database);
        for (int i = 0; i < points_each; ++i) {
          batch b;
          b.points.push_back(make_point(fmt::format("cpu-{}", k % 2), fmt::format("k{}-c{}", k, i),
                                        fmt::format("2026-01-01T00:{:02}:{:02}Z", k, i), 1.0 + i));
          s.record(b);
        }
      } catch (...) {
        rc = 1;
      }
      ::_exit(rc);
    }
    children.push_back(pid);
  }
  for (const auto pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a recorder failed";
  }
  store s(database);
  std::int64_t total = 0;
  for (const auto& sr : s.series()) total += sr.points;
  EXPECT_EQ(total, static_cast<std::int64_t>(processes) * points_each);
}

}  // namespace isobench::detail::history
