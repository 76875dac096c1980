#include <gtest/gtest.h>

#include "jinja_test_util.h"

namespace sluice::jinja {
namespace {
using testing::Render;
TEST(JinjaSmoke, Basic) { EXPECT_EQ(Render("a{{ 1 + 2 }}b"), "a3b"); }
}  // namespace
}  // namespace sluice::jinja
