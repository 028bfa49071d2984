# One place for the warning policy: -Wall -Wextra (and friends), -Werror unless ISOBENCH_WERROR=OFF.
function(isobench_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
      -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
      -Wimplicit-fallthrough $<$<BOOL:${ISOBENCH_WERROR}>:-Werror>>)
endfunction()

# Kernels are what the harness measures, so they get the optimisation flags (and -march=native
# when asked); the harness itself is built portable. -ffp-contract=fast restores FMA contraction,
# which strict -std=c++20 turns off in GCC. The flags are recorded in every result.
set(ISOBENCH_KERNEL_FLAGS -O3 -fno-math-errno -ffp-contract=fast)
if(ISOBENCH_NATIVE_ARCH)
  list(APPEND ISOBENCH_KERNEL_FLAGS -march=native)
endif()
function(isobench_kernel_flags target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${ISOBENCH_KERNEL_FLAGS}>)
endfunction()
