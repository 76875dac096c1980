// `sluice stream run|list|status|stop`: streaming jobs over a warehouse (src/stream,
// docs/streaming.md).
#include <fmt/format.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/session.h"
#include "cli/cli.h"
#include "cli/sql_options.h"
#include "common/error.h"
#include "common/file_text.h"
#include "stream/stream_job.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

constexpr const char* kStreamUsage = R"(Usage: sluice stream run -f JOB.sql --db DIR [options]
       sluice stream list --db DIR
       sluice stream status JOB --db DIR
       sluice stream stop JOB --db DIR

run: runs a streaming job: the statements of JOB.sql (CREATE TABLE ... WITH ('connector' =
...) for its sources), then its INSERT INTO sink SELECT ... FROM source (or an interval
join of two sources), as micro-batches until stopped (stop, SIGINT or SIGTERM: a last
checkpoint, then exit 0).
A job restarted with the same id resumes from its last checkpoint; every record is counted
once in the sink (docs/streaming.md).
Options of run:
  -f, --file FILE              the job's SQL (required)
      --db DIR                 the warehouse (required)
      --job ID                 the job's id (default: the sink table's name)
      --until-idle             stop when the sources are drained; windows still open close
                               (the watermark goes to +infinity at the end of a replay)
      --checkpoint-interval T  time between checkpoints/commits (default 10s; 500ms, 1min)
      --idle-timeout T         a partition without records for T leaves the watermark
                               (default: the source's 'scan.idle-timeout', else never)
list: every job of the warehouse with its state. status: a job's status (JSON). stop: asks a
running job to take a last checkpoint and exit.
)";

std::atomic<stream::StreamJob*> g_running_job = nullptr;

void OnStopSignal(int) {
  if (stream::StreamJob* job = g_running_job.load()) job->Stop();
}

int Run(const std::vector<std::string>& args) {
  std::string file, db;
  stream::StreamJobOptions options;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "-f" || a == "--file") {
      file = NeedValue(args, i);
    } else if (a == "--db") {
      db = NeedValue(args, i);
    } else if (a == "--job") {
      options.job_id = NeedValue(args, i);
    } else if (a == "--until-idle") {
      options.until_idle = true;
    } else if (a == "--checkpoint-interval") {
      options.checkpoint_interval_ms = stream::ParseDurationMs(NeedValue(args, i));
    } else if (a == "--idle-timeout") {
      options.idle_timeout_ms = stream::ParseDurationMs(NeedValue(args, i));
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice stream --help)", a));
    }
  }
  if (file.empty() || db.empty()) throw UsageError("stream run needs -f JOB.sql and --db DIR");
  options.job_sql = ReadFileText(file);
  const Settings settings = WarehouseSettings(Settings(), db);
  Session session(settings, db);
  stream::StreamJob job(session, options);
  g_running_job = &job;
  signal(SIGINT, OnStopSignal);
  signal(SIGTERM, OnStopSignal);
  const stream::StreamJobStats stats = job.Run();
  g_running_job = nullptr;
  fmt::print("{} records, {} rows committed, {} late, {} dead letters, checkpoint {}\n",
             stats.records, stats.rows_out, stats.late_rows, stats.dead_letters,
             stats.checkpoint_id);
  return 0;
}

std::string JobsDirectory(const std::string& db) { return db + "/_streams"; }

int List(const std::string& db) {
  std::error_code ec;
  std::vector<std::string> jobs;
  for (const auto& entry : fs::directory_iterator(JobsDirectory(db), ec)) {
    if (entry.is_directory()) jobs.push_back(entry.path().filename().string());
  }
  std::sort(jobs.begin(), jobs.end());
  for (const std::string& job : jobs) {
    const std::string status = JobsDirectory(db) + "/" + job + "/status.json";
    std::string state = "unknown";
    if (fs::exists(status)) {
      const std::string text = ReadFileText(status);
      const size_t at = text.find("\"state\": \"");
      if (at != std::string::npos) state = text.substr(at + 10, text.find('"', at + 10) - at - 10);
      // A job killed without a last status (kill -9, a crash) still says "running".
      const size_t pid_at = text.find("\"pid\": ");
      if (state == "running" && pid_at != std::string::npos &&
          kill(static_cast<pid_t>(std::atoll(text.c_str() + pid_at + 7)), 0) != 0) {
        state = "gone (resumes from its last checkpoint when run again)";
      }
    }
    fmt::print("{}\t{}\n", job, state);
  }
  return 0;
}

}  // namespace

int StreamCommand(const std::vector<std::string>& args) {
  if (args.empty() || WantsHelp(args)) {
    fmt::print("{}", kStreamUsage);
    return args.empty() ? 2 : 0;
  }
  const std::string& what = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (what == "run") return Run(rest);
  std::string db, job;
  for (size_t i = 0; i < rest.size(); i++) {
    if (rest[i] == "--db") {
      db = NeedValue(rest, i);
    } else if (job.empty() && !rest[i].starts_with("-")) {
      job = rest[i];
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice stream --help)", rest[i]));
    }
  }
  if (db.empty()) throw UsageError(fmt::format("stream {} needs --db DIR", what));
  if (what == "list") return List(db);
  if (what != "status" && what != "stop") {
    throw UsageError(fmt::format("unknown stream command '{}' (run, list, status, stop)", what));
  }
  if (job.empty()) throw UsageError(fmt::format("stream {} needs the job's id", what));
  const std::string dir = stream::StreamJob::JobDirectory(db, job);
  if (!fs::is_directory(dir)) throw InvalidInputError(fmt::format("no stream job '{}' in {}", job, db));
  if (what == "status") {
    fmt::print("{}", ReadFileText(dir + "/status.json"));
    return 0;
  }
  std::ofstream(dir + "/STOP") << "stop\n";
  fmt::print("asked job {} to stop\n", job);
  return 0;
}

}  // namespace sluice
