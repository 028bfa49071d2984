#include "build/builder.hpp"

#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "build/build_cache.hpp"
#include "build/compiler_id.hpp"
#include "history/model.hpp"
#include "io/child_process.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

bool set_somewhere(const recipe& r, const std::string& name) {
  if (std::getenv(name.c_str()) != nullptr) return true;
  if (std::any_of(r.env.begin(), r.env.end(), [&](const auto& e) { return e.first == name; })) return true;
  const auto in_args = [&](const std::string& a) { return a.find("-D" + name) != std::string::npos; };
  return std::any_of(r.configure.begin(), r.configure.end(), in_args);
}

// ccache, when installed and the recipe sets no launcher itself: CMake reads the launchers from
// the environment; the base directory makes worktrees of different commits share its entries
// (each build sees its sources at ../src).
std::vector<std::string> ccache_env(const recipe& r, const std::filesystem::path& root) {
  std::vector<std::string> env;
  const auto ccache = find_program("ccache");
  if (ccache.empty()) return env;
  for (const char* lang : {"C", "CXX", "CUDA"}) {
    const auto name = fmt::format("CMAKE_{}_COMPILER_LAUNCHER", lang);
    if (!set_somewhere(r, name)) env.push_back(name + "=" + ccache);
  }
  if (!set_somewhere(r, "CCACHE_BASEDIR")) env.push_back("CCACHE_BASEDIR=" + root.string());
  return env;
}

bool executable_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

void append(const std::filesystem::path& log, const std::string& text) {
  std::ofstream out(log, std::ios::app | std::ios::binary);
  out << text;
}

}  // namespace

std::string log_tail(const std::filesystem::path& log, int lines) {
  auto text = file_tail(log, 4000);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::size_t at = text.size();
  for (int i = 0; i < lines && at != std::string::npos && at > 0; ++i) at = text.rfind('\n', at - 1);
  return at == std::string::npos || at == 0 ? text : text.substr(at + 1);
}

builder::builder(const git::repository& repo, isobench::detail::recipe r, build_settings s)
    : m_repo(repo), m_recipe(std::move(r)), m_settings(std::move(s)) {
  if (m_settings.cache_dir.empty()) m_settings.cache_dir = default_cache_dir();
  if (m_settings.jobs <= 0) m_settings.jobs = usable_cpus();
  m_compiler = compiler_id(m_recipe);
  m_root = repository_cache_dir(std::filesystem::absolute(m_settings.cache_dir), m_repo.top());
  m_env = ccache_env(m_recipe, m_root);
}

std::string builder::run_step(const char* what, const std::vector<std::string>& argv, const recipe_paths& paths,
                              const std::filesystem::path& log, bool& timed_out) const {
  std::vector<std::string> args;
  for (const auto& a : argv) args.push_back(expand_placeholders(a, paths));
  std::vector<std::string> env = m_env;
  for (const auto& [name, value] : m_recipe.env) env.push_back(name + "=" + expand_placeholders(value, paths));
  append(log, fmt::format("$ {}\n", fmt::join(args, " ")));
  child_outcome o;
  {
    interrupt_guard guard;
    o = run_child(args, log, child_limits{m_recipe.timeout_s, std::nullopt, 5.0},
                  child_setup{env, paths.source_dir, {}});
  }
  if (o.end == child_end::interrupted) throw interrupted_error(fmt::format("the {} step was interrupted", what));
  if (o.end == child_end::exited && o.exit_code == 0) return {};
  timed_out = o.end == child_end::timed_out;
  const auto how = o.end == child_end::exited     ? fmt::format("exited with code {}", o.exit_code)
                   : o.end == child_end::signaled ? fmt::format("was killed by signal {}", o.signal)
                                                  : fmt::format("timed out after {:g} s", m_recipe.timeout_s);
  append(log, fmt::format("# the {} step {}\n", what, how));
  return fmt::format("the {} step ({}) {}", what, args.front(), how);
}

build_result builder::build(const std::string& commit) {
  build_slot slot(m_root / build_key(commit, m_recipe.digest, m_compiler), m_settings.progress);
  build_result r{commit, false, false, {}, slot.log(), slot.dir(), {}, 0.0};
  const auto failure_reason = [&](const std::string& why) {
    return fmt::format("{} (log: {}):\n{}", why, slot.log().string(), log_tail(slot.log()));
  };
  if (const auto rec = slot.recorded(); rec && !m_settings.rebuild && rec->commit == commit) {
    if (!rec->ok || executable_file(rec->executable)) {
      r.ok = rec->ok;
      r.cached = true;
      r.executable = rec->executable;
      r.seconds = rec->seconds;
      r.reason = rec->ok ? std::string() : failure_reason(rec->reason);
      return r;
    }
  }
  slot.forget();
  std::error_code removed;
  std::filesystem::remove(slot.log(), removed);
  if (m_settings.progress != nullptr) {
    *m_settings.progress << fmt::format("  building {} (log: {})\n", git::short_sha(commit), slot.log().string())
                         << std::flush;
  }
  const auto start = std::chrono::steady_clock::now();
  append(slot.log(), fmt::format("# isobench: building {} with {} (recipe {}), compilers {}\n", commit,
                                 m_recipe.file.string(), m_recipe.digest.substr(0, 12), m_compiler));
  {
    const file_lock worktrees(m_root / "worktrees.lock", nullptr, "adding a worktree");  // held briefly
    m_repo.checkout(commit, slot.worktree());
  }
  const auto source_dir = m_recipe.source_subdir.empty() ? slot.worktree() : slot.worktree() / m_recipe.source_subdir;
  const recipe_paths paths{slot.worktree(), source_dir, slot.build_dir(), m_settings.jobs};
  std::error_code ec;
  std::filesystem::create_directories(paths.build_dir, ec);
  std::string why;
  bool timed_out = false;
  if (!std::filesystem::is_directory(paths.source_dir, ec)) {
    why = fmt::format("source_subdir '{}' does not exist at this commit", m_recipe.source_subdir);
    append(slot.log(), "# " + why + "\n");
  }
  if (why.empty() && !m_recipe.configure.empty())
    why = run_step("configure", m_recipe.configure, paths, slot.log(), timed_out);
  if (why.empty()) why = run_step("build", m_recipe.build, paths, slot.log(), timed_out);
  r.executable = expand_placeholders(m_recipe.executable, paths);
  if (why.empty() && !executable_file(r.executable)) {
    why = fmt::format("the build succeeded but made no executable {}", r.executable.string());
    append(slot.log(), "# " + why + "\n");
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.ok = why.empty();
  r.reason = r.ok ? std::string() : failure_reason(why);
  if (!timed_out) {
    slot.record({r.ok, commit, m_recipe.digest, m_compiler, r.executable, why, r.seconds, history::utc_now_iso8601()});
  }
  append(slot.log(), fmt::format("# isobench: {} in {:.1f} s\n", r.ok ? "built" : "failed", r.seconds));
  return r;
}

}  // namespace isobench::detail
