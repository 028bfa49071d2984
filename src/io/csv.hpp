#pragma once
// CSV as RFC 4180 writes it (suite results, `history export`).

#include <string>
#include <string_view>

namespace isobench::detail {

// The field as written between commas: quoted (with doubled quotes) only where needed.
std::string csv_field(std::string_view value);

}  // namespace isobench::detail
