#include "ml/xgboost_call.h"

#include <xgboost/c_api.h>

#include "common/error.h"

namespace sluice::ml {

void CheckXgboost(int rc, const std::string& what) {
  if (rc == 0) return;
  throw InvalidInputError("XGBoost " + what + " failed: " + XGBGetLastError());
}

}  // namespace sluice::ml
