// sum and avg of DOUBLE. A plain double accumulator gives results whose last digits depend on
// the order of the additions, which depends on the thread count and on how the rows were
// partitioned; the state here is a BinnedSum, whose value depends only on the values.

#include <array>
#include <cstring>

#include "common/error.h"
#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

using Sum = DoubleSum;

// sum(DOUBLE) -> DOUBLE (NULL without values) or avg(DOUBLE) -> DOUBLE (the rounded sum
// divided by the count). The state is a Sum; its count doubles as the "seen a value" flag.
//
// Between the phases a state is one VARCHAR value: NULL for no values, the 8 bytes of the
// double for a state of exactly one value (what a partial aggregate that passes rows through
// makes: 16 bytes a row, inline), else the Sum's parts (header, count, bins; 8 bytes each).
// Merging a one-value state adds the value, which gives the same Sum as merging its parts.
class DoubleSumAggregate : public AggregateFunction {
 public:
  explicit DoubleSumAggregate(bool average) : average_(average) {}
  LogicalType result_type() const override { return TypeId::kDouble; }
  std::vector<LogicalType> state_types() const override { return {TypeId::kVarchar}; }
  size_t state_size() const override { return sizeof(Sum); }
  size_t state_align() const override { return alignof(Sum); }
  void Initialize(uint8_t* state) const override { new (state) Sum(); }

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    if (n > 0 && AllSame(states, n)) {
      // One group (a global aggregate, or a run of rows of one group): add into a local sum
      // that the compiler can keep out of the aliased state, then merge it once.
      Sum local;
      ForEachValid<double>(*args[0], n, [&](size_t, double v) { local.Add(v); });
      StateAt<Sum>(states, 0).Merge(local);
      return;
    }
    ForEachValid<double>(*args[0], n, [&](size_t i, double v) { StateAt<Sum>(states, i).Add(v); });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    ForEachValid<StringView>(*partial[0], n, [&](size_t i, const StringView& v) {
      Sum& s = StateAt<Sum>(states, i);
      if (v.size() == sizeof(double)) {
        double x;
        std::memcpy(&x, v.data(), sizeof(x));
        s.Add(x);
      } else {
        s.Merge(Decode(v));
      }
    });
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    Column& col = *out[0];
    const size_t first = col.size();
    for (size_t i = 0; i < n; i++) {
      const Sum& s = StateAt<Sum>(states, i);
      if (s.count() == 0) {
        WriteNull<StringView>(&col, first + i);
        continue;
      }
      std::array<int64_t, kParts> parts;
      parts[0] = static_cast<int64_t>((uint64_t{s.flags()} << 32) | static_cast<uint32_t>(s.top()));
      parts[1] = s.count();
      for (int j = 0; j < Sum::kBins; j++) parts[2 + j] = s.bins()[j];
      col.data<StringView>()[first + i] = col.AddString(
          std::string_view(reinterpret_cast<const char*>(parts.data()), sizeof(parts)));
    }
  }
  bool SerializeRows(const std::vector<ColumnPtr>& args, size_t n,
                     const std::vector<Column*>& out) const override {
    Column& col = *out[0];
    const Column& in = *args[0];
    const size_t first = col.size();
    StringView* views = col.data<StringView>() + first;
    for (size_t i = 0; i < n; i++) {
      if (!ValidAt(in, i)) {
        WriteNull<StringView>(&col, first + i);
        continue;
      }
      const double x = ValueAt<double>(in, i);
      views[i] = StringView(reinterpret_cast<const char*>(&x), sizeof(x));
    }
    return true;
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    double* data = out->data<double>();
    for (size_t i = 0; i < n; i++) {
      const Sum& s = StateAt<Sum>(states, i);
      if (s.count() == 0) {
        WriteNull<double>(out, first_row + i);
        continue;
      }
      const double sum = s.Round();
      data[first_row + i] = average_ ? sum / static_cast<double>(s.count()) : sum;
    }
  }

 private:
  static constexpr size_t kParts = Sum::kBins + 2;

  static Sum Decode(const StringView& v) {
    SLUICE_CHECK(v.size() == kParts * sizeof(int64_t), "a sum state of {} bytes", v.size());
    std::array<int64_t, kParts> parts;
    std::memcpy(parts.data(), v.data(), sizeof(parts));
    std::array<int64_t, Sum::kBins> bins;
    for (int j = 0; j < Sum::kBins; j++) bins[j] = parts[2 + j];
    const auto header = static_cast<uint64_t>(parts[0]);
    return Sum::FromParts(static_cast<int32_t>(static_cast<uint32_t>(header)),
                          static_cast<uint32_t>(header >> 32), parts[1], bins);
  }

  static bool AllSame(uint8_t* const* states, size_t n) {
    for (size_t i = 1; i < n; i++) {
      if (states[i] != states[0]) return false;
    }
    return true;
  }

  bool average_;
};

}  // namespace

std::shared_ptr<const AggregateFunction> MakeDoubleSum(bool average) {
  return std::make_shared<DoubleSumAggregate>(average);
}

}  // namespace sluice
