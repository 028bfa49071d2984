#pragma once
// Passwords never reach a message, log, result or report. Whatever isobench is given that may hold
// one (a PostgreSQL URL or connection string) is registered here; every error message is scrubbed
// before it is printed, and database names are shown only in a redacted form.

#include <string>
#include <string_view>

namespace isobench::detail {

// Remembers `secret` (process-wide) so scrub_secrets() replaces it with "***". Empty is ignored.
void register_secret(std::string secret);

// `text` with every registered secret replaced by "***" (longest first, so a secret that contains
// another is replaced whole).
std::string scrub_secrets(std::string text);

}  // namespace isobench::detail
