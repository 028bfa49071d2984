#pragma once
// `isobench worker`: one build's side of `isobench ab`. The driver speaks to it in JSON lines on
// stdin/stdout (nothing else is written to stdout); every message carries the protocol version,
// and a mismatch is answered with a clear error instead of a guess.
//
//   -> {"isobench_worker": 1, "op": "hello"}
//   <- {"isobench_worker": 1, "ok": true, "identity": {environment fingerprint + executable}}
//   -> {"isobench_worker": 1, "op": "setup", "spec": PATH, "workload": NAME, "implementation": NAME,
//       "device": "cpu"|"cuda"|"auto" (optional), "cache": "warm"|"cold" (optional),
//       "layout_seed": N (optional; the arena's layout, core/placement.hpp; 0 or absent: canonical)}
//   <- {..., "ok": true, "sample_s": S, "batch": N, "warmup_calls": N, "calibration_calls": N}
//   -> {..., "op": "round", "samples": K, "batch": B (calls per sample, the same on both builds)}
//   <- {..., "ok": true, "samples_s": [per-call seconds x K], "round_s": the round's own wall time}
//   -> {..., "op": "outputs", "file": PATH}      (the outputs, written as safetensors)
//   <- {..., "ok": true, "opt_path_hit": B, "isa": S, "counters": {...}}
//   -> {..., "op": "quit"}
// Any failure: <- {..., "ok": false, "code": EXIT_CODE, "message": TEXT}, and the worker exits.

#include <iosfwd>

#include "isobench/registry.hpp"

namespace isobench {

inline constexpr int worker_protocol_version = 1;

// Serves one driver until "quit", end of input or an error; returns the process exit code.
int run_worker(std::istream& in, std::ostream& out, const registry& reg);

}  // namespace isobench
