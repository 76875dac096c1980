#pragma once

// Helpers for shuffle/ unit tests: batches from rows of Values, rows back from batches, and
// a ShuffleWriter fake that records what a map task wrote.

#include <cstdint>
#include <vector>

#include "shuffle/shuffle_writer.h"
#include "tests/support/row_batches.h"

namespace sluice::shuffle_test {

using test_support::Drain;
using test_support::MakeBatch;
using test_support::MakeSchema;
using test_support::Row;
using test_support::RowsOf;

// Rows 0..n-1 of one BIGINT column holding `first`, `first`+1, ...
inline std::vector<Row> Sequence(int64_t first, int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) rows.push_back({Value::BigInt(first + i)});
  return rows;
}

// Records every Write, and whether the writer was committed or aborted.
class RecordingWriter : public ShuffleWriter {
 public:
  struct Written {
    int partition;
    Batch batch;
  };
  void Write(int partition, Batch batch) override {
    writes.push_back({partition, std::move(batch)});
  }
  void Commit() override { committed = true; }
  void Abort() override {
    aborted = true;
    writes.clear();
  }

  std::vector<Written> writes;
  bool committed = false;
  bool aborted = false;
};

}  // namespace sluice::shuffle_test
