#include "exec/window.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "exec/exec_context.h"
#include "exec/window_frame.h"
#include "exec/window_segment_tree.h"
#include "expr/aggregate_function.h"

namespace sluice {

namespace {

// Reads row i of an integer argument column (BIGINT after binding), or nullopt for NULL.
std::optional<int64_t> IntAt(const Column& col, size_t i) {
  if (col.IsNull(i)) return std::nullopt;
  return col.data<int64_t>()[col.is_constant() ? 0 : i];
}

// out[i] = value[src[i]] for src[i] >= 0; fallback[i] (or NULL without one) for src[i] == -1.
ColumnPtr GatherOrDefault(const Column& value, const Column* fallback,
                          const std::vector<int64_t>& src, const LogicalType& type) {
  const size_t n = src.size();
  auto combined = Column::Make(type, 2 * n + 1);
  combined->Append(value, 0, n);
  if (fallback != nullptr) combined->Append(*fallback, 0, n);
  const size_t null_row = combined->size();
  combined->set_size(null_row + 1);
  combined->SetValue(null_row, Value::Null(type));
  std::vector<uint32_t> sel(n);
  for (size_t i = 0; i < n; i++) {
    if (src[i] >= 0) {
      sel[i] = static_cast<uint32_t>(src[i]);
    } else {
      sel[i] = static_cast<uint32_t>(fallback != nullptr ? n + i : null_row);
    }
  }
  return combined->Gather(sel.data(), n);
}

// Concatenates batches into one flat column per field.
std::vector<ColumnPtr> Concatenate(const std::vector<Batch>& batches, const Schema& schema,
                                   size_t num_rows) {
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < schema.size(); c++) {
    auto col = Column::Make(schema.field(c).type, std::max<size_t>(num_rows, 1));
    for (const auto& b : batches) col->Append(*b.column(c), 0, b.num_rows());
    columns.push_back(std::move(col));
  }
  return columns;
}

// One task: buffers its partition, sorts it, computes every function, then emits.
class WindowStream : public BatchStream {
 public:
  WindowStream(const WindowOperator& op, ExecContext& ctx, int partition)
      : op_(op), ctx_(ctx), input_(ctx.Execute(op.child(), partition)),
        reservation_(&ctx.memory(), "window") {}

  bool Next(Batch* out) override {
    if (!computed_) {
      Compute();
      computed_ = true;
    }
    if (emitted_ >= num_rows_) return false;
    const size_t n = std::min(kBatchSize, num_rows_ - emitted_);
    std::vector<ColumnPtr> columns;
    for (const auto& c : columns_) columns.push_back(c->Slice(emitted_, n));
    emitted_ += n;
    *out = Batch(std::move(columns), n);
    return true;
  }

 private:
  void Compute() {
    std::vector<Batch> batches;
    int64_t bytes = 0;
    Batch batch;
    while (input_->Next(&batch)) {
      num_rows_ += batch.num_rows();
      bytes += static_cast<int64_t>(batch.MemoryBytes());
      reservation_.Resize(2 * bytes);  // the buffered input and its sorted copy
      batches.push_back(std::move(batch));
    }
    if (num_rows_ == 0) return;
    SLUICE_CHECK(num_rows_ < UINT32_MAX, "window partition of {} rows", num_rows_);
    std::vector<ColumnPtr> input = Concatenate(batches, op_.child().schema(), num_rows_);
    batches.clear();

    std::vector<SortKey> keys;
    for (int k : op_.partition_keys()) keys.push_back(SortKey{k, true, false});
    for (const auto& k : op_.order_keys()) keys.push_back(k);
    const std::vector<uint32_t> order = ComputeSortOrder(input, keys, num_rows_, std::nullopt,
                                                         &ctx_.pool());
    for (const auto& c : input) columns_.push_back(c->Gather(order.data(), num_rows_));
    input.clear();

    const WindowLayout layout =
        ComputeWindowLayout(columns_, op_.partition_keys(), op_.order_keys(), num_rows_);
    for (const auto& fn : op_.functions()) columns_.push_back(ComputeFunction(fn, layout));
  }

  ColumnPtr ComputeFunction(const WindowFunction& fn, const WindowLayout& layout) {
    const size_t n = num_rows_;
    auto arg = [&](size_t i) -> const Column& { return *columns_[fn.args.at(i)]; };
    switch (fn.kind) {
      case WindowFunctionKind::kRowNumber:
      case WindowFunctionKind::kRank:
      case WindowFunctionKind::kDenseRank:
      case WindowFunctionKind::kNtile: {
        auto out = Column::Make(TypeId::kBigInt, n);
        out->set_size(n);
        int64_t* data = out->data<int64_t>();
        for (size_t i = 0; i < n; i++) {
          const int64_t ps = layout.PartBegin(i);
          const int64_t pos = static_cast<int64_t>(i) - ps;
          switch (fn.kind) {
            case WindowFunctionKind::kRowNumber: data[i] = pos + 1; break;
            case WindowFunctionKind::kRank: data[i] = layout.PeerBegin(i) - ps + 1; break;
            case WindowFunctionKind::kDenseRank:
              data[i] = layout.peer_of[i] - layout.peer_of[ps] + 1;
              break;
            default: {
              const std::optional<int64_t> buckets = IntAt(arg(0), i);
              if (!buckets) {
                out->SetNull(i);
                break;
              }
              if (*buckets <= 0) throw InvalidInputError("argument of ntile must be greater than zero");
              const int64_t rows = layout.PartEnd(i) - ps;
              const int64_t size = rows / *buckets, extra = rows % *buckets;
              // The first `extra` buckets hold one row more.
              const int64_t big = extra * (size + 1);
              data[i] = pos < big ? pos / (size + 1) + 1 : extra + (pos - big) / size + 1;
              break;
            }
          }
        }
        return out;
      }
      case WindowFunctionKind::kPercentRank:
      case WindowFunctionKind::kCumeDist: {
        auto out = Column::Make(TypeId::kDouble, n);
        out->set_size(n);
        double* data = out->data<double>();
        for (size_t i = 0; i < n; i++) {
          const double rows = layout.PartEnd(i) - layout.PartBegin(i);
          if (fn.kind == WindowFunctionKind::kPercentRank) {
            const double rank = layout.PeerBegin(i) - layout.PartBegin(i);
            data[i] = rows > 1 ? rank / (rows - 1) : 0.0;
          } else {
            data[i] = (layout.PeerEnd(i) - layout.PartBegin(i)) / rows;
          }
        }
        return out;
      }
      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead: {
        std::vector<int64_t> src(n);
        std::vector<uint8_t> null_offset(n, 0);
        for (size_t i = 0; i < n; i++) {
          int64_t offset = 1;
          if (fn.args.size() >= 2) {
            const std::optional<int64_t> o = IntAt(arg(1), i);
            if (!o) {
              null_offset[i] = 1;
              src[i] = -1;
              continue;
            }
            offset = *o;
          }
          const int64_t j = static_cast<int64_t>(i) +
                            (fn.kind == WindowFunctionKind::kLag ? -offset : offset);
          src[i] = j >= layout.PartBegin(i) && j < layout.PartEnd(i) ? j : -1;
        }
        const Column* fallback = fn.args.size() >= 3 ? &arg(2) : nullptr;
        ColumnPtr result = GatherOrDefault(arg(0), fallback, src, fn.type);
        if (std::find(null_offset.begin(), null_offset.end(), 1) == null_offset.end()) {
          return result;
        }
        auto copy = Column::Make(fn.type, n);
        copy->Append(*result, 0, n);
        for (size_t i = 0; i < n; i++) {
          if (null_offset[i]) copy->SetValue(i, Value::Null(fn.type));
        }
        return copy;
      }
      default: break;
    }

    // Functions over the frame.
    std::vector<uint32_t> begin, end;
    const bool one_key = op_.order_keys().size() == 1;
    ComputeWindowFrames(layout, fn, one_key ? columns_[op_.order_keys()[0].column].get() : nullptr,
                        one_key ? &op_.order_keys()[0] : nullptr, &begin, &end);
    if (fn.kind == WindowFunctionKind::kAggregate) {
      std::vector<ColumnPtr> args;
      for (int a : fn.args) args.push_back(columns_[a]);
      WindowSegmentTree tree(*fn.aggregate, std::move(args), n, &ctx_.memory());
      return tree.Evaluate(begin.data(), end.data(), n);
    }
    std::vector<int64_t> src(n);
    for (size_t i = 0; i < n; i++) {
      src[i] = -1;
      if (begin[i] >= end[i]) continue;
      switch (fn.kind) {
        case WindowFunctionKind::kFirstValue: src[i] = begin[i]; break;
        case WindowFunctionKind::kLastValue: src[i] = end[i] - 1; break;
        default: {
          const std::optional<int64_t> k = IntAt(arg(1), i);
          if (!k) break;
          if (*k < 1) throw InvalidInputError("argument of nth_value must be greater than zero");
          if (*k <= static_cast<int64_t>(end[i] - begin[i])) src[i] = begin[i] + *k - 1;
        }
      }
    }
    return GatherOrDefault(arg(0), nullptr, src, fn.type);
  }

  const WindowOperator& op_;
  ExecContext& ctx_;
  std::unique_ptr<BatchStream> input_;
  MemoryReservation reservation_;
  bool computed_ = false;
  size_t num_rows_ = 0;
  std::vector<ColumnPtr> columns_;  // sorted input columns, then one per function
  size_t emitted_ = 0;
};

}  // namespace

WindowOperator::WindowOperator(PhysicalOperatorPtr child, std::vector<int> partition_keys,
                               std::vector<SortKey> order_keys,
                               std::vector<WindowFunction> functions, Schema schema)
    : PhysicalOperator(std::move(schema), std::move(child)),
      partition_keys_(std::move(partition_keys)),
      order_keys_(std::move(order_keys)),
      functions_(std::move(functions)) {}

std::string WindowOperator::details() const {
  std::vector<std::string> parts;
  const std::string keys = child().schema().ColumnLabels(partition_keys_);
  std::string order;
  for (size_t i = 0; i < order_keys_.size(); i++) {
    order += (i > 0 ? ", " : "") +
             child().schema().ColumnLabel(static_cast<size_t>(order_keys_[i].column)) +
             (order_keys_[i].ascending ? " ASC" : " DESC");
  }
  std::string out = "partition=[" + keys + "] order=[" + order + "] functions=[";
  for (size_t i = 0; i < functions_.size(); i++) {
    out += (i > 0 ? ", " : "") + functions_[i].text;
  }
  return out + "]";
}

std::unique_ptr<BatchStream> WindowOperator::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<WindowStream>(*this, ctx, partition);
}

}  // namespace sluice
