// The driver's reading of worker answers: a real worker's session (tests/data/fuzz/worker_protocol,
// written by `isobench worker`) reads back, and every broken answer is a protocol error or the
// worker's own error, never another exception or a value out of range.
#include "runner/worker_protocol.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "isobench/error.hpp"

namespace isobench::detail::worker_protocol {
namespace {

std::vector<std::string> lines_of(const std::string& name) {
  std::ifstream in(std::string(ISOBENCH_TEST_DATA_DIR) + "/fuzz/worker_protocol/" + name);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string protocol_error(std::string_view line, int samples = 1) {
  try {
    const auto r = read_answer(line, "setup", "head build (x)");
    if (samples == 0) (void)read_setup_answer(r);
    if (samples > 0) (void)read_round_answer(r, samples);
  } catch (const violation& e) {
    return e.what();
  }
  return "no error";
}

TEST(worker_answer, a_real_workers_session_reads_back) {
  const auto answers = lines_of("worker_answers.jsonl");  // setup, round (3 samples), outputs, quit
  ASSERT_EQ(answers.size(), 4u);
  const auto setup = read_setup_answer(read_answer(answers[0], "setup", "base"));
  EXPECT_EQ(setup.batch, 8200);
  EXPECT_EQ(setup.warmup_calls, 1);
  EXPECT_EQ(setup.calibration_calls, 17302);
  EXPECT_GT(setup.sample_s, 0.0);
  EXPECT_EQ(setup.compiled_isa, "avx512");
  EXPECT_EQ(setup.flops, 64.0);
  EXPECT_EQ(setup.bytes, 160.0);
  const auto round = read_round_answer(read_answer(answers[1], "round", "base"), 3);
  EXPECT_EQ(round.samples_s.size(), 3u);
  EXPECT_TRUE(round.round_s.has_value());
  const auto outputs = read_outputs_answer(read_answer(answers[2], "outputs", "base"));
  EXPECT_TRUE(outputs.opt_path_hit);
  EXPECT_TRUE(outputs.counters.empty());
  EXPECT_NO_THROW((void)read_answer(answers[3], "quit", "base"));
}

TEST(worker_answer, an_error_answer_keeps_the_workers_code_when_it_is_one_of_ours) {
  const auto answer = lines_of("error_answer.jsonl").at(0);
  try {
    (void)read_answer(answer, "hello", "head build (x)");
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::invalid_config);
    EXPECT_EQ(std::string(e.what()).rfind("head build (x): protocol mismatch", 0), 0u) << e.what();
  }
  for (const char* code : {"0", "11", "-1", "1e300", "\"6\""}) {
    SCOPED_TRACE(code);
    try {
      (void)read_answer(fmt::format(R"({{"isobench_worker": 1, "ok": false, "code": {}}})", code), "x", "w");
      FAIL() << "no error";
    } catch (const error& e) {
      EXPECT_EQ(e.code(), exit_code::internal_error);
      EXPECT_STREQ(e.what(), "w: failed");
    }
  }
}

TEST(worker_answer, broken_answers_say_what_is_wrong) {
  EXPECT_EQ(protocol_error("not json"),
            "answered 'setup' with something other than the protocol (an isobench build too old for `isobench ab`?)");
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 2, "ok": true})"), "speaks worker protocol 2, this driver 1");
  for (const char* version : {"1.0", "1e300", "\"1\"", "null", "-1"}) {
    EXPECT_EQ(protocol_error(fmt::format(R"({{"isobench_worker": {}, "ok": true}})", version)),
              "speaks worker protocol (none), this driver 1")
        << version;
  }
  EXPECT_EQ(protocol_error("[1]"), "speaks worker protocol (none), this driver 1");
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": 1})"), "answered 'setup' without \"ok\"");
  const std::string setup_fields = "answered 'setup' without the fields the protocol requires";
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": true, "batch": 1e300, "warmup_calls": 0,
                               "calibration_calls": 0, "sample_s": 1})",
                           0),
            setup_fields);
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": true, "batch": 4, "warmup_calls": 4294967296,
                               "calibration_calls": 0, "sample_s": 1})",
                           0),
            setup_fields);
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": true, "batch": 4, "warmup_calls": 1,
                               "calibration_calls": 0, "sample_s": 0})",
                           0),
            "answered 'setup' with an impossible batch or sample time");
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": true, "samples_s": {"a": 1}})"),
            "answered 'round' without its samples");
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": true, "samples_s": [1e-3, 1e-3]})"),
            "answered a round with the wrong number of samples");
  EXPECT_EQ(protocol_error(R"({"isobench_worker": 1, "ok": true, "samples_s": ["1e-3"]})"),
            "answered a round with a sample that is not a positive time");
}

TEST(worker_answer, outputs_fields_of_other_types_are_ignored) {
  const auto a = read_outputs_answer(
      nlohmann::json::parse(R"({"opt_path_hit": "no", "isa": 5, "counters": {"hits": 3, "name": "x"}})"));
  EXPECT_TRUE(a.opt_path_hit);
  EXPECT_EQ(a.isa, "");
  ASSERT_EQ(a.counters.size(), 1u);
  EXPECT_EQ(a.counters[0].name, "hits");
}

}  // namespace
}  // namespace isobench::detail::worker_protocol
