// json_group_array(x): the group's values as one JSON array; json_group_object(k, v): its
// pairs as one JSON object (keys as text, repeated keys kept, as in DuckDB). NULL values are
// JSON null; a group with no rows gives NULL. Elements come in the group's input order, so
// like string_agg these run in one phase after repartitioning by the group keys (the order is
// then fixed by the shuffle's merge order, whatever the thread count).

#include <memory>
#include <string>

#include "common/error.h"
#include "common/json_document.h"
#include "expr/aggregate_function.h"
#include "expr/json_functions.h"

namespace sluice {

namespace {

class JsonGroupAggregate : public AggregateFunction {
  // The elements written so far, comma separated; null until the first row.
  using State = std::unique_ptr<std::string>;

 public:
  explicit JsonGroupAggregate(bool object) : object_(object) {}
  LogicalType result_type() const override { return TypeId::kVarchar; }
  std::vector<LogicalType> state_types() const override { return {TypeId::kVarchar}; }
  size_t state_size() const override { return sizeof(State); }
  bool decomposable() const override { return false; }
  bool needs_destroy() const override { return true; }
  void Initialize(uint8_t* state) const override { new (state) State(); }
  void Destroy(uint8_t* state) const override { reinterpret_cast<State*>(state)->~State(); }

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    for (size_t i = 0; i < n; i++) {
      State& s = *reinterpret_cast<State*>(states[i]);
      if (!s) {
        s = std::make_unique<std::string>();
      } else {
        s->push_back(',');
      }
      if (object_) {
        const Value key = args[0]->GetValue(i);
        if (key.is_null()) throw InvalidInputError("json_group_object key cannot be NULL");
        AppendJsonQuoted(key.ToString(), s.get());
        s->push_back(':');
        AppendValueJson(args[1]->GetValue(i), s.get());
      } else {
        AppendValueJson(args[0]->GetValue(i), s.get());
      }
    }
  }
  void Merge(uint8_t* const*, const std::vector<ColumnPtr>&, size_t) const override {
    SLUICE_CHECK(false, "json_group_* are not decomposable; Merge must not be called");
  }
  void Serialize(const uint8_t* const*, size_t, const std::vector<Column*>&) const override {
    SLUICE_CHECK(false, "json_group_* are not decomposable; Serialize must not be called");
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    for (size_t i = 0; i < n; i++) {
      const State& s = *reinterpret_cast<const State*>(states[i]);
      if (!s) {
        out->SetValue(first_row + i, Value::Null(TypeId::kVarchar));
        continue;
      }
      std::string text = object_ ? "{" : "[";
      text += *s;
      text += object_ ? "}" : "]";
      out->SetValue(first_row + i, Value::Varchar(std::move(text)));
    }
  }

 private:
  bool object_;
};

}  // namespace

void RegisterJsonAggregates(FunctionRegistry& registry) {
  registry.AddAggregate(
      "json_group_array",
      [](const std::vector<LogicalType>& types, bool distinct)
          -> std::shared_ptr<const AggregateFunction> {
        if (types.size() != 1 || distinct) return nullptr;
        return std::make_shared<JsonGroupAggregate>(false);
      },
      "json_group_array(ANY)");
  registry.AddAggregate(
      "json_group_object",
      [](const std::vector<LogicalType>& types, bool distinct)
          -> std::shared_ptr<const AggregateFunction> {
        if (types.size() != 2 || distinct) return nullptr;
        return std::make_shared<JsonGroupAggregate>(true);
      },
      "json_group_object(ANY, ANY)");
}

}  // namespace sluice
