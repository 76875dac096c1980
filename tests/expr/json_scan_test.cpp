// The JSON functions' one-pass scanner (expr/json_scan.h) against the tree parser
// (common/json_document.h) on valid JSON and random mutations of it: both agree on what is
// JSON, and the span a path locates is the value a tree walk finds.
#include "expr/json_scan.h"

#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/json_document.h"

namespace sluice {
namespace {

// The reference: the path walked over the parsed tree.
const JsonNode* Walk(const JsonNode& root, const JsonPath& path) {
  const JsonNode* node = &root;
  for (const JsonPathStep& step : path.steps()) {
    if (step.kind != JsonPathStep::Kind::kIndex && node->kind == JsonNode::Kind::kObject) {
      node = node->Find(step.key);
    } else if (step.kind == JsonPathStep::Kind::kKey || node->kind != JsonNode::Kind::kArray) {
      return nullptr;
    } else {
      int64_t index = step.index;
      if (step.kind == JsonPathStep::Kind::kPointer) {
        auto r = std::from_chars(step.key.data(), step.key.data() + step.key.size(), index);
        if (step.key.empty() || r.ec != std::errc() || r.ptr != step.key.data() + step.key.size()) {
          return nullptr;
        }
      }
      const auto size = static_cast<int64_t>(node->elements.size());
      if (index < 0) index += size;
      if (index < 0 || index >= size) return nullptr;
      node = &node->elements[static_cast<size_t>(index)];
    }
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string Compact(const JsonNode& node) {
  std::string out;
  WriteJson(node, &out);
  return out;
}

const std::vector<std::string> kSeeds = {
    R"({"a": [1, {"b": "x\ny"}, -2.5e3], "a": 0, "c": {"d": [true, false, null]}})",
    R"([{"a": 1}, [2, 3], "s\u00e9", {"a": {"b": [0, 1, 2]}}])",
    R"(  {"k\"ey": {"": [[], {}]}, "n": 12345678901234567890123} )",
    R"("just a string")",
    "[0, -0, 1e400, 0.000001, 1E+2]",
};

const std::vector<std::string> kPaths = {"",     "$.a",      "$[0]", "$[#-1]",       "$.a[1].b",
                                         "/0/a", "$.c.d[2]", "a",    "$[3].a.b[-1]", "$.\"n\"",
                                         "/k\"ey//0"};

std::string Mutate(std::string text, std::mt19937& rng) {
  static const char kSpecial[] = {'{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '1', 'e',
                                  '-', '.', 'n', 't', 'u', '\0'};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; e++) {
    const size_t pos = text.empty() ? 0 : rng() % text.size();
    const char c = kSpecial[rng() % sizeof(kSpecial)];
    switch (rng() % 3) {
      case 0: text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
      case 1: if (!text.empty()) text.erase(pos, 1); break;
      default: if (!text.empty()) text[pos] = c;
    }
  }
  return text;
}

void CheckAgreement(const std::string& text) {
  JsonNode tree;
  JsonParseError error;
  const bool valid = ParseJson(text, &tree, &error);
  ASSERT_EQ(IsValidJson(text), valid) << text;
  for (const std::string& p : kPaths) {
    const JsonPath path = JsonPath::Parse(p);
    if (!valid) {
      EXPECT_THROW(LocateJsonPath(text, path), InvalidInputError) << text;
      continue;
    }
    const std::optional<std::string_view> found = LocateJsonPath(text, path);
    const JsonNode* want = Walk(tree, path);
    ASSERT_EQ(found.has_value(), want != nullptr) << text << " path " << p;
    if (!found) continue;
    JsonNode got;
    ASSERT_TRUE(ParseJson(*found, &got, &error)) << *found;
    EXPECT_EQ(Compact(got), Compact(*want)) << text << " path " << p;
  }
  if (valid) {
    // The compact form is JSON and a fixed point.
    JsonNode again;
    ASSERT_TRUE(ParseJson(Compact(tree), &again, &error)) << Compact(tree);
    EXPECT_EQ(Compact(again), Compact(tree));
  }
}

TEST(JsonScanTest, SeedsAgreeWithTheTree) {
  for (const std::string& seed : kSeeds) CheckAgreement(seed);
}

TEST(JsonScanTest, MutationsAgreeWithTheTree) {
  std::mt19937 rng(20261206);
  for (int i = 0; i < 20000; i++) {
    CheckAgreement(Mutate(kSeeds[static_cast<size_t>(i) % kSeeds.size()], rng));
  }
}

TEST(JsonScanTest, DuplicateKeysAndNegativeIndexes) {
  const std::string text = R"({"a": [1, 2, 3], "a": 9})";
  EXPECT_EQ(LocateJsonPath(text, JsonPath::Parse("$.a[#-1]")), "3");
  EXPECT_EQ(LocateJsonPath(text, JsonPath::Parse("$.a[-3]")), "1");
  EXPECT_EQ(LocateJsonPath(text, JsonPath::Parse("$.a[-4]")), std::nullopt);
  EXPECT_EQ(LocateJsonPath(text, JsonPath::Parse("/a/1")), "2");
  EXPECT_THROW(JsonPath::Parse("$x"), InvalidInputError);
  EXPECT_THROW(JsonPath::Parse("$.a[#1]"), InvalidInputError);
}

}  // namespace
}  // namespace sluice
