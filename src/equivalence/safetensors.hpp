#pragma once
// The reference store's file format: safetensors (https://github.com/huggingface/safetensors),
// so `safetensors.numpy.load_file(path)` reads a reference in Python.
//
// Layout: 8-byte little-endian header length N, N bytes of JSON header
//   {"__metadata__": {str: str}, "<name>": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}}
// padded with spaces to a multiple of 8, then the raw little-endian tensor bytes.
// isobench adds the metadata key "checksums": a JSON object string {"<name>": "<crc32 hex>"}.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/atomic_file.hpp"
#include "isobench/tensor.hpp"

namespace isobench::detail {

struct safetensors_content {
  std::map<std::string, std::string> metadata;
  std::vector<named_tensor> tensors;  // in file (offset) order
};

// Adds the "checksums" metadata key. Tensor names must be unique and not "__metadata__".
std::string encode_safetensors(const std::vector<named_tensor>& tensors, std::map<std::string, std::string> metadata);

// Validates everything (lengths, JSON, dtypes, shapes, offsets, checksums); any problem throws
// reference_error naming `source` and what is wrong.
safetensors_content decode_safetensors(std::string_view bytes, const std::string& source);

void write_safetensors(const std::filesystem::path& file, const std::vector<named_tensor>& tensors,
                       std::map<std::string, std::string> metadata, overwrite mode);
safetensors_content read_safetensors(const std::filesystem::path& file);

}  // namespace isobench::detail
