#pragma once
// Store behaviour every backend must have; each backend's test calls these on its own database.
#include <string>

namespace isobench::detail::history {
void check_round_trip(const std::string& database);
void check_concurrent_recorders(const std::string& database, int processes, int points_each);
}  // namespace isobench::detail::history
