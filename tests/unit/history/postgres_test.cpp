// The store on a real PostgreSQL server, started for this test and thrown away: initdb in a
// temporary directory (as the unprivileged `postgres` user when we are root), a Unix socket in
// that directory, no TCP. Same checks as the SQLite store.
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "history/sql.hpp"
#include "history/store.hpp"
#include "history/store_checks.hpp"
#include "postgres_server.hpp"

namespace isobench::detail::history {
namespace {

class postgres_server : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = std::make_unique<testing::throwaway_postgres>(); }
  static void TearDownTestSuite() { server.reset(); }
  void SetUp() override { ASSERT_TRUE(server->error().empty()) << server->error(); }
  static std::string fresh(const std::string& name) { return server->database(name); }
  static inline std::unique_ptr<testing::throwaway_postgres> server;
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
    auto url = fresh("postgres");
    url.replace(url.find("isobench@/postgres"), 18, "isobench:secret@/nosuchdb");
    store s(url);
    FAIL() << "connected to a database that does not exist";
  } catch (const std::exception& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("secret"), std::string::npos) << what;
    EXPECT_NE(what.find("nosuchdb"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace isobench::detail::history
