#include "nested_values.h"

#include <string>

namespace py = pybind11;

namespace sluice::python {

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;

}  // namespace

PythonValues::PythonValues()
    : datetime_(py::module_::import("datetime")),
      epoch_date_(datetime_.attr("date")(1970, 1, 1)),
      epoch_(datetime_.attr("datetime")(1970, 1, 1)),
      timedelta_(datetime_.attr("timedelta")),
      time_(datetime_.attr("time")),
      decimal_(py::module_::import("decimal").attr("Decimal")),
      make_row_(py::module_::import("sluice.row").attr("Row").attr("_make_row")),
      interval_(py::module_::import("sluice.convert").attr("_interval")) {}

py::object PythonValues::operator()(const Value& v) const {
  if (v.is_null()) return py::none();
  const LogicalType& type = v.type();
  switch (type.id()) {
    case TypeId::kBoolean: return py::bool_(v.GetBool());
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: return py::int_(v.GetInt());
    case TypeId::kDouble: return py::float_(v.GetDouble());
    case TypeId::kDecimal: return decimal_(v.ToString());
    case TypeId::kVarchar: return py::str(v.GetString());
    case TypeId::kBlob: return py::bytes(v.GetString());
    case TypeId::kDate: return epoch_date_ + timedelta_(py::arg("days") = v.GetInt());
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return epoch_ + timedelta_(py::arg("microseconds") = v.GetInt());
    case TypeId::kTime: {
      const int64_t micros = v.GetInt();
      const int64_t seconds = micros / kMicrosPerSecond;
      return time_(seconds / 3600, seconds / 60 % 60, seconds % 60, micros % kMicrosPerSecond);
    }
    case TypeId::kInterval: {
      const Interval& i = v.GetInterval();
      return interval_(py::make_tuple(i.months, i.days, i.micros));
    }
    case TypeId::kList: {
      py::list out;
      for (const Value& e : v.GetChildren()) out.append((*this)(e));
      return std::move(out);
    }
    case TypeId::kStruct: {
      py::list names;
      py::list values;
      const auto& fields = type.StructFields();
      for (size_t i = 0; i < fields.size(); i++) {
        names.append(fields[i].name);
        values.append((*this)(v.GetChildren()[i]));
      }
      return make_row_(names, values);
    }
    case TypeId::kMap: {
      py::dict out;
      for (const Value& entry : v.GetChildren()) {
        out[(*this)(entry.GetChildren()[0])] = (*this)(entry.GetChildren()[1]);
      }
      return std::move(out);
    }
    case TypeId::kNull: return py::none();
  }
  return py::str(v.ToString());
}

}  // namespace sluice::python
