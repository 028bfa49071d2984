// The SQLite store: round trips, idempotent recording, machines kept apart, migrations, and many
// processes recording at once without losing a row. (tests/unit/history/postgres_test.cpp runs
// the same on a real PostgreSQL server.)
#include "history/store.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "history/store_checks.hpp"

namespace isobench::detail::history {
namespace {

namespace fs = std::filesystem;

struct temp_db {
  fs::path dir = fs::temp_directory_path() / fmt::format("isobench_store_{}_{}", ::getpid(), counter++);
  temp_db() { fs::create_directories(dir); }
  ~temp_db() { fs::remove_all(dir); }
  [[nodiscard]] std::string path() const { return (dir / "h.sqlite").string(); }
  static inline int counter = 0;
};

TEST(history_store, round_trip_and_idempotence) {
  temp_db t;
  check_round_trip(t.path());
}

TEST(history_store, concurrent_recorders_lose_nothing) {
  temp_db t;
  check_concurrent_recorders(t.path(), 6, 40);
}

TEST(history_store, a_newer_schema_is_refused) {
  temp_db t;
  { store s(t.path()); }
  {
    auto c = connect_sqlite(t.path());
    c->query("UPDATE isobench_schema SET version = 99");
  }
  try {
    store s(t.path());
    FAIL() << "opened a newer schema";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace isobench::detail::history
