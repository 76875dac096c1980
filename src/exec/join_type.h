#pragma once

#include <string>

namespace sluice {

// The join types HashJoin implements. The probe side is the left input, the build side the
// right input; semi and anti joins return probe rows only.
enum class JoinType { kInner, kLeft, kRight, kFull, kSemi, kAnti };

// "INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI".
inline std::string ToString(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "INNER";
    case JoinType::kLeft: return "LEFT";
    case JoinType::kRight: return "RIGHT";
    case JoinType::kFull: return "FULL";
    case JoinType::kSemi: return "SEMI";
    case JoinType::kAnti: return "ANTI";
  }
  return "?";
}

}  // namespace sluice
