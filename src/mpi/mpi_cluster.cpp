#include "mpi/mpi_cluster.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/error.h"
#include "mpi/mpi_shuffle.h"
#include "mpi/shuffle_server.h"

namespace sluice {

namespace {

constexpr int kLengthTag = 0;  // collective_comm_: the length message of SendBytes
constexpr int kChunkTag = 1;   // collective_comm_: its chunks

// What the crash handler reports: set once by the cluster, the stage as it changes.
int crash_rank = 0;
int crash_size = 1;
int crash_fd = 2;
std::atomic<int> crash_stage{0};

// Appends the decimal digits of `value` (>= 0) to `out` at `*at`: async-signal-safe.
void AppendNumber(char* out, size_t* at, long value) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 24);
  while (n > 0) out[(*at)++] = digits[--n];
}

void AppendText(char* out, size_t* at, const char* text) {
  for (; *text != '\0'; text++) out[(*at)++] = *text;
}

// A rank that crashes says which rank and stage before it dies of the signal (mpirun then
// ends the job and names the rank again).
void OnCrash(int signal) {
  char line[160];
  size_t at = 0;
  AppendText(line, &at, "sluice: rank ");
  AppendNumber(line, &at, crash_rank);
  AppendText(line, &at, " of ");
  AppendNumber(line, &at, crash_size);
  AppendText(line, &at, " died of signal ");
  AppendNumber(line, &at, signal);
  AppendText(line, &at, " in stage ");
  AppendNumber(line, &at, crash_stage.load());
  AppendText(line, &at, "\n");
  [[maybe_unused]] const ssize_t written = write(crash_fd, line, at);
  std::signal(signal, SIG_DFL);
  raise(signal);
}

void InstallCrashHandler() {
  for (const int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    struct sigaction action {};
    action.sa_handler = OnCrash;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(signal, &action, nullptr);
  }
}

double EnvSeconds(const char* name, double fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  const double seconds = std::atof(value);
  return seconds > 0 ? seconds : fallback;
}

}  // namespace

MpiCluster::MpiCluster(int error_fd)
    : error_fd_(error_fd),
      timeout_seconds_(EnvSeconds("SLUICE_MPI_TIMEOUT", 1800)),
      chunk_bytes_(static_cast<int64_t>(EnvSeconds("SLUICE_MPI_CHUNK_BYTES", 1 << 30))) {
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (const char* codec = std::getenv("SLUICE_MPI_COMPRESSION"); codec != nullptr && *codec) {
    compress_shuffle_ = std::string_view(codec) != "none";
  }
  MPI_Comm_dup(MPI_COMM_WORLD, &collective_comm_);
  MPI_Comm_dup(MPI_COMM_WORLD, &fetch_comm_);
  MPI_Comm_dup(MPI_COMM_WORLD, &reply_comm_);
  int* tag_ub = nullptr;
  int found = 0;
  MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &tag_ub, &found);
  if (found != 0 && tag_ub != nullptr) max_tag_ = *tag_ub;
  crash_rank = rank_;
  crash_size = size_;
  crash_fd = error_fd_;
  InstallCrashHandler();
  if (const char* fault = std::getenv("SLUICE_TEST_MPI_FAULT"); fault != nullptr) {
    char kind[16] = {};
    int rank = -1;
    int stage = -1;
    if (std::sscanf(fault, "%15[a-z]:%d:%d", kind, &rank, &stage) == 3 && rank == rank_) {
      fault_ = kind;
      fault_stage_ = stage;
    }
  }
  server_ = std::make_unique<ShuffleServer>(this);
}

MpiCluster::~MpiCluster() {
  server_.reset();
  if (const char* stats = std::getenv("SLUICE_MPI_STATS"); stats != nullptr && *stats == '1') {
    const std::string line = fmt::format(
        "sluice: rank {} of {} sent {} bytes, received {} bytes; served exchange rows of {} "
        "bytes as {} bytes ({})\n",
        rank_, size_, bytes_sent(), bytes_received(), served_raw_.load(), served_sent_.load(),
        compress_shuffle_ ? "lz4" : "uncompressed");
    [[maybe_unused]] const ssize_t written = write(error_fd_, line.data(), line.size());
  }
  MPI_Comm_free(&reply_comm_);
  MPI_Comm_free(&fetch_comm_);
  MPI_Comm_free(&collective_comm_);
}

void MpiCluster::SetStage(int stage) {
  stage_.store(stage);
  crash_stage.store(stage);
}

void MpiCluster::Abort(const std::string& message) {
  const int stage = stage_.load();
  const std::string line =
      stage > 0 ? fmt::format("sluice: rank {} of {} failed in stage {}: {}\n", rank_, size_, stage,
                              message)
                : fmt::format("sluice: rank {} of {} failed: {}\n", rank_, size_, message);
  [[maybe_unused]] const ssize_t written = write(error_fd_, line.data(), line.size());
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);
}

int MpiCluster::NextReplyTag() {
  // Tags 0 and 1 are never reply tags, so a stray message cannot look like one.
  return 2 + next_reply_tag_.fetch_add(1) % (max_tag_ - 2);
}

void MpiCluster::Wait(std::vector<MPI_Request>& requests, const std::vector<int>& peers,
                      std::string_view what) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto pause = std::chrono::microseconds(0);
  for (;;) {
    bool pending = false;
    for (MPI_Request& request : requests) {
      if (request == MPI_REQUEST_NULL) continue;
      int done = 0;
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      pending = pending || done == 0;
    }
    if (!pending) return;
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    if (waited > timeout_seconds_) {
      std::string ranks;
      for (size_t i = 0; i < requests.size(); i++) {
        if (requests[i] == MPI_REQUEST_NULL) continue;
        const std::string name = std::to_string(peers[i]);
        if (ranks.find(name) != std::string::npos) continue;
        ranks += (ranks.empty() ? "" : ", ") + name;
      }
      Abort(
          fmt::format("timed out after {:.0f} s waiting for rank {} ({}); set "
                      "SLUICE_MPI_TIMEOUT to wait longer",
                      waited, ranks, what));
    }
    // Spin briefly (a reply is often on its way), then sleep up to 1 ms so that ranks
    // sharing cores leave them to the ranks that work.
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
    pause = std::min(std::chrono::microseconds(1000),
                     pause.count() == 0 ? std::chrono::microseconds(5) : pause * 2);
  }
}

void MpiCluster::SendBytes(MPI_Comm comm, int peer, int tag, std::string_view data,
                           std::string_view what) {
  const uint64_t length = data.size();
  std::vector<MPI_Request> requests(1);
  MPI_Isend(&length, 1, MPI_UINT64_T, peer, tag, comm, &requests[0]);
  for (uint64_t at = 0; at < length; at += static_cast<uint64_t>(chunk_bytes_)) {
    const auto n = static_cast<int>(std::min<uint64_t>(chunk_bytes_, length - at));
    requests.emplace_back();
    MPI_Isend(data.data() + at, n, MPI_BYTE, peer, tag, comm, &requests.back());
  }
  Wait(requests, std::vector<int>(requests.size(), peer), what);
  bytes_sent_ += static_cast<int64_t>(length);
}

std::string MpiCluster::ReceiveBytes(MPI_Comm comm, int peer, int tag, std::string_view what) {
  uint64_t length = 0;
  std::vector<MPI_Request> requests(1);
  MPI_Irecv(&length, 1, MPI_UINT64_T, peer, tag, comm, &requests[0]);
  Wait(requests, {peer}, what);
  if (length == ~uint64_t{0}) {
    throw InternalError(
        fmt::format("rank {} has no such data ({}): did the ranks plan "
                    "different queries?",
                    peer, what));
  }
  std::string data(length, '\0');
  requests.clear();
  for (uint64_t at = 0; at < length; at += static_cast<uint64_t>(chunk_bytes_)) {
    const auto n = static_cast<int>(std::min<uint64_t>(chunk_bytes_, length - at));
    requests.emplace_back();
    MPI_Irecv(data.data() + at, n, MPI_BYTE, peer, tag, comm, &requests.back());
  }
  Wait(requests, std::vector<int>(requests.size(), peer), what);
  bytes_received_ += static_cast<int64_t>(length);
  return data;
}

std::vector<std::string> MpiCluster::AllGather(const std::string& local) {
  // Lengths first (so that every receive is posted with its size), then the chunks; every
  // message to and from every peer is in flight at once.
  const int stage = this->stage();
  const std::string what =
      stage > 0 ? fmt::format("an exchange of statistics or results in stage {}", stage)
                : std::string("an exchange of results or plans between stages");
  std::vector<uint64_t> lengths(size_, 0);
  lengths[rank_] = local.size();
  const uint64_t my_length = local.size();
  std::vector<MPI_Request> requests;
  std::vector<int> peers;
  for (int peer = 0; peer < size_; peer++) {
    if (peer == rank_) continue;
    requests.emplace_back();
    peers.push_back(peer);
    MPI_Irecv(&lengths[peer], 1, MPI_UINT64_T, peer, kLengthTag, collective_comm_,
              &requests.back());
    requests.emplace_back();
    peers.push_back(peer);
    MPI_Isend(&my_length, 1, MPI_UINT64_T, peer, kLengthTag, collective_comm_, &requests.back());
  }
  Wait(requests, peers, what);
  std::vector<std::string> all(size_);
  requests.clear();
  peers.clear();
  for (int peer = 0; peer < size_; peer++) {
    if (peer == rank_) continue;
    all[peer].resize(lengths[peer]);
    for (uint64_t at = 0; at < lengths[peer]; at += static_cast<uint64_t>(chunk_bytes_)) {
      const auto n = static_cast<int>(std::min<uint64_t>(chunk_bytes_, lengths[peer] - at));
      requests.emplace_back();
      peers.push_back(peer);
      MPI_Irecv(all[peer].data() + at, n, MPI_BYTE, peer, kChunkTag, collective_comm_,
                &requests.back());
    }
    for (uint64_t at = 0; at < my_length; at += static_cast<uint64_t>(chunk_bytes_)) {
      const auto n = static_cast<int>(std::min<uint64_t>(chunk_bytes_, my_length - at));
      requests.emplace_back();
      peers.push_back(peer);
      MPI_Isend(local.data() + at, n, MPI_BYTE, peer, kChunkTag, collective_comm_,
                &requests.back());
    }
    bytes_received_ += static_cast<int64_t>(lengths[peer]);
    bytes_sent_ += static_cast<int64_t>(my_length);
  }
  Wait(requests, peers, what);
  all[rank_] = local;
  return all;
}

std::string MpiCluster::Broadcast(const std::string& value) {
  // Small values only (the SQL text of a script): an AllGather where only rank 0 says anything.
  std::vector<std::string> all = AllGather(rank_ == 0 ? value : std::string());
  return std::move(all[0]);
}

void MpiCluster::Barrier() { AllGather(std::string()); }

void MpiCluster::MaybeInjectFault() {
  if (fault_.empty() || stage_.load() != fault_stage_) return;
  if (fault_ == "abort") std::abort();
  if (fault_ == "hang") {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

std::unique_ptr<ShuffleTransport> MpiCluster::NewTransport(MemoryManager* memory,
                                                           TempDirectory* temp) {
  return std::make_unique<MpiShuffleTransport>(this, memory, temp);
}

}  // namespace sluice
