#include "api/cluster_statements.h"

#include <exception>

#include "api/session.h"
#include "common/error.h"
#include "common/strings.h"
#include "shuffle/cluster.h"

namespace sluice {

namespace {

std::string NameOf(const sql::QualifiedName& name) { return Join(name.parts, "."); }

// An error rank 0 met, thrown on the other ranks with the same text.
class RankZeroError : public Error {
 public:
  using Error::Error;
};

// Rank 0 runs a statement by itself: its session forgets the cluster meanwhile.
class WithoutCluster {
 public:
  explicit WithoutCluster(Session& session) : session_(session), cluster_(session.cluster()) {
    session_.set_cluster(nullptr);
  }
  ~WithoutCluster() { session_.set_cluster(cluster_); }
  WithoutCluster(const WithoutCluster&) = delete;
  WithoutCluster& operator=(const WithoutCluster&) = delete;

 private:
  Session& session_;
  Cluster* cluster_;
};

}  // namespace

CatalogChange CatalogChangeOf(const sql::Statement& s, Session& session) {
  using sql::StatementKind;
  switch (s.kind) {
    case StatementKind::kCreateTable: {
      const auto& c = s.As<sql::CreateTableStatement>();
      if (c.temporary) return CatalogChange::kNone;
      return c.as_query ? CatalogChange::kWrite : CatalogChange::kDdl;
    }
    case StatementKind::kCreateView:
      return s.As<sql::CreateViewStatement>().temporary ? CatalogChange::kNone
                                                        : CatalogChange::kDdl;
    case StatementKind::kCreateSchema:
      return CatalogChange::kDdl;
    case StatementKind::kDrop: {
      const auto& d = s.As<sql::DropStatement>();
      if (d.object_type == sql::ObjectType::kSchema) return CatalogChange::kDdl;
      if (d.object_type == sql::ObjectType::kModel) return CatalogChange::kNone;
      return session.HasTemporary(NameOf(d.name)) ? CatalogChange::kNone : CatalogChange::kDdl;
    }
    case StatementKind::kAlterTable:
      return session.HasTemporary(NameOf(s.As<sql::AlterTableStatement>().table))
                 ? CatalogChange::kNone
                 : CatalogChange::kDdl;
    case StatementKind::kCopy:
      return s.As<sql::CopyStatement>().is_from ? CatalogChange::kWrite : CatalogChange::kNone;
    case StatementKind::kInsert:
    case StatementKind::kDelete:
    case StatementKind::kUpdate:
    case StatementKind::kMerge:
    case StatementKind::kCall:
      return CatalogChange::kWrite;
    default:
      return CatalogChange::kNone;
  }
}

StatementResult RunOnCluster(Session& session, CatalogChange change,
                             const std::function<StatementResult()>& run) {
  Cluster* cluster = session.cluster();
  if (cluster == nullptr || change == CatalogChange::kNone || !session.warehouse().persistent()) {
    return run();
  }
  if (change == CatalogChange::kWrite) {
    StatementResult result = run();
    // A write into the warehouse committed before its query returned on any rank.
    cluster->Barrier();
    if (cluster->rank() != 0) session.ReloadCatalog();
    return result;
  }
  // The outcome travels as 'O' + message, or 'E' + the error's text.
  std::string outcome;
  StatementResult result;
  std::exception_ptr error;
  if (cluster->rank() == 0) {
    try {
      WithoutCluster alone(session);
      result = run();
      outcome = "O" + result.message;
    } catch (const std::exception& e) {
      outcome = std::string("E") + e.what();
      error = std::current_exception();
    }
  }
  outcome = cluster->Broadcast(outcome);
  if (cluster->rank() == 0) {
    if (error) std::rethrow_exception(error);
    return result;
  }
  session.ReloadCatalog();
  SLUICE_CHECK(!outcome.empty(), "no outcome of a statement from rank 0");
  if (outcome[0] == 'E') throw RankZeroError(outcome.substr(1));
  StatementResult done;
  done.message = outcome.substr(1);
  return done;
}

}  // namespace sluice
