# Build facts embedded in every result: compiler, flags, build type, options. The git revision is
# regenerated at build time (not only at configure time) so results never name a stale revision.
string(TOUPPER "${CMAKE_BUILD_TYPE}" _isobench_bt)
set(ISOBENCH_CXX_FLAGS_EFFECTIVE "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_isobench_bt}}")
string(STRIP "${ISOBENCH_CXX_FLAGS_EFFECTIVE}" ISOBENCH_CXX_FLAGS_EFFECTIVE)
list(JOIN ISOBENCH_KERNEL_FLAGS " " ISOBENCH_KERNEL_FLAGS_STRING)
set(ISOBENCH_BUILD_INFO_DIR ${PROJECT_BINARY_DIR}/generated)
configure_file(${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in
               ${ISOBENCH_BUILD_INFO_DIR}/build_info.cpp @ONLY)

add_custom_target(isobench_git_revision
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DOUTPUT=${ISOBENCH_BUILD_INFO_DIR}/git_revision.cpp -DMODE=isobench
          -P ${CMAKE_CURRENT_LIST_DIR}/git_revision.cmake
  BYPRODUCTS ${ISOBENCH_BUILD_INFO_DIR}/git_revision.cpp
  COMMENT "Recording the git revision"
  VERBATIM)
