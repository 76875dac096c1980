#include "common/json_document.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice {
namespace {

std::string Compact(std::string_view text) {
  JsonNode node;
  JsonParseError error;
  EXPECT_TRUE(ParseJson(text, &node, &error)) << error.message << " at " << error.offset;
  std::string out;
  WriteJson(node, &out);
  return out;
}

TEST(JsonDocument, WritesCompactJsonAsDuckDbPrintsIt) {
  EXPECT_EQ(Compact(R"( { "a" : [1, 2.50, 1e2, -0, "x\ny"], "b": {"c": null} } )"),
            R"({"a":[1,2.5,100.0,0,"x\ny"],"b":{"c":null}})");
  EXPECT_EQ(Compact("[1e21, 1e20, 1.5e-7, 0.000001, 5e-324]"),
            "[1e21,100000000000000000000.0,1.5e-7,0.000001,5e-324]");
  // Integers beyond 64 bits and doubles beyond range keep their text.
  EXPECT_EQ(Compact("[123456789012345678901234, 1e400]"), "[123456789012345678901234,1e400]");
}

TEST(JsonDocument, DecodesEscapesIntoUtf8) {
  JsonNode node;
  JsonParseError error;
  ASSERT_TRUE(ParseJson(R"("\u00e9\ud83d\ude00\/\t")", &node, &error));
  EXPECT_EQ(node.text, "\xC3\xA9\xF0\x9F\x98\x80/\t");
  std::string out;
  WriteJson(node, &out);
  EXPECT_EQ(out, "\"\xC3\xA9\xF0\x9F\x98\x80/\\t\"");
}

TEST(JsonDocument, FirstDuplicateKeyWins) {
  JsonNode node;
  JsonParseError error;
  ASSERT_TRUE(ParseJson(R"({"a": 1, "a": 2})", &node, &error));
  ASSERT_NE(node.Find("a"), nullptr);
  EXPECT_EQ(node.Find("a")->text, "1");
  EXPECT_EQ(node.Find("b"), nullptr);
}

TEST(JsonDocument, RejectsWhatIsNotOneValue) {
  JsonNode node;
  JsonParseError error;
  EXPECT_FALSE(ParseJson("", &node, &error));
  EXPECT_FALSE(ParseJson("{a: 1}", &node, &error));
  EXPECT_EQ(error.offset, 1u);
  EXPECT_FALSE(ParseJson("[1, 2", &node, &error));
  EXPECT_FALSE(ParseJson("{} {}", &node, &error));
  EXPECT_EQ(error.offset, 3u);
  EXPECT_FALSE(ParseJson("01", &node, &error));
  // Deep nesting is an error, not a stack overflow.
  EXPECT_FALSE(ParseJson(std::string(100000, '['), &node, &error));
  EXPECT_EQ(error.message, "nesting too deep");
}

TEST(JsonDocument, ReadsValuesOneAfterAnother) {
  const std::string text = "{\"a\": 1}\n  [2] 3";
  size_t pos = 0;
  JsonNode node;
  JsonParseError error;
  JsonNode array;
  JsonNode number;
  ASSERT_TRUE(ParseJsonValueAt(text, &pos, &node, &error));
  EXPECT_EQ(node.kind, JsonNode::Kind::kObject);
  ASSERT_TRUE(ParseJsonValueAt(text, &pos, &array, &error));
  ASSERT_EQ(array.elements.size(), 1u);
  ASSERT_TRUE(ParseJsonValueAt(text, &pos, &number, &error));
  EXPECT_EQ(number.text, "3");
  EXPECT_EQ(pos, text.size());
}

}  // namespace
}  // namespace sluice
