#pragma once
// Scratch files of a run (the workers' stderr, `ab`'s outputs) live under $TMPDIR (else /tmp) as
// <prefix>-<pid>-XXXXXX. A run killed with SIGKILL cannot remove its own: the next run that makes
// one removes those whose process is gone.

#include <filesystem>
#include <string>

namespace isobench::detail {

// $TMPDIR when it names a directory, else /tmp.
std::filesystem::path scratch_root();

// A new directory <root>/<prefix>-<pid>-XXXXXX (mode 0700); throws io_error naming it.
std::filesystem::path make_scratch_dir(const std::string& prefix);

// A new file <root>/<prefix>-<pid>-XXXXXX, opened for writing (O_CLOEXEC); sets `path`.
int make_scratch_file(const std::string& prefix, std::string& path);

}  // namespace isobench::detail
