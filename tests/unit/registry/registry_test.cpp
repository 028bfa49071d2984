#include "isobench/registry.hpp"

#include <gtest/gtest.h>

#include "isobench/error.hpp"
#include "registry/suggest.hpp"
#include "support/fake_kernels.hpp"

namespace isobench::detail {
namespace {

TEST(registry, resolves_full_and_short_names) {
  const auto r = testing::make_fake_registry();
  EXPECT_EQ(r.resolve("fill", "fill.off").impl, "off");
  EXPECT_EQ(r.resolve("fill", "same").full_name(), "fill.same");
  EXPECT_TRUE(r.has_op("fill"));
  EXPECT_FALSE(r.has_op("fil"));
  EXPECT_EQ(r.ops(), (std::vector<std::string>{"fill", "other"}));
  const auto listed = r.list("fill");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0]->full_name(), "fill.off");  // sorted
}

TEST(registry, unknown_names_exit_1_with_suggestions) {
  const auto r = testing::make_fake_registry();
  try {
    (void)r.resolve("fil", "ref");
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::target_not_resolved);
    EXPECT_NE(std::string(e.what()).find("did you mean 'fill'"), std::string::npos) << e.what();
  }
  try {
    (void)r.resolve("fill", "fill.sam");
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::target_not_resolved);
    EXPECT_NE(std::string(e.what()).find("'fill.same'"), std::string::npos) << e.what();
  }
  // An implementation of another op is not an implementation of this one.
  EXPECT_THROW((void)r.resolve("fill", "other.only_fp16"), error);
}

TEST(registry, metadata_from_the_builder) {
  const auto r = testing::make_fake_registry();
  const auto& k = r.resolve("other", "only_fp16");
  EXPECT_TRUE(k.supports(dtype::f16));
  EXPECT_FALSE(k.supports(dtype::f32));
  EXPECT_TRUE(k.supports(device_kind::cpu));
  EXPECT_FALSE(k.supports(device_kind::cuda));
  ASSERT_NE(k.find_param("extra"), nullptr);
  EXPECT_EQ(std::get<std::int64_t>(*k.find_param("extra")->default_value), 3);
  EXPECT_EQ(k.find_param("nope"), nullptr);
}

TEST(registry, one_name_per_device) {
  registry r;
  r.add("x", "y", [] { return std::make_unique<testing::fill_kernel>(); });
  r.add("x", "y", [] { return std::make_unique<testing::fill_kernel>(); }).devices({device_kind::cuda});
  EXPECT_NO_THROW(r.validate());  // a CPU and a CUDA implementation may share a name
  EXPECT_EQ(&r.resolve("x", "y", device_kind::cuda), r.find("x.y", device_kind::cuda));
  EXPECT_NE(r.find("x.y", device_kind::cuda), r.find("x.y", device_kind::cpu));
  r.add("x", "y", [] { return std::make_unique<testing::fill_kernel>(); });
  EXPECT_THROW(r.validate(), error);  // but not twice on one device
  registry::global().validate();

  registry only_cpu;
  only_cpu.add("x", "z", [] { return std::make_unique<testing::fill_kernel>(); });
  try {
    (void)only_cpu.resolve("x", "z", device_kind::cuda);
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::unsupported);
    EXPECT_NE(std::string(e.what()).find("x.z does not run on cuda (it runs on cpu)"), std::string::npos) << e.what();
  }
}

TEST(registry, global_registry_holds_the_shipped_kernels) {
  const auto& g = registry::global();
  for (const char* name :
       {"gemm.naive", "gemm.blocked", "gemm.openblas", "softmax.three_pass", "softmax.online", "spin.loop"}) {
    const auto* k = g.find(name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_FALSE(k->description.empty()) << name;
  }
  EXPECT_TRUE(static_cast<bool>(g.find("gemm.blocked")->flops));
  EXPECT_EQ(g.find("gemm.blocked")->category, category::kernel);
}

TEST(suggest, edit_distance_and_ranking) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("gemm", "gemm"), 0u);
  const std::vector<std::string> names = {"gemm.naive", "gemm.blocked", "softmax.online"};
  EXPECT_EQ(closest_names("gemm.blokced", names, 3), (std::vector<std::string>{"gemm.blocked"}));
  EXPECT_EQ(closest_names("online", names, 3), (std::vector<std::string>{"softmax.online"}));
  EXPECT_TRUE(closest_names("zzzzzzzz", names, 3).empty());
}

TEST(registry, with_defaults_fills_only_missing_parameters) {
  const auto* info = registry::global().find("rmsnorm.naive", device_kind::cpu);
  ASSERT_NE(info, nullptr);
  params given;
  given.set("rows", std::int64_t{3});
  given.set("eps", 1e-3);
  const params p = info->with_defaults(given);
  EXPECT_EQ(p.get_int("rows"), 3);
  EXPECT_DOUBLE_EQ(p.get_double("eps"), 1e-3) << "a given value is kept";
  EXPECT_FALSE(p.contains("dim")) << "a required parameter has no default to fill";
  EXPECT_DOUBLE_EQ(info->with_defaults(params{}).get_double("eps"), 1e-6);
}

}  // namespace
}  // namespace isobench::detail
