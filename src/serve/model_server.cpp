#include "serve/model_server.h"

#include <httplib.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>

#include "common/error.h"
#include "common/strings.h"
#include "online/score_publisher.h"

namespace sluice::serve {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

thread_local Clock::time_point request_start;

// This thread's Redis connection and the server it belongs to.
struct ThreadRedis {
  const ModelServer* owner = nullptr;
  std::unique_ptr<online::RedisClient> client;
};
thread_local ThreadRedis thread_redis;

// A request that cannot be answered: its HTTP status and message.
struct HttpError {
  int status;
  std::string message;
};

void Reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

std::string RouteOf(const std::string& path) {
  if (path == "/v1/predict" || path == "/health" || path == "/metrics") return path;
  if (path.rfind("/v1/scores/", 0) == 0) return "/v1/scores";
  return "other";
}

// A JSON scalar as a value of `type`. Throws HttpError 400 naming the feature.
Value ValueOf(const Json& v, const LogicalType& type, const std::string& feature) {
  Value raw;
  if (v.is_null()) return Value::Null(type);
  if (v.is_boolean()) {
    raw = Value::Boolean(v.get<bool>());
  } else if (v.is_number_integer()) {
    raw = Value::BigInt(v.get<int64_t>());
  } else if (v.is_number()) {
    raw = Value::Double(v.get<double>());
  } else if (v.is_string()) {
    raw = Value::Varchar(v.get<std::string>());
  } else {
    throw HttpError{400, fmt::format("feature {} must be a number, a string, a boolean or null",
                                     feature)};
  }
  try {
    return raw.CastTo(type);
  } catch (const UserError& e) {
    throw HttpError{400, fmt::format("feature {}: {}", feature, e.message())};
  }
}

// A feature value as JSON (null when NULL).
Json JsonOf(const Value& v) {
  if (v.is_null()) return nullptr;
  switch (v.type().id()) {
    case TypeId::kBoolean: return v.GetBool();
    case TypeId::kVarchar:
    case TypeId::kDate:
    case TypeId::kTimestamp: return v.ToString();
    default: return v.CastTo(LogicalType(TypeId::kDouble)).GetDouble();
  }
}

int64_t WallClockUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An entity key value as the online store's text.
std::string KeyText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return v.dump();
}

}  // namespace

ModelServer::ModelServer(ServeOptions options)
    : options_(std::move(options)),
      store_(options_.db_dir),
      server_(std::make_unique<httplib::Server>()) {
  if (store_.Find(options_.model) == nullptr) {
    throw InvalidInputError(
        fmt::format("Model with name {} does not exist in {}", options_.model, options_.db_dir));
  }
  if (!options_.feature_views.empty()) {
    auto registry = online::FeatureRegistry::ReadFrom(options_.db_dir);
    if (!registry) {
      throw InvalidInputError(fmt::format(
          "the warehouse {} has no feature views (run sluice features apply)", options_.db_dir));
    }
    registry_ = std::move(*registry);
    for (const std::string& name : options_.feature_views) {
      const online::FeatureView* view = registry_.Find(name);
      if (view == nullptr) throw InvalidInputError("no feature view " + name);
      views_.push_back(view);
    }
    if (options_.redis_url.empty()) {
      throw InvalidInputError("feature views are read from Redis: give --redis URL");
    }
  }
  if (!options_.redis_url.empty()) online::RedisUrl::Parse(options_.redis_url);
  if (options_.scores_prefix.empty()) options_.scores_prefix = store_.Find(options_.model)->name;
}

ModelServer::~ModelServer() = default;

std::shared_ptr<const Predictor> ModelServer::CurrentPredictor() {
  ml::ModelPtr latest = store_.Find(options_.model);
  if (latest == nullptr) {
    throw HttpError{503, fmt::format("model {} no longer exists (DROP MODEL)", options_.model)};
  }
  std::lock_guard lock(predictor_mutex_);
  if (predictor_ == nullptr || predictor_->model().version != latest->version) {
    predictor_ = std::make_shared<const Predictor>(std::move(latest));
  }
  return predictor_;
}

online::RedisClient& ModelServer::Redis() {
  if (options_.redis_url.empty()) throw HttpError{503, "the server runs without --redis"};
  if (thread_redis.owner != this || thread_redis.client == nullptr) {
    thread_redis.client.reset();
    thread_redis.owner = this;
    thread_redis.client =
        online::RedisClient::Connect(online::RedisUrl::Parse(options_.redis_url), 2000);
  }
  return *thread_redis.client;
}

void ModelServer::DropRedis() { thread_redis.client.reset(); }

void ModelServer::Run(const std::function<void(int)>& on_listening) {
  httplib::Server& server = *server_;
  const int threads = std::max(1, options_.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(1 << 20);
  // Answers go out as soon as they are written: with Nagle's algorithm a keep-alive client
  // waited for the delayed ACK (40 ms per request).
  server.set_tcp_nodelay(true);

  // Runs `handler`, turning HttpError and Redis failures into JSON error answers.
  auto guarded = [this](auto handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      try {
        handler(req, res);
      } catch (const HttpError& e) {
        Reply(res, e.status, {{"error", e.message}});
      } catch (const IOError& e) {
        DropRedis();
        Reply(res, 503, {{"error", e.message()}});
      } catch (const std::exception& e) {
        Reply(res, 500, {{"error", e.what()}});
      }
    };
  };

  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_start = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double seconds =
        std::chrono::duration<double>(Clock::now() - request_start).count();
    metrics_.Record(RouteOf(req.path), res.status, seconds);
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty()) {
      Reply(res, res.status,
            {{"error", fmt::format("no route {} {} (routes: POST /v1/predict, GET "
                                   "/v1/scores/{{key}}, GET /health, GET /metrics)",
                                   req.method, req.path)}});
    }
  });

  server.Post("/v1/predict", guarded([this](const httplib::Request& req, httplib::Response& res) {
    Json body;
    try {
      body = Json::parse(req.body);
    } catch (const Json::parse_error& e) {
      throw HttpError{400, fmt::format("invalid JSON: {}", e.what())};
    }
    if (!body.is_object()) throw HttpError{400, "the body must be a JSON object"};
    for (const auto& [field, _] : body.items()) {
      if (field != "entity" && field != "features") {
        throw HttpError{400, fmt::format("unknown field '{}' (expected entity, features)", field)};
      }
    }
    const Json entity = body.value("entity", Json::object());
    const Json features = body.value("features", Json::object());
    if (!entity.is_object()) throw HttpError{400, "entity must be an object of join keys"};
    if (!features.is_object()) throw HttpError{400, "features must be an object"};

    std::shared_ptr<const Predictor> predictor = CurrentPredictor();
    const ml::Model& model = predictor->model();
    std::map<std::string, size_t> index;
    std::vector<Value> values;
    for (size_t i = 0; i < model.features.size(); i++) {
      index[ToLower(model.features[i].name)] = i;
      values.push_back(Value::Null(model.features[i].type));
    }
    std::vector<bool> given(values.size(), false);
    // Per feature: PRESENT, NOT_FOUND or OUTSIDE_MAX_AGE (an online value past its TTL).
    std::vector<const char*> status(values.size(), "NOT_FOUND");
    for (const auto& [name, v] : features.items()) {
      auto it = index.find(ToLower(name));
      if (it == index.end()) {
        std::vector<std::string> names;
        for (const auto& f : model.features) names.push_back(f.name);
        throw HttpError{400, fmt::format("unknown feature '{}' (model {} has: {})", name,
                                         model.name, Join(names, ", "))};
      }
      values[it->second] = ValueOf(v, model.features[it->second].type, name);
      given[it->second] = true;
      if (!v.is_null()) status[it->second] = "PRESENT";
    }

    Json timestamps = Json::object();
    bool found_any = views_.empty();
    const int64_t now_us = options_.as_of_us.value_or(WallClockUs());
    std::string entity_text;
    for (const online::FeatureView* view : views_) {
      std::vector<std::string> parts;
      for (const std::string& key : view->join_keys) {
        if (!entity.contains(key)) {
          throw HttpError{400, fmt::format("missing entity key '{}' (feature view {})", key,
                                           view->name)};
        }
        parts.push_back(KeyText(entity[key]));
        if (entity_text.find(key + "=") == std::string::npos) {
          entity_text += (entity_text.empty() ? "" : ", ") + key + "=" + parts.back();
        }
      }
      const online::RedisValue hash = Redis().Command(
          {"HGETALL", online::OnlineFeatureKey(registry_.project, view->name, Join(parts, "|"))});
      if (hash.elements.empty()) continue;
      found_any = true;
      // Past the TTL: the values are missing (inclusive bound, as offline).
      bool expired = false;
      for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
        if (hash.elements[i].str != "_event_us" || view->ttl_seconds <= 0) continue;
        const int64_t event_us = std::stoll(hash.elements[i + 1].str);
        expired = event_us < now_us - view->ttl_seconds * 1000000;
      }
      for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
        const std::string& field = hash.elements[i].str;
        if (field == "_event_timestamp") {
          timestamps[view->name] = hash.elements[i + 1].str;
          continue;
        }
        auto it = index.find(ToLower(field));
        if (it == index.end() || given[it->second]) continue;
        if (expired) {
          status[it->second] = "OUTSIDE_MAX_AGE";
          continue;
        }
        values[it->second] = ValueOf(Json(hash.elements[i + 1].str),
                                     model.features[it->second].type, field);
        status[it->second] = "PRESENT";
      }
    }
    if (!found_any) {
      throw HttpError{404, fmt::format("entity {} has no online features (feature views: {})",
                                       entity_text, Join(options_.feature_views, ", "))};
    }
    const Predictor::Prediction p = predictor->Predict(values);
    Json out = {{"model", model.name}, {"model_version", model.version}};
    if (!entity.empty()) out["entity"] = entity;
    if (model.kind == ml::Model::Kind::kClassifier) {
      out["prediction"] = p.label;
      out["probability"] = p.value;
      Json probabilities = Json::object();
      for (size_t c = 0; c < model.classes.size(); c++) {
        probabilities[model.classes[c]] = p.probabilities[c];
      }
      out["probabilities"] = probabilities;
    } else {
      out["prediction"] = p.value;
    }
    if (!timestamps.empty()) out["feature_timestamps"] = timestamps;
    Json used = Json::object();
    Json statuses = Json::object();
    for (size_t i = 0; i < values.size(); i++) {
      used[model.features[i].name] = JsonOf(values[i]);
      statuses[model.features[i].name] = status[i];
    }
    out["features"] = used;
    out["feature_statuses"] = statuses;
    Reply(res, 200, out);
  }));

  server.Get(R"(/v1/scores/(.+))",
             guarded([this](const httplib::Request& req, httplib::Response& res) {
               const std::string key = req.matches[1];
               online::ScoreReader reader(Redis(), options_.scores_prefix);
               const online::ScoreReader::Entry e = reader.Read(key);
               if (e.version == 0) {
                 throw HttpError{404, fmt::format("no batch scores published under {}:current",
                                                  options_.scores_prefix)};
               }
               if (!e.found) {
                 throw HttpError{404, fmt::format("no batch score for key '{}' in version {}",
                                                  key, e.version)};
               }
               Json out = {{"key", key}, {"version", e.version}};
               try {
                 const Json score = Json::parse(e.value);
                 for (const auto& [name, value] : score.items()) out[name] = value;
               } catch (const Json::exception&) {
                 out["value"] = e.value;
               }
               Reply(res, 200, out);
             }));

  server.Get("/health", guarded([this](const httplib::Request&, httplib::Response& res) {
    std::shared_ptr<const Predictor> predictor = CurrentPredictor();
    Json out = {{"status", "ok"},
                {"model", predictor->model().name},
                {"model_version", predictor->model().version}};
    if (!options_.redis_url.empty()) {
      try {
        Redis().Command({"PING"});
        out["redis"] = "ok";
      } catch (const IOError& e) {
        DropRedis();
        out["status"] = "degraded";
        out["redis"] = e.message();
        Reply(res, 503, out);
        return;
      }
    }
    Reply(res, 200, out);
  }));

  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.Render(), "text/plain; version=0.0.4");
  });

  const int port = options_.port == 0 ? server.bind_to_any_port(options_.host)
                                      : (server.bind_to_port(options_.host, options_.port)
                                             ? options_.port
                                             : -1);
  if (port < 0) {
    throw IOError(fmt::format("cannot listen on {}:{}", options_.host, options_.port));
  }
  if (on_listening) on_listening(port);
  if (!stopped_.load()) server.listen_after_bind();
}

void ModelServer::Stop() {
  stopped_ = true;
  server_->stop();
}

}  // namespace sluice::serve
