#include "api/sql_alter.h"

#include <fmt/format.h>

#include "api/dataframe.h"
#include "api/table_constraints.h"
#include "binder/sql_binder.h"
#include "catalog/bucketing.h"
#include "catalog/warehouse.h"
#include "common/strings.h"
#include "sql/error_context.h"
#include "sql/lexer.h"

namespace sluice {

namespace {

// `sql` (a stored CHECK) with each reference to column `from` naming `to` instead: words
// that are not function names, compared as identifiers are.
std::string RenameInExpression(const std::string& sql, const std::string& from,
                               const std::string& to) {
  const std::vector<sql::Token> tokens = sql::Tokenize(sql);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i + 1 < tokens.size(); i++) {
    const sql::Token& t = tokens[i];
    const bool word =
        t.type == sql::TokenType::kIdentifier || t.type == sql::TokenType::kQuotedIdentifier;
    if (!word || ToLower(t.text) != ToLower(from) || tokens[i + 1].IsOperator("(")) continue;
    out += sql.substr(copied, t.offset - copied);
    out += "\"";
    for (const char c : to) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += "\"";
    copied = t.offset + t.length;
  }
  return out + sql.substr(copied);
}

// One ALTER TABLE statement against the table's current state.
class TableAlteration {
 public:
  TableAlteration(Session& session, SqlBinder& binder, const sql::AlterTableStatement& alter)
      : session_(session), binder_(binder), alter_(alter), name_(Join(alter.table.parts, ".")) {}

  StatementResult Run() {
    if (!session_.IsTable(name_)) {
      if (session_.HasTable(name_)) {
        ThrowCatalog(alter_.table, fmt::format("Can only modify table with ALTER TABLE, but \"{}\" "
                                               "is not a table",
                                               name_));
      }
      if (alter_.if_exists) return Done();
      ThrowCatalog(alter_.table, fmt::format("Table with name {} does not exist!{}", name_,
                                             sql_bind::Suggest(name_, session_.TableNames())));
    }
    store_ = session_.FindStore(name_);
    if (store_ == nullptr) {  // dropped by another thread since
      ThrowCatalog(alter_.table, fmt::format("Table with name {} does not exist!", name_));
    }
    before_ = store_->Current();
    schema_ = before_.schema;
    constraints_ = before_.constraints;
    constraints_.defaults.resize(schema_.size());
    switch (alter_.action) {
      case sql::AlterAction::kAddColumn: return AddColumn();
      case sql::AlterAction::kDropColumn: return DropColumn();
      case sql::AlterAction::kRenameColumn: return RenameColumn();
      case sql::AlterAction::kRenameTable: return RenameTable();
      case sql::AlterAction::kAlterType: return AlterType();
      case sql::AlterAction::kSetDefault:
      case sql::AlterAction::kDropDefault: return ChangeDefault();
      case sql::AlterAction::kSetNotNull:
      case sql::AlterAction::kDropNotNull: return ChangeNotNull();
      case sql::AlterAction::kCreateRef:
      case sql::AlterAction::kDropRef:
      case sql::AlterAction::kSetProperties:
      case sql::AlterAction::kUnsetProperties:
      case sql::AlterAction::kAddPartitionField:
      case sql::AlterAction::kDropPartitionField:
      case sql::AlterAction::kReplacePartitionField:
        return RunAlterIceberg(binder_, alter_, *store_);
    }
    return Done();
  }

 private:
  static StatementResult Done() {
    StatementResult r;
    r.message = "ALTER TABLE";
    return r;
  }

  [[noreturn]] void ThrowCatalog(const sql::AstNode& at, const std::string& message) const {
    throw UserError("Catalog",
                    sql::FormatErrorWithCaret(binder_.script(), at.line, at.column, message));
  }

  // The index of the column ALTER names, or -1 when it has none and IF EXISTS allows that.
  int ColumnIndex(bool if_exists) const {
    const int i = schema_.Find(alter_.column_name);
    if (i >= 0 || if_exists) return i;
    binder_.ThrowBind(alter_.column_at,
                      fmt::format("Table \"{}\" does not have a column with name \"{}\"{}", name_,
                                  alter_.column_name,
                                  sql_bind::Suggest(alter_.column_name, schema_.Names())));
  }

  void CheckNewColumnName(const sql::AstNode& at, const std::string& name) const {
    if (schema_.Find(name) >= 0) {
      ThrowCatalog(at, fmt::format("Column with name {} already exists!", name));
    }
  }

  // The CHECKs of constraints_ that still bind over schema_ (those naming a dropped column
  // go with it).
  std::vector<std::string> ChecksThatBind() const {
    std::vector<std::string> kept;
    for (const auto& check : constraints_.checks) {
      try {
        BindViolation(session_, check, schema_);
        kept.push_back(check);
      } catch (const UserError&) {
        continue;
      }
    }
    return kept;
  }

  TableConstraints Normalized() const {
    TableConstraints out = constraints_;
    if (out.empty() || std::all_of(out.defaults.begin(), out.defaults.end(),
                                   [](const std::string& d) { return d.empty(); })) {
      out.defaults.clear();
    }
    return out;
  }

  // The table's rows rewritten: `exprs` (over the current columns) compute the columns of
  // schema_, committed with constraints_ as one snapshot.
  void Rewrite(const std::vector<ExprPtr>& exprs) {
    std::vector<ExprPtr> aliased;
    for (size_t i = 0; i < exprs.size(); i++) {
      aliased.push_back(Alias(CastTo(exprs[i], schema_.field(i).type), schema_.field(i).name));
    }
    const LogicalPlanPtr table = session_.Table(name_).plan();
    LogicalPlanPtr rows = binder_.At(alter_, [&] { return MakeProject(table, aliased); });
    rows = sql_bind::WithFields(rows, [&](Field& f, size_t i) {
      f.nullable = schema_.field(i).nullable;
      f.qualifier.clear();
    });
    const BucketSpec buckets = KeptBuckets(before_.buckets, UnqualifiedSchema(schema_));
    Guard([&] {
      session_.CreateTable(name_, DataFrame(&session_, rows), /*replace=*/true, buckets,
                           session_.HasTemporary(name_), Normalized());
    });
  }

  // Commits schema_ and constraints_ over the same rows.
  void ChangeSchema() {
    Guard([&] { store_->ChangeSchema(schema_, Normalized()); });
  }

  template <typename F>
  void Guard(F&& f) {
    try {
      f();
    } catch (const InvalidInputError& e) {
      binder_.ThrowBind(alter_, e.message());
    }
  }

  std::vector<ExprPtr> CurrentColumns() const {
    std::vector<ExprPtr> out;
    for (const auto& f : schema_.fields()) out.push_back(Col(f.name));
    return out;
  }

  StatementResult AddColumn() {
    const sql::ColumnDefinition& def = alter_.definition;
    if (schema_.Find(def.name) >= 0) {
      if (alter_.if_column_exists) return Done();
      CheckNewColumnName(def, def.name);
    }
    if (def.not_null || def.check || def.primary_key || def.unique) {
      binder_.ThrowNotImplemented(def, "Adding columns with constraints not yet supported");
    }
    std::vector<ExprPtr> exprs = CurrentColumns();
    schema_.Add(Field{def.name, binder_.TranslateType(def.type), true, ""});
    constraints_.defaults.push_back(def.default_value ? def.default_value->ToString() : "");
    Snapshot after;
    after.schema = schema_;
    after.constraints = constraints_;
    // Existing rows take the new column's default.
    exprs.push_back(binder_.At(def, [&] { return DefaultValueOf(session_, after, schema_.size() - 1); }));
    Rewrite(exprs);
    return Done();
  }

  StatementResult DropColumn() {
    const int i = ColumnIndex(alter_.if_column_exists);
    if (i < 0) return Done();
    if (schema_.size() == 1) {
      ThrowCatalog(alter_.column_at, "Cannot drop column: table only has one column remaining!");
    }
    for (const auto& key : constraints_.keys) {
      for (const auto& column : key.columns) {
        if (ToLower(column) != ToLower(schema_.field(i).name)) continue;
        ThrowCatalog(alter_.column_at,
                     fmt::format("Cannot drop column \"{}\" because there is a {} constraint that "
                                 "depends on it",
                                 alter_.column_name, key.primary ? "PRIMARY KEY" : "UNIQUE"));
      }
    }
    std::vector<ExprPtr> exprs = CurrentColumns();
    exprs.erase(exprs.begin() + i);
    schema_.mutable_fields().erase(schema_.mutable_fields().begin() + i);
    constraints_.defaults.erase(constraints_.defaults.begin() + i);
    constraints_.checks = ChecksThatBind();
    Rewrite(exprs);
    return Done();
  }

  StatementResult RenameColumn() {
    const int i = ColumnIndex(false);
    if (ToLower(alter_.new_name) != ToLower(schema_.field(i).name)) {
      CheckNewColumnName(alter_.column_at, alter_.new_name);
    }
    const std::string before = schema_.field(i).name;
    schema_.mutable_fields()[i].name = alter_.new_name;
    for (auto& check : constraints_.checks) {
      check = RenameInExpression(check, before, alter_.new_name);
    }
    for (auto& key : constraints_.keys) {
      for (auto& column : key.columns) {
        if (EqualsIgnoreCase(column, before)) column = alter_.new_name;
      }
    }
    ChangeSchema();
    return Done();
  }

  StatementResult RenameTable() {
    const std::string target = alter_.table.parts.size() > 1
                                   ? alter_.table.parts[alter_.table.parts.size() - 2] + "." +
                                         alter_.new_name
                                   : alter_.new_name;
    if (session_.HasTable(target)) {
      ThrowCatalog(alter_, fmt::format("Could not rename \"{}\" to \"{}\": another entry with "
                                       "this name already exists!",
                                       name_, alter_.new_name));
    }
    const bool temporary = session_.HasTemporary(name_);
    Guard([&] {
      session_.CreateTable(target, session_.Table(name_), /*replace=*/false, before_.buckets,
                           temporary, before_.constraints);
      session_.Drop(name_);
    });
    return Done();
  }

  StatementResult AlterType() {
    const int i = ColumnIndex(false);
    const LogicalType type = binder_.TranslateType(alter_.type);
    std::vector<ExprPtr> exprs = CurrentColumns();
    if (alter_.expr) {
      const LogicalPlanPtr table = session_.Table(name_).plan();
      BoundRelation relation;
      relation.plan = table;
      relation.schema = table->schema;
      relation.hidden.assign(table->schema.size(), false);
      exprs[i] = binder_.TranslateExpr(*alter_.expr, BindScope{&relation, nullptr});
    }
    schema_.mutable_fields()[i].type = type;
    Rewrite(exprs);
    return Done();
  }

  StatementResult ChangeDefault() {
    const int i = ColumnIndex(false);
    if (alter_.action == sql::AlterAction::kSetDefault) {
      constraints_.defaults[i] = alter_.expr->ToString();
      Snapshot after;
      after.schema = schema_;
      after.constraints = constraints_;
      binder_.At(*alter_.expr, [&] { return DefaultValueOf(session_, after, i); });
    } else {
      constraints_.defaults[i].clear();
    }
    ChangeSchema();
    return Done();
  }

  StatementResult ChangeNotNull() {
    const int i = ColumnIndex(false);
    const bool not_null = alter_.action == sql::AlterAction::kSetNotNull;
    if (not_null) {
      const std::vector<Batch> nulls =
          session_.Table(name_).Filter(IsNull(Col(schema_.field(i).name))).Limit(1).Collect();
      for (const auto& b : nulls) {
        if (b.num_rows() > 0) {
          throw UserError("Constraint", fmt::format("NOT NULL constraint failed: {}.{}",
                                                    alter_.table.parts.back(),
                                                    schema_.field(i).name));
        }
      }
    }
    schema_.mutable_fields()[i].nullable = !not_null;
    ChangeSchema();
    return Done();
  }

  Session& session_;
  SqlBinder& binder_;
  const sql::AlterTableStatement& alter_;
  const std::string name_;
  std::shared_ptr<TableStore> store_;
  Snapshot before_;
  Schema schema_;                 // the table's columns after the change
  TableConstraints constraints_;  // after the change; defaults parallel to schema_
};

}  // namespace

StatementResult RunAlterTable(Session& session, SqlBinder& binder,
                              const sql::AlterTableStatement& alter) {
  return TableAlteration(session, binder, alter).Run();
}

}  // namespace sluice
