# isobench_add_executable(<name> [KERNELS <targets>...] [SOURCES <files>...])
#
# A benchmark executable for your own kernels: isobench::main (every isobench command) plus the
# kernel libraries, linked so that no registration is lost, plus a generated source recording
# your repository's git revision (and project name), which results then carry next to isobench's.
#
#   find_package(isobench 0.2 REQUIRED)
#   add_library(my_kernels STATIC axpy.cpp)
#   target_link_libraries(my_kernels PRIVATE isobench::isobench)
#   isobench_add_executable(my_bench KERNELS my_kernels)
#
# Kernels register themselves from static initialisers that nothing references, so a linker drops
# them from a static library; STATIC kernel libraries are therefore linked whole-archive
# ($<LINK_LIBRARY:WHOLE_ARCHIVE>), OBJECT libraries as they are.
function(isobench_add_executable name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "KERNELS;SOURCES")
  set(revision_source ${CMAKE_CURRENT_BINARY_DIR}/${name}_isobench_revision.cpp)
  add_custom_target(${name}_isobench_revision
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR} -DOUTPUT=${revision_source}
            -DMODE=user -DPROJECT=${PROJECT_NAME} -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/git_revision.cmake
    BYPRODUCTS ${revision_source}
    COMMENT "Recording the git revision of ${PROJECT_NAME}"
    VERBATIM)
  add_executable(${name} ${arg_SOURCES} ${revision_source})
  add_dependencies(${name} ${name}_isobench_revision)
  target_link_libraries(${name} PRIVATE isobench::main)
  foreach(kernels IN LISTS arg_KERNELS)
    get_target_property(type ${kernels} TYPE)
    if(type STREQUAL "STATIC_LIBRARY")
      target_link_libraries(${name} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${kernels}>")
    else()
      target_link_libraries(${name} PRIVATE ${kernels})
    endif()
  endforeach()
endfunction()
