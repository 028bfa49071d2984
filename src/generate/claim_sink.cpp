#include "generate/claim_sink.hpp"

#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "generate/claim_words.hpp"

namespace isobench::detail {

void claim_sink::settle() {
  std::size_t w = m_settled;
  for (std::size_t r = m_settled; r < m_out.size(); ++r) {
    auto& c = m_out[r];
    // A table's rows and a list's items are measurements of their own: equal figures in two rows
    // ("gemm -> 7% gain", "gemv -> ~7% gain") are two claims; the same row quoted twice is one.
    const auto row = is_row_or_item(c.text) ? std::string_view(c.text) : std::string_view();
    const auto key =
        fmt::format("{}|{}|{}|{}|{:.9g}|{:.9g}|{}", static_cast<int>(c.kind), static_cast<int>(c.direction), c.unit,
                    c.metric, c.value, c.value_to.value_or(-1), row);
    if (w >= k_max_claims || !m_seen.insert(key).second) continue;
    if (w != r) m_out[w] = std::move(c);
    ++w;
  }
  m_out.resize(w);
  m_settled = w;
}

}  // namespace isobench::detail
