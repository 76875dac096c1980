#include "api/score_to_redis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "common/strings.h"
#include "online/score_publisher.h"
#include "catalog/commit_lock.h"

namespace sluice {

namespace {

std::string QuoteIdentifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A JSON string literal.
std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int FindColumn(const Schema& schema, const std::string& name) {
  for (size_t i = 0; i < schema.size(); i++) {
    if (EqualsIgnoreCase(schema.field(i).name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::string_view StringAt(const Column& column, size_t row) {
  return column.data<StringView>()[column.is_constant() ? 0 : row].view();
}

// A multiclass row's probabilities (a LIST(STRUCT(label, prob)) in class order) as the
// JSON members ", \"probability\": <top>, \"probabilities\": {class: prob, ...}".
std::string MulticlassProbabilities(const Column& lists, size_t row,
                                    const std::vector<std::string>& class_names) {
  if (lists.IsNull(row)) return ", \"probability\": null, \"probabilities\": null";
  const ListEntry entry = lists.list_entries()[lists.is_constant() ? 0 : row];
  const double* probs = lists.child(0).child(1).data<double>() + entry.offset;
  std::string members;
  double top = -1;
  for (size_t c = 0; c < entry.length && c < class_names.size(); c++) {
    members += fmt::format("{}{}: {}", c == 0 ? "" : ", ", class_names[c], probs[c]);
    top = std::max(top, probs[c]);
  }
  return fmt::format(", \"probability\": {}, \"probabilities\": {{{}}}", top, members);
}

}  // namespace

ScoreToRedisResult ScoreToRedis(Session& session, const ScoreToRedisRequest& request) {
  if (request.table.empty() == request.query.empty()) {
    throw InvalidInputError("ml_score_to_redis: give the input as a table or as a query");
  }
  if (request.expire_seconds < 1) {
    throw InvalidInputError(fmt::format(
        "ml_score_to_redis: expire_seconds must be at least 1, not {} (older versions must stay "
        "readable for the readers that read the pointer before the swap)",
        request.expire_seconds));
  }
  ml::ModelPtr model = session.FindModel(request.model);
  if (model == nullptr) {
    throw InvalidInputError(fmt::format("Model with name {} does not exist!", request.model));
  }
  const online::RedisUrl url = online::RedisUrl::Parse(request.url);
  const std::string input =
      request.table.empty() ? "(" + request.query + ")" : "TABLE " + request.table;
  const std::string predicted = "predicted_" + model->label;
  DataFrame scored = SqlQuery(
      session, fmt::format("SELECT * FROM ML.PREDICT(MODEL {}, {})", QuoteIdentifier(model->name),
                           input));
  const Schema& schema = scored.plan()->schema;
  const std::string key_name = request.key.empty() ? schema.field(0).name : request.key;
  if (FindColumn(schema, key_name) < 0) {
    throw InvalidInputError(
        fmt::format("ml_score_to_redis: the input has no key column {}", key_name));
  }
  const bool classifier = model->kind == ml::Model::Kind::kClassifier;
  std::string select = fmt::format("SELECT CAST({} AS VARCHAR), CAST({} AS VARCHAR)",
                                   QuoteIdentifier(key_name), QuoteIdentifier(predicted));
  const bool multiclass = model->multiclass();
  if (multiclass) {
    select += fmt::format(", {}", QuoteIdentifier(predicted + "_probs"));
  } else if (classifier) {
    select += fmt::format(", CAST({} AS DOUBLE)", QuoteIdentifier(predicted + "_probability"));
  }
  DataFrame rows = SqlQuery(
      session, fmt::format("{} FROM ML.PREDICT(MODEL {}, {})", select,
                           QuoteIdentifier(model->name), input));

  auto client = online::RedisClient::Connect(url);
  ScoreToRedisResult result;
  result.prefix = request.prefix.empty() ? model->name : request.prefix;
  result.model_version = model->version;
  online::ScorePublisher publisher(*client, {result.prefix, request.expire_seconds, 1024});
  result.version = publisher.Begin();
  const std::string model_version = std::to_string(model->version);
  const std::string model_version_json = ", \"model_version\": " + model_version + "}";
  std::vector<std::string> class_names;
  for (const std::string& c : model->classes) class_names.push_back(JsonString(c));
  int64_t row_number = 0;
  session.ExecuteInOrder(*rows.plan(), [&](const Batch& batch) {
    const Column& keys = *batch.column(0);
    const Column& labels = *batch.column(1);
    for (size_t r = 0; r < batch.num_rows(); r++, row_number++) {
      if (keys.IsNull(r)) {
        throw InvalidInputError(fmt::format(
            "ml_score_to_redis: row {} has a NULL key ({}); nothing was published",
            row_number + 1, key_name));
      }
      std::string value = "{\"prediction\": ";
      if (labels.IsNull(r)) {
        value += "null";
      } else if (classifier) {
        value += JsonString(StringAt(labels, r));
      } else {
        value += StringAt(labels, r);
      }
      if (multiclass) {
        value += MulticlassProbabilities(*batch.column(2), r, class_names);
      } else if (classifier) {
        const Column& probabilities = *batch.column(2);
        const size_t at = probabilities.is_constant() ? 0 : r;
        const double p =
            probabilities.IsNull(r) ? std::nan("") : probabilities.data<double>()[at];
        if (std::isnan(p)) {
          value += ", \"probability\": null, \"probabilities\": null";
        } else {
          value += fmt::format(", \"probability\": {}, \"probabilities\": {{{}: {}, {}: {}}}",
                               p, class_names[0], 1 - p, class_names[1], p);
        }
      }
      value += model_version_json;
      publisher.Add(std::string(StringAt(keys, r)), value);
    }
  });
  publisher.Commit({{"model", model->name},
                    {"model_version", model_version},
                    {"created_ms", std::to_string(NowMs())}});
  result.rows = publisher.rows();
  result.expired_keys = publisher.expired_keys();
  return result;
}

Procedure ScoreToRedisProcedure() {
  Procedure p;
  p.name = "ml_score_to_redis";
  p.description =
      "batch scoring: scores the input with ML.PREDICT and publishes every row to Redis as a "
      "new version, swapped in atomically (docs/ml.md)";
  p.parameters = {
      {"model", true, "the model (CREATE MODEL)"},
      {"input", true, "the table or view to score, or a query ('SELECT ...')"},
      {"url", true, "redis://HOST:PORT/DB"},
      {"key", false, "the entity key column (default: the input's first column)"},
      {"prefix", false, "the Redis key prefix (default: the model's name)"},
      {"expire_seconds", false, "how long older versions stay readable after the swap (300)"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    ScoreToRedisRequest request;
    request.model = args.String("model");
    const std::string input = args.String("input");
    const size_t first = std::min(input.find_first_not_of(" \t\r\n"), input.size());
    const std::string head = ToLower(input.substr(first, 7));
    if (head.rfind("select", 0) == 0 || head.rfind("with", 0) == 0 || head.rfind("(", 0) == 0) {
      request.query = input;
    } else {
      request.table = input;
    }
    request.url = args.String("url");
    if (args.Has("key")) request.key = args.String("key");
    if (args.Has("prefix")) request.prefix = args.String("prefix");
    if (args.Has("expire_seconds")) request.expire_seconds = args.Int("expire_seconds");
    const ScoreToRedisResult r = ScoreToRedis(session, request);
    Schema schema;
    schema.Add(Field{"version", LogicalType(TypeId::kBigInt), false, ""});
    schema.Add(Field{"rows", LogicalType(TypeId::kBigInt), false, ""});
    schema.Add(Field{"model_version", LogicalType(TypeId::kBigInt), false, ""});
    schema.Add(Field{"current_key", LogicalType(TypeId::kVarchar), false, ""});
    return MakeRowsResult(schema, {{Value::BigInt(r.version), Value::BigInt(r.rows),
                                    Value::BigInt(r.model_version),
                                    Value::Varchar(r.prefix + ":current")}});
  };
  return p;
}

}  // namespace sluice
