#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include "binder/sql_binder.h"

namespace sluice {

// A structural key of an unbound expression, with column references resolved to positions in
// `schema`, so that `x`, `t.x` and `T.X` are the same group key.
std::string KeyOf(const Expr& e, const Schema& schema);

// Maps expressions over the FROM relation to expressions over the Aggregate node's output.
class AggregateRewriter {
 public:
  AggregateRewriter(SqlBinder& binder, const Schema& from) : binder_(binder), from_(from) {}

  // Returns the group's index; an expression already grouped keeps its index.
  size_t AddGroup(const ExprPtr& e) {
    const std::string key = KeyOf(*e, from_);
    for (size_t i = 0; i < group_keys_.size(); i++) {
      if (group_keys_[i] == key) return i;
    }
    group_keys_.push_back(key);
    groups_.push_back(Alias(e, fmt::format("#g{}", groups_.size())));
    return groups_.size() - 1;
  }
  void set_grouping_sets(bool on) { grouping_sets_ = on; }

  ExprPtr Rewrite(const ExprPtr& e, const sql::AstNode& at) {
    const std::string key = KeyOf(*e, from_);
    for (size_t i = 0; i < group_keys_.size(); i++) {
      if (group_keys_[i] == key) return Keep(Col(fmt::format("#g{}", i)), *e);
    }
    if (e->kind == ExprKind::kCall && (e->name == "grouping" || e->name == "grouping_id")) {
      return RewriteGrouping(e, at);
    }
    if (e->kind == ExprKind::kWindow) {
      return sql_bind::MapChildren(e, [&](const ExprPtr& c) { return Rewrite(c, at); });
    }
    if (e->kind == ExprKind::kAggregate) {
      for (const auto& a : e->args) {
        if (sql_bind::ContainsAggregate(*a)) {
          binder_.ThrowBind(Where(*e, at), "aggregate function calls cannot be nested");
        }
        if (sql_bind::ContainsWindow(*a)) {
          binder_.ThrowBind(Where(*e, at), "aggregate function calls cannot contain window function calls");
        }
      }
      for (size_t j = 0; j < aggregate_keys_.size(); j++) {
        if (aggregate_keys_[j] == key) return Keep(Col(fmt::format("#a{}", j)), *e);
      }
      aggregate_keys_.push_back(key);
      aggregates_.push_back(Alias(e, fmt::format("#a{}", aggregates_.size())));
      return Keep(Col(fmt::format("#a{}", aggregates_.size() - 1)), *e);
    }
    if (e->kind == ExprKind::kColumnRef) {
      binder_.ThrowBind(Where(*e, at),
                        fmt::format("column \"{}\" must appear in the GROUP BY clause or must be "
                                    "part of an aggregate function.",
                                    e->name));
    }
    if (e->args.empty()) return e;
    std::vector<ExprPtr> args;
    for (const auto& a : e->args) args.push_back(Rewrite(a, at));
    return WithArgs(*e, std::move(args));
  }

  const std::vector<ExprPtr>& groups() const { return groups_; }
  const std::vector<ExprPtr>& aggregates() const { return aggregates_; }
  const std::vector<std::vector<size_t>>& grouping_calls() const { return grouping_calls_; }

 private:
  // GROUPING(a, ...): a bitmask of the arguments absent from the row's grouping set; 0
  // without grouping sets.
  ExprPtr RewriteGrouping(const ExprPtr& e, const sql::AstNode& at) {
    if (e->args.empty()) binder_.ThrowBind(Where(*e, at), "GROUPING() needs at least one argument");
    std::vector<size_t> ids;
    for (const auto& a : e->args) {
      const std::string key = KeyOf(*a, from_);
      size_t id = group_keys_.size();
      for (size_t i = 0; i < group_keys_.size(); i++) {
        if (group_keys_[i] == key) id = i;
      }
      if (id == group_keys_.size()) {
        binder_.ThrowBind(Where(*e, at), "GROUPING() arguments must be GROUP BY expressions");
      }
      ids.push_back(id);
    }
    if (!grouping_sets_) return Keep(Lit(Value::BigInt(0)), *e);
    grouping_calls_.push_back(std::move(ids));
    return Keep(Col(fmt::format("#q{}", grouping_calls_.size() - 1)), *e);
  }

  static ExprPtr Keep(ExprPtr ref, const Expr& original) {
    return original.alias.empty() ? ref : Alias(ref, original.alias);
  }
  const sql::AstNode& Where(const Expr& e, const sql::AstNode& fallback) const {
    const sql::AstNode* origin = binder_.OriginOf(&e);
    return origin ? *origin : fallback;
  }

  SqlBinder& binder_;
  const Schema& from_;
  std::vector<std::string> group_keys_, aggregate_keys_;
  std::vector<ExprPtr> groups_, aggregates_;
  bool grouping_sets_ = false;
  std::vector<std::vector<size_t>> grouping_calls_;
};

}  // namespace sluice
