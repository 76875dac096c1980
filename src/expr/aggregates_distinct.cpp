// count(DISTINCT x) (x of any type), sum(DISTINCT x), avg(DISTINCT x).
//
// Each group's state owns a hash set of the values seen. These aggregates are not
// decomposable: the planner runs them in one phase after repartitioning by the group keys,
// so Serialize and Merge are never called.

#include <bit>
#include <memory>
#include <string>

#include "common/error.h"
#include "common/hash.h"
#include "expr/aggregates_internal.h"
#include "types/decimal.h"
#include "vector/nested_key.h"

namespace sluice {

namespace {

// A set of values in insertion order with an open-addressing index. Strings are stored as
// std::string copies.
template <typename T>
class DistinctSet {
 public:
  void Insert(const T& v) {
    if ((values_.size() + 1) * 2 > slots_.size()) Grow();
    const uint64_t h = Hash(v);
    uint64_t p = h & mask_;
    for (;;) {
      const uint32_t s = slots_[p];
      if (s == 0) break;
      if (Equal(values_[s - 1], v)) return;
      p = (p + 1) & mask_;
    }
    values_.push_back(v);
    slots_[p] = static_cast<uint32_t>(values_.size());
  }
  const std::vector<T>& values() const { return values_; }

 private:
  static uint64_t Hash(const T& v) {
    if constexpr (std::is_same_v<T, std::string>) {
      return HashBytes(v.data(), v.size());
    } else if constexpr (std::is_same_v<T, double>) {
      double d = v == 0.0 ? 0.0 : v;
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      return HashInt(std::bit_cast<uint64_t>(d));
    } else if constexpr (std::is_same_v<T, int128_t>) {
      return HashCombine(HashInt(static_cast<uint64_t>(v)), static_cast<uint64_t>(v >> 64));
    } else if constexpr (std::is_same_v<T, Interval>) {
      return HashCombine(HashInt(static_cast<uint64_t>(v.micros)),
                         HashInt((uint64_t(uint32_t(v.months)) << 32) | uint32_t(v.days)));
    } else {
      return HashInt(static_cast<uint64_t>(v));
    }
  }
  static bool Equal(const T& a, const T& b) {
    if constexpr (std::is_same_v<T, double>) return a == b || (std::isnan(a) && std::isnan(b));
    return a == b;
  }
  void Grow() {
    const size_t size = slots_.empty() ? 16 : slots_.size() * 2;
    slots_.assign(size, 0);
    mask_ = size - 1;
    for (size_t i = 0; i < values_.size(); i++) {
      uint64_t p = Hash(values_[i]) & mask_;
      while (slots_[p] != 0) p = (p + 1) & mask_;
      slots_[p] = static_cast<uint32_t>(i + 1);
    }
  }

  std::vector<T> values_;
  std::vector<uint32_t> slots_;  // index into values_ plus one; 0 = empty
  uint64_t mask_ = 0;
};

enum class DistinctKind { kCount, kSum, kAvg };

// `In` is the physical input type; `Stored` what the set keeps (std::string for VARCHAR);
// `Acc` the sum accumulator.
template <typename In, typename Stored, typename Acc>
class DistinctAggregate : public HeapStateAggregate<DistinctSet<Stored>> {
  using Set = DistinctSet<Stored>;
  using State = std::unique_ptr<Set>;

 public:
  DistinctAggregate(DistinctKind kind, LogicalType result, double scale_divisor)
      : HeapStateAggregate<Set>(result), kind_(kind), scale_divisor_(scale_divisor) {}
  bool decomposable() const override { return false; }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<In>(*args[0], n, [&](size_t i, const In& v) {
      State& s = StateAt<State>(states, i);
      if (!s) s = std::make_unique<Set>();
      if constexpr (std::is_same_v<In, StringView>) {
        s->Insert(v.str());
      } else {
        s->Insert(v);
      }
    });
  }
  void Merge(uint8_t* const*, const std::vector<ColumnPtr>&, size_t) const override {
    SLUICE_CHECK(false, "DISTINCT aggregates are not decomposable; Merge must not be called");
  }
  void Serialize(const uint8_t* const*, size_t, const std::vector<Column*>&) const override {
    SLUICE_CHECK(false, "DISTINCT aggregates are not decomposable; Serialize must not be called");
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      const size_t row = first_row + i;
      const size_t count = s ? s->values().size() : 0;
      if (kind_ == DistinctKind::kCount) {
        out->data<int64_t>()[row] = static_cast<int64_t>(count);
        continue;
      }
      if (count == 0) {
        out->SetNull(row);
        continue;
      }
      if constexpr (!std::is_same_v<In, StringView> && !std::is_same_v<In, Interval>) {
        Acc sum{};
        if constexpr (std::is_same_v<Acc, double>) {
          // The set's order is the rows' arrival order: sum in a way that ignores it.
          DoubleSum exact;
          for (const Stored& v : s->values()) exact.Add(v);
          sum = exact.Round();
        } else {
          for (const Stored& v : s->values()) {
            if (__builtin_add_overflow(sum, static_cast<Acc>(v), &sum)) {
              throw OutOfRangeError("Overflow in SUM");
            }
          }
        }
        if (kind_ == DistinctKind::kSum) {
          out->data<Acc>()[row] = sum;
        } else {
          out->data<double>()[row] =
              static_cast<double>(sum) / scale_divisor_ / static_cast<double>(count);
        }
      }
    }
  }

 private:
  DistinctKind kind_;
  double scale_divisor_;
};

// count(DISTINCT x) of LIST, STRUCT and MAP values: the distinct count of their byte keys
// (equal keys mean equal values).
class NestedDistinctCount : public DistinctAggregate<StringView, std::string, int64_t> {
 public:
  NestedDistinctCount()
      : DistinctAggregate<StringView, std::string, int64_t>(DistinctKind::kCount,
                                                            TypeId::kBigInt, 1) {}
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    std::vector<ColumnPtr> keys{EncodeNestedKeys(*args[0], n)};
    DistinctAggregate<StringView, std::string, int64_t>::Update(states, keys, n);
  }
};

template <typename In, typename Acc>
std::shared_ptr<const AggregateFunction> MakeNumeric(DistinctKind kind, LogicalType sum_type,
                                                     double divisor) {
  const LogicalType result = kind == DistinctKind::kAvg ? LogicalType(TypeId::kDouble) : sum_type;
  return std::make_shared<DistinctAggregate<In, In, Acc>>(kind, result, divisor);
}

}  // namespace

std::shared_ptr<const AggregateFunction> MakeDistinct(const LogicalType& type,
                                                      const std::string& kind_name) {
  if (kind_name == "count" && type.IsNested()) return std::make_shared<NestedDistinctCount>();
  if (kind_name == "count") {
    std::shared_ptr<const AggregateFunction> result;
    DispatchPhysicalType(type, [&]<typename T>() {
      if constexpr (std::is_same_v<T, StringView>) {
        result = std::make_shared<DistinctAggregate<StringView, std::string, int64_t>>(
            DistinctKind::kCount, TypeId::kBigInt, 1);
      } else {
        result = std::make_shared<DistinctAggregate<T, T, int64_t>>(DistinctKind::kCount,
                                                                   TypeId::kBigInt, 1);
      }
    });
    return result;
  }
  const DistinctKind kind = kind_name == "sum" ? DistinctKind::kSum : DistinctKind::kAvg;
  const double divisor = ScaleDivisor(type);
  const LogicalType wide = LogicalType::Decimal(38, type.scale());
  switch (type.id()) {
    case TypeId::kTinyInt: return MakeNumeric<int8_t, int64_t>(kind, TypeId::kBigInt, 1);
    case TypeId::kSmallInt: return MakeNumeric<int16_t, int64_t>(kind, TypeId::kBigInt, 1);
    case TypeId::kInteger: return MakeNumeric<int32_t, int64_t>(kind, TypeId::kBigInt, 1);
    case TypeId::kBigInt:
      // avg(DISTINCT bigint) sums exactly in int128; sum keeps BIGINT with overflow errors.
      if (kind == DistinctKind::kAvg) return MakeNumeric<int64_t, int128_t>(kind, wide, 1);
      return MakeNumeric<int64_t, int64_t>(kind, TypeId::kBigInt, 1);
    case TypeId::kDouble: return MakeNumeric<double, double>(kind, TypeId::kDouble, 1);
    case TypeId::kDecimal:
      if (type.IsWideDecimal()) return MakeNumeric<int128_t, int128_t>(kind, wide, divisor);
      return MakeNumeric<int64_t, int128_t>(kind, wide, divisor);
    default: return nullptr;
  }
}

}  // namespace sluice
