// The shell's pieces that need no terminal: when typed SQL is complete, what TAB offers, and
// the .mode views of a result.
#include "cli/shell.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/result_format.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "cli/shell_completion.h"

namespace sluice {
namespace {

TEST(ClassifySqlInput, AStatementEndsAtASemicolonOutsideStringsAndComments) {
  EXPECT_EQ(ClassifySqlInput("SELECT 1;\n"), SqlInputState::kComplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 1; SELECT 2;"), SqlInputState::kComplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 1; -- done\n"), SqlInputState::kComplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 40 +\n"), SqlInputState::kIncomplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 1; SELECT 2"), SqlInputState::kIncomplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 'a;\n"), SqlInputState::kIncomplete);
  EXPECT_EQ(ClassifySqlInput("SELECT \"a;\n"), SqlInputState::kIncomplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 1 /* ; \n"), SqlInputState::kIncomplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 'it''s;' ;"), SqlInputState::kComplete);
  EXPECT_EQ(ClassifySqlInput("SELECT 1 -- ;\n"), SqlInputState::kIncomplete);
}

TEST(ClassifySqlInput, NothingToRunInSpacesAndComments) {
  EXPECT_EQ(ClassifySqlInput(""), SqlInputState::kEmpty);
  EXPECT_EQ(ClassifySqlInput("  \n\t\n"), SqlInputState::kEmpty);
  EXPECT_EQ(ClassifySqlInput("-- a note\n/* another */\n"), SqlInputState::kEmpty);
}

TEST(ClassifySqlInput, TextTheLexerRejectsRunsToReportTheError) {
  EXPECT_EQ(ClassifySqlInput("SELECT 1 ? 2\n"), SqlInputState::kComplete);
}

class ShellCompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunSqlScript(session_,
                 "CREATE TABLE lineitem AS SELECT range AS l_orderkey, range AS l_quantity "
                 "FROM range(3); CREATE TABLE orders AS SELECT range AS o_orderkey FROM range(2);");
  }
  std::vector<std::string> Words(const std::string& line) {
    return ShellCompletion::Complete(session_, line).words;
  }
  Session session_;
};

TEST_F(ShellCompletionTest, KeywordsFollowTheCaseTyped) {
  EXPECT_EQ(Words("sel"), std::vector<std::string>({"select"}));
  EXPECT_EQ(Words("SEL"), std::vector<std::string>({"SELECT"}));
  const CompletionCandidates c = ShellCompletion::Complete(session_, "SELECT 1 WHER");
  EXPECT_EQ(c.word_start, 9u);
  EXPECT_EQ(c.words, std::vector<std::string>({"WHERE"}));
  EXPECT_EQ(c.append_when_unique, " ");
}

TEST_F(ShellCompletionTest, TablesAfterFromAndColumnsElsewhere) {
  EXPECT_EQ(Words("SELECT * FROM li"), std::vector<std::string>({"lineitem"}));
  EXPECT_EQ(Words("SELECT * FROM "), std::vector<std::string>({"lineitem", "orders"}));
  EXPECT_EQ(Words("SELECT l_q"), std::vector<std::string>({"l_quantity"}));
  EXPECT_EQ(Words("SELECT lineitem.l_"),
            std::vector<std::string>({"lineitem.l_orderkey", "lineitem.l_quantity"}));
  EXPECT_EQ(Words("SELECT o.o_"), std::vector<std::string>({"o.o_orderkey"}));
  EXPECT_TRUE(Words("SELECT zzz").empty());
}

TEST_F(ShellCompletionTest, DotCommandsAndTheirArguments) {
  EXPECT_EQ(Words(".ti"), std::vector<std::string>({".timer"}));
  EXPECT_EQ(Words(".mode c"), std::vector<std::string>({"csv"}));
  EXPECT_EQ(Words(".mode m"), std::vector<std::string>({"markdown"}));
  EXPECT_EQ(Words(".timer o"), std::vector<std::string>({"off", "on"}));
  EXPECT_EQ(Words(".schema ord"), std::vector<std::string>({"orders"}));
  const CompletionCandidates c = ShellCompletion::Complete(session_, "  .schema ord");
  EXPECT_EQ(c.word_start, 10u);
}

TEST_F(ShellCompletionTest, FilePathsInQuotesAndAfterRead) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("sluice_completion_" + std::to_string(getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "data.csv") << "a\n";
  const std::string base = dir.string() + "/";
  const CompletionCandidates in_quotes =
      ShellCompletion::Complete(session_, "SELECT * FROM '" + base + "da");
  EXPECT_EQ(in_quotes.words, std::vector<std::string>({base + "data.csv"}));
  EXPECT_EQ(in_quotes.append_when_unique, "'");
  EXPECT_EQ(Words(".read " + base + "s"), std::vector<std::string>({base + "sub/"}));
  EXPECT_EQ(Words(".read " + base).size(), 2u);
  fs::remove_all(dir);
}

TEST(ShellOutputFormats, MarkdownLineAndList) {
  Session session;
  const StatementResult r =
      RunSqlScript(session, "SELECT 1 AS n, 'a|b' AS s UNION ALL SELECT 22, NULL ORDER BY n")
          .back();
  EXPECT_EQ(FormatMarkdown(r.schema, r.batches),
            "| n   | s    |\n"
            "| --: | ---- |\n"
            "|   1 | a\\|b |\n"
            "|  22 |      |\n");
  EXPECT_EQ(FormatLines(r.schema, r.batches), "n = 1\ns = a|b\n\nn = 22\ns = \n");
  EXPECT_EQ(FormatList(r.schema, r.batches), "n|s\n1|a|b\n22|\n");
}

}  // namespace
}  // namespace sluice
