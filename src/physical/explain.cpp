#include "physical/explain.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "common/memory.h"
#include "exec/adaptive_shuffle_read.h"
#include "exec/exchange.h"
#include "exec/task_stats.h"

namespace sluice {

namespace {

// One operator line of a stage (an exchange is a line of the stage that reads it).
struct OperatorEntry {
  const PhysicalOperator* op;
  int depth;
  int input_stage = -1;  // exchanges: the stage that writes it
};

// The stage graph of a plan, with run-time statistics when a context is given; rendered as
// text, JSON or Graphviz.
struct StageEntry {
  int id;
  int tasks;
  const PhysicalOperator* top;  // the stage's top operator
  const PhysicalOperator* end;  // what ends the stage: its exchange, or the plan root (== top)
  std::vector<OperatorEntry> operators;
};

class StageGraph {
 public:
  StageGraph(const PhysicalOperator& root, ExecContext* ctx) : ctx_(ctx) { BuildStage(root, &root); }

  std::string Text() const {
    std::string out;
    for (const StageEntry* s : Ordered()) {
      const AdaptiveShuffleRead* read = AdaptiveReadOf(*s);
      if (read != nullptr && read->kind() == AdaptiveShuffleRead::Kind::kCoalesced) {
        // The adaptive pass coalesced the partitions this stage reads.
        out += fmt::format("Stage {} ({} task{}, coalesced from {})", s->id, s->tasks,
                           s->tasks == 1 ? "" : "s", read->exchange().num_partitions());
      } else if (read != nullptr && read->kind() == AdaptiveShuffleRead::Kind::kSkewSplit) {
        // The adaptive pass cut skewed join partitions into slices.
        out += fmt::format("Stage {} ({} tasks, skew split from {})", s->id, s->tasks,
                           read->exchange().num_partitions());
      } else if (read != nullptr && read->kind() == AdaptiveShuffleRead::Kind::kSaltSplit) {
        // The adaptive pass read hot-key partitions once per salt.
        out += fmt::format("Stage {} ({} tasks, salt split from {})", s->id, s->tasks,
                           read->exchange().num_partitions());
      } else {
        out += fmt::format("Stage {} ({} task{})", s->id, s->tasks, s->tasks == 1 ? "" : "s");
      }
      if (ctx_ != nullptr && s->end == s->top) out += Skew(*s->end, true);
      if (ctx_ != nullptr) out += Retries(*s->end);
      out += "\n";
      for (const auto& e : s->operators) out += OperatorLine(e) + "\n";
    }
    return out;
  }

  std::string Json() const {
    std::string out = "{\"stages\": [";
    bool first_stage = true;
    for (const StageEntry* s : Ordered()) {
      out += first_stage ? "" : ", ";
      first_stage = false;
      out += fmt::format("{{\"id\": {}, \"tasks\": {}", s->id, s->tasks);
      if (ctx_ != nullptr) out += ", \"task_stats\": " + SkewJson(*s->end);
      out += ", \"operators\": [";
      bool first_op = true;
      for (const auto& e : s->operators) {
        if (e.op->is_exchange()) continue;
        out += first_op ? "" : ", ";
        first_op = false;
        out += OperatorJson(e);
      }
      out += "]}";
    }
    out += "], \"exchanges\": [";
    bool first = true;
    for (const StageEntry& s : stages_) {
      for (const auto& e : s.operators) {
        if (!e.op->is_exchange()) continue;
        out += first ? "" : ", ";
        first = false;
        out += ExchangeJson(e, s.id);
      }
    }
    out += "]}";
    return out;
  }

  std::string Dot() const {
    std::string out = "digraph plan {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n";
    for (const StageEntry* s : Ordered()) {
      out += fmt::format("  subgraph cluster_stage{} {{\n    label=\"Stage {} ({} tasks)\";\n",
                         s->id, s->id, s->tasks);
      for (const auto& e : s->operators) {
        if (e.op->is_exchange()) continue;
        std::string label = e.op->name();
        if (!e.op->details().empty()) label += "\\n" + DotEscape(e.op->details());
        if (!e.op->explain_note().empty()) label += "\\n" + DotEscape(e.op->explain_note());
        if (ctx_ != nullptr) {
          const auto& m = ctx_->metrics(e.op->id());
          label += fmt::format("\\nrows={} time={:.1f}ms", m.rows_out.load(), m.nanos.load() / 1e6);
        }
        out += fmt::format("    op{} [label=\"{}\"];\n", e.op->id(), label);
      }
      out += "  }\n";
    }
    // Edges: child -> parent within a stage; an exchange is an edge from the top operator of
    // the stage that writes it to the operator that reads it.
    for (const StageEntry& s : stages_) {
      for (const auto& e : s.operators) {
        if (e.op->is_exchange()) continue;
        for (const auto& c : e.op->children()) {
          if (!c->is_exchange()) {
            out += fmt::format("  op{} -> op{};\n", c->id(), e.op->id());
            continue;
          }
          const std::string label = DotEscape("Exchange " + c->details());
          out += fmt::format("  op{} -> op{} [style=dashed, label=\"{}\"];\n", c->child().id(),
                             e.op->id(), label);
        }
      }
    }
    out += "}\n";
    return out;
  }

 private:
  int BuildStage(const PhysicalOperator& top, const PhysicalOperator* end) {
    StageEntry stage{0, top.num_partitions(), &top, end, {}};
    if (end == &top && top.is_exchange()) {
      // A root exchange: its final stage reads it and its map stage is the child's.
      stage.operators.push_back(OperatorEntry{&top, 1, BuildStage(top.child(), &top)});
    } else {
      Walk(top, 1, stage.operators);
    }
    stage.id = next_id_++;
    stages_.push_back(std::move(stage));
    return stages_.back().id;
  }

  void Walk(const PhysicalOperator& op, int depth, std::vector<OperatorEntry>& out) {
    if (op.is_exchange()) {
      const size_t at = out.size();
      out.push_back(OperatorEntry{&op, depth, -1});
      const int input = BuildStage(op.child(), &op);
      out[at].input_stage = input;
      return;
    }
    out.push_back(OperatorEntry{&op, depth, -1});
    for (const auto& c : op.children()) Walk(*c, depth + 1, out);
  }

  // The read that coalesced or skew-split the stage's input, or null.
  static const AdaptiveShuffleRead* AdaptiveReadOf(const StageEntry& stage) {
    for (const auto& e : stage.operators) {
      const auto* read = dynamic_cast<const AdaptiveShuffleRead*>(e.op);
      if (read != nullptr && read->kind() != AdaptiveShuffleRead::Kind::kBroadcastBuild) {
        return read;
      }
    }
    return nullptr;
  }

  std::vector<const StageEntry*> Ordered() const {
    std::vector<const StageEntry*> ordered;
    for (const auto& s : stages_) ordered.push_back(&s);
    std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->id > b->id; });
    return ordered;
  }

  std::string Skew(const PhysicalOperator& end, bool bracket) const {
    const auto s = TaskStatsOf(*ctx_, end).Summarize();
    if (s.tasks == 0) return "";
    const std::string body = fmt::format(
        "task time max={:.1f}ms median={:.1f}ms, task rows max={} median={}", s.max_seconds * 1e3,
        s.median_seconds * 1e3, s.max_rows, s.median_rows);
    return bracket ? "  [" + body + "]" : body;
  }

  // "  retries=N" when tasks of the stage ended by `end` failed and were re-run.
  std::string Retries(const PhysicalOperator& end) const {
    const int retries = TaskStatsOf(*ctx_, end).Summarize().retries;
    return retries > 0 ? fmt::format("  retries={}", retries) : "";
  }

  std::string SkewJson(const PhysicalOperator& end) const {
    const auto s = TaskStatsOf(*ctx_, end).Summarize();
    return fmt::format(
        "{{\"tasks\": {}, \"max_time_ms\": {:.3f}, \"median_time_ms\": {:.3f}, "
        "\"max_rows\": {}, \"median_rows\": {}, \"retries\": {}}}",
        s.tasks, s.max_seconds * 1e3, s.median_seconds * 1e3, s.max_rows, s.median_rows,
        s.retries);
  }

  std::string OperatorLine(const OperatorEntry& e) const {
    const PhysicalOperator& op = *e.op;
    const std::string pad(e.depth * 2, ' ');
    if (op.is_exchange()) {
      std::string line = fmt::format("{}Exchange {} <- Stage {}", pad, op.details(), e.input_stage);
      if (ctx_ != nullptr) {
        const ExchangeState& state = static_cast<const Exchange&>(op).State(*ctx_);
        const auto stats = state.shuffle->Stats();
        line += fmt::format("  [rows={} bytes={} stage_time={:.1f}ms", stats.total_rows(),
                            FormatBytes(stats.total_bytes()), state.map_seconds * 1e3);
        if (state.shuffle->spilled_bytes() > 0) {
          line += fmt::format(" spilled={}", FormatBytes(state.shuffle->spilled_bytes()));
        }
        const std::string skew = Skew(op, false);
        line += skew.empty() ? "" : "; " + skew;
        // A map stage loaded, not run (--resume).
        const std::string runtime = ctx_->RuntimeNote(op.id());
        line += (runtime.empty() ? "" : "; " + runtime) + "]";
      }
      return line;
    }
    std::string line = fmt::format("{}{} [{}]", pad, op.name(), op.is_wide() ? "WIDE" : "NARROW");
    const std::string details = op.details();
    if (!details.empty()) line += " " + details;
    if (!op.explain_note().empty()) line += " -- " + op.explain_note();
    if (ctx_ != nullptr) {
      const std::string runtime = ctx_->RuntimeNote(op.id());
      if (!runtime.empty()) line += (op.explain_note().empty() ? " -- " : "; ") + runtime;
      const auto& m = ctx_->metrics(op.id());
      line += fmt::format("  (rows={} time={:.1f}ms", m.rows_out.load(), m.nanos.load() / 1e6);
      if (m.spilled_bytes.load() > 0) line += " spilled=" + FormatBytes(m.spilled_bytes.load());
      line += ")";
    }
    return line;
  }

  std::string OperatorJson(const OperatorEntry& e) const {
    const PhysicalOperator& op = *e.op;
    std::string out = fmt::format(
        "{{\"id\": {}, \"name\": \"{}\", \"wide\": {}, \"details\": \"{}\"", op.id(),
        JsonEscape(op.name()), op.is_wide() ? "true" : "false", JsonEscape(op.details()));
    if (!op.explain_note().empty()) out += ", \"strategy\": \"" + JsonEscape(op.explain_note()) + "\"";
    if (ctx_ != nullptr && !ctx_->RuntimeNote(op.id()).empty()) {
      out += ", \"adaptive\": \"" + JsonEscape(ctx_->RuntimeNote(op.id())) + "\"";
    }
    out += ", \"partitioning\": \"" + JsonEscape(op.output_partitioning().ToString(op.schema())) + "\"";
    out += ", \"children\": [";
    for (size_t i = 0; i < op.children().size(); i++) {
      out += fmt::format("{}{}", i > 0 ? ", " : "", op.child(i).id());
    }
    out += "]";
    if (ctx_ != nullptr) {
      const auto& m = ctx_->metrics(op.id());
      out += fmt::format(", \"metrics\": {{\"rows\": {}, \"batches\": {}, \"time_ms\": {:.3f}}}",
                         m.rows_out.load(), m.batches_out.load(), m.nanos.load() / 1e6);
    }
    return out + "}";
  }

  std::string ExchangeJson(const OperatorEntry& e, int reader_stage) const {
    const PhysicalOperator& op = *e.op;
    std::string out = fmt::format(
        "{{\"id\": {}, \"partitioning\": \"{}\", \"from_stage\": {}, \"to_stage\": {}, "
        "\"input_operator\": {}",
        op.id(), JsonEscape(op.details()), e.input_stage, reader_stage, op.child().id());
    if (ctx_ != nullptr) {
      const ExchangeState& state = static_cast<const Exchange&>(op).State(*ctx_);
      const auto stats = state.shuffle->Stats();
      out += fmt::format(
          ", \"stats\": {{\"rows\": {}, \"bytes\": {}, \"stage_time_ms\": {:.3f}, "
          "\"partition_rows\": [{}], \"partition_bytes\": [{}]}}, \"task_stats\": {}",
          stats.total_rows(), stats.total_bytes(), state.map_seconds * 1e3,
          fmt::join(stats.rows, ", "), fmt::join(stats.bytes, ", "), SkewJson(op));
    }
    return out + "}";
  }

  static std::string JsonEscape(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    return out;
  }

  static std::string DotEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out;
  }

  ExecContext* ctx_;
  int next_id_ = 1;
  std::vector<StageEntry> stages_;
};

}  // namespace

std::string ExplainPlan(const PhysicalOperator& root, ExecContext* ctx, ExplainFormat format) {
  const StageGraph graph(root, ctx);
  switch (format) {
    case ExplainFormat::kJson: return graph.Json();
    case ExplainFormat::kDot: return graph.Dot();
    case ExplainFormat::kText: break;
  }
  return graph.Text();
}

std::string ExplainWithEarlier(const std::vector<ExplainSection>& earlier, const std::string& query,
                               ExplainFormat format) {
  if (earlier.empty()) return query;
  std::string out;
  switch (format) {
    case ExplainFormat::kJson: {
      out = "{\"earlier\": [";
      for (size_t i = 0; i < earlier.size(); i++) {
        out += fmt::format("{}{{\"title\": \"{}\", \"plan\": {}}}", i > 0 ? ", " : "",
                           earlier[i].title, earlier[i].plan);
      }
      // The query's object continues after its opening brace.
      return out + "], " + (query.empty() ? "}" : query.substr(1));
    }
    case ExplainFormat::kDot:
      for (const auto& e : earlier) out += "// " + e.title + "\n" + e.plan + "\n";
      return out + "// Query\n" + query;
    case ExplainFormat::kText: break;
  }
  for (const auto& e : earlier) out += e.title + ", runs first:\n" + e.plan + "\n";
  return out + "Query:\n" + query;
}

}  // namespace sluice
