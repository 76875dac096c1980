#include "sql/lexer.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace sluice::sql {
namespace {

std::vector<std::string> Texts(std::string_view sql) {
  std::vector<std::string> texts;
  for (const Token& token : Tokenize(sql)) {
    if (token.type != TokenType::kEnd) texts.push_back(token.text);
  }
  return texts;
}

TEST(LexerTest, KeywordsAndIdentifiersAreLowercasedUnlessQuoted) {
  std::vector<Token> tokens = Tokenize("SeLeCt Foo, \"MiXed\"\"Q\" FROM t");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_TRUE(tokens[0].IsKeyword("select"));
  EXPECT_EQ(tokens[1].text, "foo");
  EXPECT_EQ(tokens[3].type, TokenType::kQuotedIdentifier);
  EXPECT_EQ(tokens[3].text, "MiXed\"Q");
  EXPECT_TRUE(tokens[4].IsKeyword("from"));
  EXPECT_EQ(tokens[6].type, TokenType::kEnd);
}

TEST(LexerTest, StringLiteralsUnescapeDoubledQuotes) {
  std::vector<Token> tokens = Tokenize("'it''s' ''");
  EXPECT_EQ(tokens[0].type, TokenType::kString);
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_EQ(tokens[0].length, 7u);
  EXPECT_EQ(tokens[1].text, "");
}

TEST(LexerTest, Numbers) {
  std::vector<Token> tokens = Tokenize("42 1.5 .5 1e10 2.5E-3 7.");
  EXPECT_EQ(tokens[0].type, TokenType::kInteger);
  EXPECT_EQ(tokens[1].type, TokenType::kDecimal);
  EXPECT_EQ(tokens[2].text, ".5");
  EXPECT_EQ(tokens[2].type, TokenType::kDecimal);
  EXPECT_EQ(tokens[3].text, "1e10");
  EXPECT_EQ(tokens[3].type, TokenType::kDecimal);
  EXPECT_EQ(tokens[4].text, "2.5e-3");
  EXPECT_EQ(tokens[5].text, "7.");
}

TEST(LexerTest, Operators) {
  EXPECT_EQ(Texts("a<=b<>c!=d>=e||f::g:=h"),
            (std::vector<std::string>{"a", "<=", "b", "<>", "c", "<>", "d", ">=", "e", "||", "f",
                                      "::", "g", ":=", "h"}));
  EXPECT_EQ(Texts("+-*/%=<>.,();[]"),
            (std::vector<std::string>{"+", "-", "*", "/", "%", "=", "<>", ".", ",", "(", ")", ";",
                                      "[", "]"}));
}

TEST(LexerTest, CommentsAreSkippedAndNest) {
  EXPECT_EQ(Texts("a -- comment\n b /* x /* nested */ y */ c"),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Texts("a--tail"), (std::vector<std::string>{"a"}));
}

TEST(LexerTest, HintCommentAttachesToNextToken) {
  std::vector<Token> tokens = Tokenize("SELECT /*+ BROADCAST(t) */ x /* plain */ y");
  EXPECT_EQ(tokens[1].text, "x");
  EXPECT_EQ(tokens[1].hint, " BROADCAST(t) ");
  EXPECT_EQ(tokens[2].hint, "");
}

TEST(LexerTest, PositionsAreOneBasedLinesAndCodePointColumns) {
  std::vector<Token> tokens = Tokenize("a\n  'é' b");
  EXPECT_EQ(tokens[0].line, 1);
  EXPECT_EQ(tokens[0].column, 1);
  EXPECT_EQ(tokens[1].line, 2);
  EXPECT_EQ(tokens[1].column, 3);
  EXPECT_EQ(tokens[2].column, 7);  // 'é' is three code points wide
  EXPECT_EQ(tokens[3].type, TokenType::kEnd);
  EXPECT_EQ(tokens[3].column, 8);
}

TEST(LexerTest, Errors) {
  EXPECT_THROW(Tokenize("'abc"), ParseError);
  EXPECT_THROW(Tokenize("\"abc"), ParseError);
  EXPECT_THROW(Tokenize("\"\""), ParseError);
  EXPECT_THROW(Tokenize("/* open"), ParseError);
  EXPECT_THROW(Tokenize("a @ b"), ParseError);
  EXPECT_THROW(Tokenize("12abc"), ParseError);
  try {
    Tokenize("select 'abc");
    FAIL();
  } catch (const ParseError& error) {
    EXPECT_EQ(error.message(),
              "unterminated quoted string at line 1, column 8\nselect 'abc\n       ^");
  }
}

}  // namespace
}  // namespace sluice::sql
