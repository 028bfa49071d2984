#include "build/build_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "history/model.hpp"
#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

std::filesystem::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return std::filesystem::path(xdg) / "isobench";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return std::filesystem::path(home) / ".cache" / "isobench";
  }
  throw config_error("neither XDG_CACHE_HOME nor HOME is set: name a build cache with --cache-dir DIR");
}

std::filesystem::path repository_cache_dir(const std::filesystem::path& cache_dir,
                                           const std::filesystem::path& repo_top) {
  return cache_dir /
         fmt::format("{}-{}", repo_top.filename().string(), history::stable_digest(repo_top.string()).substr(0, 8));
}

std::string build_key(const std::string& commit, const std::string& recipe_digest, const std::string& compiler) {
  return fmt::format("{}-{}", commit, history::stable_digest(recipe_digest + "\n" + compiler).substr(0, 12));
}

namespace {

std::filesystem::path created_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw io_error(fmt::format("{}: cannot create the build directory: {}", dir.string(), ec.message()));
  return dir;
}

}  // namespace

file_lock::file_lock(const std::filesystem::path& file, std::ostream* progress, const std::string& what) {
  m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (m_fd < 0) throw io_error(fmt::format("{}: cannot open: {}", file.string(), std::strerror(errno)));
  if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) return;
  if (progress != nullptr) {
    *progress << fmt::format("  waiting for another isobench {} (lock {})\n", what, file.string()) << std::flush;
  }
  while (::flock(m_fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const int saved = errno;
      ::close(m_fd);
      throw io_error(fmt::format("{}: cannot lock: {}", file.string(), std::strerror(saved)));
    }
  }
}

file_lock::~file_lock() {
  ::close(m_fd);  // releases the lock
}

build_slot::build_slot(std::filesystem::path dir, std::ostream* progress)
    : m_dir(created_dir(dir)), m_lock(m_dir / "lock", progress, "building " + m_dir.filename().string()) {}

std::optional<build_record> build_slot::recorded() const {
  const auto file = m_dir / "build.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  try {
    const auto j = parse_json_document(read_file(file, 1 << 20, exit_code::io_error, "build record"), file.string(),
                                       exit_code::io_error);
    build_record r;
    r.ok = j.at("status").get<std::string>() == "ok";
    r.commit = j.at("commit").get<std::string>();
    r.recipe_digest = j.at("recipe_digest").get<std::string>();
    r.compiler = j.at("compiler").get<std::string>();
    r.executable = j.at("executable").get<std::string>();
    r.reason = j.at("reason").get<std::string>();
    r.seconds = j.at("seconds").get<double>();
    r.finished_at = j.at("finished_at").get<std::string>();
    return r;
  } catch (const std::exception&) {
    return std::nullopt;  // half-written by a killed process, or edited: build again
  }
}

void build_slot::record(const build_record& r) const {
  const nlohmann::json j = {{"status", r.ok ? "ok" : "failed"},
                            {"commit", r.commit},
                            {"recipe_digest", r.recipe_digest},
                            {"compiler", r.compiler},
                            {"executable", r.executable.string()},
                            {"reason", r.reason},
                            {"seconds", r.seconds},
                            {"finished_at", r.finished_at},
                            {"log", log().string()}};
  write_file_atomic(m_dir / "build.json", j.dump(2) + "\n", overwrite::allow);
}

void build_slot::forget() const {
  std::error_code ec;
  std::filesystem::remove(m_dir / "build.json", ec);
}

}  // namespace isobench::detail
