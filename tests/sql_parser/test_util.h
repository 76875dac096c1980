#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sql/parser.h"

namespace sluice::sql::testing {

// Canonical text of an expression.
inline std::string ExprText(std::string_view sql) { return ParseExpression(sql)->ToString(); }

// Canonical text of a statement.
inline std::string StatementText(std::string_view sql) { return ParseStatement(sql)->ToString(); }

// The ParseError message for `sql`, or "<no error>".
inline std::string ParseErrorText(std::string_view sql) {
  try {
    ParseScript(sql);
  } catch (const ParseError& error) {
    return error.message();
  }
  return "<no error>";
}

// Checks that ToString output re-parses to the same ToString output.
inline ::testing::AssertionResult RoundTrips(std::string_view sql) {
  std::string first;
  try {
    first = ParseStatement(sql)->ToString();
  } catch (const ParseError& error) {
    return ::testing::AssertionFailure() << "original failed: " << error.what();
  }
  std::string second;
  try {
    second = ParseStatement(first)->ToString();
  } catch (const ParseError& error) {
    return ::testing::AssertionFailure() << "canonical text failed: " << error.what();
  }
  if (first != second) {
    return ::testing::AssertionFailure() << "\nfirst:  " << first << "\nsecond: " << second;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace sluice::sql::testing
