#pragma once
// The synthetic repository the git tests judge: a user's kernel library (one kernel, synth.loop,
// built against the installed isobench package with find_package, as tests/package builds its
// own), 35 commits whose kernel differs only in how long its chain is:
//   c0        the first commit: n x 1 steps            c1   "softmax: ... 1.5x faster" (generate)
//   c2..c15   documentation                            c16  does not build (#error)
//   c17       fixes the build                           c18..c20  documentation
//   c21       the planted regression: n x 3 steps      c22..c32  documentation (still n x 3)
//   c33       "3x faster": n x 1 again                 c34  the kernel never returns (a hang)
// The commits are chosen so that the tests share builds: bisect c0..c32 probes c16 (skipped),
// c17, c24, c20, c22, c21; backfill c16..c24 adds c18, c19, c23; continuous c24..c33 and c33..c34.
// The setup test (git_setup.make_repository, ctest fixture git_repo) installs isobench, makes the
// repository and writes its recipe and a spec; the other tests share it and one build cache.

#include <filesystem>
#include <string>
#include <vector>

namespace isobench::testing {

struct synthetic_repo {
  std::filesystem::path dir;         // the fixture's directory
  std::filesystem::path repo;        // the git repository
  std::filesystem::path spec;        // synth.json
  std::filesystem::path cache;       // the shared build cache
  std::vector<std::string> commits;  // c0..c34, full hashes

  static constexpr std::size_t broken = 16, regression = 21, fast = 33, hang = 34;
  // Builds the fixture (the setup test); throws std::runtime_error saying what failed.
  static synthetic_repo make();
  // The fixture the setup test made; fails the calling test when there is none.
  static synthetic_repo load();
};

}  // namespace isobench::testing
