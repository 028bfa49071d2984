# Every dependency comes from the distribution (Debian: libcli11-dev nlohmann-json3-dev libfmt-dev
# libgtest-dev libopenblas-dev); nothing is fetched at configure time. .ci/deps installs them.
find_package(CLI11 2.1 REQUIRED CONFIG)
find_package(nlohmann_json 3.10 REQUIRED CONFIG)
find_package(fmt 9 REQUIRED CONFIG)
find_package(Threads REQUIRED)

# OpenBLAS ships a config file with variables only; wrap it in an imported target.
find_package(OpenBLAS CONFIG QUIET)
if(OpenBLAS_FOUND)
  add_library(isobench_openblas INTERFACE IMPORTED)
  target_include_directories(isobench_openblas INTERFACE ${OpenBLAS_INCLUDE_DIRS})
  target_link_libraries(isobench_openblas INTERFACE ${OpenBLAS_LIBRARIES})
else()
  find_package(BLAS REQUIRED)
  find_path(ISOBENCH_CBLAS_INCLUDE cblas.h REQUIRED)
  add_library(isobench_openblas INTERFACE IMPORTED)
  target_include_directories(isobench_openblas INTERFACE ${ISOBENCH_CBLAS_INCLUDE})
  target_link_libraries(isobench_openblas INTERFACE ${BLAS_LIBRARIES})
endif()

if(ISOBENCH_BUILD_TESTS)
  find_package(GTest 1.11 REQUIRED CONFIG)
endif()
