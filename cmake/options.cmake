# User-facing build options. Each one is recorded in the results' environment fingerprint.
option(ISOBENCH_BUILD_TESTS "Build the GoogleTest suites" ON)
option(ISOBENCH_WERROR "Treat warnings as errors" ON)
# ISOBENCH_CUDA (AUTO|ON|OFF) lives in cuda.cmake, ISOBENCH_KERNEL_ARCH in kernel_flags.cmake.
