# Every dependency comes from the distribution (Debian: libcli11-dev nlohmann-json3-dev libfmt-dev
# libyaml-cpp-dev libgtest-dev; OpenBLAS only at run time, for gemm.openblas); nothing is fetched at configure time.
# .ci/deps installs them.
find_package(CLI11 2.1 REQUIRED CONFIG)
find_package(nlohmann_json 3.10 REQUIRED CONFIG)
find_package(fmt 9 REQUIRED CONFIG)
find_package(yaml-cpp 0.7 REQUIRED CONFIG)  # torchao suite configs
find_package(SQLite3 3.35 REQUIRED)         # the history store (RETURNING needs 3.35)
find_package(PostgreSQL REQUIRED)           # the history store on a shared server (libpq)
find_package(Threads REQUIRED)

if(ISOBENCH_BUILD_TESTS)
  find_package(GTest 1.11 REQUIRED CONFIG)
endif()
