// Loading a seed as dbt does: the CSV is parsed and typed like agate (seed_csv.h), the texts
// are registered as a temporary all-VARCHAR view and one CAST per column gives the table its
// inferred or configured (column_types) types.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "api/dataframe.h"
#include "api/session.h"
#include "dbt/materialization.h"
#include "dbt/seed_csv.h"
#include "io/memory_table.h"
#include "plan/logical_plan.h"
#include "sql/ast_expr.h"
#include "vector/column.h"

namespace sluice::dbt {

namespace {

std::string ReadSeedFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DbtError("cannot read seed file " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool IsPlainIdentifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// The rows as batches of VARCHAR columns c0..cN (normalized texts, NULLs) and a BIGINT
// column line (the CSV line of each row, to name it in errors).
std::vector<Batch> TextBatches(const SeedCsv& csv, const std::vector<SeedColumnType>& types) {
  std::vector<Batch> batches;
  for (size_t start = 0; start < csv.rows.size(); start += kBatchSize) {
    const size_t n = std::min(kBatchSize, csv.rows.size() - start);
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < csv.names.size(); ++c) {
      auto column = Column::Make(LogicalType(TypeId::kVarchar), n);
      column->set_size(n);
      for (size_t r = 0; r < n; ++r) {
        const auto value = NormalizeSeedValue(types[c].type, csv.rows[start + r][c]);
        if (value) {
          column->data<StringView>()[r] = column->AddString(*value);
        } else {
          column->data<StringView>()[r] = column->AddString("");
          column->SetNull(r);
        }
      }
      columns.push_back(std::move(column));
    }
    auto lines = Column::Make(LogicalType(TypeId::kBigInt), n);
    lines->set_size(n);
    for (size_t r = 0; r < n; ++r) lines->data<int64_t>()[r] = csv.lines[start + r];
    columns.push_back(std::move(lines));
    batches.emplace_back(std::move(columns), n);
  }
  return batches;
}

}  // namespace

std::string Materializer::SeedSelectSql(const Node& node, const std::string& text_view) {
  const std::string delimiter = ConfigString(node, "delimiter", ",");
  if (delimiter.size() != 1) {
    throw DbtError(node.path + ": the seed delimiter must be one character, not '" + delimiter +
                   "'");
  }
  const SeedCsv csv =
      ParseSeedCsv(ReadSeedFile(project_root_ + "/" + node.path), node.path, delimiter[0]);
  // column_types: keys match header names exactly (case-sensitive, as in dbt); keys naming
  // no column are ignored, as dbt does.
  std::map<std::string, std::string> overrides;
  auto it = node.config.find("column_types");
  if (it != node.config.end() && it->second.IsDict()) {
    for (const auto& [k, v] : it->second.AsDict().entries()) overrides[k.Str()] = v.Str();
  }
  std::set<std::string> text_columns;
  for (const auto& [name, type] : overrides) text_columns.insert(name);
  const std::vector<SeedColumnType> types = InferSeedTypes(csv, text_columns);

  // quote_columns (dbt's default: true) keeps header names as written; false writes them
  // unquoted, so they must be plain identifiers.
  bool quote_columns = true;
  auto quote = node.config.find("quote_columns");
  if (quote != node.config.end() && !quote->second.IsNone() && !quote->second.IsUndefined()) {
    if (!quote->second.IsBool()) {
      throw DbtError(node.path + ": quote_columns must be true or false, not '" +
                     quote->second.Str() + "'");
    }
    quote_columns = quote->second.Truthy();
  }
  Schema schema;
  std::string select;
  for (size_t c = 0; c < csv.names.size(); ++c) {
    const std::string& name = csv.names[c];
    if (!quote_columns && !IsPlainIdentifier(name)) {
      throw DbtError(node.path + ": column '" + name +
                     "' is not a plain identifier; set quote_columns: true to keep it");
    }
    schema.Add(Field{"c" + std::to_string(c), LogicalType(TypeId::kVarchar), true, ""});
    auto o = overrides.find(name);
    const std::string type = o != overrides.end() ? o->second : types[c].sql_type;
    select += fmt::format("{}cast(c{} as {}) as {}", c ? ", " : "", c, type,
                          quote_columns ? sql::QuoteIdentifier(name) : name);
  }
  schema.Add(Field{"line", LogicalType(TypeId::kBigInt), true, ""});
  auto table = std::make_shared<MemoryTable>(schema, TextBatches(csv, types));
  {
    session_.RegisterView(text_view, session_.FromPlan(MakeScan(std::move(table))));
  }
  // A value that does not cast to its configured type: name the line and column.
  for (const auto& [name, type] : overrides) {
    for (size_t c = 0; c < csv.names.size(); ++c) {
      if (csv.names[c] != name) continue;
      std::vector<StatementResult> bad;
      try {
        bad =
            Sql(fmt::format("select line, c{0} from {1} where c{0} is not null and "
                            "try_cast(c{0} as {2}) is null order by line limit 1",
                            c, text_view, type));
      } catch (const UserError& e) {
        throw DbtError(fmt::format("{}: column_types: '{}' for column '{}': {}", node.path, type,
                                   name, e.what()));
      }
      if (!bad.empty() && bad.back().has_rows && !bad.back().batches.empty() &&
          bad.back().batches[0].num_rows() > 0) {
        const Batch& row = bad.back().batches[0];
        throw DbtError(fmt::format("{}:{}: column '{}': '{}' is not a {} (column_types)", node.path,
                                   row.column(0)->GetValue(0).ToString(), name,
                                   row.column(1)->GetValue(0).ToString(), type));
      }
    }
  }
  // A projection keeps the scan's order (partitions are concatenated in order).
  return "select " + select + " from " + text_view;
}

}  // namespace sluice::dbt
