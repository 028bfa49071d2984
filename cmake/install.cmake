# `cmake --install` puts the public headers, the libraries (isobench::isobench, isobench::main and
# the input generators they use), the isobench executable with the bundled kernels, and a package
# config under the prefix, so that a user's project can write find_package(isobench 0.2).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ISOBENCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/isobench)
install(TARGETS isobench_core isobench_main isobench_generators
        EXPORT isobenchTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET isobench)
  install(TARGETS isobench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/isobench DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT isobenchTargets NAMESPACE isobench:: DESTINATION ${ISOBENCH_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/isobenchConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/isobenchConfig.cmake
                              INSTALL_DESTINATION ${ISOBENCH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/isobenchConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/isobenchConfig.cmake ${PROJECT_BINARY_DIR}/isobenchConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/isobench_helpers.cmake ${CMAKE_CURRENT_LIST_DIR}/git_revision.cmake
        DESTINATION ${ISOBENCH_CMAKE_DIR})
