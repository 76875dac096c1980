#include "common/settings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/memory.h"
#include "common/setting_table.h"

namespace sluice {
namespace {

// A valid value of `entry` that differs from its default, as text.
std::string OtherValue(const SettingEntry& entry) {
  const SettingValue& d = entry.default_value;
  switch (entry.type) {
    case SettingType::kInteger: {
      const int64_t v = std::get<int64_t>(d);
      return std::to_string(v + 1 <= entry.max ? v + 1 : v - 1);
    }
    case SettingType::kSize:
      return std::get<int64_t>(d) == 3 << 20 ? "5MiB" : "3MiB";
    case SettingType::kBoolean:
      return std::get<bool>(d) ? "false" : "true";
    case SettingType::kDouble:
      // 2.5, or the middle of the allowed range when 2.5 is outside it.
      return entry.min <= 2.5 && 2.5 <= entry.max ? "2.5"
                                                  : std::to_string((entry.min + entry.max) / 2);
    case SettingType::kString:
      for (const std::string& choice : entry.choices) {
        if (choice != std::get<std::string>(d)) return choice;
      }
      return "exchange:0.5";
  }
  return {};
}

std::string DefaultText(const SettingEntry& entry) {
  return FormatSettingValue(entry, entry.default_value);
}

TEST(SettingTable, EntriesAreConsistent) {
  std::set<std::string> names;
  for (size_t i = 0; i < SettingTable().size(); i++) {
    const SettingEntry& entry = SettingTable()[i];
    EXPECT_EQ(static_cast<size_t>(entry.id), i) << entry.name;
    EXPECT_FALSE(entry.description.empty()) << entry.name;
    EXPECT_NO_THROW(ValidateSettingValue(entry, entry.default_value)) << entry.name;
    EXPECT_TRUE(names.insert(entry.name).second) << "duplicate " << entry.name;
    for (const std::string& alias : entry.aliases) {
      EXPECT_TRUE(names.insert(alias).second) << "duplicate alias " << alias;
    }
  }
  EXPECT_EQ(SettingTable().size(), kSettingCount);
  EXPECT_EQ(Settings::Names().size(), kSettingCount);
}

TEST(Settings, EveryEntryRoundTripsThroughSetGetAndReset) {
  for (const SettingEntry& entry : SettingTable()) {
    SCOPED_TRACE(entry.name);
    Settings s;
    EXPECT_FALSE(s.IsSet(entry.id));
    EXPECT_EQ(s.Get(entry.name), DefaultText(entry));
    const std::string text = OtherValue(entry);
    s.Set(entry.name, text);
    EXPECT_TRUE(s.IsSet(entry.id));
    EXPECT_EQ(s.ValueOf(entry.id), ParseSettingValue(entry, text));
    EXPECT_NE(s.ValueOf(entry.id), entry.default_value);
    // What Get prints is accepted by Set and prints the same again.
    const std::string shown = s.Get(entry.name);
    s.Set(entry.name, shown);
    EXPECT_EQ(s.Get(entry.name), shown);
    // Names are case-insensitive.
    std::string upper = entry.name;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    EXPECT_EQ(s.Get(upper), shown);
    s.Reset(upper);
    EXPECT_FALSE(s.IsSet(entry.id));
    EXPECT_EQ(s.ValueOf(entry.id), entry.default_value);
    EXPECT_EQ(s.Get(entry.name), DefaultText(entry));
  }
}

TEST(Settings, TypedAccessorsReadWhatSetWrote) {
  Settings s;
  s.Set("threads", "3");
  s.Set("memory_limit", "2GiB");
  s.Set("broadcast_threshold", "-1");
  s.Set("skew_factor", "7.5");
  s.Set("adaptive", "off");
  s.Set("temp_directory", "/tmp/spill");
  EXPECT_EQ(s.threads(), 3);
  EXPECT_EQ(s.memory_limit(), int64_t{2} << 30);
  EXPECT_EQ(s.broadcast_threshold(), -1);
  EXPECT_EQ(s.Get("broadcast_threshold"), "-1");
  EXPECT_EQ(s.skew_factor(), 7.5);
  EXPECT_FALSE(s.adaptive());
  EXPECT_EQ(s.temp_directory(), "/tmp/spill");
  s.set_shuffle_partitions(5).set_progress_bar(false);
  EXPECT_EQ(s.Get("shuffle_partitions"), "5");
  EXPECT_EQ(s.Get("progress_bar"), "false");
}

TEST(Settings, AliasesNameTheSameEntry) {
  Settings s;
  s.Set("worker_threads", "3");
  s.Set("MAX_MEMORY", "1GB");
  s.Set("enable_progress_bar", "false");
  EXPECT_EQ(s.threads(), 3);
  EXPECT_EQ(s.Get("worker_threads"), "3");
  EXPECT_EQ(s.memory_limit(), 1000000000);
  EXPECT_FALSE(s.progress_bar());
  s.Reset("max_memory");
  EXPECT_FALSE(s.IsSet(SettingId::kMemoryLimit));
}

// The bug of issue 10: RESET wrote the text of a default of 0 bytes back through SET, and
// every later query failed with "memory_limit 0 bytes".
TEST(Settings, UnsetMemoryLimitIsTheDefaultLimitNeverZero) {
  Settings s;
  EXPECT_EQ(s.memory_limit(), MemoryManager::DefaultLimit());
  s.Set("memory_limit", "1GB");
  EXPECT_EQ(s.memory_limit(), 1000000000);
  s.Reset("memory_limit");
  EXPECT_EQ(s.memory_limit(), MemoryManager::DefaultLimit());
  EXPECT_EQ(s.Get("memory_limit"), FormatBytes(MemoryManager::DefaultLimit()));
  EXPECT_THROW(s.Set("memory_limit", "0"), InvalidInputError);
  EXPECT_EQ(Settings().threads(), Settings::DefaultThreads());
  EXPECT_GE(Settings::DefaultThreads(), 1);
}

TEST(Settings, ResetAllRestoresEveryDefault) {
  Settings s;
  for (const SettingEntry& entry : SettingTable()) s.Set(entry.name, OtherValue(entry));
  s.ResetAll();
  for (const SettingEntry& entry : SettingTable()) {
    EXPECT_FALSE(s.IsSet(entry.id)) << entry.name;
    EXPECT_EQ(s.Get(entry.name), DefaultText(entry)) << entry.name;
  }
}

TEST(Settings, BadValuesAreRefusedAndChangeNothing) {
  Settings s;
  s.Set("threads", "2");
  for (const char* bad : {"0", "1025", "zero", "2.5", ""}) {
    EXPECT_THROW(s.Set("threads", bad), InvalidInputError) << bad;
  }
  EXPECT_EQ(s.threads(), 2);
  EXPECT_THROW(s.set_threads(0), InvalidInputError);
  EXPECT_EQ(s.threads(), 2);
  const std::pair<const char*, const char*> cases[] = {
      {"memory_limit", "12 parsecs"},
      {"memory_limit", "-1"},
      {"broadcast_threshold", "-2"},
      {"shuffle_partitions", "0"},
      {"shuffle_partitions", "100001"},
      {"skew_factor", "0.5"},
      {"skew_factor", "nan"},
      {"skew_factor", "5x"},
      {"skew_salt_buckets", "-1"},
      {"skew_salt_buckets", "4097"},
      {"task_retries", "101"},
      {"target_file_rows", "0"},
      {"adaptive", "maybe"},
      {"target_partition_bytes", "0"},
  };
  for (const auto& [name, value] : cases) {
    EXPECT_THROW(s.Set(name, value), InvalidInputError) << name << " = " << value;
    EXPECT_FALSE(s.IsSet(FindSetting(name).id)) << name;
  }
  try {
    s.Set("threads", "0");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.message(), "threads must be between 1 and 1024");
  }
}

TEST(Settings, UnknownNamesSuggestTheClosest) {
  Settings s;
  try {
    s.Set("memory_limt", "1GB");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean \"memory_limit\""), std::string::npos);
  }
  EXPECT_THROW(s.Get("no_such_setting"), InvalidInputError);
  EXPECT_THROW(s.Reset("no_such_setting"), InvalidInputError);
  EXPECT_EQ(LookupSetting("no_such_setting"), nullptr);
  EXPECT_EQ(LookupSetting("Worker_Threads"), &SettingOf(SettingId::kThreads));
}

TEST(Settings, CopyGlobalsFromTakesOnlySessionWideSettings) {
  Settings session;
  session.Set("memory_limit", "1GB");
  session.Set("target_file_rows", "100");
  session.Set("threads", "3");
  Settings scope;
  scope.Set("threads", "2");
  scope.Set("target_file_rows", "7");
  scope.CopyGlobalsFrom(session);
  EXPECT_EQ(scope.memory_limit(), 1000000000);
  EXPECT_EQ(scope.target_file_rows(), 100);
  EXPECT_EQ(scope.threads(), 2);  // kLocal: the scope's own
  session.Reset("memory_limit");
  scope.CopyGlobalsFrom(session);
  EXPECT_FALSE(scope.IsSet(SettingId::kMemoryLimit));
}

}  // namespace
}  // namespace sluice
