#pragma once
// Libraries a kernel loads at run time (dlopen), so that a process which never runs that kernel
// never loads them (and never starts their threads): OpenBLAS, cuBLAS.

#include <dlfcn.h>

#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::kernels {

// The first of `names` that loads; none: exit 2 (unsupported), naming `what` and how to install it.
inline void* open_shared_library(std::initializer_list<const char*> names, std::string_view what,
                                 std::string_view install_hint) {
  for (const char* name : names) {
    if (void* lib = dlopen(name, RTLD_NOW | RTLD_LOCAL)) return lib;  // stays loaded for the process
  }
  throw error(exit_code::unsupported,
              fmt::format("{} is not installed or not on the library path ({}){}", what, dlerror(), install_hint));
}

template <class F>
void bind_symbol(void* lib, const char* name, F& fn, std::string_view what) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (fn == nullptr) throw error(exit_code::unsupported, fmt::format("{} has no symbol {}", what, name));
}

}  // namespace isobench::kernels
