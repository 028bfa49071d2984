#include "equivalence/safetensors.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "equivalence/crc32.hpp"
#include "isobench/error.hpp"
#include "support/temp_dir.hpp"

namespace isobench::detail {
namespace {

std::vector<named_tensor> sample_tensors() {
  tensor a(dtype::f32, {2, 3});
  for (std::size_t i = 0; i < 6; ++i) a.as<float>()[i] = static_cast<float>(i) * 0.5F - 1.0F;
  tensor b(dtype::i64, {1});
  b.as<std::int64_t>()[0] = -1234567890123LL;
  tensor h(dtype::bf16, {4});
  for (std::size_t i = 0; i < 4; ++i) h.as<std::uint16_t>()[i] = float_to_bf16(static_cast<float>(i));
  tensor e(dtype::f32, {0, 5});
  return {{"w/a", a}, {"w/b", b}, {"w/h", h}, {"w/empty", e}};
}

std::string reference_error_text(std::string_view bytes) {
  try {
    (void)decode_safetensors(bytes, "ref.safetensors");
  } catch (const reference_error& e) {
    EXPECT_EQ(e.code(), exit_code::reference_error);
    return e.what();
  }
  ADD_FAILURE() << "decoded without error";
  return {};
}

TEST(crc32, standard_check_value) {
  const char* text = "123456789";
  EXPECT_EQ(crc32(std::as_bytes(std::span(text, 9))), 0xcbf43926u);  // zlib.crc32(b"123456789")
}

TEST(safetensors, round_trip_keeps_names_dtypes_shapes_bytes_and_metadata) {
  const auto in = sample_tensors();
  const auto bytes = encode_safetensors(in, {{"spec", "s"}});
  const auto out = decode_safetensors(bytes, "mem");
  ASSERT_EQ(out.tensors.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out.tensors[i].name, in[i].name);
    EXPECT_EQ(out.tensors[i].value.type(), in[i].value.type());
    EXPECT_EQ(out.tensors[i].value.shape(), in[i].value.shape());
    ASSERT_EQ(out.tensors[i].value.size_bytes(), in[i].value.size_bytes());
    EXPECT_EQ(std::memcmp(out.tensors[i].value.bytes().data(), in[i].value.bytes().data(), in[i].value.size_bytes()),
              0);
  }
  EXPECT_EQ(out.metadata.at("spec"), "s");
  EXPECT_TRUE(out.metadata.contains("checksums"));
}

TEST(safetensors, layout_follows_the_format) {
  const auto bytes = encode_safetensors(sample_tensors(), {});
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes[i])) << (8 * i);
  EXPECT_EQ((8 + n) % 8, 0u);  // data starts aligned
  const auto header = nlohmann::json::parse(bytes.substr(8, n));
  EXPECT_EQ(header["w/a"]["dtype"], "F32");
  EXPECT_EQ(header["w/a"]["shape"], nlohmann::json({2, 3}));
  EXPECT_EQ(header["w/a"]["data_offsets"], nlohmann::json({0, 24}));
  EXPECT_EQ(header["w/b"]["dtype"], "I64");
  EXPECT_EQ(header["w/h"]["dtype"], "BF16");
  EXPECT_EQ(bytes.size(), 8 + n + 24 + 8 + 8 + 0);
}

TEST(safetensors, reads_a_file_without_checksums_as_python_writes_it) {
  // {"x": F32 [2]} = 1.0, 2.0 built by hand.
  std::string header = R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  file += header;
  const float data[2] = {1.0F, 2.0F};
  file.append(reinterpret_cast<const char*>(data), sizeof data);
  const auto out = decode_safetensors(file, "py");
  ASSERT_EQ(out.tensors.size(), 1u);
  EXPECT_EQ(out.tensors[0].value.as<float>()[1], 2.0F);
}

TEST(safetensors, detects_truncation_and_corruption) {
  const auto good = encode_safetensors(sample_tensors(), {});
  EXPECT_NE(reference_error_text(good.substr(0, 5)).find("shorter than the 8-byte header"), std::string::npos);
  EXPECT_NE(reference_error_text(good.substr(0, 40)).find("exceeds the file"), std::string::npos);
  EXPECT_NE(reference_error_text(good.substr(0, good.size() - 3)).find("truncated"), std::string::npos);

  auto flipped = good;
  flipped[flipped.size() - 20] ^= 0x01;  // one bit of tensor data
  EXPECT_NE(reference_error_text(flipped).find("checksum mismatch"), std::string::npos);

  auto bad_json = good;
  bad_json[9] = '#';
  EXPECT_NE(reference_error_text(bad_json).find("not valid JSON"), std::string::npos);

  auto longer = good + "xxxx";
  EXPECT_NE(reference_error_text(longer).find("data bytes expected"), std::string::npos);
}

TEST(safetensors, rejects_inconsistent_headers) {
  auto build = [](const std::string& json, std::size_t data_bytes) {
    std::string header = json;
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string file(8, '\0');
    for (int i = 0; i < 8; ++i) file[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
    return file + header + std::string(data_bytes, '\0');
  };
  EXPECT_NE(reference_error_text(build(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8))
                .find("needs 12 bytes"),
            std::string::npos);
  EXPECT_NE(reference_error_text(build(R"({"x":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", 1))
                .find("unsupported dtype"),
            std::string::npos);
  EXPECT_NE(reference_error_text(build(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8)).find("gaps"),
            std::string::npos);
  EXPECT_NE(reference_error_text(build(R"({"x":{"dtype":"F32","shape":[1]}})", 4)).find("data_offsets"),
            std::string::npos);
}

TEST(safetensors, file_io_is_atomic_and_refuses_overwrite) {
  const testing::unique_temp_dir tmp;
  const auto dir = tmp.path();
  const auto file = dir / "r.safetensors";
  write_safetensors(file, sample_tensors(), {{"v", "1"}}, overwrite::forbid);
  EXPECT_EQ(read_safetensors(file).metadata.at("v"), "1");
  EXPECT_THROW(write_safetensors(file, sample_tensors(), {{"v", "2"}}, overwrite::forbid), reference_error);
  EXPECT_EQ(read_safetensors(file).metadata.at("v"), "1");  // untouched
  write_safetensors(file, sample_tensors(), {{"v", "3"}}, overwrite::allow);
  EXPECT_EQ(read_safetensors(file).metadata.at("v"), "3");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1u);  // no temporary files left behind
  EXPECT_THROW((void)read_safetensors(dir / "missing.safetensors"), reference_error);
}

}  // namespace
}  // namespace isobench::detail
