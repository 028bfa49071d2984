#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

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

// Temporary files are named .<target>.tmp.<pid>.XXXXXX. Those whose writer no longer runs were left
// by a killed run: remove them, so interrupted runs do not pile up files next to results.
void remove_stale_temporaries(const std::filesystem::path& dir, const std::string& target_name) {
  const std::string prefix = fmt::format(".{}.tmp.", target_name);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const auto rest = std::string_view(name).substr(prefix.size());
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0) continue;
    long long pid = 0;
    const auto [end, parse_ec] = std::from_chars(rest.data(), rest.data() + dot, pid);
    if (parse_ec != std::errc() || end != rest.data() + dot || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::filesystem::remove(entry.path(), ec);
    }
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

  remove_stale_temporaries(dir, target.filename().string());
  std::string tmp = (dir / fmt::format(".{}.tmp.{}.XXXXXX", target.filename().string(), ::getpid())).string();
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

std::string read_file(const std::filesystem::path& file, std::size_t max_bytes, exit_code code, std::string_view what) {
  const std::string name = file.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below then refuses it.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) throw_error(code, fmt::format("{}: {} file not found", name, what));
    throw_error(code, fmt::format("{}: cannot open {} file: {}", name, what, std::strerror(err)));
  }
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_error(code, fmt::format("{}: cannot stat: {}", name, errno_text()));
  if (!S_ISREG(st.st_mode)) {
    const char* kind = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    throw_error(code, fmt::format("{}: is {}; expected a regular {} file", name, kind, what));
  }
  const auto too_big = [&](std::uint64_t size) {
    throw_error(code, fmt::format("{}: {} bytes; a {} file may have at most {} bytes", name, size, what, max_bytes));
  };
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) too_big(static_cast<std::uint64_t>(st.st_size));
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (true) {
    if (got == out.size()) {
      if (out.size() > max_bytes) too_big(out.size());
      out.resize(std::min(out.size() + 65536, max_bytes + 1));  // the file grew while we read it
    }
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_error(code, fmt::format("{}: read failed: {}", name, errno_text()));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace isobench
