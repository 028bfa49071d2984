#pragma once
// A throwaway PostgreSQL server for tests: initdb in a temporary directory (as the unprivileged
// `postgres` user when the tests run as root), listening only on a Unix socket in that directory,
// stopped and deleted with the object.
#include <filesystem>
#include <string>

namespace isobench::testing {

class throwaway_postgres {
public:
  throwaway_postgres();  // starts it; error() says why not
  ~throwaway_postgres();
  throwaway_postgres(const throwaway_postgres&) = delete;
  throwaway_postgres& operator=(const throwaway_postgres&) = delete;

  [[nodiscard]] const std::string& error() const noexcept { return m_error; }
  // A URL for database `name`, created (empty) first unless it is "postgres".
  std::string database(const std::string& name);

private:
  std::filesystem::path m_dir;
  std::string m_stop, m_error;
};

}  // namespace isobench::testing
