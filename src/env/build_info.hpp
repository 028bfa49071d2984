#pragma once
// Facts fixed at build time; defined in generated sources (cmake/build_info.cmake).

namespace isobench::detail::build {
extern const char* const version;
extern const char* const git_revision;
extern const char* const compiler;
extern const char* const cxx_flags;
extern const char* const kernel_cxx_flags;
extern const char* const build_type;
extern const char* const kernel_arch;  // -march of the bundled kernels ("" = default)
extern const char* const source_dir;   // the isobench source tree this was built from (recipes' {isobench_source})
}  // namespace isobench::detail::build
