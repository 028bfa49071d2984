#include "synthetic_repo.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace isobench::testing {

namespace {

namespace fs = std::filesystem;

const char* const k_cmake = R"(cmake_minimum_required(VERSION 3.25)
project(synth_kernels LANGUAGES CXX)
find_package(isobench 0.2 REQUIRED)
add_library(synth_kernels OBJECT kernel.cpp)
target_link_libraries(synth_kernels PRIVATE isobench::isobench)
isobench_add_executable(synth_bench KERNELS synth_kernels)
)";

// The kernel of one commit: `factor` x n chain steps; `extra` goes where the change is.
std::string kernel_source(int factor, const std::string& extra, bool broken) {
  return fmt::format(R"(// synth.loop: a dependent multiply-add chain; each commit decides its length.
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "isobench/registry.hpp"
{}
namespace {{

std::uint64_t spin(std::uint64_t x, std::int64_t n) {{
  // A chain the compiler cannot shorten: every step needs the one before.
  // Each commit of this repository decides how long the chain is, which
  // is all that makes one commit faster or slower than another.
  const std::int64_t steps = n * {};{}
  for (std::int64_t i = 0; i < steps; ++i) {{
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    asm volatile("" : "+r"(x));
  }}
  return x;
}}

class loop final : public isobench::kernel {{
public:
  void setup(const isobench::setup_context& ctx) override {{
    m_n = ctx.values.get_int("n");
    m_y = isobench::tensor(isobench::dtype::f32, {{1}});
  }}
  void run() override {{
    m_state = spin(m_state, m_n);
    m_y.as<float>()[0] = 1.0F;
  }}
  [[nodiscard]] std::vector<isobench::named_tensor> outputs() const override {{ return {{{{"y", m_y}}}}; }}

private:
  std::int64_t m_n = 1;
  std::uint64_t m_state = 1;
  isobench::tensor m_y;
}};

}}  // namespace

ISOBENCH_REGISTER_KERNEL("synth", "loop", loop)
    .description("a dependent multiply-add chain")
    .sources({{"kernel.cpp"}})
    .dtypes({{isobench::dtype::f32}})
    .int_param("n", "steps per unit of the commit's factor", std::nullopt, 1);
)",
                     broken ? "#error this commit does not build\n" : "", factor, extra);
}

// A file shaped like one of the bundled kernels (kernels/cpu/softmax.cpp), for generate --git.
std::string softmax_source(const std::string& body) {
  return fmt::format(R"(// softmax over rows.
#include <cmath>

void softmax_rows(const float* x, float* y, int rows, int cols) {{
  for (int r = 0; r < rows; ++r) {{
    const float* in = x + r * cols;
    float* out = y + r * cols;
{}
  }}
}}
)",
                     body);
}

const char* const k_two_pass = R"(    float mx = in[0];
    for (int c = 1; c < cols; ++c) mx = std::fmax(mx, in[c]);
    float sum = 0.0F;
    for (int c = 0; c < cols; ++c) sum += std::exp(in[c] - mx);
    for (int c = 0; c < cols; ++c) out[c] = std::exp(in[c] - mx) / sum;)";
const char* const k_online = R"(    float mx = in[0], sum = 0.0F;
    for (int c = 0; c < cols; ++c) {
      const float m2 = std::fmax(mx, in[c]);
      sum = sum * std::exp(mx - m2) + std::exp(in[c] - m2);
      mx = m2;
    }
    for (int c = 0; c < cols; ++c) out[c] = std::exp(in[c] - mx) / sum;)";

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  write_text(p, text);
}

void run_or_throw(const std::string& binary, const std::vector<std::string>& args, const fs::path& cwd) {
  const auto r = run_binary(binary, args, cwd);
  if (r.code != 0) {
    throw std::runtime_error(
        fmt::format("{} {} failed ({}): {}{}", binary, fmt::join(args, " "), r.code, r.out, r.err));
  }
}

// git runs from the fixture's directory (run_binary leaves .stdout and .stderr where it runs).
void git(const fs::path& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {"-C", repo.string()});
  run_or_throw("git", args, repo.parent_path());
}

void commit(const fs::path& repo, int index, const std::string& message) {
  const auto message_file = repo.parent_path() / "message.txt";
  write_text(message_file, message);
  // Dates an hour apart from 2024-01-01: history order is date order, as in a real repository.
  run_or_throw("/bin/sh",
               {"-c", fmt::format("git -C '{1}' add -A && GIT_AUTHOR_DATE='@{0} +0000' GIT_COMMITTER_DATE='@{0} +0000' "
                                  "git -C '{1}' commit -q -F '{2}'",
                                  1704067200 + 3600 * index, repo.string(), message_file.string())},
               repo.parent_path());
}

}  // namespace

synthetic_repo synthetic_repo::make() {
  synthetic_repo s;
  s.dir = ISOBENCH_GIT_FIXTURE_DIR;
  fs::remove_all(s.dir);
  s.repo = s.dir / "synth";
  s.spec = s.dir / "synth.json";
  s.cache = s.dir / "cache";
  const auto prefix = s.dir / "prefix";
  fs::create_directories(s.repo);
  run_or_throw(ISOBENCH_CMAKE, {"--install", ISOBENCH_BUILD_DIR, "--prefix", prefix.string()}, s.dir);
  git(s.repo, {"init", "-q", "-b", "main"});
  git(s.repo, {"config", "user.name", "Synthetic Author"});
  git(s.repo, {"config", "user.email", "author@example.com"});
  write(s.repo / "CMakeLists.txt", k_cmake);
  write(s.repo / "README.md", "# synth kernels\n");
  for (int i = 0; i <= static_cast<int>(hang); ++i) {
    const int factor = i >= static_cast<int>(regression) && i < static_cast<int>(fast) ? 3 : 1;
    write(s.repo / "kernel.cpp",
          kernel_source(factor,
                        i == static_cast<int>(hang) ? "\n  std::this_thread::sleep_for(std::chrono::hours(1));" : "",
                        i == static_cast<int>(broken)));
    write(s.repo / "kernels" / "cpu" / "softmax.cpp", softmax_source(i == 0 ? k_two_pass : k_online));
    std::string message = fmt::format("docs: note {}\n", i);
    if (i == 0) message = "synth: a kernel library\n";
    if (i == 1) {
      message =
          "softmax: one online pass for max and sum, 1.5x faster\n\nThe max and the sum of exponentials now "
          "come from a single pass over each row.\n";
    }
    if (i == static_cast<int>(broken)) message = "wip: half of a refactoring\n";
    if (i == static_cast<int>(broken) + 1) message = "synth: finish the refactoring\n";
    if (i == static_cast<int>(regression)) message = "synth: longer chain (3x the steps)\n";
    if (i == static_cast<int>(fast)) message = "synth: 3x faster, back to n steps\n";
    if (i == static_cast<int>(hang)) message = "synth: wait for a lock that never comes\n";
    if (message.starts_with("docs")) write(s.repo / "README.md", fmt::format("# synth kernels\n\nnote {}\n", i));
    commit(s.repo, i, message);
  }
  const auto log = run_binary("git", {"-C", s.repo.string(), "rev-list", "--reverse", "main"}, s.dir);
  std::istringstream lines(log.out);
  for (std::string line; std::getline(lines, line);) s.commits.push_back(line);
  if (s.commits.size() != hang + 1) throw std::runtime_error("the synthetic repository has the wrong commits");
  // The recipe, as a user writes it once (not committed: it names this machine's isobench).
  nlohmann::json recipe = {
      {"name", "synth"},
      {"configure",
       {"cmake", "-S", "{source_dir}", "-B", "{build_dir}", "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
        "-DCMAKE_CXX_FLAGS_RELEASE=-O1", fmt::format("-DCMAKE_CXX_FLAGS={}", ISOBENCH_TEST_CXX_FLAGS),
        fmt::format("-DCMAKE_PREFIX_PATH={}", prefix.string())}},
      {"build", {"cmake", "--build", "{build_dir}", "-j", "{jobs}"}},
      {"executable", "{build_dir}/synth_bench"},
      {"timeout_s", 300}};
  write(s.repo / ".isobench" / "recipe.json", recipe.dump(2) + "\n");
  write(s.spec, R"({"name": "synth", "target": "synth", "implementation": "synth.loop", "dtype": "fp32",
  "workloads": [{"name": "w", "n": 30000}],
  "timing": {"warmup": 1, "min_iters": 3, "min_time_s": 0.005, "max_time_s": 1},
  "equivalence": {"level": "exact"},
  "verdict": {"min_rounds": 3, "launch_rounds": 3, "min_launches": 2, "max_launches": 3, "round_time_s": 0.002}}
)");
  std::string list;
  for (const auto& c : s.commits) list += c + "\n";
  write_text(s.dir / "commits.txt", list);
  return s;
}

synthetic_repo synthetic_repo::load() {
  synthetic_repo s;
  s.dir = ISOBENCH_GIT_FIXTURE_DIR;
  s.repo = s.dir / "synth";
  s.spec = s.dir / "synth.json";
  s.cache = s.dir / "cache";
  std::istringstream lines(read_text(s.dir / "commits.txt"));
  for (std::string line; std::getline(lines, line);) s.commits.push_back(line);
  if (s.commits.size() != hang + 1) {
    ADD_FAILURE() << "no synthetic repository in " << s.dir << ": run the git.setup test first (ctest -L git)";
  }
  return s;
}

}  // namespace isobench::testing
