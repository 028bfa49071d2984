#pragma once
// Two commits judged as `isobench ab` judges two builds: each built (or found in the build cache)
// with the recipe, then both executables run interleaved on the spec. A commit that does not
// build is every workload's ERROR verdict carrying the end of its build log.

#include <ostream>
#include <string>
#include <vector>

#include "build/builder.hpp"
#include "runner/run.hpp"
#include "runner/ab.hpp"

namespace isobench::detail {

struct commit_judgement {
  build_result base, head;
  run_outcome outcome;  // ab's (result file written, reporters run)
};

// `o` as for `ab`, its executables left empty: they are the builds of base and head. Builds use
// every CPU this process may; the judging runs on `cpus` (none: as it is), then the process gets
// its CPUs back.
commit_judgement judge_commits(builder& b, const std::string& base, const std::string& head, two_build_options o,
                               const std::vector<int>& cpus, const std::vector<report_target>& reporters,
                               std::ostream& err);

}  // namespace isobench::detail
