#pragma once
// Building a commit's benchmark executable with a recipe, once per build key: the commit checked
// out into its cached worktree, the recipe's configure and build steps run there (each under the
// recipe's time limit, output appended to the key's build.log), the outcome recorded. A commit
// that does not build is a result (ok = false, with the failing step and the end of its log),
// never an exception; a timed-out step is reported but not cached (the machine may have been busy).

#include <filesystem>
#include <ostream>
#include <string>

#include "build/recipe.hpp"
#include "git/repository.hpp"

namespace isobench::detail {

struct build_settings {
  std::filesystem::path cache_dir;  // default_cache_dir() when empty
  bool rebuild = false;             // build again even what the cache holds (successes and failures)
  int jobs = 0;                     // {jobs}; 0: the CPUs this process may use
  std::ostream* progress = nullptr;
};

struct build_result {
  std::string commit;
  bool ok = false;
  bool cached = false;  // found in the cache: nothing was run
  std::filesystem::path executable, log, dir;
  std::string reason;    // a failure: which step, how it ended, and the end of the log
  double seconds = 0.0;  // the build's own time (the original build's, when cached)
};

class builder {
public:
  builder(const git::repository& repo, isobench::detail::recipe r, build_settings s);
  build_result build(const std::string& commit);
  [[nodiscard]] const isobench::detail::recipe& recipe() const noexcept { return m_recipe; }
  [[nodiscard]] const git::repository& repository() const noexcept { return m_repo; }
  [[nodiscard]] const std::string& compiler() const noexcept { return m_compiler; }

private:
  // Runs one step; "" when it succeeded, else why not.
  std::string run_step(const char* what, const std::vector<std::string>& argv, const recipe_paths& paths,
                       const std::filesystem::path& log, bool& timed_out) const;

  const git::repository& m_repo;
  isobench::detail::recipe m_recipe;
  build_settings m_settings;
  std::string m_compiler;
  std::filesystem::path m_root;  // this repository's builds
  std::vector<std::string> m_env;
};

// The last `lines` lines of a log (at most 4000 bytes), for a failure's reason.
std::string log_tail(const std::filesystem::path& log, int lines = 20);

}  // namespace isobench::detail
