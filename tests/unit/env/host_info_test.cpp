#include "env/host_info.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace isobench::detail {
namespace {

TEST(host_info, parses_cache_sizes) {
  EXPECT_EQ(parse_cache_size("48K"), 48u << 10);
  EXPECT_EQ(parse_cache_size("1024K\n"), 1u << 20);
  EXPECT_EQ(parse_cache_size("32M"), 32u << 20);
  EXPECT_EQ(parse_cache_size("512"), 512u);
  EXPECT_EQ(parse_cache_size("big"), std::nullopt);
  EXPECT_EQ(parse_cache_size("12Q"), std::nullopt);
}

TEST(host_info, parses_proc_text) {
  EXPECT_EQ(parse_cpu_model("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9B45\nflags\t: fpu\n"),
            "AMD EPYC 9B45");
  EXPECT_EQ(parse_cpu_model("nothing here"), "unknown");
  EXPECT_EQ(parse_meminfo_total_bytes("MemTotal:       24588888 kB\nMemFree: 1 kB\n"), 24588888ull * 1024);
  EXPECT_EQ(parse_meminfo_total_bytes("MemFree: 1 kB\n"), std::nullopt);
  EXPECT_EQ(parse_os_pretty_name("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            "Debian GNU/Linux 12 (bookworm)");
}

TEST(host_info, last_level_cache_skips_instruction_caches) {
  host_info h;
  h.caches = {{1, "Data", 48 << 10}, {1, "Instruction", 32 << 10}, {2, "Unified", 1 << 20}, {3, "Unified", 32 << 20}};
  EXPECT_EQ(h.last_level_cache_bytes(), 32u << 20);
  h.caches.clear();
  EXPECT_EQ(h.last_level_cache_bytes(), 0u);
}

TEST(host_info, collects_this_machine) {
  const auto h = collect_host_info();
  EXPECT_GT(h.logical_cpus, 0u);
  EXPECT_GT(h.memory_bytes, 0u);
  EXPECT_FALSE(h.compiler.empty());
  EXPECT_FALSE(h.isobench_version.empty());
  const auto j = to_json(h);
  for (const char* key : {"cpu_model", "logical_cpus", "caches", "memory_bytes", "os", "kernel", "compiler",
                          "cxx_flags", "kernel_cxx_flags", "build_type", "git_revision"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
}

}  // namespace
}  // namespace isobench::detail

namespace isobench::detail {
namespace {

TEST(host_info, reads_the_transparent_huge_page_mode) {
  EXPECT_EQ(parse_thp_mode("always [madvise] never\n"), "madvise");
  EXPECT_EQ(parse_thp_mode("[always] madvise never"), "always");
  EXPECT_EQ(parse_thp_mode(""), "");
  EXPECT_EQ(parse_thp_mode("garbage ["), "");
}

}  // namespace
}  // namespace isobench::detail
