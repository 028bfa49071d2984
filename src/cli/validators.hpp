#pragma once
// Option checks with messages a person can read: CLI11's Range lets NaN through and prints its
// bounds with std::to_string (310 digits for 1e308).

#include <string>

#include <CLI/CLI.hpp>

namespace isobench::detail::cli {

// A finite number in [low, high] (or (low, high] when low_exclusive), written with %g in messages.
CLI::Validator finite_range(double low, double high, bool low_exclusive = false);

// Text that ends up in JSON results: valid UTF-8, no control characters, at most max_bytes.
CLI::Validator json_text(std::size_t max_bytes);

}  // namespace isobench::detail::cli
