#include "dbt/compiler.h"

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <set>

#include "jinja/jinja_environment.h"
#include "jinja/jinja_error.h"

namespace sluice::dbt {

using jinja::CallArgs;
using jinja::JinjaError;
using jinja::Value;

// What one render records and knows: config() calls, refs, whether SQL may run.
struct Compiler::RenderState {
  bool execute = false;
  bool is_incremental = false;
  Config config_calls;
  std::vector<std::string> depends_on;
  std::vector<std::string> ephemerals;  // unique ids of ephemeral models referenced

  void AddDependency(const std::string& id) {
    for (const auto& d : depends_on) {
      if (d == id) return;
    }
    depends_on.push_back(id);
  }
};

namespace {

// dbt's Relation: renders as schema.identifier, with the parts as attributes.
class RelationObject : public jinja::Object {
 public:
  RelationObject(std::string schema, std::string identifier)
      : schema_(std::move(schema)), identifier_(std::move(identifier)) {}
  std::string TypeName() const override { return "Relation"; }
  std::string Str() const override { return schema_ + "." + identifier_; }
  Value GetAttribute(std::string_view name) const override {
    if (name == "schema") return Value(schema_);
    if (name == "identifier" || name == "name" || name == "table") return Value(identifier_);
    if (name == "database") return Value("sluice");
    return Value::Undefined("'Relation' object has no attribute '" + std::string(name) + "'");
  }

 private:
  std::string schema_;
  std::string identifier_;
};

// dbt's `config`: config(key=value, ...) records; config.get(key, default) reads.
class ConfigObject : public jinja::Callable {
 public:
  ConfigObject(const Config* node_config, Config* calls, bool record)
      : node_config_(node_config), calls_(calls), record_(record) {}
  std::string TypeName() const override { return "Config"; }
  Value Call(const CallArgs& args) override {
    if (record_) {
      for (const auto& [key, value] : args.keyword) MergeConfig(*calls_, key, value);
      if (!args.positional.empty() && args.positional[0].IsDict()) {
        for (const auto& [k, v] : args.positional[0].AsDict().entries()) {
          MergeConfig(*calls_, k.Str(), v);
        }
      }
    }
    return Value("");
  }
  Value GetAttribute(std::string_view name) const override {
    if (name != "get" && name != "require") return Callable::GetAttribute(name);
    const bool required = name == "require";
    const Config* node_config = node_config_;
    const Config* calls = calls_;
    return jinja::MakeFunction(std::string(name), [=](const CallArgs& args) {
      auto bound = jinja::BindArguments("config.get", args, {"name", "default"});
      if (!bound[0]) throw JinjaError("config.get() needs a name");
      const std::string key = bound[0]->Str();
      auto it = calls->find(key);
      if (it != calls->end()) return it->second;
      it = node_config->find(key);
      if (it != node_config->end()) return it->second;
      if (required) throw JinjaError("config '" + key + "' is required");
      return bound[1] ? *bound[1] : Value::None();
    });
  }

 private:
  const Config* node_config_;
  Config* calls_;
  bool record_;
};

// dbt's `adapter`: dispatch() and quote().
class AdapterObject : public jinja::Object {
 public:
  explicit AdapterObject(const jinja::JinjaEnvironment* env) : env_(env) {}
  std::string TypeName() const override { return "Adapter"; }
  Value GetAttribute(std::string_view name) const override {
    const jinja::JinjaEnvironment* env = env_;
    if (name == "dispatch") {
      return jinja::MakeFunction("dispatch", [env](const CallArgs& args) {
        auto bound = jinja::BindArguments("adapter.dispatch", args, {"macro_name", "macro_namespace"});
        if (!bound[0]) throw JinjaError("adapter.dispatch() needs a macro name");
        const std::string macro = bound[0]->Str();
        for (const std::string& candidate : {"sluice__" + macro, "default__" + macro, macro}) {
          if (const Value* found = env->FindMacro(candidate)) return *found;
        }
        throw JinjaError("adapter.dispatch: no macro sluice__" + macro + " or default__" + macro);
      });
    }
    if (name == "quote") {
      return jinja::MakeFunction("quote", [](const CallArgs& args) {
        return Value("\"" + args.positional.at(0).Str() + "\"");
      });
    }
    return Value::Undefined("'Adapter' object has no attribute '" + std::string(name) + "'");
  }

 private:
  const jinja::JinjaEnvironment* env_;
};

std::string ArgString(const CallArgs& args, size_t i, const char* function) {
  if (args.positional.size() <= i) {
    throw JinjaError(std::string(function) + "() is missing an argument");
  }
  return args.positional[i].Str();
}

}  // namespace

Compiler::Compiler(Project& project, Target target, WarehouseHooks hooks)
    : project_(project), target_(std::move(target)), hooks_(std::move(hooks)),
      env_(std::make_unique<jinja::JinjaEnvironment>()) {
  RegisterGlobals();
  for (const auto& [path, text] : project_.macro_files) env_->AddMacroTemplate(path, text);
  for (const auto& node : project_.nodes) {
    if (!node.raw_code.empty()) env_->AddTemplate(TemplateName(node), node.raw_code);
  }
}

Compiler::~Compiler() = default;

std::string Compiler::TemplateName(const Node& node) const {
  // Generic tests and snapshots share their file with other nodes.
  if ((node.type == ResourceType::kTest && !node.test_kind.empty()) ||
      node.type == ResourceType::kSnapshot) {
    return node.path + " (" + node.name + ")";
  }
  return node.path;
}

void Compiler::RegisterGlobals() {
  const Project* project = &project_;
  env_->AddFunction("var", [project](const CallArgs& args) {
    const std::string name = ArgString(args, 0, "var");
    auto it = project->vars.find(name);
    if (it != project->vars.end()) return it->second;
    if (args.positional.size() > 1) return args.positional[1];
    throw JinjaError("Required var '" + name + "' not found in dbt_project.yml vars");
  });
  env_->AddFunction("env_var", [](const CallArgs& args) {
    const std::string name = ArgString(args, 0, "env_var");
    if (const char* v = std::getenv(name.c_str())) return Value(std::string(v));
    if (args.positional.size() > 1) return args.positional[1];
    throw JinjaError("Env var required but not provided: '" + name + "'");
  });
  env_->AddFunction("log", [](const CallArgs& args) {
    const Value* info = args.Keyword("info");
    const bool show = (info && info->Truthy()) || (args.positional.size() > 1 && args.positional[1].Truthy());
    if (show && !args.positional.empty()) std::cerr << args.positional[0].Str() << "\n";
    return Value("");
  });
  Value target = Value::MakeDict();
  target.AsDict().Set(Value("name"), Value(target_.name));
  target.AsDict().Set(Value("schema"), Value(target_.schema));
  target.AsDict().Set(Value("type"), Value("sluice"));
  target.AsDict().Set(Value("database"), Value("sluice"));
  target.AsDict().Set(Value("threads"), Value(target_.threads));
  env_->AddGlobal("target", target);
  Value project_name(project_.name);
  env_->AddGlobal("project_name", project_name);
  env_->AddGlobal("adapter", Value(std::make_shared<AdapterObject>(env_.get())));
  auto exceptions = std::make_shared<jinja::Namespace>();
  exceptions->SetAttribute("raise_compiler_error", jinja::MakeFunction("raise_compiler_error",
      [](const CallArgs& args) -> Value { throw JinjaError(ArgString(args, 0, "raise_compiler_error")); }));
  exceptions->SetAttribute("warn", jinja::MakeFunction("warn", [](const CallArgs& args) {
    std::cerr << "Warning: " << ArgString(args, 0, "warn") << "\n";
    return Value("");
  }));
  env_->AddGlobal("exceptions", Value(std::shared_ptr<jinja::Object>(exceptions)));
}

jinja::Context Compiler::MakeContext(const Node& node, RenderState& state) const {
  jinja::Context context;
  RenderState* st = &state;
  const Project* project = &project_;
  const Node* self = &node;
  context["execute"] = Value(state.execute);
  context["ref"] = jinja::MakeFunction("ref", [st, project, self](const CallArgs& args) -> Value {
    // ref('model') or ref('package', 'model'); only this project's package is known.
    std::string name = ArgString(args, 0, "ref");
    if (args.positional.size() > 1) name = args.positional[1].Str();
    const Node* target = project->FindRefable(name);
    if (target == nullptr) {
      throw JinjaError("'" + self->name + "' depends on a node named '" + name +
                       "' which was not found");
    }
    st->AddDependency(target->unique_id);
    if (st->execute && ConfigString(*target, "materialized") == "ephemeral") {
      st->ephemerals.push_back(target->unique_id);
      return Value("__dbt__cte__" + target->name);
    }
    if (target->relation.empty()) return Value(target->name);  // parse phase, not yet known
    const auto dot = target->relation.find('.');
    return Value(std::make_shared<RelationObject>(target->relation.substr(0, dot),
                                                  target->relation.substr(dot + 1)));
  });
  context["source"] = jinja::MakeFunction("source", [st, project, self](const CallArgs& args) {
    const std::string source = ArgString(args, 0, "source");
    const std::string table = ArgString(args, 1, "source");
    const Node* target = project->FindSource(source, table);
    if (target == nullptr) {
      throw JinjaError("'" + self->name + "' depends on a source named '" + source + "." +
                       table + "' which was not found");
    }
    st->AddDependency(target->unique_id);
    return Value(std::make_shared<RelationObject>(target->schema, target->identifier));
  });
  context["config"] =
      Value(std::make_shared<ConfigObject>(&node.config, &state.config_calls, !state.execute));
  context["is_incremental"] =
      jinja::MakeFunction("is_incremental", [st](const CallArgs&) { return Value(st->is_incremental); });
  const std::string schema = node.schema.empty() ? target_.schema : node.schema;
  const std::string identifier = ConfigString(node, "alias", node.name);
  context["this"] = Value(std::make_shared<RelationObject>(schema, identifier));
  Value model = Value::MakeDict();
  model.AsDict().Set(Value("name"), Value(node.name));
  model.AsDict().Set(Value("unique_id"), Value(node.unique_id));
  model.AsDict().Set(Value("resource_type"), Value(ResourceTypeName(node.type)));
  model.AsDict().Set(Value("path"), Value(node.path));
  context["model"] = model;
  const WarehouseHooks* hooks = &hooks_;
  context["run_query"] = jinja::MakeFunction("run_query", [st, hooks](const CallArgs& args) {
    if (!st->execute || !hooks->run_query) return Value::None();
    return hooks->run_query(ArgString(args, 0, "run_query"));
  });
  context["statement"] = context["run_query"];
  return context;
}

std::string Compiler::Render(const Node& node, const std::string& template_name,
                             RenderState& state) const {
  return env_->Render(template_name, MakeContext(node, state));
}

void Compiler::Parse() {
  for (auto& node : project_.nodes) {
    if (node.raw_code.empty()) continue;
    RenderState state;
    Render(node, TemplateName(node), state);
    for (const auto& [key, value] : state.config_calls) {
      if (key == "tags" || key == "pre_hook" || key == "post_hook") {
        MergeConfig(node.config, key, value);
      } else if (!node.properties_config.count(key)) {
        node.config[key] = value;
      }
    }
    node.depends_on = state.depends_on;
  }
  for (auto& node : project_.nodes) {
    if (node.type != ResourceType::kModel && node.type != ResourceType::kSeed &&
        node.type != ResourceType::kSnapshot) {
      continue;
    }
    const std::string custom = ConfigString(node, "schema");
    node.schema = custom.empty() ? target_.schema : target_.schema + "_" + custom;
    // Snapshots name their schema outright, as in dbt.
    if (node.type == ResourceType::kSnapshot) node.schema = ConfigString(node, "target_schema", node.schema);
    node.relation = node.schema + "." + ConfigString(node, "alias", node.name);
  }
  for (auto& node : project_.nodes) {
    if (node.type != ResourceType::kTest || node.test_kind.empty()) continue;
    // A test on a column inherits the tags of the node it tests, as in dbt.
    if (const Node* attached = project_.Find(node.attached_node)) {
      for (const auto& tag : ConfigList(*attached, "tags")) MergeConfig(node.config, "tags", Value(tag));
    }
  }
}

std::string Compiler::Compile(const Node& node, bool is_incremental) const {
  RenderState state;
  state.execute = true;
  state.is_incremental = is_incremental;
  std::string sql = Render(node, TemplateName(node), state);
  // Ephemeral models referenced, directly or through other ephemerals, in dependency order.
  std::vector<std::string> ctes;
  std::set<std::string> seen;
  std::function<void(const std::vector<std::string>&)> add = [&](const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (!seen.insert(id).second) continue;
      const Node* eph = project_.Find(id);
      RenderState inner;
      inner.execute = true;
      std::string body = Render(*eph, TemplateName(*eph), inner);
      add(inner.ephemerals);
      ctes.push_back("__dbt__cte__" + eph->name + " as (\n" + body + "\n)");
    }
  };
  add(state.ephemerals);
  return ctes.empty() ? sql : InjectCtes(sql, ctes);
}

std::string Compiler::RenderHook(const Node& node, const std::string& hook,
                                 bool is_incremental) const {
  RenderState state;
  state.execute = true;
  state.is_incremental = is_incremental;
  return env_->RenderString(hook, MakeContext(node, state), node.path + " (hook)");
}

std::string InjectCtes(const std::string& sql, const std::vector<std::string>& ctes) {
  std::string joined;
  for (const auto& cte : ctes) joined += (joined.empty() ? "" : ",\n") + cte;
  // Skip whitespace and comments to find whether the query starts with WITH.
  size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) i = sql.size();
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i);
      i = i == std::string::npos ? sql.size() : i + 2;
    } else {
      break;
    }
  }
  const bool has_with = i + 4 <= sql.size() && (sql[i] == 'w' || sql[i] == 'W') &&
                        (sql.compare(i, 4, "with") == 0 || sql.compare(i, 4, "WITH") == 0 ||
                         sql.compare(i, 4, "With") == 0) &&
                        (i + 4 == sql.size() || std::isspace(static_cast<unsigned char>(sql[i + 4])));
  if (has_with) return sql.substr(0, i + 4) + " " + joined + ",\n" + sql.substr(i + 4);
  return sql.substr(0, i) + "with " + joined + "\n" + sql.substr(i);
}

}  // namespace sluice::dbt
