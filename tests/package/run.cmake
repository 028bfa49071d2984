# The package consumer test (ctest: package.consumer): install the isobench build tree into a
# temporary prefix, configure and build tests/package against it as a user's project would, and run
# its benchmark executable: list shows its kernels, a spec of its own records a reference and passes
# --eqcheck, and results carry the user's project and revision.
# cmake -DBUILD_DIR=<isobench build> -DSOURCE_DIR=<isobench source> -DWORK=<scratch> [-DCXX_FLAGS=...] -P run.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(step)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  set(step_out "${out}${err}" PARENT_SCOPE)
endfunction()

step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK}/prefix")
# The consumer compiles with the flags the package was built with (a sanitizer build needs them).
step(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/package" -B "${WORK}/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
     "-DCMAKE_PREFIX_PATH=${WORK}/prefix" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
step(${CMAKE_COMMAND} --build "${WORK}/build")
set(bench "${WORK}/build/axpy_bench")

step("${bench}" list)
foreach(name axpy.two_pass axpy.fused)
  string(FIND "${step_out}" "${name}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "'axpy_bench list' does not show ${name}:\n${step_out}")
  endif()
endforeach()
string(FIND "${step_out}" "gemm.blocked" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "a user's executable must hold only its own kernels:\n${step_out}")
endif()
string(FIND "${step_out}" "sources: axpy.cpp" at)
if(at EQUAL -1)
  message(FATAL_ERROR "'axpy_bench list' does not show the declared sources:\n${step_out}")
endif()

set(spec "${SOURCE_DIR}/tests/package/axpy.json")
step("${bench}" run "${spec}" --reference --impl-tag parent --out "${WORK}/out" -q)
step("${bench}" run "${spec}" --eqcheck --impl-tag child --out "${WORK}/out" -q)
file(READ "${WORK}/out/axpy_child.json" result)
string(JSON project GET "${result}" environment user_project)
if(NOT project STREQUAL "axpy_kernels")
  message(FATAL_ERROR "results do not record the user's project (got '${project}')")
endif()
string(JSON eq GET "${result}" results 1 eq against)
if(NOT eq STREQUAL "reference")
  message(FATAL_ERROR "the candidate was not checked against the reference (got '${eq}')")
endif()

# The user's own commit: generate maps its changed file and message to the user's kernel.
file(WRITE "${WORK}/commit.json" [=[{"commit_hash": "0123456789abcdef", "commit_subject": "axpy: fused one-pass kernel, 1.8x faster",
  "files_changed": ["src/axpy.cpp"], "diff_text": "+  y[i] = 2.0F * x[i] + 1.0F;"}]=])
step("${bench}" generate "${WORK}/commit.json" -o "${WORK}/generated.json" --workloads-from "${spec}")
file(READ "${WORK}/generated.json" generated)
string(JSON impl GET "${generated}" implementation)
string(JSON claimed GET "${generated}" claim speedup)
if(NOT impl STREQUAL "axpy.fused" OR NOT claimed STREQUAL "1.8")
  message(FATAL_ERROR "generate did not target the user's kernel with its claim (got ${impl}, ${claimed}):\n${step_out}")
endif()
step("${bench}" run "${WORK}/generated.json" --smoke)
message(STATUS "package consumer: find_package(isobench), own kernels listed, reference and --eqcheck pass, generate targets them")
