#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench {

namespace {

std::string errno_text() {
  return std::strerror(errno);
}

void write_all(int fd, std::string_view data, const std::string& name) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(fmt::format("{}: write failed: {}", name, errno_text()));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void write_file_atomic(const std::filesystem::path& target, std::string_view data, overwrite mode) {
  namespace fs = std::filesystem;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw io_error(fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
  if (mode == overwrite::forbid && fs::exists(target)) {
    throw reference_error(fmt::format("{}: already exists; pass --force to replace it", target.string()));
  }

  std::string tmp = (dir / fmt::format(".{}.tmp.XXXXXX", target.filename().string())).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw io_error(fmt::format("{}: cannot create temporary file: {}", tmp, errno_text()));
  try {
    write_all(fd, data, tmp);
    if (::fsync(fd) != 0) throw io_error(fmt::format("{}: fsync failed: {}", tmp, errno_text()));
    if (::fchmod(fd, 0644) != 0) throw io_error(fmt::format("{}: chmod failed: {}", tmp, errno_text()));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);

  if (mode == overwrite::allow) {
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
      const auto why = errno_text();
      ::unlink(tmp.c_str());
      throw io_error(fmt::format("{}: rename failed: {}", target.string(), why));
    }
    return;
  }
  // link() fails if the target appeared meanwhile: no check-then-write race.
  if (::link(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST) {
      throw reference_error(fmt::format("{}: already exists; pass --force to replace it", target.string()));
    }
    throw io_error(fmt::format("{}: cannot create: {}", target.string(), std::strerror(err)));
  }
  ::unlink(tmp.c_str());
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw io_error(fmt::format("{}: cannot open: {}", file.string(), errno_text()));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw io_error(fmt::format("{}: read failed", file.string()));
  return std::move(s).str();
}

}  // namespace isobench
