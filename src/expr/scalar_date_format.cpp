// strftime (DATE/TIMESTAMP to text) and strptime/try_strptime (text to TIMESTAMP) with
// DuckDB's format specifiers. A constant format is compiled and checked once, at bind time;
// a format from a column is compiled per row. strptime fails with DuckDB's message naming
// the string, the format and the position; try_strptime gives NULL instead.
#include <fmt/format.h>

#include "common/error.h"
#include "expr/datetime_kernels.h"
#include "expr/scalar_functions.h"
#include "expr/strftime_format.h"
#include "expr/strptime_format.h"

namespace sluice::datetime {

namespace {

std::optional<BoundScalar> ResolveStrftime(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !IsDateOrTimestamp(args[0]->type) ||
      !kernel::ImplicitlyCastable(*args[1], kVarchar)) {
    return std::nullopt;
  }
  std::optional<StrftimeFormat> fixed;
  if (const Value* v = kernel::LiteralArg(args, 1)) fixed = StrftimeFormat::Compile(v->ToString());
  ScalarKernel k = [fixed](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader t(*cols[0]), f(*cols[1]);
    std::string buf;
    return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
      if (fixed) {
        fixed->Format(t.Get<int64_t>(i), buf);
      } else {
        StrftimeFormat::Compile(f.Get<StringView>(i).view()).Format(t.Get<int64_t>(i), buf);
      }
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
  return BoundScalar{kVarchar, {kTimestamp, kVarchar}, std::move(k)};
}

std::optional<BoundScalar> ResolveStrptime(const std::vector<ExprPtr>& args, bool try_parse) {
  if (args.size() != 2 || !kernel::ImplicitlyCastable(*args[0], kVarchar) ||
      !kernel::ImplicitlyCastable(*args[1], kVarchar)) {
    return std::nullopt;
  }
  std::optional<StrptimeFormat> fixed;
  // A constant format with a zone (%z, %Z) gives the instant, a TIMESTAMPTZ, as in DuckDB.
  bool zoned = false;
  if (const Value* v = kernel::LiteralArg(args, 1)) {
    const std::string text = v->ToString();
    fixed = StrptimeFormat::Compile(text);
    for (size_t i = 0; i + 1 < text.size(); i++) {
      if (text[i] != '%') continue;
      zoned |= text[i + 1] == 'z' || text[i + 1] == 'Z';
      i++;
    }
  }
  const LogicalType result = zoned ? LogicalType(TypeId::kTimestampTz) : kTimestamp;
  ScalarKernel k = [fixed, try_parse, result](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader s(*cols[0]), f(*cols[1]);
    std::string error;
    return kernel::RowExec(result, cols, n, [&](size_t i, Column& out) {
      std::optional<StrptimeFormat> row_format;
      if (!fixed) row_format = StrptimeFormat::Compile(f.Get<StringView>(i).view());
      const StrptimeFormat& format = fixed ? *fixed : *row_format;
      bool out_of_range = false;
      const std::optional<int64_t> v = format.Parse(s.Get<StringView>(i).view(), &error,
                                                    &out_of_range);
      if (v) {
        out.data<int64_t>()[i] = *v;
        return true;
      }
      if (try_parse) return false;
      if (out_of_range) throw ConversionError(error);
      throw InvalidInputError(error);
    });
  };
  return BoundScalar{result, {kVarchar, kVarchar}, std::move(k)};
}

}  // namespace

void RegisterDateFormatFunctions(FunctionRegistry& r) {
  r.AddScalar("strftime", ResolveStrftime, "strftime(DATE|TIMESTAMP, VARCHAR)");
  r.AddScalar(
      "strptime", [](const std::vector<ExprPtr>& a) { return ResolveStrptime(a, false); },
      "strptime(VARCHAR, VARCHAR)");
  r.AddScalar(
      "try_strptime", [](const std::vector<ExprPtr>& a) { return ResolveStrptime(a, true); },
      "try_strptime(VARCHAR, VARCHAR)");
}

}  // namespace sluice::datetime
