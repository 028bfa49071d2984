#pragma once
// Runs the real isobench binary in a directory and captures its exit code, stdout and stderr.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace isobench::testing {

struct cli_result {
  int code = -1;
  std::string out;
  std::string err;
};

cli_result run_isobench(const std::vector<std::string>& args, const std::filesystem::path& cwd);
// The same for another executable built on isobench::main (one with test kernels).
cli_result run_binary(const std::string& binary, const std::vector<std::string>& args,
                      const std::filesystem::path& cwd);

// A fresh, empty directory under the system temp dir, removed when the object dies.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
  std::filesystem::path m_path;
};

std::string read_text(const std::filesystem::path& p);
void write_text(const std::filesystem::path& p, const std::string& text);

// A test with its own temporary directory: files written there, isobench run in it.
class cli_dir_test : public ::testing::Test {
protected:
  std::filesystem::path write(const std::string& file, const std::string& text) {
    const auto p = m_dir.path() / file;
    write_text(p, text);
    return p;
  }
  cli_result run(const std::vector<std::string>& args) { return run_isobench(args, m_dir.path()); }
  const std::filesystem::path& dir() const { return m_dir.path(); }

private:
  temp_dir m_dir;
};

}  // namespace isobench::testing
