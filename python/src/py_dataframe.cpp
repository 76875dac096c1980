#include "py_dataframe.h"

#include <pybind11/stl.h>

#include "api/dataframe_sql.h"
#include "interruptible.h"
#include "py_map.h"
#include "result_columns.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

PyDataFrame With(const PyDataFrame& self, DataFrame df) { return PyDataFrame{self.session, std::move(df)}; }

py::list SchemaOf(const PyDataFrame& self) {
  py::list out;
  for (const Field& f : self.df.schema().fields()) {
    out.append(py::make_tuple(f.name, f.type.ToString(), f.nullable));
  }
  return out;
}

// Runs the whole plan and returns (rows, [(values, nulls) per column]).
py::tuple Gather(const PyDataFrame& self, int64_t max_bytes) {
  ResultColumns result = GatherResult(*self.session, self.df.plan(), max_bytes);
  py::list columns;
  for (size_t i = 0; i < result.columns.size(); i++) columns.append(ColumnToPython(result, i));
  return py::make_tuple(result.rows, columns);
}

void Write(const PyDataFrame& self, const std::string& path, const std::string& format,
           const std::vector<std::string>& partition_by,
           const std::map<std::string, std::string>& options) {
  DataFrameWriter writer = self.df.Write().Format(format);
  for (const auto& [name, value] : options) writer = writer.Option(name, value);
  if (!partition_by.empty()) writer = writer.PartitionBy(partition_by);
  RunInterruptible(*self.session, [&] { writer.Save(path); });
}

std::vector<ExprPtr> Columns(const std::vector<std::string>& names) {
  std::vector<ExprPtr> out;
  for (const std::string& n : names) out.push_back(Col(n));
  return out;
}

}  // namespace

void RegisterDataFrame(py::module_& m) {
  py::class_<PyDataFrame>(m, "DataFrame", "The engine's lazy DataFrame (see sluice.DataFrame).")
      .def_property_readonly("columns", [](const PyDataFrame& s) { return s.df.columns(); })
      .def("schema", &SchemaOf)
      .def("select_names",
           [](const PyDataFrame& s, const std::vector<std::string>& names) {
             return With(s, s.df.Select(names));
           })
      .def("drop", [](const PyDataFrame& s, const std::vector<std::string>& names) {
        return With(s, s.df.Drop(names));
      })
      .def("with_column_renamed",
           [](const PyDataFrame& s, const std::string& from, const std::string& to) {
             return With(s, s.df.WithColumnRenamed(from, to));
           })
      .def("join_on",
           [](const PyDataFrame& s, const PyDataFrame& other, const std::vector<std::string>& on,
              const std::string& how) { return With(s, s.df.Join(other.df, on, how)); })
      .def("cross_join", [](const PyDataFrame& s, const PyDataFrame& other) {
        return With(s, s.df.CrossJoin(other.df));
      })
      .def("union", [](const PyDataFrame& s, const PyDataFrame& o) { return With(s, s.df.Union(o.df)); })
      .def("distinct", [](const PyDataFrame& s) { return With(s, s.df.Distinct()); })
      .def("drop_duplicates",
           [](const PyDataFrame& s, const std::vector<std::string>& subset) {
             return With(s, s.df.DropDuplicates(subset));
           })
      .def("limit", [](const PyDataFrame& s, int64_t n, int64_t offset) {
        return With(s, s.df.Limit(n, offset));
      })
      .def("repartition",
           [](const PyDataFrame& s, int n, const std::vector<std::string>& keys) {
             return With(s, s.df.Repartition(n, Columns(keys)));
           })
      .def("coalesce", [](const PyDataFrame& s, int n) { return With(s, s.df.Coalesce(n)); })
      .def("cache", [](const PyDataFrame& s) { return With(s, s.df.Cache()); })
      .def("map_batches",
           [](const PyDataFrame& s, const std::string& name,
              const std::vector<std::pair<std::string, std::string>>& fields, py::object runner) {
             Schema schema;
             for (const auto& [field, type] : fields) {
               Field f;
               f.name = field;
               f.type = ParseTypeName(type);
               schema.Add(f);
             }
             std::shared_ptr<const BatchMapper> mapper =
                 MakePythonMapper(name, schema, std::move(runner));
             return With(s, s.session->FromPlan(MakeMapBatches(s.df.plan(), schema, mapper)));
           })
      .def("hint", [](const PyDataFrame& s, const std::string& name) { return With(s, s.df.Hint(name)); })
      .def("count",
           [](const PyDataFrame& s) {
             int64_t n = 0;
             RunInterruptible(*s.session, [&] { n = s.df.Count(); });
             return n;
           })
      .def("show_string",
           [](const PyDataFrame& s, int64_t n) {
             std::string text;
             RunInterruptible(*s.session, [&] { text = s.df.ShowString(n); });
             return text;
           })
      .def("explain",
           [](const PyDataFrame& s, bool analyze) {
             std::string text;
             RunInterruptible(*s.session, [&] { text = s.df.Explain(analyze); });
             return text;
           })
      .def("logical_plan", [](const PyDataFrame& s) { return s.df.plan()->ToString(); })
      .def("estimated_bytes", [](const PyDataFrame& s) { return EstimateResultBytes(*s.df.plan()); })
      .def("gather", &Gather, py::arg("max_bytes"))
      .def("write", &Write)
      .def("save_as_table",
           [](const PyDataFrame& s, const std::string& name, bool replace) {
             RunInterruptible(*s.session, [&] { s.df.Write().SaveAsTable(name, replace); });
           })
      .def("insert_into", [](const PyDataFrame& s, const std::string& name) {
        int64_t n = 0;
        RunInterruptible(*s.session, [&] { n = s.session->Insert(name, s.df.plan()); });
        return n;
      });
}

}  // namespace sluice::python
