# User-facing build options. Each one is recorded in the results' environment fingerprint. Like fmt,
# isobench defaults everything but the library off when it is not the top-level project.
option(ISOBENCH_BUILD_TESTS "Build the GoogleTest suites" ${PROJECT_IS_TOP_LEVEL})
option(ISOBENCH_BUILD_KERNELS "Build the bundled kernels and the isobench executable" ${PROJECT_IS_TOP_LEVEL})
option(ISOBENCH_WERROR "Treat warnings as errors" ${PROJECT_IS_TOP_LEVEL})
option(ISOBENCH_INSTALL "Generate the install rules and the CMake package" ${PROJECT_IS_TOP_LEVEL})
# ISOBENCH_CUDA (AUTO|ON|OFF) lives in cuda.cmake, ISOBENCH_KERNEL_ARCH in kernel_flags.cmake.
