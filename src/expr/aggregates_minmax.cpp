// min, max, any_value (first, arbitrary), bool_and, bool_or: aggregates whose state is one
// value of the input type plus a "seen a value" flag.

#include <cstdlib>
#include <cstring>

#include "common/error.h"
#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

enum class Pick { kMin, kMax, kFirst };

// True when `candidate` should replace the current value of a state that has one.
template <Pick kPick, typename T>
inline bool Replaces(const T& candidate, const T& current) {
  if constexpr (kPick == Pick::kMin) return ValueLess(candidate, current);
  if constexpr (kPick == Pick::kMax) return ValueLess(current, candidate);
  return false;
}

template <typename T>
struct ValueState {
  T value;
  bool has_value;
};

// min/max/any_value over a fixed-width type. The intermediate state is the value itself,
// so Merge is Update over the partial column.
template <typename T, Pick kPick>
class PickAggregate : public AggregateFunction {
 public:
  explicit PickAggregate(LogicalType type) : type_(type) {}
  LogicalType result_type() const override { return type_; }
  std::vector<LogicalType> state_types() const override { return {type_}; }
  size_t state_size() const override { return sizeof(ValueState<T>); }
  size_t state_align() const override { return alignof(ValueState<T>); }
  void Initialize(uint8_t* state) const override { new (state) ValueState<T>{T{}, false}; }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<T>(*args[0], n, [&](size_t i, const T& v) {
      auto& s = StateAt<ValueState<T>>(states, i);
      if (!s.has_value || Replaces<kPick>(v, s.value)) {
        s.value = v;
        s.has_value = true;
      }
    });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    Update(states, partial, n);
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    Finalize(states, n, out[0], out[0]->size());
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    T* data = out->data<T>();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<ValueState<T>>(states, i);
      if (s.has_value) {
        data[first_row + i] = s.value;
      } else {
        WriteNull<T>(out, first_row + i);
      }
    }
  }

 private:
  LogicalType type_;
};

// The VARCHAR (and BLOB) variant: the state owns a copy of a long string's bytes (malloc'd),
// because the input batch that held them goes away.
template <Pick kPick>
class StringPickAggregate : public AggregateFunction {
 public:
  explicit StringPickAggregate(LogicalType type) : type_(type) {}
  LogicalType result_type() const override { return type_; }
  std::vector<LogicalType> state_types() const override { return {type_}; }
  size_t state_size() const override { return sizeof(ValueState<StringView>); }
  bool needs_destroy() const override { return true; }
  void Initialize(uint8_t* state) const override {
    new (state) ValueState<StringView>{StringView(), false};
  }
  void Destroy(uint8_t* state) const override {
    auto& s = *reinterpret_cast<ValueState<StringView>*>(state);
    if (s.has_value && !s.value.IsInline()) std::free(const_cast<char*>(s.value.data()));
    s.has_value = false;
  }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<StringView>(*args[0], n, [&](size_t i, const StringView& v) {
      auto& s = StateAt<ValueState<StringView>>(states, i);
      if (s.has_value && !Replaces<kPick>(v, s.value)) return;
      Destroy(states[i]);
      if (v.IsInline()) {
        s.value = v;
      } else {
        char* copy = static_cast<char*>(std::malloc(v.size()));
        if (copy == nullptr) throw OutOfMemoryError("could not copy a string for min/max");
        std::memcpy(copy, v.data(), v.size());
        s.value = StringView(copy, v.size());
      }
      s.has_value = true;
    });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    Update(states, partial, n);
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    Finalize(states, n, out[0], out[0]->size());
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    StringView* data = out->data<StringView>();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<ValueState<StringView>>(states, i);
      if (s.has_value) {
        data[first_row + i] = out->AddString(s.value.view());
      } else {
        WriteNull<StringView>(out, first_row + i);
      }
    }
  }

 private:
  LogicalType type_;
};

// bool_and / bool_or; the state is ValueState<uint8_t>.
template <bool kIsAnd>
class BoolAggregate : public PickAggregate<uint8_t, Pick::kFirst> {
 public:
  BoolAggregate() : PickAggregate(TypeId::kBoolean) {}
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<uint8_t>(*args[0], n, [&](size_t i, uint8_t v) {
      auto& s = StateAt<ValueState<uint8_t>>(states, i);
      const uint8_t b = v != 0 ? 1 : 0;
      s.value = !s.has_value ? b : (kIsAnd ? (s.value & b) : (s.value | b));
      s.has_value = true;
    });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    Update(states, partial, n);
  }
};

template <Pick kPick>
std::shared_ptr<const AggregateFunction> MakePick(const LogicalType& type) {
  if (type.IsStringLike()) return std::make_shared<StringPickAggregate<kPick>>(type);
  std::shared_ptr<const AggregateFunction> result;
  DispatchPhysicalType(type, [&]<typename T>() {
    if constexpr (!std::is_same_v<T, StringView>) {
      result = std::make_shared<PickAggregate<T, kPick>>(type);
    }
  });
  return result;
}

}  // namespace

std::shared_ptr<const AggregateFunction> MakeMinMax(const LogicalType& type, bool is_max) {
  return is_max ? MakePick<Pick::kMax>(type) : MakePick<Pick::kMin>(type);
}

std::shared_ptr<const AggregateFunction> MakeAnyValue(const LogicalType& type) {
  return MakePick<Pick::kFirst>(type);
}

std::shared_ptr<const AggregateFunction> MakeBoolAggregate(bool is_and) {
  if (is_and) return std::make_shared<BoolAggregate<true>>();
  return std::make_shared<BoolAggregate<false>>();
}

}  // namespace sluice
