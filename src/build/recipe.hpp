#pragma once
// A build recipe: how to configure and build a repository's benchmark executable from any of its
// commits (README, "Judging commits from git"; the format is in recipe.md of the issue). A JSON
// file named by --recipe, or .isobench/recipe.json at the top of the repository:
//   {"name": "...", "source_subdir": "lib", "configure": [argv], "build": [argv],
//    "executable": "{build_dir}/bench", "env": {"NAME": "value"}, "timeout_s": 1800}
// Strings may hold the placeholders {source_dir}, {worktree}, {build_dir}, {isobench_source} and
// {jobs}. Unknown fields and placeholders are config errors (exit 6) naming the file and field.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isobench::detail {

struct recipe {
  std::filesystem::path file;
  std::string name;
  std::string source_subdir;  // the library's directory inside the repository ("" = its top)
  std::vector<std::string> configure, build;
  std::string executable;
  std::vector<std::pair<std::string, std::string>> env;
  double timeout_s = 3600.0;  // per step
  // The file's bytes (and, when it builds isobench itself through {isobench_source}, this isobench's
  // revision), digested: part of every build's cache key.
  std::string digest;
};

recipe load_recipe(const std::filesystem::path& file);

// --recipe when given, else <repo_top>/.isobench/recipe.json; config_error when there is none.
std::filesystem::path recipe_file(const std::optional<std::filesystem::path>& option,
                                  const std::filesystem::path& repo_top);

// Where one build happens, for the placeholders.
struct recipe_paths {
  std::filesystem::path worktree, source_dir, build_dir;
  int jobs = 1;
};

// `text` with its placeholders filled in.
std::string expand_placeholders(std::string_view text, const recipe_paths& p);

}  // namespace isobench::detail
