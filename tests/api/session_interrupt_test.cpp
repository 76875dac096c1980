// Session::Interrupt (Ctrl-C in the shell): it stops the queries running at the time, from
// another thread, with an InterruptError, and leaves the session ready for the next query.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "sql_test_util.h"

namespace sluice {
namespace {

using testing::ResultText;

// Far too many rows to finish within the test's time: only an interrupt ends it.
constexpr const char* kEndlessQuery = "SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3";

// Runs `sql` on a thread and interrupts it from this one until it ends (an interrupt that
// comes before the query has started does not stop it); returns the message of the error
// the query ended with, or empty when it ended without one.
std::string InterruptWhileRunning(Session& session, const std::string& sql) {
  auto query = std::async(std::launch::async, [&]() -> std::string {
    try {
      RunSqlScript(session, sql);
      return "";
    } catch (const InterruptError& e) {
      return e.what();
    }
  });
  do {
    session.Interrupt();
  } while (query.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready);
  return query.get();
}

TEST(SessionInterrupt, StopsTheRunningQueryAndTheSessionGoesOn) {
  Session session(Settings().set_threads(2));
  EXPECT_EQ(InterruptWhileRunning(session, kEndlessQuery),
            "Interrupt Error: the query was interrupted");
  EXPECT_EQ(ResultText(session, "SELECT count(*) FROM range(1000)"), "1000|\n");
}

TEST(SessionInterrupt, StopsASubqueryThatRunsFirst) {
  Session session(Settings().set_threads(2));
  EXPECT_EQ(InterruptWhileRunning(session, std::string("SELECT (") + kEndlessQuery + ") + 1"),
            "Interrupt Error: the query was interrupted");
  EXPECT_EQ(ResultText(session, "SELECT (SELECT 41) + 1"), "42|\n");
}

TEST(SessionInterrupt, DoesNotStopQueriesStartedAfterIt) {
  Session session;
  session.Interrupt();
  EXPECT_EQ(ResultText(session, "SELECT sum(range) FROM range(100)"), "4950|\n");
}

}  // namespace
}  // namespace sluice
