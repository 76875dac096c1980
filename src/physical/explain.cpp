#include "physical/explain.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "common/memory.h"
#include "exec/exchange.h"

namespace sluice {

namespace {

struct StageText {
  int id;
  int tasks;
  std::vector<std::string> lines;
};

class Explainer {
 public:
  explicit Explainer(ExecContext* ctx) : ctx_(ctx) {}

  // Renders the stage whose top operator is `top`; returns its id. Input stages are
  // rendered first (they get lower ids), mirroring execution order.
  int RenderStage(const PhysicalOperator& top) {
    StageText stage;
    std::vector<std::string> lines;
    RenderOperator(top, 1, lines);
    stage.id = next_id_++;
    stage.tasks = top.num_partitions();
    stage.lines = std::move(lines);
    stages_.push_back(std::move(stage));
    return stages_.back().id;
  }

  std::string Text() const {
    std::string out;
    std::vector<const StageText*> ordered;
    for (const auto& s : stages_) ordered.push_back(&s);
    std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->id > b->id; });
    for (const auto* s : ordered) {
      out += fmt::format("Stage {} ({} task{})\n", s->id, s->tasks, s->tasks == 1 ? "" : "s");
      for (const auto& l : s->lines) out += l + "\n";
    }
    return out;
  }

 private:
  void RenderOperator(const PhysicalOperator& op, int depth, std::vector<std::string>& lines) {
    const std::string pad(depth * 2, ' ');
    if (op.is_exchange()) {
      const int input = RenderStage(op.child());
      std::string line = fmt::format("{}Exchange {} <- Stage {}", pad, op.details(), input);
      if (ctx_ != nullptr) {
        const ExchangeBuffer* buffer = static_cast<const Exchange&>(op).buffer(*ctx_);
        const auto stats = buffer->Stats();
        line += fmt::format("  [rows={} bytes={} stage_time={:.1f}ms]", stats.total_rows(),
                            FormatBytes(stats.total_bytes()), buffer->map_seconds() * 1e3);
      }
      lines.push_back(line);
      return;
    }
    std::string line = fmt::format("{}{} [{}]", pad, op.name(), op.is_wide() ? "WIDE" : "NARROW");
    const std::string details = op.details();
    if (!details.empty()) line += " " + details;
    if (ctx_ != nullptr) {
      const auto& m = ctx_->metrics(op.id());
      line += fmt::format("  (rows={} time={:.1f}ms)", m.rows_out.load(), m.nanos.load() / 1e6);
    }
    lines.push_back(line);
    for (const auto& c : op.children()) RenderOperator(*c, depth + 1, lines);
  }

  ExecContext* ctx_;
  int next_id_ = 1;
  std::vector<StageText> stages_;
};

}  // namespace

std::string ExplainPlan(const PhysicalOperator& root, ExecContext* ctx) {
  Explainer explainer(ctx);
  explainer.RenderStage(root);
  return explainer.Text();
}

}  // namespace sluice
