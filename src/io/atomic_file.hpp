#pragma once
// Results and references are never left half-written: data goes to a temporary file in the target
// directory, is flushed to disk, and is then renamed (or hard-linked, to refuse an existing file)
// onto the final name.

#include <filesystem>
#include <string>
#include <string_view>

namespace isobench {

enum class overwrite : bool { forbid = false, allow = true };

// Throws io_error on failure; with overwrite::forbid and an existing target, throws
// reference_error (the only files isobench refuses to replace are references).
void write_file_atomic(const std::filesystem::path& target, std::string_view data, overwrite mode);

std::string read_file(const std::filesystem::path& file);  // throws io_error

}  // namespace isobench
