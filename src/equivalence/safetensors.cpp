#include "equivalence/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "equivalence/crc32.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

constexpr std::string_view k_checksums_key = "checksums";
constexpr std::uint64_t k_max_header_bytes = 100u << 20;  // the safetensors reference limit

std::string crc_hex(const tensor& t) {
  return fmt::format("{:08x}", crc32(t.bytes()));
}

[[noreturn]] void corrupt(const std::string& source, std::string_view what) {
  throw reference_error(fmt::format("{}: corrupt or truncated reference: {}", source, what));
}

}  // namespace

std::string encode_safetensors(const std::vector<named_tensor>& tensors, std::map<std::string, std::string> metadata) {
  nlohmann::json header = nlohmann::json::object();
  nlohmann::json checksums = nlohmann::json::object();
  std::uint64_t offset = 0;
  std::set<std::string> names;
  for (const auto& [name, t] : tensors) {
    if (name == "__metadata__" || !names.insert(name).second) {
      throw error(exit_code::internal_error, fmt::format("safetensors: bad or duplicate tensor name '{}'", name));
    }
    header[name] = {{"dtype", safetensors_name(t.type())},
                    {"shape", t.shape()},
                    {"data_offsets", {offset, offset + t.size_bytes()}}};
    checksums[name] = crc_hex(t);
    offset += t.size_bytes();
  }
  metadata[std::string(k_checksums_key)] = checksums.dump();
  header["__metadata__"] = metadata;

  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out;
  out.reserve(8 + json.size() + offset);
  const std::uint64_t n = json.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xffu));
  out += json;
  for (const auto& nt : tensors) {
    const auto b = nt.value.bytes();
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
  }
  return out;
}

namespace {

// A tensor's entry in the header: its data's place and the tensor read from it.
struct tensor_entry {
  std::uint64_t begin, end;
  named_tensor nt;
};

// One tensor of the header, checked (dtype, shape, offsets inside the data, shape agreeing with
// the offsets) and read from `data`.
tensor_entry decode_tensor(const std::string& name, const nlohmann::json& info, std::string_view data,
                           const std::string& source) {
  const auto where = fmt::format("tensor '{}'", name);
  if (!info.is_object()) corrupt(source, where + " is not an object");
  const auto dt = info.find("dtype");
  if (dt == info.end() || !dt->is_string()) corrupt(source, where + ": missing dtype");
  const auto type = parse_safetensors_dtype(dt->get<std::string>());
  if (!type) corrupt(source, fmt::format("{}: unsupported dtype {}", where, dt->dump()));
  const auto sh = info.find("shape");
  if (sh == info.end() || !sh->is_array()) corrupt(source, where + ": missing shape");
  std::vector<std::int64_t> shape;
  if (sh->size() > 16) corrupt(source, fmt::format("{}: {} dimensions (at most 16)", where, sh->size()));
  for (const auto& d : *sh) {
    if (!d.is_number_unsigned() || d.get<std::uint64_t>() > (std::uint64_t{1} << 40)) {
      corrupt(source, fmt::format("{}: bad shape {}", where, sh->dump()));
    }
    shape.push_back(d.get<std::int64_t>());
  }
  const auto off = info.find("data_offsets");
  if (off == info.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
      !(*off)[1].is_number_unsigned()) {
    corrupt(source, where + ": missing or malformed data_offsets");
  }
  const auto b = (*off)[0].get<std::uint64_t>();
  const auto e = (*off)[1].get<std::uint64_t>();
  if (b > e || e > data.size()) {
    corrupt(source, fmt::format("{}: data_offsets [{}, {}] outside the {} data bytes", where, b, e, data.size()));
  }
  // The shape must agree with the offsets before anything is allocated for it.
  const auto needed = checked_size_bytes(*type, shape);
  if (!needed || *needed != e - b) {
    corrupt(source,
            fmt::format("{}: shape {} x {} needs {} bytes, offsets give {}", where, shape_to_string(shape),
                        dt->get<std::string>(), needed ? fmt::format("{}", *needed) : std::string("> 2^63"), e - b));
  }
  tensor t(*type, shape);
  if (e > b) std::memcpy(t.bytes().data(), data.data() + b, e - b);
  return {b, e, {name, std::move(t)}};
}

// The tensors' data must tile the data section exactly: no overlaps, no gaps.
void check_tiling(std::vector<tensor_entry>& entries, std::size_t data_bytes, const std::string& source) {
  std::sort(entries.begin(), entries.end(),
            [](const auto& x, const auto& y) { return x.begin != y.begin ? x.begin < y.begin : x.end < y.end; });
  std::uint64_t expected = 0;
  for (const auto& en : entries) {
    if (en.begin != expected) corrupt(source, "tensor data overlaps or leaves gaps");
    expected = en.end;
  }
  if (expected != data_bytes)
    corrupt(source, fmt::format("{} data bytes expected, file holds {}", expected, data_bytes));
}

// Files from other writers may lack checksums; isobench's references must have them
// (load_reference checks that: has_checksums()).
void check_checksums(const safetensors_content& out, const std::vector<tensor_entry>& entries,
                     const std::string& source) {
  const auto it = out.metadata.find(std::string(k_checksums_key));
  if (it == out.metadata.end()) return;
  nlohmann::json sums;
  try {
    sums = parse_json_document(it->second, "checksums metadata", exit_code::reference_error);
  } catch (const error& e) {
    corrupt(source, e.what());
  }
  if (!sums.is_object()) corrupt(source, "checksums metadata is not a JSON object");
  for (const auto& en : entries) {
    const auto s = sums.find(en.nt.name);
    if (s == sums.end() || !s->is_string()) corrupt(source, fmt::format("no checksum for tensor '{}'", en.nt.name));
    const auto actual = crc_hex(en.nt.value);
    if (s->get<std::string>() != actual) {
      corrupt(source, fmt::format("checksum mismatch for tensor '{}' (stored {}, computed {})", en.nt.name,
                                  s->get<std::string>(), actual));
    }
  }
}

}  // namespace

safetensors_content decode_safetensors(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 8) corrupt(source, fmt::format("{} bytes, shorter than the 8-byte header length", bytes.size()));
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes[i])) << (8 * i);
  if (n > k_max_header_bytes || n > bytes.size() - 8) {
    corrupt(source, fmt::format("header length {} exceeds the file's {} bytes", n, bytes.size()));
  }
  nlohmann::json header;
  try {
    header = parse_json_document(bytes.substr(8, n), "header", exit_code::reference_error);
  } catch (const error& e) {
    corrupt(source, e.what());  // duplicate tensor names are duplicate keys
  }
  if (!header.is_object()) corrupt(source, "header is not a JSON object");
  const std::string_view data = bytes.substr(8 + n);

  safetensors_content out;
  if (auto it = header.find("__metadata__"); it != header.end()) {
    if (!it->is_object()) corrupt(source, "__metadata__ is not an object");
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) corrupt(source, fmt::format("__metadata__.{} is not a string", k));
      out.metadata[k] = v.get<std::string>();
    }
  }
  std::vector<tensor_entry> entries;
  for (const auto& [name, info] : header.items()) {
    if (name != "__metadata__") entries.push_back(decode_tensor(name, info, data, source));
  }
  check_tiling(entries, data.size(), source);
  check_checksums(out, entries, source);
  for (auto& en : entries) out.tensors.push_back(std::move(en.nt));
  return out;
}

void write_safetensors(const std::filesystem::path& file, const std::vector<named_tensor>& tensors,
                       std::map<std::string, std::string> metadata, overwrite mode) {
  write_file_atomic(file, encode_safetensors(tensors, std::move(metadata)), mode);
}

safetensors_content read_safetensors(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw reference_error(fmt::format("{}: reference not found (record one with --reference first)", file.string()));
  }
  // A reference holds outputs that were in memory once: no larger than this machine's memory.
  return decode_safetensors(read_file(file, physical_memory_bytes(), exit_code::reference_error, "reference"),
                            file.string());
}

}  // namespace isobench::detail
