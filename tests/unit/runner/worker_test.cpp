// The worker's side of the protocol: whatever a driver writes, every answer is one line of JSON
// in the protocol, and a broken message ends the worker with an error answer.
#include "runner/worker.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "runner/worker_protocol.hpp"

namespace isobench::detail {
namespace {

std::string regression_input(const std::string& name) {
  std::ifstream in(std::string(ISOBENCH_TEST_DATA_DIR) + "/fuzz/regressions/worker_protocol/" + name,
                   std::ios::binary);
  std::ostringstream bytes;  // not istreambuf_iterator: GCC 12 -O3 warns of a null dereference in it
  bytes << in.rdbuf();
  return bytes.str();
}

// Found by tests/fuzz (worker_protocol_fuzz): a line of invalid UTF-8 made the parse error quote
// the bytes, the answer could not be written as JSON, and the worker died without answering.
TEST(worker, fuzz_regression_a_line_of_invalid_utf8_gets_an_error_answer) {
  const auto input = regression_input("invalid_utf8_line.jsonl");
  ASSERT_EQ(input, "\xff");
  std::istringstream in(input);
  std::ostringstream out;
  const registry none;
  EXPECT_EQ(run_worker(in, out, none), static_cast<int>(exit_code::internal_error));
  const auto answer = out.str();
  ASSERT_FALSE(answer.empty());
  EXPECT_EQ(answer.find('\n'), answer.size() - 1) << answer;
  const auto j = parse_json_document(answer, "answer", exit_code::internal_error);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["isobench_worker"], worker_protocol::version);
  const auto message = j["message"].get<std::string>();
  EXPECT_NE(message.find("driver message: not valid JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("\xef\xbf\xbd"), std::string::npos) << message;  // U+FFFD for the byte
}

}  // namespace
}  // namespace isobench::detail
