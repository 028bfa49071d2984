// Kernels that misbehave on purpose, for the suite runner's tests: one crashes (SIGSEGV), one never
// returns, one allocates until allocation fails, one is fine. Built only into isobench_fault_bench,
// never into the shipped isobench.
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <memory>
#include <vector>

#include "isobench/registry.hpp"

namespace {

enum class mode { ok, crash, hang, oom };

template <mode M>
class fault_kernel : public isobench::kernel {
public:
  void setup(const isobench::setup_context& ctx) override {
    m_n = ctx.values.get_int("n");
    m_out = isobench::tensor(isobench::dtype::f32, {m_n});
  }
  void run() override {
    if constexpr (M == mode::crash) {
      std::signal(SIGSEGV, SIG_DFL);  // a real crash, whatever handler a sanitizer installed
      std::raise(SIGSEGV);
    } else if constexpr (M == mode::hang) {
      for (;;) ::pause();
    } else if constexpr (M == mode::oom) {
      // Touch 64 MiB blocks until allocation fails (the suite's address-space limit), at most 64 GiB.
      std::vector<std::unique_ptr<char[]>> blocks;
      for (int i = 0; i < 1024; ++i) {
        blocks.emplace_back(new char[64u << 20]);
        std::memset(blocks.back().get(), 1, 64u << 20);
      }
    }
    auto out = m_out.as<float>();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(i) * 0.5f;
  }
  [[nodiscard]] std::vector<isobench::named_tensor> outputs() const override { return {{"out", m_out}}; }

private:
  std::int64_t m_n = 0;
  isobench::tensor m_out;
};

void fault_common(isobench::kernel_builder& b) {
  b.category(isobench::category::kernel).int_param("n", "output elements", 1024, 1);
}

}  // namespace

ISOBENCH_REGISTER_KERNEL("fault", "ok", fault_kernel<mode::ok>).description("fills a vector").with(fault_common);
ISOBENCH_REGISTER_KERNEL("fault", "crash", fault_kernel<mode::crash>).description("raises SIGSEGV").with(fault_common);
ISOBENCH_REGISTER_KERNEL("fault", "hang", fault_kernel<mode::hang>).description("never returns").with(fault_common);
ISOBENCH_REGISTER_KERNEL("fault", "oom", fault_kernel<mode::oom>)
    .description("allocates until allocation fails")
    .with(fault_common);
