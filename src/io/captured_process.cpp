#include "io/captured_process.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/scratch.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

std::string describe_end(const child_outcome& o, double timeout_s) {
  switch (o.end) {
    case child_end::exited: return fmt::format("exited with code {}", o.exit_code);
    case child_end::signaled: return fmt::format("killed by signal {} ({})", o.signal, ::strsignal(o.signal));
    case child_end::timed_out: return fmt::format("timed out after {:g} s (killed)", timeout_s);
    case child_end::interrupted: return "interrupted";
  }
  return "ended";
}

captured_run run_captured(const std::vector<std::string>& argv, const child_setup& setup, double timeout_s,
                          std::size_t max_out_bytes) {
  namespace fs = std::filesystem;
  const fs::path dir = make_scratch_dir("isobench-run");
  struct remover {
    fs::path dir;
    ~remover() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  child_setup s = setup;
  s.stderr_log = dir / "stderr";
  captured_run r;
  {
    interrupt_guard guard;
    r.outcome = run_child(argv, dir / "stdout", child_limits{timeout_s, std::nullopt}, s);
  }
  if (r.outcome.end == child_end::interrupted) throw interrupted_error(fmt::format("{}: interrupted", argv.front()));
  r.err_tail = file_tail(dir / "stderr", 4000);
  std::error_code ec;
  const auto size = fs::file_size(dir / "stdout", ec);
  if (!ec && size > max_out_bytes) {
    throw io_error(fmt::format("{}: more than {} MiB of output", argv.front(), max_out_bytes >> 20));
  }
  r.out = ec ? std::string() : read_file(dir / "stdout", max_out_bytes, exit_code::io_error, "command output");
  return r;
}

}  // namespace isobench::detail
