#pragma once

#include "exec/write_sink.h"

namespace sluice {

// The sink of a DELETE, UPDATE or MERGE: a WriteSink whose child carries, after the target
// table's columns, two BOOLEAN columns: `#keep` (the row is written: false for a deleted
// row) and `#hit` (the statement changed the row). Each task writes its kept rows, without
// the two flags, and yields the number of rows hit (the statement's affected rows), so a
// delete is counted although it writes nothing. Commits like WriteSink, in Finalize.
class ChangeSink : public WriteSink {
 public:
  ChangeSink(PhysicalOperatorPtr child, std::shared_ptr<const DataTarget> target)
      : WriteSink(std::move(child), std::move(target)) {}

  std::string name() const override { return "ChangeSink"; }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;
};

}  // namespace sluice
