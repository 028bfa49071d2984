#include "postgres_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace isobench::testing {

namespace {

namespace fs = std::filesystem;

fs::path postgres_bin() {
  fs::path best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(e.path() / "bin" / "initdb") && e.path() > best) best = e.path();
  }
  return best.empty() ? best : best / "bin";
}

std::string quoted(const fs::path& p) {
  return fmt::format("'{}'", p.string());
}

}  // namespace

throwaway_postgres::throwaway_postgres() {
  const auto bin = postgres_bin();
  if (bin.empty()) {
    m_error = "PostgreSQL server binaries not found under /usr/lib/postgresql (.ci/deps installs them)";
    return;
  }
  static int counter = 0;
  m_dir = fs::temp_directory_path() / fmt::format("isobench_pg_{}_{}", ::getpid(), counter++);
  fs::remove_all(m_dir);
  fs::create_directories(m_dir);
  std::string as_user;
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) {
      m_error = "running as root and there is no unprivileged 'postgres' user to run the server";
      return;
    }
    if (::chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      m_error = "cannot hand the temporary directory to 'postgres'";
      return;
    }
    as_user = "runuser -u postgres -- ";
  }
  const auto init = fmt::format("{}{} -D {} -A trust -U isobench --no-sync >{} 2>&1", as_user, quoted(bin / "initdb"),
                                quoted(m_dir / "data"), quoted(m_dir / "initdb.log"));
  if (std::system(init.c_str()) != 0) {
    m_error = "initdb failed (see " + (m_dir / "initdb.log").string() + ")";
    return;
  }
  // Enough connections for the concurrency tests (shards x their store connections).
  const auto start = fmt::format(
      "{}{} -D {} -l {} -o \"-k {} -c listen_addresses='' -c max_connections=200 -F\" -w -t 60 start >/dev/null 2>&1",
      as_user, quoted(bin / "pg_ctl"), quoted(m_dir / "data"), quoted(m_dir / "server.log"), m_dir.string());
  if (std::system(start.c_str()) != 0) {
    m_error = "the server did not start (see " + (m_dir / "server.log").string() + ")";
    return;
  }
  m_stop = fmt::format("{}{} -D {} -m immediate -w stop >/dev/null 2>&1", as_user, quoted(bin / "pg_ctl"),
                       quoted(m_dir / "data"));
}

throwaway_postgres::~throwaway_postgres() {
  if (!m_stop.empty()) (void)std::system(m_stop.c_str());
  std::error_code ec;
  if (!m_dir.empty()) fs::remove_all(m_dir, ec);
}

std::string throwaway_postgres::database(const std::string& name) {
  if (name != "postgres") {
    const auto psql = fmt::format(
        "psql -h '{}' -U isobench -d postgres -q -c 'DROP DATABASE IF EXISTS {}' -c 'CREATE "
        "DATABASE {}' >/dev/null 2>&1",
        m_dir.string(), name, name);
    if (std::system(psql.c_str()) != 0) m_error = "psql could not create database " + name;
  }
  return fmt::format("postgresql://isobench@/{}?host={}", name, m_dir.string());
}

}  // namespace isobench::testing
