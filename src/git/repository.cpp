#include "git/repository.hpp"

#include <fmt/format.h>

#include "io/captured_process.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::git {

namespace {

// Read-only queries take no index lock, so concurrent isobench processes do not trip over each
// other; paths come through unquoted (UTF-8 as it is).
const std::vector<std::string> k_env = {"GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C"};

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void check_revision(const std::string& rev, const char* what) {
  if (rev.empty() || rev.front() == '-' || rev.find('\0') != std::string::npos) {
    throw config_error(fmt::format("{} '{}': not a revision", what, rev));
  }
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string last_line(const std::string& text) {
  const auto t = trimmed(text);
  const auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

std::string short_sha(const std::string& sha) {
  return sha.substr(0, 12);
}

repository::repository(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw config_error(fmt::format("{}: not a directory (expected a git repository)", dir.string()));
  }
  const auto r = run_captured({"git", "-C", dir.string(), "rev-parse", "--show-toplevel"}, {k_env, {}, {}}, 60.0);
  if (!r.ok()) {
    throw config_error(fmt::format("{}: not a git repository (git: {})", dir.string(), last_line(r.err_tail)));
  }
  m_top = trimmed(r.out);
}

std::string repository::run(const std::vector<std::string>& args, const std::string& what, double timeout_s) const {
  std::vector<std::string> argv = {"git", "-C", m_top.string(), "-c", "core.quotepath=off"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_captured(argv, {k_env, {}, {}}, timeout_s, std::size_t{512} << 20);
  if (!r.ok()) {
    throw config_error(fmt::format("{}: git {} {}{}", m_top.string(), what, describe_end(r.outcome, timeout_s),
                                   r.err_tail.empty() ? "" : ": " + last_line(r.err_tail)));
  }
  return r.out;
}

std::string repository::resolve(const std::string& rev) const {
  check_revision(rev, "revision");
  const auto r = run_captured({"git", "-C", m_top.string(), "rev-parse", "--verify", "--quiet", rev + "^{commit}"},
                              {k_env, {}, {}}, 60.0);
  if (!r.ok()) throw config_error(fmt::format("{}: '{}' names no commit", m_top.string(), rev));
  return trimmed(r.out);
}

commit_meta repository::describe(const std::string& rev) const {
  const auto sha = resolve(rev);
  const auto text =
      run({"show", "-s", "--no-show-signature", "--format=%H%x00%P%x00%an <%ae>%x00%cI%x00%ct%x00%s%x00%b", sha},
          fmt::format("show {}", short_sha(sha)));
  const auto f = split(text, '\0');
  if (f.size() < 7) throw io_error(fmt::format("{}: git show {}: unexpected output", m_top.string(), sha));
  commit_meta m;
  m.sha = f[0];
  for (const auto& p : split(f[1], ' ')) {
    if (!p.empty()) m.parents.push_back(p);
  }
  m.author = f[2];
  m.date = f[3];
  try {
    m.commit_time_s = std::stoll(f[4]);
  } catch (const std::exception&) {
    throw io_error(fmt::format("{}: git show {}: unexpected date '{}'", m_top.string(), sha, f[4]));
  }
  m.subject = f[5];
  m.body = trimmed(f[6]);
  return m;
}

std::vector<std::string> repository::list(const std::string& range, const std::string& since) const {
  check_revision(range, "range");
  std::vector<std::string> args = {"rev-list", "--first-parent", "--reverse"};
  if (!since.empty()) args.push_back("--since=" + since);
  args.push_back(range);
  args.emplace_back("--");
  std::vector<std::string> out;
  for (const auto& line : split(run(args, fmt::format("rev-list {}", range)), '\n')) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

bool repository::is_ancestor(const std::string& ancestor, const std::string& descendant) const {
  const auto r = run_captured({"git", "-C", m_top.string(), "merge-base", "--is-ancestor", ancestor, descendant},
                              {k_env, {}, {}}, 120.0);
  if (r.outcome.end == child_end::exited && r.outcome.exit_code <= 1) return r.outcome.exit_code == 0;
  throw config_error(
      fmt::format("{}: git merge-base {}: {}", m_top.string(), describe_end(r.outcome, 120.0), last_line(r.err_tail)));
}

void repository::checkout(const std::string& sha, const std::filesystem::path& dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir / ".git", ec)) {
    const auto r = run_captured({"git", "-C", dir.string(), "rev-parse", "HEAD"}, {k_env, {}, {}}, 60.0);
    if (r.ok() && trimmed(r.out) == sha) return;
  }
  fs::remove_all(dir, ec);
  if (ec) throw io_error(fmt::format("{}: cannot remove the old worktree: {}", dir.string(), ec.message()));
  fs::create_directories(dir.parent_path(), ec);
  (void)run({"worktree", "prune"}, "worktree prune");
  (void)run({"-c", "advice.detachedHead=false", "worktree", "add", "--detach", "--force", dir.string(), sha},
            fmt::format("worktree add {}", short_sha(sha)), 1800.0);
}

}  // namespace isobench::detail::git
