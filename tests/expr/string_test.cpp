#include <gtest/gtest.h>

#include "expr_test_util.h"

namespace sluice::testing {
namespace {

TEST(Strings, Basics) {
  EXPECT_EQ(Show(Call("||", {S("ab"), S("cd")})), "abcd");
  EXPECT_EQ(Show(Call("||", {S("ab"), Null()})), "NULL");
  EXPECT_EQ(Show(Call("concat", {S("ab"), Null(), I(3)})), "ab3");
  EXPECT_EQ(Show(Call("length", {S("héllo")})), "5");
  EXPECT_EQ(Show(Call("lower", {S("HeLLo")})), "hello");
  EXPECT_EQ(Show(Call("upper", {S("HeLLo")})), "HELLO");
  EXPECT_EQ(Show(Call("replace", {S("a-b-c"), S("-"), S("+")})), "a+b+c");
  EXPECT_EQ(Show(Call("reverse", {S("héllo")})), "olléh");
  EXPECT_EQ(Show(Call("repeat", {S("ab"), I(3)})), "ababab");
}

TEST(Strings, Substring) {
  EXPECT_EQ(Show(Call("substring", {S("hello"), I(2), I(3)})), "ell");
  EXPECT_EQ(Show(Call("substring", {S("hello"), I(2)})), "ello");
  EXPECT_EQ(Show(Call("substring", {S("hello"), I(0), I(2)})), "h");
  EXPECT_EQ(Show(Call("substring", {S("hello"), I(-3)})), "llo");
  EXPECT_EQ(Show(Call("substr", {S("hello"), I(10)})), "");
  EXPECT_EQ(Show(Call("substring", {S("héllo wörld and more"), I(2), I(12)})), "éllo wörld a");
  EXPECT_EQ(Show(Call("substring", {S("hello"), Null()})), "NULL");
}

TEST(Strings, TrimPadLeftRight) {
  EXPECT_EQ(Show(Call("trim", {S("  a b  ")})), "a b");
  EXPECT_EQ(Show(Call("ltrim", {S("  a  ")})), "a  ");
  EXPECT_EQ(Show(Call("rtrim", {S("  a  ")})), "  a");
  EXPECT_EQ(Show(Call("trim", {S("xxaxx"), S("x")})), "a");
  EXPECT_EQ(Show(Call("lpad", {S("5"), I(3), S("0")})), "005");
  EXPECT_EQ(Show(Call("rpad", {S("ab"), I(5), S("xy")})), "abxyx");
  EXPECT_EQ(Show(Call("lpad", {S("hello"), I(2), S("0")})), "he");
  EXPECT_EQ(Show(Call("left", {S("hello"), I(2)})), "he");
  EXPECT_EQ(Show(Call("right", {S("hello"), I(2)})), "lo");
  EXPECT_EQ(Show(Call("left", {S("hello"), I(-2)})), "hel");
}

TEST(Strings, SearchFunctions) {
  EXPECT_EQ(Show(Call("starts_with", {S("hello"), S("he")})), "true");
  EXPECT_EQ(Show(Call("ends_with", {S("hello"), S("lo")})), "true");
  EXPECT_EQ(Show(Call("contains", {S("hello"), S("ll")})), "true");
  EXPECT_EQ(Show(Call("contains", {S("hello"), S("x")})), "false");
  EXPECT_EQ(Show(Call("strpos", {S("héllo"), S("l")})), "3");
  EXPECT_EQ(Show(Call("position", {S("hello"), S("z")})), "0");
  EXPECT_EQ(Show(Call("split_part", {S("a,b,c"), S(","), I(2)})), "b");
  EXPECT_EQ(Show(Call("split_part", {S("a,b,c"), S(","), I(-1)})), "c");
  EXPECT_EQ(Show(Call("split_part", {S("a,b,c"), S(","), I(5)})), "");
}

TEST(Strings, LongStringsSurviveAsViews) {
  Table t = MakeTable({{"s", TypeId::kVarchar}},
                      {{Value::Varchar("   a fairly long string with padding   "),
                        Value::Null(TypeId::kVarchar), Value::Varchar("short")}});
  auto r = EvalRows(Call("trim", {Col("s")}), t);
  EXPECT_EQ(r[0], Value::Varchar("a fairly long string with padding"));
  EXPECT_TRUE(r[1].is_null());
  EXPECT_EQ(r[2], Value::Varchar("short"));
  r = EvalRows(Call("substring", {Col("s"), I(4), I(20)}), t);
  EXPECT_EQ(r[0], Value::Varchar("a fairly long string"));
}

TEST(Like, Shapes) {
  auto like = [](const std::string& s, const std::string& p) {
    return Show(Call("like", {S(s), S(p)}));
  };
  EXPECT_EQ(like("hello", "hello"), "true");
  EXPECT_EQ(like("hello", "hell"), "false");
  EXPECT_EQ(like("hello", "he%"), "true");
  EXPECT_EQ(like("hello", "%lo"), "true");
  EXPECT_EQ(like("hello", "%ell%"), "true");
  EXPECT_EQ(like("hello", "%elx%"), "false");
  EXPECT_EQ(like("hello", "h_llo"), "true");
  EXPECT_EQ(like("hello", "h_lo"), "false");
  EXPECT_EQ(like("hello", "%"), "true");
  EXPECT_EQ(like("", "%"), "true");
  EXPECT_EQ(like("", "_"), "false");
  EXPECT_EQ(like("héllo", "h_llo"), "true");
  EXPECT_EQ(like("abcabcabd", "%abc%abd"), "true");
  EXPECT_EQ(like("mississippi", "m%iss%ppi"), "true");
  EXPECT_EQ(like("mississippi", "m%iss%ppx"), "false");
}

TEST(Like, EscapeCaseAndNegation) {
  EXPECT_EQ(Show(Call("like", {S("50%"), S("50!%"), S("!")})), "true");
  EXPECT_EQ(Show(Call("like", {S("500"), S("50!%"), S("!")})), "false");
  EXPECT_EQ(Show(Call("like", {S("a_b"), S("a\\_b"), S("\\")})), "true");
  EXPECT_EQ(Show(Call("like", {S("axb"), S("a\\_b"), S("\\")})), "false");
  EXPECT_EQ(Show(Call("ilike", {S("HeLLo"), S("%ell%")})), "true");
  EXPECT_EQ(Show(Call("not like", {S("hello"), S("%ell%")})), "false");
  EXPECT_EQ(Show(Call("not ilike", {S("hello"), S("X%")})), "true");
  EXPECT_EQ(Show(Call("like", {Null(), S("%")})), "NULL");
}

TEST(Like, PatternColumn) {
  Table t =
      MakeTable({{"s", TypeId::kVarchar}, {"p", TypeId::kVarchar}},
                {{Value::Varchar("abc"), Value::Varchar("abc"), Value::Varchar("abc")},
                 {Value::Varchar("a%"), Value::Varchar("%d"), Value::Null(TypeId::kVarchar)}});
  auto r = EvalRows(Call("like", {Col("s"), Col("p")}), t);
  EXPECT_EQ(r[0], Value::Boolean(true));
  EXPECT_EQ(r[1], Value::Boolean(false));
  EXPECT_TRUE(r[2].is_null());
}

TEST(Regexp, MatchesAndReplace) {
  EXPECT_EQ(Show(Call("regexp_matches", {S("abc123"), S("[0-9]+")})), "true");
  EXPECT_EQ(Show(Call("regexp_matches", {S("abc"), S("^b")})), "false");
  EXPECT_EQ(Show(Call("regexp_replace", {S("a1b2"), S("[0-9]"), S("#")})), "a#b2");
  EXPECT_EQ(Show(Call("regexp_replace", {S("a1b2"), S("[0-9]"), S("#"), S("g")})), "a#b#");
  EXPECT_NE(ErrorOf([] {
              Bind(Call("regexp_matches", {S("a"), S("(")}));
            }).find("invalid regular expression"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::testing
