// Build recipes: what a valid one holds, placeholders filled in, and every mistake a config error
// naming the file and field.
#include "build/recipe.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "build/build_cache.hpp"
#include "env/build_info.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {
namespace {

namespace fs = std::filesystem;

class recipe_test : public ::testing::Test {
protected:
  recipe_test() { fs::create_directories(m_dir); }
  ~recipe_test() override { fs::remove_all(m_dir); }
  fs::path write(const std::string& text) {
    const auto p = m_dir / "recipe.json";
    std::ofstream(p) << text;
    return p;
  }
  std::string error_of(const std::string& text) {
    try {
      (void)load_recipe(write(text));
    } catch (const config_error& e) {
      return e.what();
    }
    return "(no error)";
  }
  fs::path m_dir = fs::temp_directory_path() / fmt::format("isobench_recipe_{}", ::getpid());
};

TEST_F(recipe_test, reads_every_field_and_fills_in_placeholders) {
  const auto r = load_recipe(write(R"({"name": "lib", "source_subdir": "lib",
    "configure": ["cmake", "-S", "{source_dir}", "-B", "{build_dir}", "-DX=${HOME}"],
    "build": ["cmake", "--build", "{build_dir}", "-j", "{jobs}"],
    "executable": "{build_dir}/bench", "env": {"CFLAGS": "-O2", "ROOT": "{worktree}"}, "timeout_s": 60})"));
  EXPECT_EQ(r.name, "lib");
  EXPECT_EQ(r.source_subdir, "lib");
  ASSERT_EQ(r.configure.size(), 6u);
  ASSERT_EQ(r.env.size(), 2u);
  EXPECT_EQ(r.timeout_s, 60.0);
  const recipe_paths p{"/c/src", "/c/src/lib", "/c/build", 3};
  EXPECT_EQ(expand_placeholders(r.configure[2], p), "/c/src/lib");
  EXPECT_EQ(expand_placeholders(r.configure[5], p), "-DX=${HOME}");  // a shell's, left alone
  EXPECT_EQ(expand_placeholders(r.build[4], p), "3");
  EXPECT_EQ(expand_placeholders(r.executable, p), "/c/build/bench");
  EXPECT_EQ(expand_placeholders("{isobench_source}/x", p), std::string(build::source_dir) + "/x");
  EXPECT_EQ(r.digest.size(), 32u);
  // The digest is the file's: any change makes other builds.
  const auto again = load_recipe(write(R"({"build": ["make"], "executable": "{build_dir}/b"})"));
  EXPECT_NE(again.digest, r.digest);
  EXPECT_TRUE(again.configure.empty());
}

TEST_F(recipe_test, mistakes_name_the_file_and_field) {
  const auto file = (m_dir / "recipe.json").string();
  auto e = error_of(R"({"build": ["make"], "executable": "x", "bulid": 1})");
  EXPECT_NE(e.find(file + ": /bulid: unknown field"), std::string::npos) << e;
  e = error_of(R"({"executable": "x"})");
  EXPECT_NE(e.find("/build"), std::string::npos) << e;
  e = error_of(R"({"build": [], "executable": "x"})");
  EXPECT_NE(e.find("/build: expected a non-empty array"), std::string::npos) << e;
  e = error_of(R"({"build": ["make", 3], "executable": "x"})");
  EXPECT_NE(e.find("/build/1: expected a string"), std::string::npos) << e;
  e = error_of(R"({"build": ["make", "{buildir}"], "executable": "x"})");
  EXPECT_NE(e.find("/build/1: unknown placeholder {buildir}"), std::string::npos) << e;
  e = error_of(R"({"build": ["make"]})");
  EXPECT_NE(e.find("/executable"), std::string::npos) << e;
  e = error_of(R"({"build": ["make"], "executable": "x", "source_subdir": "../up"})");
  EXPECT_NE(e.find("/source_subdir"), std::string::npos) << e;
  e = error_of(R"({"build": ["make"], "executable": "x", "env": {"A": 1}})");
  EXPECT_NE(e.find("/env/A: expected a string"), std::string::npos) << e;
  e = error_of(R"({"build": ["make"], "executable": "x", "timeout_s": 0})");
  EXPECT_NE(e.find("/timeout_s"), std::string::npos) << e;
  e = error_of(R"({"build": ["make"], "executable": "x",)");
  EXPECT_NE(e.find(file), std::string::npos) << e;
  EXPECT_THROW((void)recipe_file(std::nullopt, m_dir), config_error);
  EXPECT_EQ(recipe_file(fs::path("/x/r.json"), m_dir), fs::path("/x/r.json"));
}

TEST_F(recipe_test, build_keys_differ_by_commit_recipe_and_compiler) {
  const auto k = build_key("abc", "r1", "gcc 12");
  EXPECT_TRUE(k.starts_with("abc-"));
  EXPECT_NE(k, build_key("abd", "r1", "gcc 12"));
  EXPECT_NE(k, build_key("abc", "r2", "gcc 12"));
  EXPECT_NE(k, build_key("abc", "r1", "gcc 13"));
  EXPECT_EQ(k, build_key("abc", "r1", "gcc 12"));
}

}  // namespace
}  // namespace isobench::detail
