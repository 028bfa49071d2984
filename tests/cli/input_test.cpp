// Every class of malformed input gets a clear answer: the documented exit code, the file and field
// named, nothing measured first, nothing lost, and never a crash or a hang.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

std::string gemm(const std::string& m, const std::string& n, const std::string& k) {
  return fmt::format(R"({{"name": "g", "target": "gemm", "implementation": "gemm.naive",
  "workloads": [{{"name": "huge", "m": {}, "n": {}, "k": {}}}],
  "timing": {{"warmup": 1, "min_iters": 2, "min_time_s": 0.001, "max_time_s": 1}}}})",
                     m, n, k);
}

std::string spin(const std::string& timing, const std::string& extra = "") {
  return fmt::format(R"({{"name": "spin", "target": "spin", "implementation": "spin.loop", "dtype": "int64",
  "workloads": [{{"name": "w", "iterations": 2000}}],
  "timing": {}, "equivalence": {{"level": "exact"}}{}}})",
                     timing, extra);
}

constexpr const char* k_quick = R"({"warmup": 1, "min_iters": 3, "min_time_s": 0.001, "max_time_s": 1})";

class input : public cli_dir_test {
protected:
  // A result file from a real run, as JSON to tamper with.
  nlohmann::json real_result() {
    const auto spec = write("spin.json", spin(k_quick));
    const auto r = run({"run", spec.string(), "-q", "--impl-tag", "orig"});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(read_text(dir() / "spin_orig.json"));
  }
};

void expect_error(const cli_result& r, int code, const std::string& text) {
  EXPECT_EQ(r.code, code) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << "expected '" << text << "' in: " << r.err;
  EXPECT_LT(r.err.size(), 600u) << "messages stay short: " << r.err;
}

TEST_F(input, sizes_that_overflow_are_exit_4_naming_the_workload) {
  // 2^62 x 4 elements and 2^31 x 2^31 x 4 bytes overflow 64-bit sizes; they used to crash.
  expect_error(run({"run", write("a.json", gemm("4611686018427387904", "4", "4")).string()}), 4, "workload 'huge'");
  expect_error(run({"run", write("b.json", gemm("2147483648", "2147483648", "0")).string()}), 4, "workload 'huge'");
  // Representable, but more than this machine's memory: refused before allocating.
  expect_error(run({"run", write("c.json", gemm("1048576", "1048576", "1")).string()}), 4, "bytes of memory");
}

TEST_F(input, max_time_bounds_the_whole_case) {
  // Each call takes ~0.3 s; three warmups and ten samples would take 4 s.
  const auto spec = write("slow.json", R"({"name": "slow", "target": "spin", "implementation": "spin.loop",
    "dtype": "int64", "workloads": [{"name": "w", "duration_us": 300000}],
    "timing": {"warmup": 3, "min_iters": 10, "min_time_s": 0.5, "max_time_s": 0.5}})");
  const auto r = run({"run", spec.string(), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(read_text(dir() / "slow_child.json"));
  const auto& c = j["results"][0];
  EXPECT_EQ(c["stop_reason"], "max_time");
  // Calls counted, not wall time (a loaded machine stretches that): of the 13 asked for, only those
  // that started within 0.5 s ran. A busy machine makes calls slower, so fewer, never more.
  EXPECT_LE(c["warmup"].get<int>() + c["iters"].get<int>() + c["calibration_calls"].get<int>(), 4) << c.dump();
  // Times that cannot be bounded are refused up front.
  expect_error(
      run({"run", write("inf.json", spin(R"({"min_time_s": 1e308, "max_time_s": 1e308, "max_iters": 5})")).string()}),
      6, "/timing/min_time_s: expected a number in [0, 86400]");
}

TEST_F(input, files_must_be_regular_and_bounded) {
  const auto fifo = dir() / "fifo.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_error(run({"run", fifo.string()}), 6, "is a FIFO; expected a regular spec file");
  expect_error(run({"run", "/dev/zero"}), 6, "is a character device; expected a regular spec file");
  fs::create_directory(dir() / "d.json");
  expect_error(run({"run", (dir() / "d.json").string()}), 6, "is a directory; expected a regular spec file");
  expect_error(run({"compare", fifo.string(), "/dev/zero"}), 6, "expected a regular result file");
  // A directory where the reference should be is not "reference not found".
  const auto spec = write("spin.json", spin(k_quick));
  fs::create_directory(dir() / "spin_reference.safetensors");
  expect_error(run({"run", spec.string(), "--eqcheck"}), 8, "is a directory; expected a regular reference file");
  EXPECT_FALSE(fs::exists(dir() / "spin_child.json"));  // nothing measured
}

TEST_F(input, user_input_is_exit_6_never_10) {
  expect_error(run({"run", write("big.json", spin(k_quick, R"(, "seed": 1e400)")).string()}), 6, "not valid JSON");
  auto j = real_result();
  j["results"][0]["eq"] = {{"passed", "yes"}, {"achieved", "exact"}};
  const auto bad = write("bad.json", j.dump());
  expect_error(run({"compare", bad.string(), bad.string()}), 6, "bad.json: /results/0/eq/passed");
  j = real_result();
  j["results"][0]["counters"] = {{"x", "1"}};
  expect_error(run({"compare", write("c.json", j.dump()).string(), bad.string()}), 6, "/results/0/counters/x");
  // Invalid UTF-8 in --commit-hash is found before measuring, not when the result is written.
  const auto spec = write("s.json", spin(k_quick));
  expect_error(run({"run", spec.string(), "--commit-hash", "\xff\xfe", "--impl-tag", "u"}), 6,
               "--commit-hash: expected UTF-8 text");
  EXPECT_FALSE(fs::exists(dir() / "spin_u.json"));
  expect_error(run({"compare", bad.string(), bad.string(), "--alpha", "nan"}), 6, "--alpha: expected a number in");
}

TEST_F(input, nan_and_huge_options_are_refused_briefly) {
  for (const char* opt : {"--claim", "--claim-tolerance", "--threshold", "--alpha"}) {
    expect_error(run({"compare", "a.json", "b.json", opt, "nan"}), 6, fmt::format("{}: expected a number", opt));
    const auto r = run({"compare", "a.json", "b.json", opt, "1e308"});
    expect_error(r, 6, fmt::format("{}: expected a number", opt));
    EXPECT_EQ(r.err.find("0000000000"), std::string::npos) << "no 310-digit numbers: " << r.err;
  }
}

TEST_F(input, references_are_checked_before_they_cost_memory) {
  const auto spec = write("spin.json", spin(k_quick));
  ASSERT_EQ(run({"run", spec.string(), "--reference", "-q"}).code, 0);
  const auto ref = dir() / "spin_reference.safetensors";
  const auto bytes = read_text(ref);
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  auto header = nlohmann::json::parse(bytes.substr(8, n));
  const std::string data = bytes.substr(8 + n);
  const auto rewrite = [&](const nlohmann::json& h) {
    std::string text = h.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
    write_text(ref, out + text + data);
  };
  const std::string tensor =
      header.begin().key() == "__metadata__" ? std::next(header.begin()).key() : header.begin().key();
  // A shape that disagrees with data_offsets: refused before allocating (exit 8, not 4).
  auto h = header;
  h[tensor]["shape"] = {1099511627776, 1099511627776};
  rewrite(h);
  expect_error(run({"run", spec.string(), "--eqcheck", "-q"}), 8, "offsets give");
  // Checksums removed, then one bit flipped: refused (a reference isobench writes has them).
  h = header;
  h["__metadata__"].erase("checksums");
  rewrite(h);
  expect_error(run({"run", spec.string(), "--eqcheck", "-q"}), 8, "checksums were removed");
  // The same tensor name twice in the header.
  std::string text = header.dump();
  const auto key = fmt::format("\"{}\":", tensor);
  const auto at = text.find(key);
  const auto end = text.find('}', at) + 1;
  const std::string entry = text.substr(at, end - at);
  text.insert(end, entry);
  text.insert(end, 1, ',');
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
  write_text(ref, out + text + data);
  expect_error(run({"run", spec.string(), "--eqcheck", "-q"}), 8, "duplicate key");
}

TEST_F(input, duplicate_and_empty_keys_and_wide_versions_are_errors) {
  const auto dup = write("dup.json", R"({"name": "a", "name": "b", "target": "spin", "implementation": "spin.loop",
    "workloads": [{"name": "w", "iterations": 10}]})");
  expect_error(run({"run", dup.string()}), 6, "dup.json: /name: duplicate key \"name\"");
  const auto dup2 = write("dup2.json", spin(R"({"warmup": 1, "warmup": 2})"));
  expect_error(run({"run", dup2.string()}), 6, "/timing/warmup: duplicate key \"warmup\"");
  const auto empty = write("empty.json", spin(k_quick, R"(, "": 1)"));
  expect_error(run({"run", empty.string()}), 6, "unknown field");
  auto j = real_result();
  j["schema_version"] = 4294967297ULL;
  const auto wide = write("wide.json", j.dump());
  expect_error(run({"compare", wide.string(), wide.string()}), 6, "unsupported result schema 4294967297");
  // Nesting deep enough to exhaust a recursive parser.
  expect_error(run({"run", write("deep.json", std::string(100000, '[') + std::string(100000, ']')).string()}), 6,
               "nested deeper than");
}

TEST_F(input, outputs_are_checked_before_measuring_and_leftovers_cleaned) {
  const auto spec = write("spin.json", spin(k_quick));
  write_text(dir() / "not_a_dir", "x");
  expect_error(run({"run", spec.string(), "--out", (dir() / "not_a_dir" / "sub").string()}), 9, "cannot create");
  fs::create_directory(dir() / "j.xml");
  expect_error(run({"run", spec.string(), "--junit", (dir() / "j.xml").string(), "--impl-tag", "x"}), 9,
               "is a directory");
  EXPECT_FALSE(fs::exists(dir() / "spin_x.json")) << "refused before measuring";
  expect_error(run({"run", spec.string(), "--prefix", std::string(100, 'p')}), 6, "--prefix");
  // A temporary file left by a killed writer (its pid no longer runs) is removed by the next write.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const auto stale = dir() / fmt::format(".spin_child.json.tmp.{}.AbCdEf", child);
  write_text(stale, "partial");
  ASSERT_EQ(run({"run", spec.string(), "-q"}).code, 0);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(dir() / "spin_child.json"));
}

TEST_F(input, messages_name_what_went_wrong) {
  expect_error(run({"frobnicate"}), 6, "unknown command 'frobnicate'");
  // -q still says which tensor failed and by how much.
  const auto ref = write("a.json", R"({"name": "eq", "target": "gemm", "implementation": "gemm.naive",
    "workloads": [{"name": "w", "m": 16, "n": 24, "k": 40}],
    "timing": {"warmup": 1, "min_iters": 2, "min_time_s": 0.001, "max_time_s": 1},
    "equivalence": {"level": "exact"}})");
  ASSERT_EQ(run({"run", ref.string(), "--reference", "-q"}).code, 0);
  auto text = read_text(ref);
  text.replace(text.find("gemm.naive"), 10, "gemm.blocked");
  write_text(ref, text);
  const auto r = run({"run", ref.string(), "--eqcheck", "-q"});
  expect_error(r, 5, "EQUIVALENCE FAILED w gemm.blocked vs reference");
  EXPECT_NE(r.err.find("first mismatch at index"), std::string::npos) << r.err;
}

TEST_F(input, the_same_run_twice_is_not_two_runs) {
  auto j = real_result();
  const auto a = write("a.json", j.dump());
  const auto b = write("b.json", j.dump(2));  // same run, other formatting
  const auto other = run({"run", write("s2.json", spin(k_quick)).string(), "-q", "--impl-tag", "h"});
  ASSERT_EQ(other.code, 0) << other.err;
  const auto head = (dir() / "spin_h.json").string();
  expect_error(run({"compare", "--base", a.string(), "--base", b.string(), "--head", head}), 6, "hold the same run");
}

TEST_F(input, smoke_mode_checks_a_spec_in_seconds) {
  const auto spec = write("s.json", R"({"name": "sm", "target": "gemm",
    "implementations": {"baseline": "gemm.naive", "candidate": "gemm.blocked"},
    "workloads": [{"name": "a", "m": 64, "n": 64, "k": 64}, {"name": "b", "m": 7, "n": 9, "k": 11}],
    "timing": {"warmup": 100, "min_iters": 1000, "min_time_s": 60, "max_time_s": 600},
    "equivalence": {"level": "numeric", "rtol": 1e-4, "atol": 1e-5}, "claim": {"speedup": 100}})");
  const auto start = std::chrono::steady_clock::now();
  const auto r = run({"run", spec.string(), "--smoke"});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_LT(took.count(), 30.0);  // the spec's 60 s of timing policy is not applied (margin for a busy machine)
  EXPECT_NE(r.err.find("smoke ok     a / gemm.blocked: one call, eq"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("PASS"), std::string::npos) << "nothing claimed: " << r.err;
  EXPECT_FALSE(fs::exists(dir() / "sm_child.json"));
  expect_error(run({"run", spec.string(), "--smoke", "--reference"}), 6, "--smoke records nothing");
}

}  // namespace
}  // namespace isobench::testing
