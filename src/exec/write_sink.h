#pragma once

#include <memory>

#include "exec/operator.h"
#include "io/data_writer.h"

namespace sluice {

// The sink operator of a write (INSERT, CREATE TABLE AS, COPY TO, the rows of a DELETE,
// UPDATE or MERGE rewrite): the write begins (DataTarget::Begin) when the first task
// starts, each task streams its partition of the child into its own sink (sink index =
// partition) and yields one row, the number of rows it wrote (BIGINT `count`), and
// Finalize commits once every task has succeeded, so a failed statement commits nothing.
// Rows flow through: a task holds at most a row group per open file (reserved from the
// memory budget when it has room). A retried task opens its partition's sink again.
class WriteSink : public PhysicalOperator {
 public:
  WriteSink(PhysicalOperatorPtr child, std::shared_ptr<const DataTarget> target);

  std::string name() const override { return "WriteSink"; }
  std::string details() const override { return target_->Describe(); }
  const DataTarget& target() const { return *target_; }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;
  void Finalize(ExecContext& ctx) const override;

  // A write shared by the processes of a cluster (target().WritableByEveryProcess()): each
  // begins the write before any task of any process writes (BeginWrite), runs its own tasks,
  // then exports what they wrote (ExportSinks) to the process that imports it all
  // (ImportSinks) and commits (Finalize).
  // `joined`: another process began first (DataTarget::BeginJoined).
  void BeginWrite(ExecContext& ctx, bool joined) const;
  std::string ExportSinks(ExecContext& ctx) const { return Writer(ctx).ExportSinks(); }
  void ImportSinks(ExecContext& ctx, const std::string& exported) const {
    Writer(ctx).ImportSinks(exported);
  }

  // Memory reserved per task for the rows an open file buffers before encoding them.
  static constexpr int64_t kSinkReservation = int64_t{16} << 20;

 protected:
  // The statement's writer, begun once per query (shared state of this operator); `joined`:
  // with BeginJoined, when this call begins it.
  DataWriter& Writer(ExecContext& ctx, bool joined = false) const;

 private:

  std::shared_ptr<const DataTarget> target_;
};

// The schema of a WriteSink's output: one BIGINT column `count`.
Schema WriteCountSchema();
// The one row a write task yields: `rows`, in WriteCountSchema().
Batch WriteCountBatch(int64_t rows);

}  // namespace sluice
