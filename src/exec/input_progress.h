#pragma once

#include <cstdint>
#include <memory>

#include "exec/exec_context.h"
#include "exec/operator.h"
#include "vector/batch_stream.h"

namespace sluice {

// `in` reporting each batch's rows to the query's ProgressListener as it is read (a stage
// leaf's stream); `in` itself when nothing listens.
std::unique_ptr<BatchStream> ReportInputRows(std::unique_ptr<BatchStream> in, ExecContext& ctx);

// The rows the stage rooted at `root` reads: the sum of ExpectedInputRows over its leaves
// (down to, not below, the exchanges it reads), or -1 when a leaf does not know.
int64_t ExpectedStageInputRows(const PhysicalOperator& root, ExecContext& ctx);

}  // namespace sluice
