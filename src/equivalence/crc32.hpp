#pragma once
// CRC-32 (IEEE 802.3, the zlib/PNG polynomial): per-tensor checksums in references, chosen so a
// Python user can verify them with zlib.crc32(tensor_bytes).

#include <cstddef>
#include <cstdint>
#include <span>

namespace isobench::detail {

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc = 0) noexcept;

}  // namespace isobench::detail
