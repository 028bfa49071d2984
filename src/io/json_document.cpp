#include "io/json_document.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>

namespace isobench::detail {

namespace {

// Where the parser is: one frame per open object or array, with the token of the member or
// element being read, so a duplicate key is reported with its pointer.
struct frame {
  bool is_array = false;
  long long index = -1;
  std::string key;
  std::set<std::string, std::less<>> keys;
};

std::string pointer_of(const std::vector<frame>& stack, std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) {
    const auto& f = stack[i];
    out += '/';
    out += f.is_array ? std::to_string(f.index) : json_pointer_token(f.key);
  }
  return out;
}

}  // namespace

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

nlohmann::json parse_json_document(std::string_view text, const std::string& source, exit_code code) {
  using event = nlohmann::json::parse_event_t;
  std::vector<frame> stack;
  const auto callback = [&](int /*depth*/, event e, nlohmann::json& parsed) -> bool {
    const bool starts_value = e == event::value || e == event::object_start || e == event::array_start;
    if (starts_value && !stack.empty() && stack.back().is_array) ++stack.back().index;
    switch (e) {
      case event::object_start:
      case event::array_start:
        if (stack.size() >= static_cast<std::size_t>(json_max_depth)) {
          throw_error(code, fmt::format("{}: {}: nested deeper than {} levels", source, pointer_of(stack, stack.size()),
                                        json_max_depth));
        }
        stack.push_back(frame{e == event::array_start, -1, {}, {}});
        break;
      case event::object_end:
      case event::array_end: stack.pop_back(); break;
      case event::key: {
        auto& top = stack.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second) {
          throw_error(code, fmt::format("{}: {}: duplicate key \"{}\" (each key may appear once)", source,
                                        pointer_of(stack, stack.size()), top.key));
        }
        break;
      }
      case event::value: break;
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), callback);
  } catch (const nlohmann::json::exception& e) {
    // parse_error (syntax, invalid UTF-8) and out_of_range (a number beyond double, e.g. 1e400).
    // The message quotes the last bytes read, invalid UTF-8 included; messages end up in JSON
    // (worker answers, verdict reasons), which must be UTF-8.
    std::string what = e.what();
    replace_invalid_utf8(what);
    throw_error(code, fmt::format("{}: not valid JSON: {}", source, what));
  }
}

namespace {

// Bytes of the well-formed UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t extra = 0;
  char32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    extra = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + extra >= text.size()) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  static constexpr char32_t min_for[] = {0, 0x80, 0x800, 0x10000};
  if (cp < min_for[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return extra + 1;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const auto n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::size_t replace_invalid_utf8(std::string& text) {
  if (is_valid_utf8(text)) return 0;
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t replaced = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD REPLACEMENT CHARACTER
      ++replaced;
      ++i;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
  text = std::move(out);
  return replaced;
}

}  // namespace isobench::detail
