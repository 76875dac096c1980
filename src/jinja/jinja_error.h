#pragma once

#include <string>

#include "common/error.h"

namespace sluice::jinja {

// A template that does not parse or fails while rendering. The message names the template,
// line and column ("models/orders.sql:12:5: ..."). Value operations and native functions throw
// it without a position; the renderer adds the position of the expression being evaluated.
class JinjaError : public UserError {
 public:
  explicit JinjaError(std::string detail)
      : UserError("Jinja", detail), detail_(std::move(detail)) {}
  JinjaError(const SourcePosition& position, std::string detail)
      : UserError("Jinja", FormatPosition(position) + ": " + detail),
        detail_(std::move(detail)),
        position_(position),
        has_position_(true) {}

  // The message without the position prefix.
  const std::string& detail() const { return detail_; }
  const SourcePosition& position() const { return position_; }
  bool has_position() const { return has_position_; }

  static std::string FormatPosition(const SourcePosition& p) {
    return (p.file.empty() ? std::string("<string>") : p.file) + ":" + std::to_string(p.line) +
           ":" + std::to_string(p.column);
  }

 private:
  std::string detail_;
  SourcePosition position_;
  bool has_position_ = false;
};

}  // namespace sluice::jinja
