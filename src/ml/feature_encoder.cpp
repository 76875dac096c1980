#include "ml/feature_encoder.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "types/physical_dispatch.h"
#include "types/string_view.h"

namespace sluice::ml {

FeatureEncoder::FeatureEncoder(const std::vector<Feature>& features) : features_(features) {
  for (const Feature& f : features_) {
    std::unordered_map<std::string, int> codes;
    for (size_t i = 0; i < f.categories.size(); i++) codes.emplace(f.categories[i], static_cast<int>(i));
    codes_.push_back(std::move(codes));
    offsets_.push_back(width_);
    width_ += f.width();
  }
}

bool FeatureEncoder::Supported(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kVarchar: return true;
    default: return false;
  }
}

double NumericValue(const Column& column, size_t row) {
  if (column.IsNull(row)) return std::numeric_limits<double>::quiet_NaN();
  const size_t i = column.is_constant() ? 0 : row;
  double value = 0;
  VisitPhysicalType(column.type(), [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T>) {
      value = static_cast<double>(column.data<T>()[i]);
    } else if constexpr (std::is_same_v<T, int128_t>) {
      value = static_cast<double>(column.data<T>()[i]);
    } else {
      value = std::numeric_limits<double>::quiet_NaN();
    }
  });
  if (column.type().id() == TypeId::kDecimal) value /= std::pow(10.0, column.type().scale());
  return value;
}

namespace {

// Writes column's values as floats to dest[r * stride] (NaN for NULL), as NumericValue
// converts them, with one type dispatch per column rather than per value.
void EncodeNumeric(const Column& column, size_t rows, size_t stride, float* dest) {
  const double scale = column.type().id() == TypeId::kDecimal
                           ? std::pow(10.0, column.type().scale())
                           : 1.0;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  VisitPhysicalType(column.type(), [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, int128_t>) {
      const T* values = column.data<T>();
      const bool constant = column.is_constant();
      for (size_t r = 0; r < rows; r++) {
        const double v = static_cast<double>(values[constant ? 0 : r]);
        dest[r * stride] = column.IsNull(r) ? nan
                           : scale == 1.0   ? static_cast<float>(v)
                                            : static_cast<float>(v / scale);
      }
    } else {
      for (size_t r = 0; r < rows; r++) dest[r * stride] = nan;
    }
  });
}

}  // namespace

void FeatureEncoder::Encode(const std::vector<ColumnPtr>& columns, size_t rows, size_t first_row,
                            std::vector<float>& out) const {
  const size_t width = width_;
  for (size_t f = 0; f < features_.size(); f++) {
    const Column& column = *columns[f];
    float* dest = out.data() + first_row * width + offsets_[f];
    if (features_[f].indicators()) {
      const size_t k = features_[f].width();
      const int first = static_cast<int>(features_[f].first_indicator());
      for (size_t r = 0; r < rows; r++) {
        float* row = dest + r * width;
        std::fill(row, row + k, 0.0f);
        if (column.IsNull(r)) continue;
        const StringView s = column.data<StringView>()[column.is_constant() ? 0 : r];
        auto it = codes_[f].find(std::string(s.data(), s.size()));
        if (it != codes_[f].end() && it->second >= first) row[it->second - first] = 1.0f;
      }
      continue;
    }
    if (features_[f].categorical()) {
      for (size_t r = 0; r < rows; r++) {
        const size_t i = column.is_constant() ? 0 : r;
        float code = std::numeric_limits<float>::quiet_NaN();
        if (!column.IsNull(r)) {
          const StringView s = column.data<StringView>()[i];
          auto it = codes_[f].find(std::string(s.data(), s.size()));
          if (it != codes_[f].end()) code = static_cast<float>(it->second);
        }
        dest[r * width] = code;
      }
      continue;
    }
    EncodeNumeric(column, rows, width, dest);
  }
}

}  // namespace sluice::ml
