#include <sys/stat.h>

#include <string>

#include <gtest/gtest.h>

#include "io/atomic_file.hpp"
#include "support/temp_dir.hpp"

namespace isobench::detail {
namespace {

std::string error_of(const std::filesystem::path& p, std::size_t max_bytes = 1 << 20) {
  try {
    (void)read_file(p, max_bytes, exit_code::invalid_config, "spec");
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(read_file, reads_regular_files_within_the_bound) {
  const testing::unique_temp_dir tmp;
  const auto f = tmp.path() / "a.json";
  write_file_atomic(f, "hello", overwrite::allow);
  EXPECT_EQ(read_file(f, 5, exit_code::invalid_config, "spec"), "hello");
  EXPECT_NE(error_of(f, 4).find("5 bytes; a spec file may have at most 4 bytes"), std::string::npos);
  EXPECT_EQ(read_file(tmp.path() / "a.json", 1 << 20, exit_code::invalid_config, "spec").size(), 5u);
}

TEST(read_file, refuses_what_is_not_a_regular_file_without_blocking) {
  const testing::unique_temp_dir tmp;
  const auto fifo = tmp.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of(fifo).find("is a FIFO"), std::string::npos);
  EXPECT_NE(error_of(tmp.path()).find("is a directory"), std::string::npos);
  EXPECT_NE(error_of("/dev/zero").find("is a character device"), std::string::npos);
  EXPECT_NE(error_of(tmp.path() / "missing").find("spec file not found"), std::string::npos);
}

}  // namespace
}  // namespace isobench::detail
