#pragma once
// A git repository as `continuous`, `backfill`, `bisect` and `generate --git` read it: revisions
// resolved to commits, ranges listed, commits described, and commits checked out into worktrees.
// Every query runs the git executable (plumbing commands, under a time limit); a failing one is a
// config_error (exit 6) quoting git, an interrupted one throws interrupted_error.

#include <filesystem>
#include <string>
#include <vector>

namespace isobench::detail::git {

struct commit_meta {
  std::string sha;
  std::vector<std::string> parents;
  std::string subject, body;    // body: the message after the subject line
  std::string author;           // "Name <email>"
  std::string date;             // committer date, strict ISO 8601 with the committer's offset
  long long commit_time_s = 0;  // committer date, seconds since the epoch
};

class repository {
public:
  // The repository holding `dir` (its top level). config_error when `dir` is in none.
  explicit repository(const std::filesystem::path& dir);

  [[nodiscard]] const std::filesystem::path& top() const noexcept { return m_top; }
  // git's standard output for `git -C <top> args...`; config_error naming `what` and quoting git
  // when it fails.
  [[nodiscard]] std::string run(const std::vector<std::string>& args, const std::string& what,
                                double timeout_s = 300.0) const;
  // The full hash of the commit `rev` names; config_error when it names none.
  [[nodiscard]] std::string resolve(const std::string& rev) const;
  [[nodiscard]] commit_meta describe(const std::string& rev) const;
  // The commits of `range` ("A..B", or one revision for its whole history) along first parents,
  // oldest first; `since` ("2024-01-01", "3 weeks ago") drops older commits.
  [[nodiscard]] std::vector<std::string> list(const std::string& range, const std::string& since = {}) const;
  // Whether `ancestor` is an ancestor of (or equal to) `descendant`.
  [[nodiscard]] bool is_ancestor(const std::string& ancestor, const std::string& descendant) const;
  // `sha` checked out, detached, at `dir` (a worktree of this repository); one already there at
  // that commit is kept as it is.
  void checkout(const std::string& sha, const std::filesystem::path& dir) const;

private:
  std::filesystem::path m_top;
};

// The first 12 characters of a hash, for messages.
std::string short_sha(const std::string& sha);

}  // namespace isobench::detail::git
