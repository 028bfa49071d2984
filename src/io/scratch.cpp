#include "io/scratch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

namespace fs = std::filesystem;

// Entries <prefix>-<pid>-* of ours whose process no longer exists.
void remove_stale(const fs::path& root, const std::string& prefix) {
  const std::string start = prefix + "-";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(start)) continue;
    const auto rest = std::string_view(name).substr(start.size());
    const auto dash = rest.find('-');
    long long pid = 0;
    const auto [end, parse_ec] = std::from_chars(rest.data(), rest.data() + std::min(dash, rest.size()), pid);
    if (dash == std::string_view::npos || parse_ec != std::errc() || end != rest.data() + dash || pid <= 0) continue;
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0 || st.st_uid != ::getuid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
}

std::string scratch_template(const std::string& prefix) {
  const auto root = scratch_root();
  remove_stale(root, prefix);
  return (root / fmt::format("{}-{}-XXXXXX", prefix, ::getpid())).string();
}

}  // namespace

fs::path scratch_root() {
  const char* tmp = std::getenv("TMPDIR");
  std::error_code ec;
  if (tmp != nullptr && *tmp != '\0' && fs::is_directory(tmp, ec)) return tmp;
  return "/tmp";
}

fs::path make_scratch_dir(const std::string& prefix) {
  std::string name = scratch_template(prefix);
  if (::mkdtemp(name.data()) == nullptr) {
    throw io_error(fmt::format("{}: cannot create a scratch directory: {} (set TMPDIR to a writable directory)", name,
                               std::strerror(errno)));
  }
  return name;
}

int make_scratch_file(const std::string& prefix, std::string& path) {
  path = scratch_template(prefix);
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    throw io_error(fmt::format("{}: cannot create a scratch file: {} (set TMPDIR to a writable directory)", path,
                               std::strerror(errno)));
  }
  return fd;
}

}  // namespace isobench::detail
