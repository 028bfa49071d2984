# Kernels are what the harness measures, so they get the optimisation flags and the target
# instruction set; the harness itself is built portable. -ffp-contract=fast restores FMA
# contraction, which strict -std=c++20 turns off in GCC. The flags are recorded in every result.
#
# -Wno-psabi: GCC notes that a 64-byte vector passed by value has another ABI without AVX-512. Our
# vector types live in anonymous namespaces of one translation unit and every kernel object is
# built with the same flags, so no such value ever crosses an ABI boundary.
set(ISOBENCH_KERNEL_ARCH "native" CACHE STRING
    "-march for the kernels: native (the build machine's CPU), x86-64-v3 (AVX2), x86-64-v4 (AVX-512), or empty for the compiler's default")
set(ISOBENCH_KERNEL_BASE_FLAGS -O3 -fno-math-errno -ffp-contract=fast -Wno-psabi)
set(ISOBENCH_KERNEL_FLAGS ${ISOBENCH_KERNEL_BASE_FLAGS})
if(NOT ISOBENCH_KERNEL_ARCH STREQUAL "")
  list(APPEND ISOBENCH_KERNEL_FLAGS -march=${ISOBENCH_KERNEL_ARCH})
endif()

function(isobench_kernel_flags target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${ISOBENCH_KERNEL_FLAGS}>)
endfunction()

# isobench_add_isa_check(<kernel OBJECT target>): a target `isobench_isa_check` (not built by
# default) that compiles the kernel's C++ sources for AVX2-only (x86-64-v3) and AVX-512 (x86-64-v4)
# machines with the project's warnings and -Werror, whatever CPU this one has. .ci/test builds it,
# so a change that breaks the other ISA fails CI on any machine.
function(isobench_add_isa_check kernels)
  if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    return()
  endif()
  get_target_property(_sources ${kernels} SOURCES)
  get_target_property(_dir ${kernels} SOURCE_DIR)
  list(FILTER _sources INCLUDE REGEX "\\.cpp$")
  add_custom_target(isobench_isa_check)
  foreach(_level x86-64-v3 x86-64-v4)
    string(REPLACE "-" "_" _name "isobench_isa_check_${_level}")
    add_library(${_name} OBJECT EXCLUDE_FROM_ALL)
    foreach(_s IN LISTS _sources)
      if(NOT IS_ABSOLUTE "${_s}")
        set(_s "${_dir}/${_s}")
      endif()
      target_sources(${_name} PRIVATE ${_s})
    endforeach()
    target_include_directories(${_name} PRIVATE $<TARGET_PROPERTY:${kernels},INCLUDE_DIRECTORIES>)
    target_compile_definitions(${_name} PRIVATE $<TARGET_PROPERTY:${kernels},COMPILE_DEFINITIONS>)
    target_link_libraries(${_name} PRIVATE $<TARGET_PROPERTY:${kernels},LINK_LIBRARIES>)
    isobench_set_warnings(${_name})
    target_compile_options(${_name} PRIVATE ${ISOBENCH_KERNEL_BASE_FLAGS} -march=${_level} -Werror)
    add_dependencies(isobench_isa_check ${_name})
  endforeach()
endfunction()
