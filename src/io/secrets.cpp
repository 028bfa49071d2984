#include "io/secrets.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

namespace isobench::detail {

namespace {

std::mutex g_mutex;
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}

}  // namespace

void register_secret(std::string secret) {
  if (secret.empty()) return;
  const std::lock_guard lock(g_mutex);
  auto& s = secrets();
  if (std::find(s.begin(), s.end(), secret) != s.end()) return;
  s.push_back(std::move(secret));
  std::stable_sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string scrub_secrets(std::string text) {
  const std::lock_guard lock(g_mutex);
  for (const auto& secret : secrets()) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

}  // namespace isobench::detail
