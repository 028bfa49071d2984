# One place for the warning policy: -Wall -Wextra (and friends), -Werror unless ISOBENCH_WERROR=OFF.
function(isobench_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
      -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
      -Wimplicit-fallthrough $<$<BOOL:${ISOBENCH_WERROR}>:-Werror>>)
endfunction()
