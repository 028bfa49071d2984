// ab's per-launch copies of a build: made fresh, byte-identical, removed; never for an executable
// whose run path uses $ORIGIN.
#include "runner/executable_copy.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

namespace fs = std::filesystem;

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();  // not istreambuf_iterator: GCC 12 -O3 warns of a null dereference in it
  return out.str();
}

TEST(executable_copy, an_origin_run_path_is_seen_and_a_mere_string_is_not) {
  EXPECT_TRUE(finds_files_by_its_own_path(ISOBENCH_ORIGIN_PROBE));
  // This test binary holds the text "$ORIGIN" (above) but no such run path.
  EXPECT_FALSE(finds_files_by_its_own_path("/proc/self/exe"));
  const auto script = fs::temp_directory_path() / ("isobench-copy-test-" + std::to_string(::getpid()));
  std::ofstream(script) << "#!/bin/sh\n# $ORIGIN\nexec true\n";
  EXPECT_FALSE(finds_files_by_its_own_path(script)) << "not ELF: no run path";
  fs::remove(script);
}

TEST(executable_copy, makes_a_fresh_identical_copy_and_removes_it) {
  const auto dir = fs::temp_directory_path() / ("isobench-copy-dir-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path copied;
  {
    const executable_copy c("/proc/self/exe", dir, "base-0", true);
    copied = c.path();
    EXPECT_EQ(copied, dir / "base-0");
    EXPECT_EQ(bytes_of(copied), bytes_of("/proc/self/exe"));
    // A name already taken is an error, never a replacement.
    EXPECT_THROW(executable_copy("/proc/self/exe", dir, "base-0", true), error);
  }
  EXPECT_FALSE(fs::exists(copied));
  const executable_copy in_place("/proc/self/exe", dir, "head-0", false);
  EXPECT_EQ(in_place.path(), fs::path("/proc/self/exe"));
  EXPECT_FALSE(fs::exists(dir / "head-0"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace isobench::detail
