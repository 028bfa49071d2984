// The worker protocol both ways, one JSON line per message:
//   - the worker reading a driver's lines (run_worker; its registry is empty, so no 'setup'
//     succeeds and nothing runs or writes files), answering each with one JSON line;
//   - the driver reading each line as a worker's answer to every request (runner/worker_protocol.hpp).
#include <sstream>

#include "fuzz_check.hpp"
#include "runner/worker.hpp"
#include "runner/worker_protocol.hpp"

namespace {

namespace wp = isobench::detail::worker_protocol;

void read_as_answer(std::string_view line) {
  try {
    const auto r = wp::read_answer(line, "round", "head build (fuzz)");
    (void)wp::read_setup_answer(r);
  } catch (const wp::violation&) {
  }
  try {
    const auto r = wp::read_answer(line, "round", "head build (fuzz)");
    (void)wp::read_outputs_answer(r);
    (void)wp::read_round_answer(r, 3);
  } catch (const wp::violation&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const auto text = isobench::fuzz::as_text(data, size);
  isobench::fuzz::expect_clean("", [&] {
    std::istringstream in{std::string(text)};
    std::ostringstream out;
    const isobench::registry none;
    (void)isobench::detail::run_worker(in, out, none);
    // Every answer is one line of the protocol, even to nonsense.
    std::istringstream answers(out.str());
    for (std::string line; std::getline(answers, line);) {
      try {
        (void)wp::read_answer(line, "any", "worker");
      } catch (const isobench::error&) {  // an error answer, read as one
      } catch (const wp::violation& e) {
        isobench::fuzz::finding("the worker wrote a line outside the protocol", line + ": " + e.what());
      }
    }
  });
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const auto end = std::min(text.find('\n', begin), text.size());
    isobench::fuzz::expect_clean("", [&] { read_as_answer(text.substr(begin, end - begin)); });
    begin = end + 1;
  }
  return 0;
}
