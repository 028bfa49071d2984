#pragma once
// Every enum that isobench writes to a file or reads from one has a to_string and, declared beside
// it, a from_string: from_string<E>(to_string(e)) == e for every value, nullopt for anything else.

#include <cstddef>
#include <optional>
#include <string_view>

namespace isobench {

template <class Enum>
std::optional<Enum> from_string(std::string_view text) noexcept;

// The value among `all` (every value of the enum) whose to_string is `text`.
template <class Enum, std::size_t N>
std::optional<Enum> from_string_among(std::string_view text, const Enum (&all)[N]) noexcept {
  for (Enum e : all) {
    if (to_string(e) == text) return e;
  }
  return std::nullopt;
}

}  // namespace isobench
