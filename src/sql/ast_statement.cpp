#include "sql/ast_statement.h"

#include <fmt/format.h>

#include "common/strings.h"

namespace sluice::sql {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdentifier(names[i]);
  }
  return out;
}

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

std::string SetClausesToString(const std::vector<SetClause>& clauses) {
  std::string out;
  for (size_t i = 0; i < clauses.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdentifier(clauses[i].target) + " = " + clauses[i].value->ToString();
  }
  return out;
}

std::string OptionsToString(const std::vector<OptionItem>& options) {
  std::vector<std::string> parts;
  for (const OptionItem& option : options) parts.push_back(option.ToString());
  return fmt::format("({})", fmt::join(parts, ", "));
}

}  // namespace

std::string OptionItem::ToString() const {
  std::string out = QuoteIdentifier(name);
  if (is_list) return out + " (" + JoinExprs(values) + ")";
  if (!values.empty()) out += " " + values.front()->ToString();
  return out;
}

std::string SelectStatement::ToString() const { return query->ToString(); }

std::string ColumnDefinition::ToString() const {
  std::string out = QuoteIdentifier(name) + " " + type.ToString();
  if (not_null) out += " NOT NULL";
  if (primary_key) out += " PRIMARY KEY";
  if (unique) out += " UNIQUE";
  if (default_value) out += " DEFAULT " + default_value->ToString();
  if (check) out += " CHECK (" + check->ToString() + ")";
  return out;
}

std::string CreateTableStatement::ToString() const {
  std::string out =
      fmt::format("CREATE {}{}TABLE {}{}", or_replace ? "OR REPLACE " : "",
                  temporary ? "TEMP " : "", if_not_exists ? "IF NOT EXISTS " : "", name.ToString());
  if (!columns.empty()) {
    std::vector<std::string> parts;
    for (const ColumnDefinition& column : columns) parts.push_back(column.ToString());
    for (const ExprPtr& check : checks) parts.push_back("CHECK (" + check->ToString() + ")");
    if (!primary_key.empty()) parts.push_back("PRIMARY KEY (" + JoinNames(primary_key) + ")");
    for (const auto& key : uniques) parts.push_back("UNIQUE (" + JoinNames(key) + ")");
    if (watermark) {
      parts.push_back("WATERMARK FOR " + QuoteIdentifier(watermark_column) + " AS " +
                      watermark->ToString());
    }
    out += fmt::format(" ({})", fmt::join(parts, ", "));
  }
  if (!with_options.empty()) {
    std::vector<std::string> parts;
    for (const TableOption& o : with_options) {
      parts.push_back(QuoteString(o.key) + " = " + QuoteString(o.value));
    }
    out += fmt::format(" WITH ({})", fmt::join(parts, ", "));
  }
  if (!cluster_by.empty()) {
    out += fmt::format(" CLUSTERED BY ({}) INTO {} BUCKETS", JoinNames(cluster_by), num_buckets);
  }
  if (!partition_by.empty()) {
    std::vector<std::string> items;
    for (const auto& item : partition_by) items.push_back(item.ToString());
    out += fmt::format(" PARTITIONED BY ({})", fmt::join(items, ", "));
  }
  if (as_query) out += " AS " + as_query->ToString();
  return out;
}

std::string CreateTableStatement::PartitionItem::ToString() const {
  if (transform == "identity") return QuoteIdentifier(source);
  if (transform == "bucket" || transform == "truncate") {
    return fmt::format("{}({}, {})", transform, param, QuoteIdentifier(source));
  }
  return fmt::format("{}({})", transform, QuoteIdentifier(source));
}

std::string CreateViewStatement::ToString() const {
  std::string out =
      fmt::format("CREATE {}{}{}VIEW {}{}", or_replace ? "OR REPLACE " : "",
                  temporary ? "TEMP " : "", lambda ? "LAMBDA " : "",
                  if_not_exists ? "IF NOT EXISTS " : "", name.ToString());
  if (lambda) {
    return out + fmt::format(" AS BATCH {} SPEED {} ON {}", batch.ToString(), speed.ToString(),
                             QuoteIdentifier(time_column));
  }
  if (!column_aliases.empty()) out += " (" + JoinNames(column_aliases) + ")";
  return out + " AS " + query->ToString();
}

std::string CreateModelStatement::ToString() const {
  std::string out = fmt::format("CREATE {}MODEL {}{} OPTIONS (", or_replace ? "OR REPLACE " : "",
                                if_not_exists ? "IF NOT EXISTS " : "", name.ToString());
  for (size_t i = 0; i < options.size(); i++) {
    out += (i > 0 ? ", " : "") + options[i].first + " = " + options[i].second->ToString();
  }
  return out + ") AS " + query->ToString();
}

std::string CreateSchemaStatement::ToString() const {
  return fmt::format("CREATE SCHEMA {}{}", if_not_exists ? "IF NOT EXISTS " : "", name.ToString());
}

std::string DropStatement::ToString() const {
  const char* type = object_type == ObjectType::kTable  ? "TABLE"
                     : object_type == ObjectType::kView  ? "VIEW"
                     : object_type == ObjectType::kModel ? "MODEL"
                                                         : "SCHEMA";
  return fmt::format("DROP {} {}{}{}", type, if_exists ? "IF EXISTS " : "", name.ToString(),
                     cascade ? " CASCADE" : "");
}

std::string InsertStatement::ToString() const {
  std::string out = "INSERT ";
  if (or_form) out += on_conflict == InsertConflict::kReplace ? "OR REPLACE " : "OR IGNORE ";
  out += "INTO " + table.ToString();
  if (!alias.empty()) out += " AS " + QuoteIdentifier(alias);
  if (by_name) out += " BY NAME";
  if (!columns.empty()) out += " (" + JoinNames(columns) + ")";
  out += " " + (query ? query->ToString() : "DEFAULT VALUES");
  if (!or_form && on_conflict != InsertConflict::kError) {
    out += " ON CONFLICT";
    if (!conflict_columns.empty()) out += " (" + JoinNames(conflict_columns) + ")";
    if (on_conflict == InsertConflict::kNothing) {
      out += " DO NOTHING";
    } else {
      out += " DO UPDATE SET " + SetClausesToString(conflict_set);
      if (conflict_where) out += " WHERE " + conflict_where->ToString();
    }
  }
  if (returning.empty()) return out;
  std::vector<std::string> items;
  for (const auto& item : returning) {
    items.push_back(item.expr->ToString() +
                    (item.alias.empty() ? "" : " AS " + QuoteIdentifier(item.alias)));
  }
  return out + " RETURNING " + Join(items, ", ");
}

std::string AlterTableStatement::ToString() const {
  std::string out = "ALTER TABLE " + std::string(if_exists ? "IF EXISTS " : "") + table.ToString();
  const std::string target = QuoteIdentifier(column_name);
  switch (action) {
    case AlterAction::kAddColumn:
      return out + " ADD COLUMN " + (if_column_exists ? "IF NOT EXISTS " : "") +
             definition.ToString();
    case AlterAction::kDropColumn:
      return out + " DROP COLUMN " + (if_column_exists ? "IF EXISTS " : "") + target;
    case AlterAction::kRenameColumn:
      return out + " RENAME COLUMN " + target + " TO " + QuoteIdentifier(new_name);
    case AlterAction::kRenameTable: return out + " RENAME TO " + QuoteIdentifier(new_name);
    case AlterAction::kAlterType:
      out += " ALTER COLUMN " + target + " TYPE " + type.ToString();
      return expr ? out + " USING " + expr->ToString() : out;
    case AlterAction::kSetDefault:
      return out + " ALTER COLUMN " + target + " SET DEFAULT " + expr->ToString();
    case AlterAction::kDropDefault: return out + " ALTER COLUMN " + target + " DROP DEFAULT";
    case AlterAction::kSetNotNull: return out + " ALTER COLUMN " + target + " SET NOT NULL";
    case AlterAction::kDropNotNull: return out + " ALTER COLUMN " + target + " DROP NOT NULL";
    case AlterAction::kCreateRef: {
      out += ref_create ? (ref_replace ? " CREATE OR REPLACE " : " CREATE ") : " REPLACE ";
      out += ref_is_tag ? "TAG " : "BRANCH ";
      if (if_column_exists) out += "IF NOT EXISTS ";
      out += QuoteIdentifier(ref_name);
      if (expr) out += " AS OF VERSION " + expr->ToString();
      if (retain_ms >= 0) out += " RETAIN " + std::to_string(retain_ms / 60000) + " MINUTES";
      return out;
    }
    case AlterAction::kDropRef:
      return out + (ref_is_tag ? " DROP TAG " : " DROP BRANCH ") +
             (if_column_exists ? "IF EXISTS " : "") + QuoteIdentifier(ref_name);
    case AlterAction::kSetProperties:
    case AlterAction::kUnsetProperties: {
      const bool set = action == AlterAction::kSetProperties;
      out += set ? " SET TBLPROPERTIES (" : " UNSET TBLPROPERTIES ";
      if (!set) out += std::string(if_column_exists ? "IF EXISTS " : "") + "(";
      for (size_t i = 0; i < properties.size(); i++) {
        if (i > 0) out += ", ";
        out += QuoteString(properties[i].first);
        if (set) out += " = " + QuoteString(properties[i].second);
      }
      return out + ")";
    }
    case AlterAction::kAddPartitionField:
      return out + " ADD PARTITION FIELD " + partition_fields.at(0).ToString();
    case AlterAction::kDropPartitionField:
      return out + " DROP PARTITION FIELD " + partition_fields.at(0).ToString();
    case AlterAction::kReplacePartitionField:
      return out + " REPLACE PARTITION FIELD " + partition_fields.at(0).ToString() + " WITH " +
             partition_fields.at(1).ToString();
  }
  return out;
}

std::string CallStatement::ToString() const {
  std::string out = "CALL " + procedure.ToString() + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    if (i < arg_names.size() && !arg_names[i].empty()) out += QuoteIdentifier(arg_names[i]) + " => ";
    out += args[i]->ToString();
  }
  return out + ")";
}

std::string DeleteStatement::ToString() const {
  std::string out = "DELETE FROM " + table.ToString();
  if (!alias.empty()) out += " AS " + QuoteIdentifier(alias);
  if (where) out += " WHERE " + where->ToString();
  return out;
}

std::string UpdateStatement::ToString() const {
  std::string out = "UPDATE " + table.ToString();
  if (!alias.empty()) out += " AS " + QuoteIdentifier(alias);
  out += " SET " + SetClausesToString(set);
  if (from) out += " FROM " + from->ToString();
  if (where) out += " WHERE " + where->ToString();
  return out;
}

std::string MergeAction::ToString() const {
  std::string out = match == MergeMatch::kMatched      ? "WHEN MATCHED"
                    : match == MergeMatch::kNotMatched ? "WHEN NOT MATCHED"
                                                       : "WHEN NOT MATCHED BY SOURCE";
  if (condition) out += " AND " + condition->ToString();
  out += " THEN ";
  switch (type) {
    case MergeActionType::kDelete:
      return out + "DELETE";
    case MergeActionType::kUpdate:
      return out + "UPDATE SET " + (star ? "*" : SetClausesToString(set));
    case MergeActionType::kInsert:
      if (star) return out + "INSERT *";
      out += "INSERT ";
      if (!insert_columns.empty()) out += "(" + JoinNames(insert_columns) + ") ";
      return out + "VALUES (" + JoinExprs(insert_values) + ")";
  }
  return out;
}

std::string MergeStatement::ToString() const {
  std::string out = fmt::format("MERGE INTO {} USING {} ON {}", target->ToString(),
                                source->ToString(), condition->ToString());
  for (const MergeAction& action : actions) out += " " + action.ToString();
  return out;
}

std::string SetStatement::ToString() const { return "SET " + name + " = " + value->ToString(); }

std::string ResetStatement::ToString() const {
  return name == "all" ? "RESET ALL" : "RESET " + name;
}

std::string ShowStatement::ToString() const { return "SHOW " + what; }

std::string DescribeStatement::ToString() const {
  const std::string word = summarize ? "SUMMARIZE " : "DESCRIBE ";
  return word + (query ? query->ToString() : table.ToString());
}

std::string PragmaStatement::ToString() const {
  return args.empty() ? "PRAGMA " + name : "PRAGMA " + name + "(" + JoinExprs(args) + ")";
}

std::string ExplainStatement::ToString() const {
  std::string out = analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ";
  if (!options.empty()) out += OptionsToString(options) + " ";
  return out + statement->ToString();
}

std::string CopyStatement::ToString() const {
  std::string out = "COPY ";
  if (query) {
    out += "(" + query->ToString() + ") TO ";
  } else {
    out += table.ToString();
    if (!columns.empty()) out += " (" + JoinNames(columns) + ")";
    out += is_from ? " FROM " : " TO ";
  }
  out += QuoteString(path);
  if (!options.empty()) out += " " + OptionsToString(options);
  return out;
}

std::string CacheStatement::ToString() const {
  std::string out = "CACHE TABLE " + table.ToString();
  if (query) out += " AS " + query->ToString();
  return out;
}

std::string UncacheStatement::ToString() const {
  return fmt::format("UNCACHE TABLE {}{}", if_exists ? "IF EXISTS " : "", table.ToString());
}

}  // namespace sluice::sql
