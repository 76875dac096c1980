// RowIdSource: a BIGINT row id after the source's columns, unique across splits, at the
// position the scan asks for, and kept through pruning.
#include <gtest/gtest.h>

#include <set>

#include "io/row_id_source.h"

namespace sluice {
namespace {

// `splits` splits of `rows` rows each, one BIGINT column `v` = split * 1000 + row.
class NumberSource : public DataSource {
 public:
  NumberSource(int splits, int rows) : splits_(splits), rows_(rows) {
    schema_.Add(Field{"v", LogicalType(TypeId::kBigInt), false, ""});
  }
  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return splits_; }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override {
    std::vector<Batch> batches;
    for (int start = 0; start < rows_; start += 3) {
      const int n = std::min(3, rows_ - start);
      std::vector<ColumnPtr> out;
      for (size_t c = 0; c < columns.size(); c++) {
        auto col = Column::Make(LogicalType(TypeId::kBigInt), static_cast<size_t>(n));
        for (int r = 0; r < n; r++) col->data<int64_t>()[r] = split * 1000 + start + r;
        col->set_size(static_cast<size_t>(n));
        out.push_back(std::move(col));
      }
      batches.emplace_back(std::move(out), static_cast<size_t>(n));
    }
    return std::make_unique<VectorStream>(std::move(batches));
  }
  std::string Describe() const override { return "numbers"; }
  int64_t EstimatedBytes() const override { return splits_ * rows_ * 8; }

 private:
  int splits_, rows_;
  Schema schema_;
};

TEST(RowIdSourceTest, IdsAreUniqueAcrossSplitsAndFollowTheRequestedColumns) {
  RowIdSource source(std::make_shared<NumberSource>(3, 7), "#id");
  ASSERT_EQ(source.schema().size(), 2u);
  EXPECT_EQ(source.schema().field(1).name, "#id");
  std::set<int64_t> ids;
  for (int split = 0; split < source.num_splits(); split++) {
    auto stream = source.Open(split, {1, 0});  // the id first, then the value
    Batch b;
    int64_t row = 0;
    while (stream->Next(&b)) {
      ASSERT_EQ(b.num_columns(), 2u);
      for (size_t r = 0; r < b.num_rows(); r++, row++) {
        const int64_t id = b.column(0)->data<int64_t>()[r];
        EXPECT_EQ(id, (int64_t{split} << RowIdSource::kSplitShift) + row);
        EXPECT_EQ(b.column(1)->data<int64_t>()[r], split * 1000 + row);
        ids.insert(id);
      }
    }
    EXPECT_EQ(row, 7);
  }
  EXPECT_EQ(ids.size(), 21u);
}

TEST(RowIdSourceTest, ValuesAloneLeaveTheIdOut) {
  RowIdSource source(std::make_shared<NumberSource>(1, 4), "#id");
  auto stream = source.Open(0, {0});
  Batch b;
  ASSERT_TRUE(stream->Next(&b));
  EXPECT_EQ(b.num_columns(), 1u);
  EXPECT_EQ(b.column(0)->data<int64_t>()[1], 1);
}

TEST(RowIdSourceTest, APrunedSourceThatCannotPruneStaysUnpruned) {
  RowIdSource source(std::make_shared<NumberSource>(1, 4), "#id");
  EXPECT_EQ(source.WithFilters({}), nullptr);
  EXPECT_EQ(source.EstimatedBytes(), 32);
  EXPECT_EQ(source.Describe(), "numbers with row ids");
}

}  // namespace
}  // namespace sluice
