// current_setting(): each setting typed as the settings table says, unknown names refused.
#include <gtest/gtest.h>

#include "common/error.h"
#include "plan/settings_function.h"

namespace sluice {
namespace {

TEST(SettingsFunctionTest, ValuesFollowTheSettingsTable) {
  Settings settings;
  settings.set_threads(3);
  const Value threads = CurrentSettingValue(settings, "threads");
  EXPECT_EQ(threads.type().id(), TypeId::kBigInt);
  EXPECT_EQ(threads.ToString(), "3");
  EXPECT_EQ(CurrentSettingValue(settings, "memory_limit").type().id(), TypeId::kVarchar);
}

TEST(SettingsFunctionTest, UnknownNameIsAnError) {
  Settings settings;
  try {
    CurrentSettingValue(settings, "thread");
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("thread"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice
