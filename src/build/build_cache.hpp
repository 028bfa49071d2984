#pragma once
// Where builds of commits live, and what is known about each. One directory per build key
// (commit x recipe x compilers) under the cache directory:
//   <cache>/<repository>-<digest of its path>/<commit>-<digest of recipe and compilers>/
//     src/        the commit's worktree        build/      the recipe's {build_dir}
//     build.log   every step's output          build.json  the outcome (ok or failed), once known
//     lock        held (flock) while a process builds or reads this key
// A failed build is kept as failed, with its log, until --rebuild.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace isobench::detail {

// $XDG_CACHE_HOME/isobench, else $HOME/.cache/isobench; config_error when neither is set.
std::filesystem::path default_cache_dir();

struct build_record {
  bool ok = false;
  std::string commit, recipe_digest, compiler;
  std::filesystem::path executable;
  std::string reason;  // why it failed
  double seconds = 0.0;
  std::string finished_at;  // UTC ISO 8601
};

// An exclusive flock on `file` (created if need be) for the object's lifetime; says on `progress`
// (when given) that it waits for another process, naming `what`.
class file_lock {
public:
  file_lock(const std::filesystem::path& file, std::ostream* progress, const std::string& what);
  ~file_lock();
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;

private:
  int m_fd = -1;
};

class build_slot {
public:
  // Takes the key's lock (another isobench building the same key is waited for).
  build_slot(std::filesystem::path dir, std::ostream* progress);

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return m_dir; }
  [[nodiscard]] std::filesystem::path worktree() const { return m_dir / "src"; }
  [[nodiscard]] std::filesystem::path build_dir() const { return m_dir / "build"; }
  [[nodiscard]] std::filesystem::path log() const { return m_dir / "build.log"; }
  // The recorded outcome; nullopt when there is none (or it is unreadable: then it is built again).
  [[nodiscard]] std::optional<build_record> recorded() const;
  void record(const build_record& r) const;
  void forget() const;  // before building again

private:
  std::filesystem::path m_dir;
  file_lock m_lock;
};

// <cache>/<repository name>-<digest of its path>: one repository's builds (and worktrees.lock,
// held while a worktree is added: git names worktrees by their directory's name, "src" in all).
std::filesystem::path repository_cache_dir(const std::filesystem::path& cache_dir,
                                           const std::filesystem::path& repo_top);
// "<commit>-<12 hex digits of the recipe digest and compiler id>".
std::string build_key(const std::string& commit, const std::string& recipe_digest, const std::string& compiler);

}  // namespace isobench::detail
