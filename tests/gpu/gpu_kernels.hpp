#pragma once
// Test-only device helpers behind a plain C++ interface (no CUDA types).

#include <cstddef>

namespace isobench::detail::testing {

void launch_sleep(void* stream, double seconds);  // __nanosleep loop of about `seconds`
void launch_copy(void* stream, const void* in, void* out, std::size_t bytes);
void* device_alloc(std::size_t bytes);
void device_free(void* p);
void* new_stream();
void delete_stream(void* s);

}  // namespace isobench::detail::testing
