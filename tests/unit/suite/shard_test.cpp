// Shard selection: every case in exactly one shard, balanced by expected time, deterministic; and
// the shard index and count from a flag, Slurm or Kubernetes.
#include "suite/shard.hpp"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

suite make_suite(int n) {
  suite s;
  s.name = "s";
  for (int i = 0; i < n; ++i) {
    suite_case c;
    c.id = "case" + std::to_string(i);
    s.cases.push_back(c);
  }
  return s;
}

std::map<std::string, std::string> g_env;
std::string fake_env(const char* name) {
  const auto it = g_env.find(name);
  return it == g_env.end() ? std::string() : it->second;
}

TEST(shard, every_case_in_exactly_one_shard_and_balanced) {
  const auto s = make_suite(103);
  std::map<std::string, double> expected;
  for (int i = 0; i < 103; ++i) expected["case" + std::to_string(i)] = 1.0 + (i % 10) * 3.0;
  for (int count : {1, 2, 7, 32}) {
    std::multiset<std::size_t> seen;
    double max_load = 0, min_load = 1e300;
    for (int k = 0; k < count; ++k) {
      const auto mine = select_shard(s, {k, count, "test"}, expected);
      EXPECT_EQ(mine, select_shard(s, {k, count, "test"}, expected));  // deterministic
      double load = 0;
      for (const auto i : mine) {
        seen.insert(i);
        load += expected["case" + std::to_string(i)];
      }
      max_load = std::max(max_load, load);
      min_load = std::min(min_load, load);
    }
    EXPECT_EQ(seen.size(), 103u);
    EXPECT_EQ(std::set<std::size_t>(seen.begin(), seen.end()).size(), 103u);
    if (count <= 7) {
      EXPECT_LE(max_load - min_load, 28.0 + 1e-9) << count;  // within one largest case
    }
  }
  // Without history: by count.
  for (int k = 0; k < 4; ++k) {
    const auto n = select_shard(s, {k, 4, "test"}, {}).size();
    EXPECT_TRUE(n == 25 || n == 26) << n;
  }
}

TEST(shard, index_and_count_from_flag_slurm_and_kubernetes) {
  g_env.clear();
  EXPECT_FALSE(shard_from("", 0, &fake_env).has_value());
  auto s = shard_from("2/5", 0, &fake_env);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 5);
  EXPECT_THROW(shard_from("5/5", 0, &fake_env), config_error);
  EXPECT_THROW(shard_from("x/5", 0, &fake_env), config_error);

  g_env = {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_JOB_ID", "77"}};
  s = shard_from("", 0, &fake_env);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 3);
  EXPECT_EQ(s->source, "slurm");
  EXPECT_EQ(run_id_from("", &fake_env), "slurm-77");
  g_env = {{"SLURM_ARRAY_TASK_ID", "10"}, {"SLURM_ARRAY_TASK_MIN", "10"}, {"SLURM_ARRAY_TASK_MAX", "13"}};
  s = shard_from("", 0, &fake_env);
  EXPECT_EQ(s->index, 0);
  EXPECT_EQ(s->count, 4);

  g_env = {{"JOB_COMPLETION_INDEX", "1"}};
  EXPECT_THROW(shard_from("", 0, &fake_env), config_error);  // the count must be passed in
  s = shard_from("", 3, &fake_env);
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 3);
  EXPECT_EQ(s->source, "kubernetes");
  g_env["ISOBENCH_SHARD_COUNT"] = "2";
  g_env["ISOBENCH_RUN_ID"] = "nightly-7";
  EXPECT_EQ(shard_from("", 0, &fake_env)->count, 2);
  EXPECT_EQ(run_id_from("", &fake_env), "nightly-7");
  EXPECT_EQ(run_id_from("given", &fake_env), "given");
}

TEST(shard, identity_round_trips) {
  suite_case c;
  c.id = "x.y";
  c.name = "m";
  c.quantization = "int8wo";
  c.m = 1;
  c.k = 4096;
  c.n = 14336;
  c.skip_reason = "why";
  const auto back = case_from_identity(case_identity(c));
  EXPECT_EQ(back.id, c.id);
  EXPECT_EQ(back.quantization, c.quantization);
  EXPECT_EQ(back.k, c.k);
  EXPECT_EQ(back.skip_reason, c.skip_reason);
}

}  // namespace
}  // namespace isobench::detail

namespace isobench::detail {
namespace {

std::string no_env(const char*) {
  return {};
}

std::string shard_error(const std::string& flag) {
  try {
    (void)shard_from(flag, 0, &no_env);
  } catch (const config_error& e) {
    return e.what();
  }
  return "accepted";
}

// Each wrong --shard says what is wrong with it: never "0..-1", never "not an integer" for a
// number that is merely out of range.
TEST(shard_arguments, say_what_is_wrong) {
  EXPECT_NE(shard_error("0/0").find("--shard count: 0 is out of range; expected 1..1000000"), std::string::npos)
      << shard_error("0/0");
  EXPECT_NE(shard_error("0/99999999999").find("out of range"), std::string::npos) << shard_error("0/99999999999");
  EXPECT_NE(shard_error("0/2000000").find("out of range"), std::string::npos);
  EXPECT_NE(shard_error("x/4").find("'x' is not an integer"), std::string::npos) << shard_error("x/4");
  EXPECT_NE(shard_error("-1/4").find("-1 is out of range; expected 0..1000000"), std::string::npos)
      << shard_error("-1/4");
  EXPECT_NE(shard_error("4/4").find("the index must be in 0..3"), std::string::npos) << shard_error("4/4");
  EXPECT_EQ(shard_error("0/0").find("..-1"), std::string::npos);
}

}  // namespace
}  // namespace isobench::detail
