#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <csignal>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail {

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

const char* node_kind(mode_t mode) {
  return S_ISDIR(mode)    ? "a directory"
         : S_ISFIFO(mode) ? "a FIFO"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
         : S_ISSOCK(mode) ? "a socket"
                          : "not a regular file";
}

// A reader that goes away must fail the write (EPIPE, exit 9), not kill isobench with SIGPIPE.
class sigpipe_blocked {
public:
  sigpipe_blocked() {
    sigemptyset(&m_set);
    sigaddset(&m_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
  }
  ~sigpipe_blocked() {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      sigtimedwait(&m_set, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
  }
  sigpipe_blocked(const sigpipe_blocked&) = delete;
  sigpipe_blocked& operator=(const sigpipe_blocked&) = delete;

private:
  sigset_t m_set{};
  sigset_t m_old{};
};

// A character device (/dev/null, a terminal) or FIFO is written in place: replacing it with a
// regular file would break the system or the reader. O_NONBLOCK makes opening a FIFO without a
// reader fail (ENXIO) instead of hanging; writes then block as usual.
void write_through(const std::filesystem::path& file, std::string_view data) {
  const std::string name = file.string();
  const int fd = ::open(file.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENXIO) throw io_error(fmt::format("{}: is a FIFO with no reader; nothing written", name));
    throw io_error(fmt::format("{}: cannot open for writing: {}", name, std::strerror(err)));
  }
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw io_error(fmt::format("{}: cannot stat: {}", name, errno_text()));
  if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
    throw io_error(
        fmt::format("{}: changed while being opened (now {}); nothing written", name, node_kind(st.st_mode)));
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    throw io_error(fmt::format("{}: fcntl failed: {}", name, errno_text()));
  }
  const sigpipe_blocked no_sigpipe;
  write_all(fd, data, name);
}

}  // namespace

std::filesystem::path resolve_output(const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  fs::path p = target;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p;
    fs::path next = fs::read_symlink(p, ec);
    if (ec) throw io_error(fmt::format("{}: cannot read the symbolic link: {}", p.string(), ec.message()));
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  throw io_error(fmt::format("{}: too many levels of symbolic links", target.string()));
}

output_node check_output_target(const std::filesystem::path& target, std::string_view what) {
  const auto file = resolve_output(target);
  const std::string name = file == target ? target.string() : fmt::format("{} (-> {})", target.string(), file.string());
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return output_node::absent;
    throw io_error(fmt::format("{}: cannot stat the {} file: {}", name, what, errno_text()));
  }
  if (S_ISREG(st.st_mode)) return output_node::regular;
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return output_node::write_through;
  if (S_ISDIR(st.st_mode)) {
    throw io_error(fmt::format("{}: is a directory; cannot write the {} file there", name, what));
  }
  throw io_error(fmt::format("{}: is {}; refusing to write the {} file over it", name, node_kind(st.st_mode), what));
}

void write_file_atomic(const std::filesystem::path& link, std::string_view data, overwrite mode) {
  namespace fs = std::filesystem;
  // A symlink is kept: its target is what gets written (or replaced).
  const fs::path target = resolve_output(link);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw io_error(fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
  const auto node = check_output_target(target, "output");
  if (node == output_node::write_through) {
    write_through(target, data);  // nothing is replaced, so overwrite::forbid does not apply
    return;
  }
  if (mode == overwrite::forbid && node == output_node::regular) {
    throw reference_error(fmt::format("{}: already exists; pass --force to replace it", link.string()));
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
      throw reference_error(fmt::format("{}: already exists; pass --force to replace it", link.string()));
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
    throw_error(code, fmt::format("{}: is {}; expected a regular {} file", name, node_kind(st.st_mode), what));
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

}  // namespace isobench::detail
