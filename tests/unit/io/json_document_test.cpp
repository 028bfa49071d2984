#include "io/json_document.hpp"

#include <string>

#include <gtest/gtest.h>

namespace isobench::detail {
namespace {

std::string error_text(const std::string& text) {
  try {
    (void)parse_json_document(text, "f.json", exit_code::invalid_config);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(json_document, parses_what_json_allows) {
  const auto j = parse_json_document(R"({"a": [1, {"b": 2}], "c": {"b": 3}})", "f", exit_code::invalid_config);
  EXPECT_EQ(j["a"][1]["b"], 2);
  EXPECT_EQ(j["c"]["b"], 3);  // the same key in different objects is fine
}

TEST(json_document, names_duplicate_keys_with_their_pointer) {
  EXPECT_EQ(error_text(R"({"a": 1, "a": 2})"), R"(f.json: /a: duplicate key "a" (each key may appear once))");
  EXPECT_EQ(error_text(R"({"w": [{"x": 1}, {"x": 1, "y/z": 2, "y/z": 3}]})"),
            R"(f.json: /w/1/y~1z: duplicate key "y/z" (each key may appear once))");
}

TEST(json_document, refuses_depth_numbers_and_bytes_it_cannot_represent) {
  EXPECT_NE(error_text(std::string(200, '[') + std::string(200, ']')).find("nested deeper than 128"),
            std::string::npos);
  EXPECT_NE(error_text(R"({"x": 1e400})").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_text("{\"x\": \"\xff\"}").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_text("").find("not valid JSON"), std::string::npos);
  // The caller's exit code is kept.
  try {
    (void)parse_json_document("{", "r", exit_code::reference_error);
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::reference_error);
  }
}

TEST(json_document, utf8_validation) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(json_document, parse_errors_are_valid_utf8_whatever_the_input) {
  // nlohmann quotes the bytes it read last; the message goes into JSON answers and reports.
  const auto message = error_text("{\"a\": \"\xff\xfe\"}");
  EXPECT_TRUE(is_valid_utf8(message)) << message;
  EXPECT_NE(message.find("f.json: not valid JSON"), std::string::npos) << message;
}

}  // namespace
}  // namespace isobench::detail
