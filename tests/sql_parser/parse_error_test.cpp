#include <gtest/gtest.h>

#include "sql/error_context.h"
#include "sql/parser.h"
#include "test_util.h"

namespace sluice::sql {
namespace {

using testing::ParseErrorText;

TEST(ParseErrorTest, CaretUnderOffendingToken) {
  EXPECT_EQ(ParseErrorText("SELECT FROM t"),
            "syntax error at or near \"FROM\" at line 1, column 8\nSELECT FROM t\n       ^");
  try {
    ParseStatement("SELECT FROM t");
    FAIL();
  } catch (const ParseError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("Parser Error: syntax error", 0), 0u);
  }
}

TEST(ParseErrorTest, MultiLinePositions) {
  EXPECT_EQ(ParseErrorText("select a,\n  b\nfrom t wher x"),
            "syntax error at or near \"x\" at line 3, column 13\nfrom t wher x\n            ^");
  EXPECT_EQ(ParseErrorText("select 1;\nselect (2"),
            "syntax error at end of input at line 2, column 10\nselect (2\n         ^");
}

TEST(ParseErrorTest, OriginalSpellingIsQuoted) {
  EXPECT_EQ(ParseErrorText("select * frum t"),
            "syntax error at or near \"t\" at line 1, column 15\nselect * frum t\n"
            "              ^");
  EXPECT_EQ(ParseErrorText("select 'a' 'b'"),
            "syntax error at or near \"'b'\" at line 1, column 12\nselect 'a' 'b'\n"
            "           ^");
  EXPECT_EQ(ParseErrorText("SELECT a FROM t WHERE"),
            "syntax error at end of input at line 1, column 22\nSELECT a FROM t WHERE\n"
            "                     ^");
  EXPECT_EQ(ParseErrorText("CREATE INDEX i"),
            "syntax error at or near \"INDEX\" at line 1, column 8\nCREATE INDEX i\n"
            "       ^");
}

TEST(ParseErrorTest, TabsAndUnicodeKeepCaretAligned) {
  EXPECT_EQ(ParseErrorText("select\t'é', )"),
            "syntax error at or near \")\" at line 1, column 13\nselect\t'é', )\n"
            "      \t     ^");
}

TEST(ParseErrorTest, FormatErrorWithCaretHelper) {
  EXPECT_EQ(FormatErrorWithCaret("a\nbb c", 2, 4, "column \"c\" not found"),
            "column \"c\" not found at line 2, column 4\nbb c\n   ^");
  // Positions past the end are clamped rather than rejected.
  EXPECT_EQ(FormatErrorWithCaret("ab", 9, 50, "m"), "m at line 9, column 50\nab\n  ^");
  EXPECT_EQ(FormatErrorWithCaret("x\r\ny", 1, 1, "m"), "m at line 1, column 1\nx\n^");
}

TEST(ParseErrorTest, DeepNestingFailsCleanly) {
  std::string deep(5000, '(');
  EXPECT_THROW(ParseExpression(deep + "1"), ParseError);
  std::string minus(5000, '-');
  EXPECT_THROW(ParseExpression(minus + "1"), ParseError);
  std::string nots;
  for (int i = 0; i < 3000; ++i) nots += "not ";
  EXPECT_THROW(ParseExpression(nots + "x"), ParseError);
  std::string subqueries;
  for (int i = 0; i < 1000; ++i) subqueries += "select * from (";
  EXPECT_THROW(ParseScript(subqueries), ParseError);
  // Moderate nesting is fine.
  EXPECT_NO_THROW(ParseExpression(std::string(50, '(') + "1" + std::string(50, ')')));
}

}  // namespace
}  // namespace sluice::sql
