// ALTER TABLE on an Iceberg table's metadata (Spark's SQL extensions): tags and branches,
// table properties. Each is a commit of the metadata alone.
#include <fmt/format.h>

#include "api/sql_alter.h"
#include "binder/sql_binder.h"
#include "catalog/file_table_store.h"
#include "sql/error_context.h"

namespace sluice {

namespace {

// Thrown by a change that finds nothing to do (IF [NOT] EXISTS): nothing is committed.
struct NothingToChange {};

const char* RefKind(bool is_tag) { return is_tag ? "Tag" : "Branch"; }

void CreateRef(const sql::AlterTableStatement& alter, std::optional<int64_t> version,
               iceberg::TableMetadata& m) {
  const std::string& name = alter.ref_name;
  auto existing = m.refs.find(name);
  if (existing != m.refs.end()) {
    if (alter.if_column_exists && !alter.ref_replace) throw NothingToChange{};
    if (!alter.ref_replace) {
      throw InvalidInputError(
          fmt::format("{} '{}' already exists", RefKind(existing->second.is_tag), name));
    }
    if (existing->second.is_tag != alter.ref_is_tag) {
      throw InvalidInputError(fmt::format("'{}' is a {}, not a {}", name,
                                          existing->second.is_tag ? "tag" : "branch",
                                          alter.ref_is_tag ? "tag" : "branch"));
    }
  } else if (!alter.ref_create) {
    throw InvalidInputError(fmt::format("{} '{}' does not exist", RefKind(alter.ref_is_tag), name));
  }
  if (name == "main" && alter.ref_is_tag) {
    throw InvalidInputError("'main' is the table's current branch; a tag needs another name");
  }
  iceberg::SnapshotRef ref;
  ref.is_tag = alter.ref_is_tag;
  if (version) {
    if (m.FindSnapshot(*version) == nullptr) {
      throw InvalidInputError(fmt::format("the table has no snapshot {}", *version));
    }
    ref.snapshot_id = *version;
  } else {
    const iceberg::Snapshot* current = m.current_snapshot();
    if (current == nullptr) throw InvalidInputError("the table has no snapshot yet");
    ref.snapshot_id = current->snapshot_id;
  }
  if (alter.retain_ms >= 0) ref.max_ref_age_ms = alter.retain_ms;
  m.refs[name] = ref;
}

void DropRef(const sql::AlterTableStatement& alter, iceberg::TableMetadata& m) {
  const std::string& name = alter.ref_name;
  auto existing = m.refs.find(name);
  if (existing == m.refs.end()) {
    if (alter.if_column_exists) throw NothingToChange{};
    throw InvalidInputError(fmt::format("{} '{}' does not exist", RefKind(alter.ref_is_tag), name));
  }
  if (existing->second.is_tag != alter.ref_is_tag) {
    throw InvalidInputError(fmt::format("'{}' is a {}, not a {}", name,
                                        existing->second.is_tag ? "tag" : "branch",
                                        alter.ref_is_tag ? "tag" : "branch"));
  }
  if (name == "main")
    throw InvalidInputError("cannot drop branch 'main': it is the table's current state");
  m.refs.erase(existing);
}

void ChangeProperties(const sql::AlterTableStatement& alter, iceberg::TableMetadata& m) {
  bool changed = false;
  for (const auto& [key, value] : alter.properties) {
    if (key.starts_with("sluice.")) {
      throw InvalidInputError(
          fmt::format("table property '{}' is Sluice's own and cannot be changed", key));
    }
    if (alter.action == sql::AlterAction::kSetProperties) {
      changed |= m.properties[key] != value;
      m.properties[key] = value;
    } else if (m.properties.erase(key) > 0) {
      changed = true;
    } else if (!alter.if_column_exists) {
      throw InvalidInputError(fmt::format("the table has no property '{}'", key));
    }
  }
  if (!changed) throw NothingToChange{};
}

}  // namespace

StatementResult RunAlterIceberg(SqlBinder& binder, const sql::AlterTableStatement& alter,
                                TableStore& store) {
  auto throw_catalog = [&](const sql::AstNode& at, const std::string& message) [[noreturn]] {
    throw UserError("Catalog",
                    sql::FormatErrorWithCaret(binder.script(), at.line, at.column, message));
  };
  auto* table = dynamic_cast<FileTableStore*>(&store);
  if (table == nullptr) {
    throw_catalog(alter, fmt::format("table {} is not an Iceberg table: tags, branches and table "
                                     "properties need a table of a --db warehouse",
                                     alter.table.ToString()));
  }
  std::optional<int64_t> version;
  if (alter.expr) {
    const Value v = binder.EvaluateConstantExpr(*alter.expr);
    if (v.is_null() || !v.type().IsInteger()) {
      binder.ThrowBind(*alter.expr, "AS OF VERSION takes a snapshot id");
    }
    version = v.GetInt();
  }
  try {
    table->CommitMetadata([&](iceberg::TableMetadata& m) {
      switch (alter.action) {
        case sql::AlterAction::kCreateRef:
          return CreateRef(alter, version, m);
        case sql::AlterAction::kDropRef:
          return DropRef(alter, m);
        default:
          return ChangeProperties(alter, m);
      }
    });
  } catch (const NothingToChange&) {
  } catch (const InvalidInputError& e) {
    const bool at_version = alter.expr && e.message().find("no snapshot") != std::string::npos;
    throw_catalog(at_version ? static_cast<const sql::AstNode&>(*alter.expr) : alter, e.message());
  }
  StatementResult r;
  r.message = "ALTER TABLE";
  return r;
}

}  // namespace sluice
