// Procedures that move or expire a table's snapshots: rollback_to_snapshot,
// rollback_to_timestamp, set_current_snapshot, expire_snapshots (Spark's signatures and
// result columns). Each is one commit of the table's metadata.
#include <fmt/format.h>

#include <set>

#include "api/procedure_registry.h"
#include "catalog/commit_lock.h"
#include "catalog/file_table_store.h"
#include "common/error.h"

namespace sluice {

namespace {

namespace ib = iceberg;

Field BigIntField(const char* name) { return Field{name, TypeId::kBigInt, true, ""}; }

const ProcedureParameter kTable{"table", true, "the table (a table of the --db warehouse)"};

// The current snapshot's id as a value (NULL for a table without one).
Value CurrentId(const ib::TableMetadata& m) {
  const ib::Snapshot* s = m.current_snapshot();
  return s != nullptr ? Value::BigInt(s->snapshot_id) : Value::Null(TypeId::kBigInt);
}

// The ids of the current snapshot and its ancestors, newest first.
std::vector<int64_t> Ancestors(const ib::TableMetadata& m) {
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (const ib::Snapshot* s = m.current_snapshot();
       s != nullptr && seen.insert(s->snapshot_id).second;
       s = s->parent_snapshot_id ? m.FindSnapshot(*s->parent_snapshot_id) : nullptr) {
    out.push_back(s->snapshot_id);
  }
  return out;
}

void SetMain(ib::TableMetadata& m, int64_t snapshot_id) {
  ib::SnapshotRef& main = m.refs["main"];
  main.snapshot_id = snapshot_id;
  main.is_tag = false;
}

// Commits main moved by `choose` (which picks the snapshot from the latest metadata) and
// returns Spark's (previous_snapshot_id, current_snapshot_id).
StatementResult MoveMain(Session& session, const ProcedureArgs& args,
                         const std::function<int64_t(const ib::TableMetadata&)>& choose) {
  auto table = IcebergTableOf(session, args.String("table"));
  auto [before, after] =
      table->CommitMetadata([&](ib::TableMetadata& m) { SetMain(m, choose(m)); });
  return MakeRowsResult(
      Schema({BigIntField("previous_snapshot_id"), BigIntField("current_snapshot_id")}),
      {{CurrentId(before.metadata), CurrentId(after.metadata)}});
}

}  // namespace

Procedure RollbackToSnapshotProcedure() {
  Procedure p;
  p.name = "rollback_to_snapshot";
  p.description = "makes an earlier snapshot (an ancestor of the current one) current";
  p.parameters = {kTable, {"snapshot_id", true, "the snapshot"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    const int64_t id = args.Int("snapshot_id");
    return MoveMain(session, args, [&](const ib::TableMetadata& m) {
      if (m.FindSnapshot(id) == nullptr)
        throw InvalidInputError(fmt::format("the table has no snapshot {}", id));
      const std::vector<int64_t> ancestors = Ancestors(m);
      if (std::find(ancestors.begin(), ancestors.end(), id) == ancestors.end()) {
        throw InvalidInputError(
            fmt::format("snapshot {} is not an ancestor of the current snapshot "
                        "(set_current_snapshot makes any snapshot current)",
                        id));
      }
      return id;
    });
  };
  return p;
}

Procedure RollbackToTimestampProcedure() {
  Procedure p;
  p.name = "rollback_to_timestamp";
  p.description = "makes current the last ancestor of the current snapshot committed before a time";
  p.parameters = {kTable, {"timestamp", true, "the time"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    const int64_t time = args.TimeMs("timestamp");
    return MoveMain(session, args, [&](const ib::TableMetadata& m) {
      for (int64_t id : Ancestors(m)) {
        if (m.FindSnapshot(id)->timestamp_ms < time) return id;
      }
      throw InvalidInputError("the table has no snapshot committed before that time");
    });
  };
  return p;
}

Procedure SetCurrentSnapshotProcedure() {
  Procedure p;
  p.name = "set_current_snapshot";
  p.description = "makes a snapshot (by id, or a branch's or tag's) current";
  p.parameters = {
      kTable, {"snapshot_id", false, "the snapshot"}, {"ref", false, "a branch or tag"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    if (args.Has("snapshot_id") == args.Has("ref")) {
      throw InvalidInputError("set_current_snapshot takes either snapshot_id or ref");
    }
    return MoveMain(session, args, [&](const ib::TableMetadata& m) {
      if (args.Has("ref")) {
        const std::string ref = args.String("ref");
        auto it = m.refs.find(ref);
        if (it == m.refs.end())
          throw InvalidInputError(fmt::format("the table has no branch or tag '{}'", ref));
        return it->second.snapshot_id;
      }
      const int64_t id = args.Int("snapshot_id");
      if (m.FindSnapshot(id) == nullptr)
        throw InvalidInputError(fmt::format("the table has no snapshot {}", id));
      return id;
    });
  };
  return p;
}

Procedure ExpireSnapshotsProcedure() {
  Procedure p;
  p.name = "expire_snapshots";
  p.description =
      "removes snapshots older than a time (5 days by default) beyond the newest retain_last "
      "ancestors of the current one, and the files only they needed; branches and tags keep "
      "theirs unless their retention has passed";
  p.parameters = {kTable,
                  {"older_than", false, "snapshots committed before this time expire"},
                  {"retain_last", false, "ancestors of the current snapshot always kept (1)"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    auto table = IcebergTableOf(session, args.String("table"));
    const int64_t now = NowMs();
    const int64_t older_than =
        args.Has("older_than") ? args.TimeMs("older_than") : now - int64_t{5} * 86400000;
    const int64_t retain_last = args.Has("retain_last") ? args.Int("retain_last") : 1;
    if (retain_last < 1)
      throw InvalidInputError("expire_snapshots: retain_last must be at least 1");
    const std::set<std::string> needed_before = table->NeededFiles();
    table->CommitMetadata([&](ib::TableMetadata& m) {
      // Tags and branches whose own retention has passed go first (never main).
      for (auto it = m.refs.begin(); it != m.refs.end();) {
        const ib::Snapshot* s = m.FindSnapshot(it->second.snapshot_id);
        const bool aged = it->first != "main" && it->second.max_ref_age_ms && s != nullptr &&
                          s->timestamp_ms < now - *it->second.max_ref_age_ms;
        it = aged ? m.refs.erase(it) : std::next(it);
      }
      std::set<int64_t> keep;
      for (const auto& [name, ref] : m.refs) keep.insert(ref.snapshot_id);
      const std::vector<int64_t> ancestors = Ancestors(m);
      for (size_t i = 0; i < ancestors.size() && i < static_cast<size_t>(retain_last); i++)
        keep.insert(ancestors[i]);
      std::erase_if(m.snapshots, [&](const ib::Snapshot& s) {
        return !keep.count(s.snapshot_id) && s.timestamp_ms < older_than;
      });
    });
    int64_t data = 0, manifests = 0, lists = 0;
    const std::set<std::string> needed_after = table->NeededFiles();
    for (const auto& file : needed_before) {
      if (needed_after.count(file)) continue;
      const std::string name = file.substr(file.rfind('/') + 1);
      if (file.rfind("data/", 0) == 0) {
        data++;
      } else if (name.rfind("snap-", 0) == 0) {
        lists++;
      } else if (name.ends_with(".avro")) {
        manifests++;
      }
    }
    return MakeRowsResult(Schema({BigIntField("deleted_data_files_count"),
                                  BigIntField("deleted_position_delete_files_count"),
                                  BigIntField("deleted_equality_delete_files_count"),
                                  BigIntField("deleted_manifest_files_count"),
                                  BigIntField("deleted_manifest_lists_count"),
                                  BigIntField("deleted_statistics_files_count")}),
                          {{Value::BigInt(data), Value::BigInt(0), Value::BigInt(0),
                            Value::BigInt(manifests), Value::BigInt(lists), Value::BigInt(0)}});
  };
  return p;
}

}  // namespace sluice
