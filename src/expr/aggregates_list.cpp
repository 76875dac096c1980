// list(x) / array_agg(x): the group's values, NULLs included, in the group's input order
// (fixed by the shuffle's merge order whatever the thread count, as for string_agg). One
// phase: the planner repartitions by the group keys first. Also min, max and any_value of
// LIST and STRUCT values, kept as Values.
#include <memory>

#include "common/error.h"
#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

// list(x): the state is a column of the group's values in arrival order (copied from the
// input batches, no per-value allocation).
class ListAggregate : public HeapStateAggregate<Column> {
 public:
  explicit ListAggregate(LogicalType input)
      : HeapStateAggregate<Column>(LogicalType::List(input)), input_(input) {}
  bool decomposable() const override { return false; }

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    const Column& in = *args[0];
    for (size_t i = 0; i < n; i++) {
      State& s = StateAt<State>(states, i);
      if (!s) s = std::make_unique<Column>(input_, 4);
      s->Append(in, in.is_constant() ? 0 : i, 1);
    }
  }
  void Merge(uint8_t* const*, const std::vector<ColumnPtr>&, size_t) const override {
    SLUICE_CHECK(false, "list() is not decomposable; Merge must not be called");
  }
  void Serialize(const uint8_t* const*, size_t, const std::vector<Column*>&) const override {
    SLUICE_CHECK(false, "list() is not decomposable; Serialize must not be called");
  }
  // REQUIRES: rows are finalized in increasing order (elements are appended to the child).
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    Column& elements = out->mutable_child(0);
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      const size_t row = first_row + i;
      if (!s) {
        out->SetValue(row, Value::Null(result_));
        continue;
      }
      const size_t offset = elements.size();
      elements.Append(*s, 0, s->size());
      out->list_entries()[row] = ListEntry{offset, s->size()};
      out->SetValid(row);
    }
  }

 private:
  LogicalType input_;
};

// min / max (by CompareValues) and any_value (the first non-NULL value) of nested values.
class NestedValueAggregate : public HeapStateAggregate<Value> {
 public:
  enum class Kind { kMin, kMax, kAny };
  NestedValueAggregate(Kind kind, LogicalType type) : HeapStateAggregate<Value>(type), kind_(kind) {}

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    Fold(states, *args[0], n);
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    Fold(states, *partial[0], n);
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    Finalize(states, n, out[0], out[0]->size());
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      out->SetValue(first_row + i, s ? *s : Value::Null(result_));
    }
  }

 private:
  void Fold(uint8_t* const* states, const Column& in, size_t n) const {
    for (size_t i = 0; i < n; i++) {
      if (!in.IsValid(i)) continue;
      State& s = StateAt<State>(states, i);
      if (s && kind_ == Kind::kAny) continue;
      Value v = in.GetValue(i);
      if (!s) {
        s = std::make_unique<Value>(std::move(v));
        continue;
      }
      const int c = CompareValues(v, *s);
      if ((kind_ == Kind::kMin && c < 0) || (kind_ == Kind::kMax && c > 0)) *s = std::move(v);
    }
  }

  Kind kind_;
};

}  // namespace

std::shared_ptr<const AggregateFunction> MakeListAggregate(const LogicalType& type) {
  return std::make_shared<ListAggregate>(type);
}

std::shared_ptr<const AggregateFunction> MakeNestedValueAggregate(const std::string& name,
                                                                  const LogicalType& type) {
  using Kind = NestedValueAggregate::Kind;
  if (name == "min") return std::make_shared<NestedValueAggregate>(Kind::kMin, type);
  if (name == "max") return std::make_shared<NestedValueAggregate>(Kind::kMax, type);
  if (name == "any_value" || name == "first" || name == "arbitrary") {
    return std::make_shared<NestedValueAggregate>(Kind::kAny, type);
  }
  return nullptr;
}

}  // namespace sluice
