#pragma once
// `ab` runs each launch's workers from fresh copies of the two executables. Two byte-identical
// files can run the same code at different speeds: on our VMs an executable just written by the
// linker sits in the page cache in scattered 4 KiB pages, while one copied in large writes gets
// large, physically contiguous folios, and its code needs fewer TLB entries — rmsnorm 2 x 1024
// ran ~4% faster from a copy of a build than from the build itself (README "Layout"). A fresh
// copy per launch makes both builds' code placement alike in kind and random between launches,
// where the launch-level test sees it, instead of a fixed bias between the two files.

#include <filesystem>
#include <string>

namespace isobench::detail {

// Whether the executable finds libraries relative to its own path ("$ORIGIN" in its ELF run path,
// DT_RUNPATH or DT_RPATH), so a copy elsewhere could not run as it does: it is run in place.
[[nodiscard]] bool finds_files_by_its_own_path(const std::filesystem::path& exe);

class executable_copy {
public:
  // Copies `original` to `dir`/`name` (a new file) when `copy` is true; else path() is `original`.
  executable_copy(const std::filesystem::path& original, const std::filesystem::path& dir, const std::string& name,
                  bool copy);
  ~executable_copy();  // removes the copy
  executable_copy(const executable_copy&) = delete;
  executable_copy& operator=(const executable_copy&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
  std::filesystem::path m_path;
  bool m_owned = false;
};

}  // namespace isobench::detail
