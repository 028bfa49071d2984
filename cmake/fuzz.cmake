# libFuzzer targets (tests/fuzz/) for every parser of outside input, under ASan + UBSan. Clang only,
# never part of CI or ctest: tests/fuzz/run_fuzzers builds the `fuzz` preset and runs them.
option(ISOBENCH_FUZZ "Build the libFuzzer targets (clang only; see tests/fuzz/run_fuzzers)" OFF)
if(ISOBENCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ISOBENCH_FUZZ needs clang's libFuzzer: configure with the fuzz preset")
  endif()
  # Everything a target links gets coverage feedback and the sanitizers; only the fuzz targets link
  # libFuzzer's main() (tests/fuzz/CMakeLists.txt). Any sanitizer report aborts the run.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
