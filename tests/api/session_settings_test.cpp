// Session::Set / Reset / ResetAll and their SQL faces (SET, RESET, RESET ALL, SHOW,
// current_setting, duckdb_settings()): the resources behind a setting (memory budget, pool)
// follow it, and RESET goes back to the table's default.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "common/memory.h"
#include "sql_test_util.h"

namespace sluice {
namespace {

using testing::ResultText;

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(4);
  s.set_progress_bar(false);
  return s;
}

// A query that reserves memory (hash aggregate and join), so it fails under a budget of 0.
constexpr const char* kQuery =
    "SELECT count(*) FROM (SELECT range % 100 AS k, count(*) AS n FROM range(20000) GROUP BY 1) a "
    "JOIN range(50) b ON a.k = b.range";

TEST(SessionSettings, ResetMemoryLimitRestoresTheDefaultBudget) {
  Session session(TestSettings());
  EXPECT_EQ(session.memory().limit(), MemoryManager::DefaultLimit());
  RunSqlScript(session, "SET memory_limit = '1GB'");
  EXPECT_EQ(session.memory().limit(), 1000000000);
  RunSqlScript(session, "RESET memory_limit");
  EXPECT_EQ(session.memory().limit(), MemoryManager::DefaultLimit());
  EXPECT_EQ(session.settings().memory_limit(), MemoryManager::DefaultLimit());
  EXPECT_EQ(ResultText(session, kQuery), "50|\n");
  EXPECT_EQ(ResultText(session, "SHOW memory_limit"),
            FormatBytes(MemoryManager::DefaultLimit()) + "|\n");
}

TEST(SessionSettings, ResetAllRestoresDefaultsAndTheResources) {
  Session session(TestSettings());
  RunSqlScript(session,
               "SET memory_limit = '1GB'; SET threads = 1; SET shuffle_partitions = 3; "
               "SET broadcast_threshold = -1");
  EXPECT_EQ(session.pool()->threads(), 1);
  RunSqlScript(session, "RESET ALL");
  const Settings s = session.settings();
  for (const SettingEntry& entry : SettingTable()) EXPECT_FALSE(s.IsSet(entry.id)) << entry.name;
  EXPECT_EQ(session.memory().limit(), MemoryManager::DefaultLimit());
  EXPECT_EQ(session.pool()->threads(), Settings::DefaultThreads());
  EXPECT_EQ(s.shuffle_partitions(), 16);
  EXPECT_EQ(ResultText(session, kQuery), "50|\n");
}

TEST(SessionSettings, ResetInAScopeResetsLocalsThereAndGlobalsInTheSession) {
  Session session(TestSettings());
  {
    Session::SettingsScope scope(session);
    RunSqlScript(session, "SET shuffle_partitions = 3; SET memory_limit = '1GB'");
    EXPECT_EQ(session.settings().shuffle_partitions(), 3);
    RunSqlScript(session, "RESET shuffle_partitions");
    EXPECT_EQ(session.settings().shuffle_partitions(), 16);  // the table's default
    EXPECT_EQ(session.memory().limit(), 1000000000);
    RunSqlScript(session, "RESET memory_limit");
    EXPECT_EQ(session.memory().limit(), MemoryManager::DefaultLimit());
  }
  EXPECT_EQ(session.settings().shuffle_partitions(), 4);  // the session's, untouched
  EXPECT_FALSE(session.settings().IsSet(SettingId::kMemoryLimit));
}

TEST(SessionSettings, SetRefusesBadValuesWithThePosition) {
  Session session(TestSettings());
  try {
    RunSqlScript(session, "SELECT 1;\nSET threads = 0");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("threads must be between 1 and 1024"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("line 2, column 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(session.settings().threads(), 2);
  EXPECT_THROW(RunSqlScript(session, "RESET no_such_setting"), UserError);
  EXPECT_THROW(session.Reset("no_such_setting"), InvalidInputError);
}

TEST(SessionSettings, SqlReadsEverySettingFromTheTable) {
  Session session(TestSettings());
  EXPECT_EQ(ResultText(session, "SELECT count(*) FROM duckdb_settings()"),
            fmt::format("{}|\n", kSettingCount));
  EXPECT_EQ(ResultText(session, "SELECT count(*) FROM sluice_settings()"),
            fmt::format("{}|\n", kSettingCount));
  for (const SettingEntry& entry : SettingTable()) {
    const std::string shown = session.settings().Get(entry.name);
    EXPECT_EQ(ResultText(session, "SHOW " + entry.name), shown + "|\n");
    EXPECT_EQ(ResultText(session, fmt::format("SELECT value, input_type, scope FROM "
                                              "duckdb_settings() WHERE name = '{}'",
                                              entry.name)),
              fmt::format("{}|{}|{}|\n", shown, SettingTypeName(entry.type),
                          SettingScopeName(entry.scope)));
    EXPECT_EQ(ResultText(session,
                         fmt::format("SELECT CAST(current_setting('{}') AS VARCHAR)", entry.name)),
              // A DOUBLE setting's value cast to VARCHAR reads as a DOUBLE (5 -> 5.0).
              (entry.type == SettingType::kDouble && shown.find_first_of(".e") == std::string::npos
                   ? shown + ".0"
                   : shown) +
                  "|\n");
  }
}

}  // namespace
}  // namespace sluice
