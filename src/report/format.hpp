#pragma once
// Numbers and verdicts as every text reporter writes them (console table, verdict text, markdown),
// so that the same run reads the same everywhere.

#include <string>

#include "verdict/judge.hpp"

namespace isobench::detail {

// Milliseconds with about four significant digits and no exponent: 1234, 123.4, 12.34, 1.234, 0.1234.
std::string format_ms(double ms);

// "PASS w0: gemm.blocked vs gemm.naive: 12.3x [12.1, 12.5] p=0.002, 14 rounds / side, stop: …"
std::string format_verdict_line(const verdict_result& v);

}  // namespace isobench::detail
