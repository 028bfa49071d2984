# The CUDA backend. ISOBENCH_CUDA=AUTO (default) builds it when a CUDA toolkit is found, ON requires
# it, OFF never builds it. Without it isobench is complete on the CPU and reports CUDA unavailable.
# As a subproject it is OFF unless the parent asks for it.
if(PROJECT_IS_TOP_LEVEL)
  set(ISOBENCH_CUDA AUTO CACHE STRING "Build the CUDA backend: AUTO, ON or OFF")
else()
  set(ISOBENCH_CUDA OFF CACHE STRING "Build the CUDA backend: AUTO, ON or OFF")
endif()
set_property(CACHE ISOBENCH_CUDA PROPERTY STRINGS AUTO ON OFF)

set(ISOBENCH_HAVE_CUDA OFF)
if(NOT ISOBENCH_CUDA STREQUAL "OFF")
  # The toolkit lives in /usr/local/cuda on these machines, often without nvcc on PATH.
  if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(ISOBENCH_HAVE_CUDA ON)
  elseif(ISOBENCH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "ISOBENCH_CUDA=ON but no CUDA compiler was found (set CUDACXX or CMAKE_CUDA_COMPILER)")
  endif()
endif()

if(ISOBENCH_HAVE_CUDA)
  # Architectures: the visible GPU's when one answers at configure time, otherwise a fixed list
  # that includes Hopper (sm_90, H100/H200). -DCMAKE_CUDA_ARCHITECTURES=... overrides both.
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    execute_process(COMMAND nvidia-smi -L RESULT_VARIABLE _smi_rc OUTPUT_QUIET ERROR_QUIET)
    if(_smi_rc EQUAL 0)
      set(CMAKE_CUDA_ARCHITECTURES native)
    else()
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
  endif()
  enable_language(CUDA)
  # CMake 3.25 does not know nvcc's C++20 flag (the shared headers need C++20): teach it.
  if(NOT DEFINED CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
    set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  endif()
  set(CMAKE_CUDA_STANDARD 20)
  set(CMAKE_CUDA_STANDARD_REQUIRED ON)
  find_package(CUDAToolkit REQUIRED)
  message(STATUS "isobench: CUDA backend on (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${CMAKE_CUDA_ARCHITECTURES})")
else()
  message(STATUS "isobench: CUDA backend off")
endif()
