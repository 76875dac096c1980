#include <gtest/gtest.h>
TEST(Smoke, Works) { EXPECT_TRUE(true); }
