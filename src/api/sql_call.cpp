// CALL [catalog.][system.]procedure(args): arguments matched to the procedure's parameters
// (positional first, then by name), evaluated as constants, then run.
#include "api/sql_call.h"

#include <fmt/format.h>

#include "api/procedure_registry.h"
#include "binder/sql_binder.h"
#include "common/strings.h"
#include "sql/error_context.h"

namespace sluice {

StatementResult RunCall(Session& session, SqlBinder& binder, const sql::CallStatement& call) {
  const std::vector<std::string>& parts = call.procedure.parts;
  // Spark names them system.<name> (catalog.system.<name>); the namespace is optional here.
  if (parts.size() > 3 || (parts.size() >= 2 && ToLower(parts[parts.size() - 2]) != "system")) {
    binder.ThrowBind(call.procedure, fmt::format("procedure {} does not exist: procedures live in "
                                                 "the namespace system",
                                                 call.procedure.ToString()));
  }
  const std::string name = ToLower(parts.back());
  const Procedure* procedure = Procedures().Find(name);
  if (procedure == nullptr) {
    binder.ThrowBind(call.procedure, fmt::format("procedure {} does not exist!{}", name,
                                                 DidYouMean(name, Procedures().Names())));
  }
  std::map<std::string, Value> values;
  size_t next_positional = 0;
  for (size_t i = 0; i < call.args.size(); i++) {
    const sql::Expr& arg = *call.args[i];
    std::string parameter;
    if (i < call.arg_names.size() && !call.arg_names[i].empty()) {
      parameter = ToLower(call.arg_names[i]);
      bool known = false;
      for (const auto& p : procedure->parameters) known |= p.name == parameter;
      if (!known) {
        std::vector<std::string> names;
        for (const auto& p : procedure->parameters) names.push_back(p.name);
        binder.ThrowBind(arg, fmt::format("{} has no parameter {}{}", name, parameter,
                                          DidYouMean(parameter, names)));
      }
    } else {
      if (next_positional >= procedure->parameters.size()) {
        binder.ThrowBind(
            arg, fmt::format("{} takes at most {} arguments", name, procedure->parameters.size()));
      }
      parameter = procedure->parameters[next_positional++].name;
    }
    if (values.count(parameter)) {
      binder.ThrowBind(arg, fmt::format("{}: argument {} given twice", name, parameter));
    }
    values[parameter] = binder.EvaluateConstantExpr(arg);
  }
  for (const auto& p : procedure->parameters) {
    if (p.required && values.count(p.name) == 0) {
      binder.ThrowBind(call,
                       fmt::format("{}: missing argument {} ({})", name, p.name, p.description));
    }
  }
  try {
    return procedure->run(session, ProcedureArgs(name, std::move(values)));
  } catch (const InvalidInputError& e) {
    throw UserError(
        "Catalog", sql::FormatErrorWithCaret(binder.script(), call.line, call.column, e.message()));
  }
}

}  // namespace sluice
