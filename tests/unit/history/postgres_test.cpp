// The store on a real PostgreSQL server, started for this test and thrown away: initdb in a
// temporary directory (as the unprivileged `postgres` user when we are root), a Unix socket in
// that directory, no TCP. Same checks as the SQLite store.
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "history/sql.hpp"
#include "history/store.hpp"
#include "history/store_checks.hpp"

namespace isobench::history {
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

class postgres_server : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    const auto bin = postgres_bin();
    if (bin.empty()) {
      setup_error = "PostgreSQL server binaries not found under /usr/lib/postgresql (.ci/deps installs them)";
      return;
    }
    dir = fs::temp_directory_path() / fmt::format("isobench_pg_{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string as_user;
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) {
        setup_error = "running as root and there is no unprivileged 'postgres' user to run the server";
        return;
      }
      if (::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        setup_error = "cannot hand the temporary directory to 'postgres'";
        return;
      }
      as_user = "runuser -u postgres -- ";
    }
    const auto q = [](const fs::path& p) { return fmt::format("'{}'", p.string()); };
    const std::string init = fmt::format("{}{} -D {} -A trust -U isobench --no-sync >{} 2>&1", as_user,
                                         q(bin / "initdb"), q(dir / "data"), q(dir / "initdb.log"));
    if (std::system(init.c_str()) != 0) {
      setup_error = "initdb failed (see " + (dir / "initdb.log").string() + ")";
      return;
    }
    const std::string start =
        fmt::format("{}{} -D {} -l {} -o \"-k {} -c listen_addresses='' -F\" -w -t 60 start >/dev/null 2>&1", as_user,
                    q(bin / "pg_ctl"), q(dir / "data"), q(dir / "server.log"), dir.string(), "");
    if (std::system(start.c_str()) != 0) {
      setup_error = "the server did not start (see " + (dir / "server.log").string() + ")";
      return;
    }
    stop_command =
        fmt::format("{}{} -D {} -m immediate -w stop >/dev/null 2>&1", as_user, q(bin / "pg_ctl"), q(dir / "data"));
    url = fmt::format("postgresql://isobench@/postgres?host={}", dir.string());
  }
  static void TearDownTestSuite() {
    if (!stop_command.empty()) (void)std::system(stop_command.c_str());
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
  void SetUp() override { ASSERT_TRUE(setup_error.empty()) << setup_error; }

  // A fresh database per test.
  static std::string fresh(const std::string& name) {
    auto c = connect_postgres(url);
    c->query(fmt::format("DROP DATABASE IF EXISTS {}", name));
    c->query(fmt::format("CREATE DATABASE {}", name));
    return fmt::format("postgresql://isobench@/{}?host={}", name, dir.string());
  }

  static inline fs::path dir;
  static inline std::string url, stop_command, setup_error;
};

TEST_F(postgres_server, round_trip_and_idempotence) {
  check_round_trip(fresh("roundtrip"));
}

TEST_F(postgres_server, concurrent_recorders_lose_nothing) {
  check_concurrent_recorders(fresh("concurrent"), 6, 40);
}

TEST_F(postgres_server, concurrent_first_use_migrates_once) {
  const auto db = fresh("firstuse");
  std::vector<pid_t> kids;
  for (int k = 0; k < 4; ++k) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      try {
        store s(db);
        ::_exit(s.version() == schema_version ? 0 : 1);
      } catch (...) {
        ::_exit(2);
      }
    }
    kids.push_back(pid);
  }
  for (const auto pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto c = connect_postgres(db);
  EXPECT_EQ(c->query("SELECT COUNT(*) FROM isobench_schema").at(0).at(0), "1");
}

TEST_F(postgres_server, bad_urls_and_passwords_are_reported_without_the_password) {
  try {
    store s("postgresql://isobench:secret@/nosuchdb?host=" + dir.string());
    FAIL() << "connected to a database that does not exist";
  } catch (const std::exception& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("secret"), std::string::npos) << what;
    EXPECT_NE(what.find("nosuchdb"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace isobench::history
