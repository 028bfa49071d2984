// Diffs as git writes them: files, change types, paths with spaces and quotes, and the functions
// named by hunk headers (generate --git's functions_changed).
#include "git/diff.hpp"

#include <gtest/gtest.h>

namespace isobench::detail::git {
namespace {

const char* const k_diff = R"(3f1c0a9e2b4d
diff --git a/src/gemm.cpp b/src/gemm.cpp
index 1111111..2222222 100644
--- a/src/gemm.cpp
+++ b/src/gemm.cpp
@@ -10,6 +10,7 @@ static void gemm_tile(const float* a, const float* b, float* c)
-  for (int k = 0; k < K; ++k) {
+  for (int k = 0; k < K; k += 4) {
@@ -40,3 +41,3 @@ void ops::gemm_kernel::run(int m)
-  x = 1;
+  x = 2;
@@ -60,3 +61,3 @@ static void gemm_tile(const float* a, const float* b, float* c)
-  y = 1;
+  y = 2;
diff --git a/docs/new file.md b/docs/new file.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/docs/new file.md	
@@ -0,0 +1 @@
+hello
diff --git a/old.c b/old.c
deleted file mode 100644
index 4444444..0000000
--- a/old.c
+++ /dev/null
@@ -1,2 +0,0 @@ int main(void)
-int x;
diff --git a/a.h b/b.h
similarity index 90%
rename from a.h
rename to b.h
diff --git a/img.png b/img.png
index 5555555..6666666 100644
Binary files a/img.png and b/img.png differ
diff --git "a/tab\there.c" "b/tab\there.c"
index 7777777..8888888 100644
--- "a/tab\there.c"
+++ "b/tab\there.c"
@@ -1 +1 @@ if (x)
-a
+b
)";

TEST(git_diff, splits_files_with_their_change_types_and_paths) {
  const auto files = split_diff(k_diff);
  ASSERT_EQ(files.size(), 6u);
  EXPECT_EQ(files[0].path, "src/gemm.cpp");
  EXPECT_EQ(files[0].change_type, "modified");
  EXPECT_TRUE(files[0].text.starts_with("diff --git a/src/gemm.cpp"));
  EXPECT_NE(files[0].text.find("k += 4"), std::string::npos);
  EXPECT_EQ(files[0].text.find("hello"), std::string::npos);  // the next file's lines are not in it
  EXPECT_EQ(files[1].path, "docs/new file.md");
  EXPECT_EQ(files[1].change_type, "added");
  EXPECT_EQ(files[2].path, "old.c");
  EXPECT_EQ(files[2].change_type, "deleted");
  EXPECT_EQ(files[3].path, "b.h");
  EXPECT_EQ(files[3].old_path, "a.h");
  EXPECT_EQ(files[3].change_type, "renamed");
  EXPECT_TRUE(files[4].binary);
  EXPECT_FALSE(files[0].binary);
  EXPECT_EQ(files[5].path, "tab\there.c");
}

TEST(git_diff, hunk_headers_name_the_functions_once_each_in_order) {
  EXPECT_EQ(hunk_functions(k_diff), (std::vector<std::string>{"gemm_tile", "ops::gemm_kernel::run", "main"}));
  EXPECT_EQ(context_function("def forward(self, x):"), "forward");
  EXPECT_EQ(context_function("fn matmul_f32(a: &[f32]) -> Vec<f32> {"), "matmul_f32");
  EXPECT_EQ(context_function("Foo::~Foo()"), "Foo::~Foo");
  EXPECT_EQ(context_function("class Gemm {"), "");
  EXPECT_EQ(context_function("  if (n > 0) {"), "");
  EXPECT_EQ(context_function("for (;;)"), "");
  EXPECT_EQ(context_function(""), "");
  EXPECT_EQ(hunk_functions("@@ -1 +1 @@\n-a\n+b\n"), std::vector<std::string>{});
}

}  // namespace
}  // namespace isobench::detail::git
