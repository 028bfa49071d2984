// argv -> the app -> an exit code. Everything else lives in libisobench_core.
#include <iostream>
#include <new>

#include "cli/app.hpp"
#include "io/secrets.hpp"
#include "isobench/error.hpp"

int main(int argc, char** argv) {
  try {
    return isobench::detail::cli::run_app(argc, argv, std::cout, std::cerr);
  } catch (const isobench::error& e) {
    std::cerr << "isobench: error: " << isobench::detail::scrub_secrets(e.what()) << '\n';
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "isobench: error: out of memory\n";
    return static_cast<int>(isobench::exit_code::out_of_memory);
  } catch (const std::exception& e) {
    std::cerr << "isobench: internal error: " << isobench::detail::scrub_secrets(e.what()) << '\n';
    return static_cast<int>(isobench::exit_code::internal_error);
  }
}
