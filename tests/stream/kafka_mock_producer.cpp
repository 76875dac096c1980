// Test helper: starts librdkafka's built-in mock Kafka cluster (loopback only), creates a
// topic, prints "bootstrap=<servers>" and produces each stdin line "<partition>\t<payload>"
// to it (flushed line by line). Keeps the cluster up after stdin ends, until SIGTERM/SIGINT.
// Usage: kafka_mock_producer TOPIC PARTITIONS
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

std::atomic<bool> g_stop = false;

void OnSignal(int) { g_stop = true; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: kafka_mock_producer TOPIC PARTITIONS\n");
    return 2;
  }
  const std::string topic = argv[1];
  const int partitions = std::atoi(argv[2]);
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", error, sizeof error) !=
      RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "%s\n", error);
    return 1;
  }
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (producer == nullptr) {
    std::fprintf(stderr, "%s\n", error);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_handle_mock_cluster(producer);
  if (rd_kafka_mock_topic_create(cluster, topic.c_str(), partitions, 1) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fprintf(stderr, "cannot create topic %s\n", topic.c_str());
    return 1;
  }
  std::printf("bootstrap=%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  std::fflush(stdout);
  std::string line;
  while (!g_stop && std::getline(std::cin, line)) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const int partition = std::atoi(line.substr(0, tab).c_str());
    const std::string payload = line.substr(tab + 1);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
      return 1;
    }
    rd_kafka_flush(producer, 10000);
    std::printf("produced %d\n", partition);
    std::fflush(stdout);
  }
  while (!g_stop) usleep(50000);
  rd_kafka_destroy(producer);
  return 0;
}
