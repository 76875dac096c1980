// Lambda serving views (CREATE LAMBDA VIEW v AS BATCH b SPEED s ON ts): each query reads the
// batch table's current Iceberg snapshot below the high-water mark recorded in that
// snapshot's summary, and the speed table at and after it. The set_high_water_mark
// procedure records the mark.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/dataframe.h"
#include "api/procedure_registry.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "catalog/file_table_store.h"
#include "catalog/warehouse.h"
#include "common/error.h"
#include "iceberg/table_files.h"
#include "sql/ast_expr.h"
#include "types/date_time.h"

namespace sluice {

namespace {

// The mark's text: FormatTimestamp's, so the snapshot summary reads as a time.
std::optional<int64_t> MarkMicros(const std::string& text) { return ParseTimestamp(text); }

std::string Quoted(const std::string& qualified) {
  const CatalogName name = ParseCatalogName(qualified);
  return sql::QuoteIdentifier(name.schema) + "." + sql::QuoteIdentifier(name.name);
}

}  // namespace

void Session::CreateLambdaView(const std::string& name, const LambdaViewSpec& spec,
                               const std::string& sql, bool replace) {
  const CatalogName catalog_name = ParseCatalogName(name);
  if (HasTable(name)) {
    if (!replace) throw InvalidInputError(fmt::format("table or view \"{}\" already exists", name));
    if (IsTable(name)) throw InvalidInputError(fmt::format("\"{}\" is a table, not a view", name));
  }
  nlohmann::json doc = {{"batch", spec.batch}, {"speed", spec.speed}, {"time", spec.time_column}};
  ViewDefinition view;
  view.sql = sql;
  view.lambda = doc.dump();
  // Bound once now, so a missing table or column or two tables that do not line up is
  // reported by the CREATE.
  LambdaPlan(view, name);
  {
    std::lock_guard lock(temp_views_mutex_);
    cached_.erase(catalog_name.Display());
  }
  warehouse_->CreateView(catalog_name, view);
}

LogicalPlanPtr Session::LambdaPlan(const ViewDefinition& view, const std::string& name) {
  const nlohmann::json doc = nlohmann::json::parse(view.lambda);
  const std::string batch = doc.at("batch").get<std::string>();
  const std::string speed = doc.at("speed").get<std::string>();
  const std::string time = sql::QuoteIdentifier(doc.at("time").get<std::string>());
  const std::optional<std::string> location = IcebergMetadataLocation(batch);
  if (!location) {
    if (!IsTable(batch)) {
      throw InvalidInputError(
          fmt::format("lambda view {}: batch table {} does not exist", name, batch));
    }
    throw InvalidInputError(fmt::format(
        "lambda view {}: batch table {} is not an Iceberg table of the --db warehouse (its "
        "high-water mark lives in its snapshot summary)",
        name, batch));
  }
  // One snapshot of the batch table gives both its rows and its mark, so a commit that adds
  // rows and moves the mark is seen whole or not at all.
  const iceberg::TableMetadata metadata = iceberg::LoadTableMetadata(*location);
  const iceberg::Snapshot* snapshot = metadata.current_snapshot();
  std::optional<int64_t> mark;
  if (snapshot != nullptr) {
    auto it = snapshot->summary.find(kHighWaterMarkKey);
    if (it != snapshot->summary.end()) {
      mark = MarkMicros(it->second);
      if (!mark) {
        throw InvalidInputError(fmt::format("lambda view {}: table {} has a {} that is not a time: '{}'",
                                            name, batch, kHighWaterMarkKey, it->second));
      }
    }
  }
  std::string text;
  if (mark) {
    const std::string at = "TIMESTAMP '" + FormatTimestamp(*mark) + "'";
    text = fmt::format(
        "SELECT * FROM {0} FOR VERSION AS OF {1} WHERE {2} < {3} "
        "UNION ALL SELECT * FROM {4} WHERE {2} >= {3}",
        Quoted(batch), snapshot->snapshot_id, time, at, Quoted(speed));
  } else {
    // No mark yet: the batch layer covers nothing, every row comes from the speed table.
    text = fmt::format("SELECT * FROM {0} WHERE FALSE UNION ALL SELECT * FROM {1} WHERE {2} IS NOT NULL",
                       Quoted(batch), Quoted(speed), time);
  }
  try {
    return SqlQuery(*this, text).plan();
  } catch (const BindError& e) {
    // Named by the view's parts rather than a position in the generated query.
    throw BindError(fmt::format("lambda view {} (BATCH {} SPEED {} ON {}): {}", name, batch,
                                speed, doc.at("time").get<std::string>(), e.message()));
  }
}

Procedure SetHighWaterMarkProcedure() {
  Procedure p;
  p.name = "set_high_water_mark";
  p.description =
      "commits a snapshot of the table, with its rows unchanged, recording the time below which "
      "it is complete (a Lambda view's batch table)";
  p.parameters = {{"table", true, "the table (a table of the --db warehouse)"},
                  {"mark", true, "the time: rows with an earlier time are all in the table"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    const int64_t micros = args.TimeMicros("mark");
    auto table = IcebergTableOf(session, args.String("table"));
    const std::string mark = FormatTimestamp(micros);
    std::unique_ptr<DataWriter> writer =
        table->BeginAppendWithSummary({{kHighWaterMarkKey, mark}});
    writer->Commit();
    return MakeRowsResult(Schema({Field{"high_water_mark", TypeId::kVarchar, true, ""}}),
                          {{Value::Varchar(mark)}});
  };
  return p;
}

}  // namespace sluice
