#pragma once
// Which compilers a recipe's builds get, as part of the build cache's key: a new compiler (or
// version) must not reuse builds made with the old one.

#include <string>

#include "build/recipe.hpp"

namespace isobench::detail {

// "cxx=<path>: <first line of --version>; cc=...": $CXX and $CC from the recipe's env, else this
// process's, else c++ and cc found on $PATH ("none" for one that is not there).
std::string compiler_id(const recipe& r);

}  // namespace isobench::detail
