// Ordered aggregates: string_agg(x, ',' ORDER BY y DESC), list(x ORDER BY t), first(x ORDER
// BY t), ... Any aggregate with an ORDER BY in its call: the state keeps the rows of the
// group (arguments and sort keys; with FILTER, only the rows it keeps); Finalize sorts them and feeds them, in that order, to the
// plain aggregate. Rows equal in every key are ordered by their argument values, so the
// result does not depend on the order rows arrived in (partitioning, threads). Not
// decomposable: the planner runs it in one phase after repartitioning by the group keys.

#include <algorithm>
#include <memory>
#include <set>
#include <vector>

#include "common/error.h"
#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

using Row = std::vector<Value>;

class OrderedAggregate : public HeapStateAggregate<std::vector<Row>> {
  using Rows = std::vector<Row>;
  using State = std::unique_ptr<Rows>;

 public:
  OrderedAggregate(std::shared_ptr<const AggregateFunction> inner, std::vector<LogicalType> arg_types,
                   std::vector<AggregateOrder> order, bool distinct, bool filtered)
      : HeapStateAggregate<Rows>(inner->result_type()),
        inner_(std::move(inner)),
        arg_types_(std::move(arg_types)),
        order_(std::move(order)),
        distinct_(distinct),
        filtered_(filtered) {}

  bool decomposable() const override { return false; }

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    const size_t width = args.size() - (filtered_ ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
      State& s = StateAt<State>(states, i);
      if (!s) s = std::make_unique<Rows>();
      if (filtered_) {
        const Value keep = args.back()->GetValue(i);
        if (keep.is_null() || !keep.GetBool()) continue;
      }
      Row row;
      row.reserve(width);
      for (size_t a = 0; a < width; a++) row.push_back(args[a]->GetValue(i));
      s->push_back(std::move(row));
    }
  }
  void Merge(uint8_t* const*, const std::vector<ColumnPtr>&, size_t) const override {
    SLUICE_CHECK(false, "ordered aggregates are not decomposable; Merge must not be called");
  }
  void Serialize(const uint8_t* const*, size_t, const std::vector<Column*>&) const override {
    SLUICE_CHECK(false, "ordered aggregates are not decomposable; Serialize must not be called");
  }

  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    std::vector<uint8_t> buffer(inner_->state_size() + inner_->state_align());
    uint8_t* state = buffer.data();
    const size_t misalign = reinterpret_cast<uintptr_t>(state) % inner_->state_align();
    if (misalign != 0) state += inner_->state_align() - misalign;
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      Rows rows = s ? *s : Rows{};
      Sort(rows);
      const size_t count = rows.size();
      std::vector<ColumnPtr> args;
      for (size_t a = 0; a < arg_types_.size(); a++) {
        auto column = Column::Make(arg_types_[a], std::max<size_t>(count, 1));
        for (size_t r = 0; r < count; r++) column->SetValue(r, rows[r][a]);
        column->set_size(count);
        args.push_back(std::move(column));
      }
      inner_->Initialize(state);
      std::vector<uint8_t*> same(count, state);
      try {
        if (count > 0) inner_->Update(same.data(), args, count);
        const uint8_t* finished = state;
        inner_->Finalize(&finished, 1, out, first_row + i);
      } catch (...) {
        inner_->Destroy(state);
        throw;
      }
      inner_->Destroy(state);
    }
  }

 private:
  // By the keys (after the arguments in each row), ties by the arguments; DISTINCT then
  // keeps the first row of each run of equal arguments.
  void Sort(Rows& rows) const {
    const size_t nargs = arg_types_.size();
    std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
      for (size_t k = 0; k < order_.size(); k++) {
        const Value& x = a[nargs + k];
        const Value& y = b[nargs + k];
        if (x.is_null() || y.is_null()) {
          if (x.is_null() == y.is_null()) continue;
          return x.is_null() == order_[k].nulls_first;
        }
        const int c = CompareValues(x, y);
        if (c != 0) return order_[k].ascending ? c < 0 : c > 0;
      }
      for (size_t j = 0; j < nargs; j++) {
        const int c = CompareValues(a[j], b[j]);
        if (c != 0) return c < 0;
      }
      return false;
    });
    if (!distinct_) return;
    auto less = [nargs](const Row& a, const Row& b) {
      for (size_t j = 0; j < nargs; j++) {
        const int c = CompareValues(a[j], b[j]);
        if (c != 0) return c < 0;
      }
      return false;
    };
    std::set<Row, decltype(less)> seen(less);
    Rows kept;
    for (auto& r : rows) {
      if (seen.insert(r).second) kept.push_back(std::move(r));
    }
    rows = std::move(kept);
  }

  std::shared_ptr<const AggregateFunction> inner_;
  std::vector<LogicalType> arg_types_;
  std::vector<AggregateOrder> order_;
  bool distinct_;
  bool filtered_;
};

}  // namespace

std::shared_ptr<const AggregateFunction> MakeOrderedAggregate(
    std::shared_ptr<const AggregateFunction> inner, std::vector<LogicalType> arg_types,
    std::vector<AggregateOrder> order, bool distinct, bool filtered) {
  return std::make_shared<OrderedAggregate>(std::move(inner), std::move(arg_types),
                                            std::move(order), distinct, filtered);
}

}  // namespace sluice
