#include "git/extraction.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "generate/generate.hpp"
#include "git/diff.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::git {

commit_extraction extract_commit(const repository& repo, const std::string& rev) {
  const auto meta = repo.describe(rev);
  commit_extraction c;
  c.source = fmt::format("{}@{}", repo.top().string(), short_sha(meta.sha));
  c.format = "git";
  c.hash = meta.sha;
  c.parent = meta.parents.empty() ? std::string() : meta.parents.front();
  c.subject = meta.subject;
  c.message = meta.body;
  c.author = meta.author;
  c.date = meta.date;
  c.repo = repo.top().string();

  std::vector<std::string> args = {"diff-tree", "-r", "-p", "-M", "--no-color", "--no-ext-diff", "--full-index"};
  if (c.parent.empty()) {
    args.insert(args.end(), {"--root", meta.sha});
  } else {
    args.insert(args.end(), {c.parent, meta.sha});
  }
  std::string diff = repo.run(args, fmt::format("diff-tree {}", short_sha(meta.sha)));
  if (diff.size() > extraction_max_bytes) {
    throw config_error(fmt::format("{}: the diff is {} MiB, beyond generate's {} MiB limit", c.source,
                                   diff.size() >> 20, extraction_max_bytes >> 20));
  }
  std::size_t replaced = 0;
  for (auto* text : {&c.subject, &c.message, &c.author, &diff}) replaced += replace_invalid_utf8(*text);
  if (replaced > 0) c.notes.push_back(fmt::format("{} bytes of invalid UTF-8 replaced by U+FFFD", replaced));

  for (auto& f : split_diff(diff)) {
    for (const auto& name : hunk_functions(f.text)) {
      if (std::find(c.functions.begin(), c.functions.end(), name) == c.functions.end()) c.functions.push_back(name);
    }
    if (f.binary) c.notes.push_back(fmt::format("{}: binary diff, not read", f.path));
    c.files.push_back({f.path, f.binary ? std::string() : std::move(f.text), f.change_type, f.binary});
  }
  if (c.subject.empty() && c.message.empty()) c.notes.push_back("empty commit message");
  return c;
}

}  // namespace isobench::detail::git
