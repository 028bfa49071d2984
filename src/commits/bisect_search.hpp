#pragma once
// The search of `isobench bisect`, apart from how a commit is judged: commits 0..count-1 in
// history order, 0 known good, count-1 claimed bad. Each probe answers good, bad or skip (the
// commit cannot be judged: it does not build); a skipped commit is replaced by its nearest untried
// neighbour. The last commit is probed only when every probe before it was good, so 32 commits
// after the good one take 5 probes (6 when the last one is the first bad).

#include <cstddef>
#include <functional>
#include <vector>

namespace isobench::detail {

enum class probe_answer { good, bad, skip };

struct bisect_steps {
  std::size_t last_good = 0;
  std::size_t first_bad = 0;            // valid when found
  bool found = false;                   // first_bad was judged bad
  bool no_regression = false;           // the last commit was judged good
  std::vector<std::size_t> untestable;  // skipped commits between last_good and first_bad
  std::vector<std::size_t> probed;      // every commit asked about, in order (skips included)
  int probes = 0;                       // answers good or bad
};

bisect_steps bisect_search(std::size_t count, const std::function<probe_answer(std::size_t)>& probe);

}  // namespace isobench::detail
