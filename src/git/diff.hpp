#pragma once
// Unified diffs as git writes them (`git diff`, `git diff-tree -p`): one entry per file, and the
// functions its hunks are in, from the context git prints after each hunk header
// ("@@ -10,6 +10,7 @@ static void gemm_tile(const float* a, ...)").

#include <string>
#include <string_view>
#include <vector>

namespace isobench::detail::git {

struct file_diff {
  std::string path;         // the new path (the old one for a deleted file)
  std::string old_path;     // differs from path for renames and copies
  std::string change_type;  // added, deleted, modified, renamed, copied
  std::string text;         // this file's part of the diff, from its "diff --git" line
  bool binary = false;
};

// The diff cut at each "diff --git" line; anything before the first is ignored.
std::vector<file_diff> split_diff(std::string_view diff);

// The function a hunk header's context names: the identifier (with :: qualifiers) before its
// first '(', or "" when it names none (a class, a label, a control statement).
std::string context_function(std::string_view context);

// Every function named by the hunk headers of `diff`, in order of first appearance, each once.
std::vector<std::string> hunk_functions(std::string_view diff);

}  // namespace isobench::detail::git
