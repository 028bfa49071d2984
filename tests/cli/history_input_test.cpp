// Issue 21, history side: every store and import gets a clear answer. A store whose schema row is
// broken or whose rows are not what the schema says exits 8 naming table, row and column; a FIFO
// never blocks an import; another application's database is refused and left byte for byte; a
// read-only command changes nothing; wrong types and impossible values in imported files exit 6
// naming the field; and no message ever shows a PostgreSQL password.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

void expect_error(const cli_result& r, int code, const std::string& text) {
  EXPECT_EQ(r.code, code) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << "expected '" << text << "' in: " << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

class history_input : public cli_dir_test {
protected:
  // sqlite3's shell on the store: tampering as another program (or a disk error) would.
  void sql(const std::string& db, const std::string& statement) {
    const auto cmd = fmt::format("sqlite3 '{}' \"{}\"", (dir() / db).string(), statement);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  // A store with one series of one point.
  void recorded(const std::string& db) {
    write("line.jsonl", R"({"impl_tag": "t", "commit_hash": "c1", "p50_ms": 2.0, "workload": "w"})"
                        "\n");
    const auto r = run({"history", "record", "line.jsonl", "--db", db});
    ASSERT_EQ(r.code, 0) << r.err;
  }
};

bool has_sqlite_shell() {
  return std::system("command -v sqlite3 >/dev/null 2>&1") == 0;
}

TEST_F(history_input, a_broken_schema_version_is_exit_8_never_a_crash) {
  if (!has_sqlite_shell()) GTEST_SKIP() << "needs the sqlite3 shell";
  recorded("h.sqlite");
  for (const std::string v : {"-1", "-2147483648", "'two'", "2.5"}) {
    sql("h.sqlite", "UPDATE isobench_schema SET version = " + v);
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"history", "show", "--db", "h.sqlite"},
                                               {"history", "record", "line.jsonl", "--db", "h.sqlite"},
                                               {"report", "--db", "h.sqlite", "-o", "site"}}) {
      expect_error(run(args), 8, "isobench_schema");
    }
  }
  sql("h.sqlite", "DELETE FROM isobench_schema");
  expect_error(run({"history", "show", "--db", "h.sqlite"}), 8, "isobench_schema has 0 rows");
}

TEST_F(history_input, corrupt_rows_name_the_table_row_and_column) {
  if (!has_sqlite_shell()) GTEST_SKIP() << "needs the sqlite3 shell";
  recorded("h.sqlite");
  sql("h.sqlite", "UPDATE points SET median = 'fast'");
  expect_error(run({"history", "show", "--db", "h.sqlite", "--series", "1"}), 8,
               "table points, row id 1, column median");
  expect_error(run({"report", "--db", "h.sqlite", "-o", "site"}), 8, "column median");
  sql("h.sqlite", "UPDATE points SET median = 2.0, samples = 'not json'");
  expect_error(run({"history", "export", "--db", "h.sqlite", "-o", "p.csv"}), 8, "column samples");
  sql("h.sqlite", "UPDATE points SET samples = '[\\\"1\\\"]'");
  expect_error(run({"history", "detect", "--db", "h.sqlite"}), 8, "a JSON array of numbers");
}

TEST_F(history_input, another_applications_database_is_refused_and_left_unchanged) {
  if (!has_sqlite_shell()) GTEST_SKIP() << "needs the sqlite3 shell";
  sql("app.sqlite", "CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'a')");
  const auto before = read_text(dir() / "app.sqlite");
  write("line.jsonl", R"({"impl_tag": "t", "commit_hash": "c1", "p50_ms": 2.0})"
                      "\n");
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"history", "show", "--db", "app.sqlite"},
                                             {"history", "record", "line.jsonl", "--db", "app.sqlite"},
                                             {"history", "detect", "--db", "app.sqlite"},
                                             {"report", "--db", "app.sqlite", "-o", "site"},
                                             {"suite", "merge", "r1", "--db", "app.sqlite"}}) {
    expect_error(run(args), 6, "not an isobench history store");
  }
  EXPECT_EQ(read_text(dir() / "app.sqlite"), before);
  EXPECT_FALSE(fs::exists(dir() / "app.sqlite-wal"));
  // Not a database at all, or not a file: exit 6 as well.
  write("text.sqlite", std::string(4096, 'x'));
  expect_error(run({"history", "record", "line.jsonl", "--db", "text.sqlite"}), 6, "not an SQLite database");
  EXPECT_EQ(read_text(dir() / "text.sqlite"), std::string(4096, 'x'));
  ASSERT_EQ(::mkfifo((dir() / "fifo.sqlite").c_str(), 0600), 0);
  expect_error(run({"history", "record", "line.jsonl", "--db", "fifo.sqlite"}), 6, "a FIFO");
}

TEST_F(history_input, reading_commands_create_and_migrate_nothing) {
  if (!has_sqlite_shell()) GTEST_SKIP() << "needs the sqlite3 shell";
  write("empty.sqlite", "");
  expect_error(run({"history", "show", "--db", "empty.sqlite"}), 6, "no history recorded here");
  EXPECT_EQ(fs::file_size(dir() / "empty.sqlite"), 0u);
  recorded("old.sqlite");
  // A store as isobench with schema 1 left it.
  sql("old.sqlite",
      "DROP TABLE suite_cases; DROP TABLE suite_shards; DROP TABLE suite_runs; UPDATE isobench_schema "
      "SET version = 1");
  expect_error(run({"history", "show", "--db", "old.sqlite"}), 8, "older");
  EXPECT_EQ(run({"report", "--db", "old.sqlite", "-o", "site"}).code, 8);
  // Reading never migrated it: recording still can.
  const auto r = run({"history", "record", "line.jsonl", "--db", "old.sqlite"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(run({"history", "show", "--db", "old.sqlite"}).code, 0);
  // A store in a directory nobody may write to is still read.
  fs::create_directories(dir() / "ro");
  recorded("ro/h.sqlite");
  fs::permissions(dir() / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const auto shown = run({"history", "show", "--db", "ro/h.sqlite"});
  fs::permissions(dir() / "ro", fs::perms::owner_all);
  EXPECT_EQ(shown.code, 0) << shown.err;
  EXPECT_NE(shown.out.find("1 points"), std::string::npos) << shown.out;
}

TEST_F(history_input, a_series_id_beyond_64_bits_is_refused) {
  recorded("h.sqlite");
  expect_error(run({"history", "show", "--db", "h.sqlite", "--series", "99999999999999999999999"}), 6, "--series");
  expect_error(run({"history", "show", "--db", "h.sqlite", "--series", "-3"}), 6, "--series");
  expect_error(run({"history", "show", "--db", "h.sqlite", "--series", "77"}), 6, "no series 77");
}

TEST_F(history_input, a_fifo_sample_file_is_refused_without_waiting) {
  ASSERT_EQ(::mkfifo((dir() / "times.bin").c_str(), 0600), 0);
  write("nv.json", R"({"devices": [{"id": 0, "name": "GPU"}], "benchmarks": [{"name": "copy", "states": [
    {"name": "s0", "device": 0, "summaries": [
      {"tag": "nv/json/bin:nv/cold/sample_times", "data": [{"name": "filename", "value": "times.bin"}]}]}]}]})");
  expect_error(run({"history", "record", "nv.json", "--commit", "c1", "--db", "h.sqlite"}), 6, "a FIFO");
  write("odd.bin", "abc");
  write("nv2.json", R"({"benchmarks": [{"name": "copy", "states": [{"name": "s0", "summaries": [
      {"tag": "nv/json/bin:nv/cold/sample_times", "data": [{"name": "filename", "value": "odd.bin"}]}]}]}]})");
  expect_error(run({"history", "record", "nv2.json", "--commit", "c1", "--db", "h.sqlite"}), 6, "multiple of 4");
}

std::string gbench(const std::string& benchmark, const std::string& context = R"({"host_name": "vm"})") {
  return fmt::format(R"({{"context": {}, "benchmarks": [{}]}})", context, benchmark);
}

TEST_F(history_input, wrong_types_and_impossible_values_in_imports_are_exit_6_naming_the_field) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {gbench(R"({"name": "b", "real_time": "12", "time_unit": "ns"})"), "benchmarks[0].real_time: is a string"},
      {gbench(R"({"name": "b", "real_time": 12})", "[1, 2]"), "context: is an array"},
      {gbench(R"({"name": "b", "real_time": -5, "time_unit": "ns"})"), "expected a positive time"},
      {gbench(R"({"name": "b", "real_time": 0, "time_unit": "ns"})"), "expected a positive time"},
      {gbench(R"({"name": "b", "real_time": 5, "time_unit": "fortnights"})"), "expected ns, us, ms or s"},
      {R"({"benchmarks": [{"name": "copy", "states": [{"name": "s0", "summaries": [{"tag": "nv/cold/time/gpu/mean",
         "data": [{"name": "value", "value": "fast"}]}]}]}]})",
       "value fast; expected a positive number of seconds"},
      {R"({"schema_version": 1, "results": [{"workload": "w", "samples_ms": ["1", "2"]}]})",
       "results[0].samples_ms[0]: is a string"},
      {R"({"schema_version": 99, "results": []})", "schema_version: 99"},
      {R"({"schema_version": 1, "results": [{"workload": "w", "samples_ms": [1.0, 0.0]}]})",
       "expected a positive time"},
      {R"({"schema_version": 1, "results": [], "verdicts": [{"speedup": "2x"}]})", "verdicts[0].speedup: is a string"},
      {R"({"impl_tag": "t", "commit_hash": "c", "p50_ms": "2"})"
       "\n",
       "line 1: p50_ms: is a string"},
  };
  for (const auto& [text, message] : cases) {
    write("in.json", text);
    expect_error(run({"history", "record", "in.json", "--commit", "c1", "--db", "h.sqlite"}), 6, message);
  }
}

// Every URL form libpq accepts, well-formed or not: the password never appears in any output.
TEST_F(history_input, no_message_shows_a_postgresql_password) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> urls = {
      {"postgresql://u:Pw5ecret@127.0.0.1:1/db", {"Pw5ecret"}},
      {"postgres://u@127.0.0.1:1/db?password=Pw5ecret&sslmode=disable", {"Pw5ecret"}},
      {"postgresql://u:Pw5ecret@[::1/db", {"Pw5ecret"}},
      {"postgresql://u:Pw5e@cret@127.0.0.1:1/db", {"Pw5e", "cret@"}},
      {"postgresql://u:Pw5%40ecret@127.0.0.1:1/db", {"Pw5%40ecret", "Pw5@ecret"}},
      {"postgresql://u:Pw5ecret@127.0.0.1:notaport/db", {"Pw5ecret"}},
      {"postgresql://u:Pw5ecret@127.0.0.1:1/db?sslmode=bogus", {"Pw5ecret"}},
      {"postgresql://u@127.0.0.1:1/db?password=Pw5%zzecret", {"Pw5%zzecret", "Pw5"}},
      {"host=127.0.0.1 port=1 user=u password=Pw5ecret dbname=db", {"Pw5ecret"}},
      {"host=127.0.0.1 port=1 password = 'Pw5 ecret' dbname=db", {"Pw5 ecret"}},
      {"host=127.0.0.1 port=1 password='Pw5\\'ecret' dbname=db", {"Pw5\\'ecret", "Pw5'ecret"}},
      {"host=127.0.0.1 port=1 password='Pw5ecret dbname=db", {"Pw5ecret"}},
      {"host=127.0.0.1 port=notaport password=Pw5ecret", {"Pw5ecret"}},
  };
  write("line.jsonl", R"({"impl_tag": "t", "commit_hash": "c1", "p50_ms": 2.0})"
                      "\n");
  for (const auto& [url, secrets] : urls) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"history", "show", "--db", url},
                                                                  {"history", "record", "line.jsonl", "--db=" + url},
                                                                  {"report", "--db", url, "-o", "site"}}) {
      const auto r = run(args);
      EXPECT_NE(r.code, 0) << url;
      EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
      for (const auto& s : secrets) {
        EXPECT_EQ(r.err.find(s), std::string::npos) << url << " -> " << r.err;
        EXPECT_EQ(r.out.find(s), std::string::npos) << url << " -> " << r.out;
      }
    }
  }
  // Never mistaken for a SQLite file name either.
  EXPECT_TRUE(!fs::exists(dir() / "site") || fs::is_empty(dir() / "site"));
  for (const auto& entry : fs::directory_iterator(dir())) {
    EXPECT_EQ(entry.path().filename().string().find("Pw5"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace isobench::testing
