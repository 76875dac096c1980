// ALTER TABLE on an Iceberg table's metadata (Spark's SQL extensions): tags and branches,
// table properties. Each is a commit of the metadata alone.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "api/sql_alter.h"
#include "binder/sql_binder.h"
#include "catalog/file_table_store.h"
#include "catalog/partitioning.h"
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


// The table's partitioning after ADD, DROP or REPLACE PARTITION FIELD (Spark's Iceberg SQL
// extensions): the new spec's fields, in order.
std::vector<PartitionColumn> EvolvedPartitioning(SqlBinder& binder,
                                                 const sql::AlterTableStatement& alter,
                                                 const Snapshot& current) {
  std::vector<PartitionColumn> fields = current.buckets.partition_by;
  if (current.buckets.bucketed()) {
    binder.ThrowBind(alter.partition_fields[0],
                     "a table is either CLUSTERED BY (bucketed) or PARTITIONED BY, not both");
  }
  const PartitionColumn named = CheckedPartitionField(binder, alter.partition_fields[0], current.schema);
  auto it = std::find(fields.begin(), fields.end(), named);
  if (alter.action == sql::AlterAction::kAddPartitionField) {
    if (it != fields.end()) {
      binder.ThrowBind(alter.partition_fields[0],
                       fmt::format("the table is already partitioned by {}",
                                   alter.partition_fields[0].ToString()));
    }
    fields.push_back(named);
    return fields;
  }
  if (it == fields.end()) {
    binder.ThrowBind(alter.partition_fields[0],
                     fmt::format("the table is not partitioned by {}; its partitioning is ({})",
                                 alter.partition_fields[0].ToString(),
                                 DescribePartitioning(fields)));
  }
  if (alter.action == sql::AlterAction::kDropPartitionField) {
    fields.erase(it);
    return fields;
  }
  const PartitionColumn with = CheckedPartitionField(binder, alter.partition_fields[1], current.schema);
  if (std::find(fields.begin(), fields.end(), with) != fields.end()) {
    binder.ThrowBind(alter.partition_fields[1],
                     fmt::format("the table is already partitioned by {}",
                                 alter.partition_fields[1].ToString()));
  }
  *it = with;
  return fields;
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
  std::vector<PartitionColumn> partitioning;
  if (!alter.partition_fields.empty()) {
    partitioning = EvolvedPartitioning(binder, alter, table->Current());
  }
  try {
    table->CommitMetadata([&](iceberg::TableMetadata& m) {
      switch (alter.action) {
        case sql::AlterAction::kAddPartitionField:
        case sql::AlterAction::kDropPartitionField:
        case sql::AlterAction::kReplacePartitionField: {
          const int before = m.default_spec_id;
          Snapshot next = table->Current();
          next.buckets.partition_by = partitioning;
          SetDefaultPartitionSpec(m, next);
          if (m.default_spec_id == before) throw NothingToChange{};
          return;
        }
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

PartitionColumn CheckedPartitionField(SqlBinder& binder,
                                      const sql::CreateTableStatement::PartitionItem& item,
                                      const Schema& schema) {
  PartitionColumn field{item.source, item.transform};
  if (item.transform == "bucket" || item.transform == "truncate") {
    if (item.param < 1 || item.param > std::numeric_limits<int32_t>::max()) {
      binder.ThrowBind(item, fmt::format("{} needs a count in [1, {}], got {}", item.transform,
                                         std::numeric_limits<int32_t>::max(), item.param));
    }
    field.transform = fmt::format("{}[{}]", item.transform, item.param);
  }
  if (const std::string error = PartitionFieldError(schema, field); !error.empty()) {
    binder.ThrowBind(item, error);
  }
  return ResolvePartitioning(schema, {field})[0];
}

}  // namespace sluice
