#include "plan/logical_plan.h"

#include <fmt/format.h>

#include "common/error.h"
#include "plan/asof_condition.h"
#include "common/strings.h"
#include "expr/binder.h"

namespace sluice {

const char* JoinKindName(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner: return "inner";
    case JoinKind::kLeft: return "left";
    case JoinKind::kRight: return "right";
    case JoinKind::kFull: return "full";
    case JoinKind::kSemi: return "semi";
    case JoinKind::kAnti: return "anti";
    case JoinKind::kCross: return "cross";
    case JoinKind::kAsof: return "asof";
    case JoinKind::kAsofLeft: return "asof_left";
  }
  return "?";
}

JoinKind ParseJoinKind(const std::string& how) {
  const std::string h = ToLower(how);
  if (h == "inner") return JoinKind::kInner;
  if (h == "left" || h == "left_outer" || h == "leftouter") return JoinKind::kLeft;
  if (h == "right" || h == "right_outer" || h == "rightouter") return JoinKind::kRight;
  if (h == "full" || h == "outer" || h == "full_outer" || h == "fullouter") return JoinKind::kFull;
  if (h == "semi" || h == "left_semi" || h == "leftsemi") return JoinKind::kSemi;
  if (h == "anti" || h == "left_anti" || h == "leftanti") return JoinKind::kAnti;
  if (h == "cross") return JoinKind::kCross;
  if (h == "asof") return JoinKind::kAsof;
  if (h == "asof_left" || h == "asof_left_outer") return JoinKind::kAsofLeft;
  throw InvalidInputError(fmt::format(
      "unknown join type '{}'{}", how,
      DidYouMean(h, {"inner", "left", "right", "full", "semi", "anti", "cross", "asof",
                     "asof_left"})));
}

namespace {

std::shared_ptr<LogicalPlan> NewNode(LogicalKind kind, std::vector<LogicalPlanPtr> children) {
  auto node = std::make_shared<LogicalPlan>();
  node->kind = kind;
  node->children = std::move(children);
  return node;
}

Field FieldOf(const Expr& bound) {
  Field f;
  f.name = bound.OutputName();
  f.type = bound.type;
  if (bound.kind == ExprKind::kColumnRef && bound.alias.empty()) f.qualifier = bound.qualifier;
  return f;
}

}  // namespace

LogicalPlanPtr MakeScan(std::shared_ptr<const DataSource> source) {
  auto node = NewNode(LogicalKind::kScan, {});
  node->schema = source->schema();
  for (size_t i = 0; i < node->schema.size(); i++) node->scan_columns.push_back(static_cast<int>(i));
  node->source = std::move(source);
  return node;
}

LogicalPlanPtr MakeValues(Schema schema, std::vector<Batch> batches) {
  auto node = NewNode(LogicalKind::kValues, {});
  node->schema = std::move(schema);
  node->rows = std::make_shared<const std::vector<Batch>>(std::move(batches));
  return node;
}

LogicalPlanPtr MakeFilter(LogicalPlanPtr child, const ExprPtr& predicate) {
  auto node = NewNode(LogicalKind::kFilter, {child});
  node->predicate = BindExpression(predicate, child->schema);
  if (node->predicate->type.id() != TypeId::kBoolean &&
      node->predicate->type.id() != TypeId::kNull) {
    throw BindError(fmt::format("filter condition {} must be BOOLEAN, not {}",
                                node->predicate->ToString(), node->predicate->type.ToString()));
  }
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeProject(LogicalPlanPtr child, const std::vector<ExprPtr>& exprs) {
  auto node = NewNode(LogicalKind::kProject, {child});
  for (const auto& e : exprs) {
    if (e->kind == ExprKind::kStar) {
      for (size_t i = 0; i < child->schema.size(); i++) {
        const Field& f = child->schema.field(i);
        auto ref = BindExpression(Col(f.name, f.qualifier), child->schema);
        node->exprs.push_back(ref);
        node->schema.Add(f);
      }
      continue;
    }
    auto bound = BindExpression(e, child->schema);
    node->schema.Add(FieldOf(*bound));
    node->exprs.push_back(std::move(bound));
  }
  return node;
}

LogicalPlanPtr MakeAggregate(LogicalPlanPtr child, const std::vector<ExprPtr>& groups,
                             const std::vector<ExprPtr>& aggregates) {
  auto node = NewNode(LogicalKind::kAggregate, {child});
  for (const auto& g : groups) {
    auto bound = BindExpression(g, child->schema);
    node->schema.Add(FieldOf(*bound));
    node->exprs.push_back(std::move(bound));
  }
  for (const auto& a : aggregates) {
    auto bound = BindExpression(a, child->schema);
    if (bound->kind != ExprKind::kAggregate) {
      throw BindError(fmt::format("{} is not an aggregate function call (use sum(), count(), ...)",
                                  bound->ToString()));
    }
    node->schema.Add(FieldOf(*bound));
    node->aggregates.push_back(std::move(bound));
  }
  return node;
}

LogicalPlanPtr MakeJoin(LogicalPlanPtr left, LogicalPlanPtr right, JoinKind kind,
                        const ExprPtr& condition) {
  auto node = NewNode(LogicalKind::kJoin, {left, right});
  node->join_kind = kind;
  Schema combined = left->schema;
  for (const auto& f : right->schema.fields()) combined.Add(f);
  if (condition) {
    node->predicate = BindExpression(condition, combined);
    if (node->predicate->type.id() != TypeId::kBoolean) {
      throw BindError(fmt::format("join condition {} must be BOOLEAN, not {}",
                                  node->predicate->ToString(), node->predicate->type.ToString()));
    }
  } else if (kind != JoinKind::kCross && kind != JoinKind::kInner) {
    throw BindError(fmt::format("a {} join needs a join condition", JoinKindName(kind)));
  }
  if (kind == JoinKind::kAsof || kind == JoinKind::kAsofLeft) {
    SplitAsofCondition(node->predicate, static_cast<int>(left->schema.size()));  // validates
  }
  if (kind == JoinKind::kSemi || kind == JoinKind::kAnti) {
    node->schema = left->schema;
  } else {
    node->schema = combined;
    auto& fields = node->schema.mutable_fields();
    const size_t nleft = left->schema.size();
    for (size_t i = 0; i < fields.size(); i++) {
      const bool left_side = i < nleft;
      if ((left_side && (kind == JoinKind::kRight || kind == JoinKind::kFull)) ||
          (!left_side && (kind == JoinKind::kLeft || kind == JoinKind::kFull ||
                          kind == JoinKind::kAsofLeft))) {
        fields[i].nullable = true;
      }
    }
  }
  return node;
}

LogicalPlanPtr MakeSort(LogicalPlanPtr child, std::vector<SortSpec> keys) {
  auto node = NewNode(LogicalKind::kSort, {child});
  for (auto& k : keys) k.expr = BindExpression(k.expr, child->schema);
  node->sort_keys = std::move(keys);
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeLimit(LogicalPlanPtr child, int64_t limit, int64_t offset) {
  if (limit < -1 || offset < 0) throw InvalidInputError("LIMIT and OFFSET must not be negative");
  auto node = NewNode(LogicalKind::kLimit, {child});
  node->limit = limit;
  node->offset = offset;
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeUnion(LogicalPlanPtr left, LogicalPlanPtr right) {
  if (left->schema.size() != right->schema.size()) {
    throw BindError(fmt::format("UNION needs the same number of columns on both sides ({} vs {})",
                                left->schema.size(), right->schema.size()));
  }
  bool cast_left = false, cast_right = false;
  Schema schema;
  for (size_t i = 0; i < left->schema.size(); i++) {
    const Field& lf = left->schema.field(i);
    const Field& rf = right->schema.field(i);
    const LogicalType common = CommonSuperType(lf.type, rf.type);
    cast_left |= !(common == lf.type);
    cast_right |= !(common == rf.type);
    Field f{lf.name, common, lf.nullable || rf.nullable, ""};
    schema.Add(f);
  }
  // Cast by position: bind each cast to the column index directly, since names may repeat.
  auto cast_side = [](LogicalPlanPtr side, const Schema& target) {
    auto node = NewNode(LogicalKind::kProject, {side});
    for (size_t i = 0; i < side->schema.size(); i++) {
      ExprPtr ref = BoundColumnRef(side->schema, static_cast<int>(i));
      ExprPtr e = CastIfNeeded(ref, target.field(i).type);
      node->exprs.push_back(e);
      node->schema.Add(Field{target.field(i).name, target.field(i).type, true, ""});
    }
    return LogicalPlanPtr(node);
  };
  if (cast_left) left = cast_side(left, schema);
  if (cast_right) right = cast_side(right, schema);
  auto node = NewNode(LogicalKind::kUnion, {left, right});
  node->schema = schema;
  return node;
}

LogicalPlanPtr MakeDistinct(LogicalPlanPtr child) {
  auto node = NewNode(LogicalKind::kDistinct, {child});
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeRepartition(LogicalPlanPtr child, int num_partitions,
                               const std::vector<ExprPtr>& keys) {
  if (num_partitions < 1) throw InvalidInputError("repartition needs at least 1 partition");
  auto node = NewNode(LogicalKind::kRepartition, {child});
  node->num_partitions = num_partitions;
  for (const auto& k : keys) node->exprs.push_back(BindExpression(k, child->schema));
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeCoalesce(LogicalPlanPtr child, int num_partitions) {
  if (num_partitions < 1) throw InvalidInputError("coalesce needs at least 1 partition");
  auto node = NewNode(LogicalKind::kCoalesce, {child});
  node->num_partitions = num_partitions;
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeCache(LogicalPlanPtr child) {
  auto node = NewNode(LogicalKind::kCache, {child});
  node->cache = std::make_shared<CacheStore>();
  node->schema = child->schema;
  return node;
}

LogicalPlanPtr MakeMapBatches(LogicalPlanPtr child, Schema schema,
                              std::shared_ptr<const BatchMapper> mapper) {
  if (!mapper || !mapper->map == !mapper->map_partition) {
    throw InvalidInputError("MapBatches needs one function: per batch or per partition");
  }
  auto node = NewNode(LogicalKind::kMapBatches, {std::move(child)});
  node->schema = std::move(schema);
  node->mapper = std::move(mapper);
  return node;
}

LogicalPlanPtr MakeUnnest(LogicalPlanPtr child, const std::vector<ExprPtr>& lists) {
  auto node = NewNode(LogicalKind::kUnnest, {child});
  node->schema = child->schema;
  for (const auto& l : lists) {
    auto bound = BindExpression(l, child->schema);
    if (bound->type.id() == TypeId::kNull) {
      bound = CastIfNeeded(bound, LogicalType::List(TypeId::kNull));
    }
    if (bound->type.id() != TypeId::kList) {
      throw BindError(fmt::format("UNNEST requires a LIST argument, not {} ({})",
                                  bound->type.ToString(), l->ToString()));
    }
    Field f = FieldOf(*bound);
    f.type = bound->type.ListChild();
    f.nullable = true;
    node->schema.Add(f);
    node->exprs.push_back(std::move(bound));
  }
  return node;
}

LogicalPlanPtr MakeWindow(LogicalPlanPtr child, const std::vector<ExprPtr>& window_exprs) {
  auto node = NewNode(LogicalKind::kWindow, {child});
  node->schema = child->schema;
  for (const auto& w : window_exprs) {
    auto bound = BindExpression(w, child->schema);
    if (bound->kind != ExprKind::kWindow) {
      throw BindError(fmt::format("{} is not a window function call", bound->ToString()));
    }
    Field f = FieldOf(*bound);
    f.nullable = true;
    node->schema.Add(f);
    node->exprs.push_back(std::move(bound));
  }
  return node;
}

std::string LogicalPlan::ToString(int indent) const {
  std::string pad(indent * 2, ' ');
  std::string line;
  auto list = [](const std::vector<ExprPtr>& exprs) {
    std::vector<std::string> parts;
    for (const auto& e : exprs) parts.push_back(e->ToString());
    return Join(parts, ", ");
  };
  switch (kind) {
    case LogicalKind::kScan: line = "Scan " + source->Describe(); break;
    case LogicalKind::kValues: line = "Values"; break;
    case LogicalKind::kFilter: line = "Filter " + predicate->ToString(); break;
    case LogicalKind::kProject: line = "Project " + list(exprs); break;
    case LogicalKind::kAggregate:
      line = "Aggregate groups=[" + list(exprs) + "] aggregates=[" + list(aggregates) + "]";
      break;
    case LogicalKind::kJoin:
      line = fmt::format("Join {} {}", JoinKindName(join_kind),
                         predicate ? predicate->ToString() : "");
      break;
    case LogicalKind::kSort: line = "Sort"; break;
    case LogicalKind::kLimit: line = fmt::format("Limit {} offset {}", limit, offset); break;
    case LogicalKind::kUnion: line = "Union all"; break;
    case LogicalKind::kDistinct: line = "Distinct"; break;
    case LogicalKind::kRepartition:
      line = fmt::format("Repartition {} [{}]", num_partitions, list(exprs));
      break;
    case LogicalKind::kCoalesce: line = fmt::format("Coalesce {}", num_partitions); break;
    case LogicalKind::kCache: line = "Cache"; break;
    case LogicalKind::kWindow: line = "Window " + list(exprs); break;
    case LogicalKind::kUnnest: line = "Unnest " + list(exprs); break;
    case LogicalKind::kWrite: line = "Write " + target->Describe(); break;
    case LogicalKind::kMapBatches: line = "MapBatches " + mapper->name; break;
  }
  std::string out = pad + line + "\n";
  for (const auto& c : children) out += c->ToString(indent + 1);
  return out;
}

LogicalPlanPtr WithSkewKey(const LogicalPlanPtr& plan, const std::string& key, int buckets) {
  auto tagged = std::make_shared<LogicalPlan>(*plan);
  tagged->skew_key = key;
  tagged->skew_buckets = buckets;
  if ((tagged->kind == LogicalKind::kFilter || tagged->kind == LogicalKind::kProject) &&
      !tagged->children.empty()) {
    tagged->children[0] = WithSkewKey(tagged->children[0], key, buckets);
  }
  return tagged;
}

LogicalPlanPtr WithJoinHint(const LogicalPlanPtr& plan, const std::string& hint) {
  auto tagged = std::make_shared<LogicalPlan>(*plan);
  tagged->join_hint = hint;
  if ((tagged->kind == LogicalKind::kFilter || tagged->kind == LogicalKind::kProject) &&
      !tagged->children.empty()) {
    tagged->children[0] = WithJoinHint(tagged->children[0], hint);
  }
  return tagged;
}

LogicalPlanPtr MakeWrite(LogicalPlanPtr child, std::shared_ptr<const DataTarget> target) {
  auto n = std::make_shared<LogicalPlan>();
  n->kind = LogicalKind::kWrite;
  n->schema = Schema({Field{"count", LogicalType(TypeId::kBigInt), false, ""}});
  n->target = std::move(target);
  n->children.push_back(std::move(child));
  return n;
}

LogicalPlanPtr MakeChangeWrite(LogicalPlanPtr child, std::shared_ptr<const DataTarget> target) {
  const Schema& in = child->schema;
  SLUICE_CHECK(in.size() >= 2 && in.field(in.size() - 2).type.id() == TypeId::kBoolean &&
                   in.field(in.size() - 1).type.id() == TypeId::kBoolean,
               "a change write needs #keep and #hit columns, got {}", in.ToString());
  auto n = std::make_shared<LogicalPlan>(*MakeWrite(std::move(child), std::move(target)));
  n->write_changes = true;
  return n;
}

}  // namespace sluice
