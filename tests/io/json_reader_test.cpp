#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "io/json_reader.h"
#include "io/json_tokenizer.h"
#include "io/json_writer.h"

namespace sluice {
namespace {

std::string TempFile(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "sluice_json_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

std::vector<std::vector<Value>> ReadAll(const DataSource& source) {
  std::vector<int> columns;
  for (size_t c = 0; c < source.schema().size(); c++) columns.push_back(static_cast<int>(c));
  std::vector<std::vector<Value>> rows;
  for (int s = 0; s < source.num_splits(); s++) {
    auto stream = source.Open(s, columns);
    Batch b;
    while (stream->Next(&b)) {
      for (size_t r = 0; r < b.num_rows(); r++) rows.push_back(b.GetRow(r));
    }
  }
  return rows;
}

TEST(JsonTokenizer, MembersAndNested) {
  std::vector<JsonMember> m;
  JsonSyntaxError e;
  ASSERT_TRUE(ParseJsonLine(R"( {"a": 1, "b\"x": "s\n", "c": [1, {"d": null}], "e": -2.5e3} )",
                            &m, &e));
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].kind, JsonKind::kInteger);
  EXPECT_TRUE(m[1].key_escaped);
  std::string decoded;
  DecodeJsonString(m[1].text, &decoded);
  EXPECT_EQ(decoded, "s\n");
  EXPECT_EQ(m[2].kind, JsonKind::kNested);
  EXPECT_EQ(m[2].text, R"([1, {"d": null}])");
  EXPECT_EQ(m[3].kind, JsonKind::kFloat);
  EXPECT_FALSE(ParseJsonLine(R"({"a": 1,})", &m, &e));
  EXPECT_EQ(e.offset, 8u);
  EXPECT_FALSE(ParseJsonLine(R"({"a": tru})", &m, &e));
  EXPECT_FALSE(ParseJsonLine(R"([1])", &m, &e));
  std::string u;
  DecodeJsonString(R"(\u00e9\ud83d\ude00)", &u);
  EXPECT_EQ(u, "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(JsonSource, InfersTypesAndMissingKeys) {
  const std::string path = TempFile(
      "types.jsonl",
      "{\"i\": 1, \"d\": 1.5, \"b\": true, \"s\": \"x\", \"day\": \"2024-01-02\", "
      "\"ts\": \"2024-01-02 03:04:05\", \"n\": {\"k\": [1,2]}}\n"
      "\n"
      "{\"i\": 2, \"d\": 2, \"b\": false, \"s\": null, \"day\": \"2024-02-29\", "
      "\"ts\": \"2024-01-03\", \"extra\": 7}\n"
      "{\"d\": 3}");
  auto source = JsonSource::Open(path);
  const Schema& s = source->schema();
  ASSERT_EQ(s.size(), 8u);
  EXPECT_EQ(s.field(0).type.id(), TypeId::kBigInt);
  EXPECT_EQ(s.field(1).type.id(), TypeId::kDouble);
  EXPECT_EQ(s.field(2).type.id(), TypeId::kBoolean);
  EXPECT_EQ(s.field(3).type.id(), TypeId::kVarchar);
  EXPECT_EQ(s.field(4).type.id(), TypeId::kDate);
  EXPECT_EQ(s.field(5).type.id(), TypeId::kTimestamp);
  EXPECT_EQ(s.field(6).type.ToString(), "STRUCT(k BIGINT[])");  // objects and arrays typed
  EXPECT_EQ(s.field(7).name, "extra");
  const auto rows = ReadAll(*source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][6].ToString(), "{'k': [1, 2]}");
  EXPECT_TRUE(rows[1][6].is_null());
  EXPECT_TRUE(rows[1][3].is_null());
  EXPECT_EQ(rows[1][1].GetDouble(), 2.0);
  EXPECT_TRUE(rows[2][0].is_null());
  EXPECT_TRUE(rows[0][7].is_null());
  EXPECT_EQ(rows[1][7].GetInt(), 7);
}

TEST(JsonSource, SplitsReadEveryLineOnce) {
  std::string text;
  for (int i = 0; i < 5000; i++) text += "{\"k\": " + std::to_string(i) + ", \"s\": \"v\"}\n";
  const std::string path = TempFile("splits.jsonl", text);
  for (const int64_t split : {7, 64, 1000, 1 << 20}) {
    JsonReadOptions options;
    options.target_split_bytes = split;
    auto source = JsonSource::Open(path, options);
    int64_t sum = 0, count = 0;
    for (const auto& row : ReadAll(*source)) {
      sum += row[0].GetInt();
      count++;
    }
    EXPECT_EQ(count, 5000) << split;
    EXPECT_EQ(sum, 4999 * 5000 / 2) << split;
  }
}

TEST(JsonSource, ErrorsNameFileLineAndColumn) {
  const std::string path = TempFile("bad.jsonl", "{\"a\": 1}\n{\"a\": 2}\n{\"a\" 3}\n");
  try {
    JsonSource::Open(path);
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jsonl' line 3, column 6"), std::string::npos)
        << e.what();
  }
  const std::string conv = TempFile("conv.jsonl", "{\"a\": 1}\n{\"a\": \"x\"}\n");
  JsonReadOptions options;
  Schema schema;
  schema.Add(Field{"a", TypeId::kBigInt, true, ""});
  options.schema = schema;
  auto source = JsonSource::Open(conv, options);
  try {
    ReadAll(*source);
    FAIL();
  } catch (const ConversionError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2, column \"a\""), std::string::npos) << e.what();
  }
}

TEST(JsonWriter, RoundTrip) {
  Schema schema;
  schema.Add(Field{"i", TypeId::kBigInt, true, ""});
  schema.Add(Field{"s", TypeId::kVarchar, true, ""});
  schema.Add(Field{"d", TypeId::kDouble, true, ""});
  auto i = Column::Make(TypeId::kBigInt, 2);
  auto s = Column::Make(TypeId::kVarchar, 2);
  auto d = Column::Make(TypeId::kDouble, 2);
  i->SetValue(0, Value::BigInt(1));
  i->SetValue(1, Value::Null(TypeId::kBigInt));
  s->SetValue(0, Value::Varchar("a \"quoted\"\nline"));
  s->SetValue(1, Value::Varchar("b"));
  d->SetValue(0, Value::Double(2));
  d->SetValue(1, Value::Double(0.5));
  for (auto* c : {i.get(), s.get(), d.get()}) c->set_size(2);
  const auto dir = std::filesystem::temp_directory_path() / "sluice_json_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "out.json").string();
  JsonWriter writer(path, schema);
  writer.Write(Batch({i, s, d}, 2));
  writer.Close();
  auto source = JsonSource::Open(path);
  EXPECT_EQ(source->schema().field(2).type.id(), TypeId::kDouble);
  const auto rows = ReadAll(*source);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1].ToString(), "a \"quoted\"\nline");
  EXPECT_TRUE(rows[1][0].is_null());
  EXPECT_EQ(rows[1][2].GetDouble(), 0.5);
}

}  // namespace
}  // namespace sluice
