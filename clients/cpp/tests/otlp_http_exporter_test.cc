// The exporter against a tiny in-process HTTP/1.1 server: what it POSTs,
// batching, Flush(), retry only on retryable codes, and a bounded queue
// that drops instead of blocking.
#include "loupe/otlp_http_exporter.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

#include "loupe/trace_llm_call.h"

namespace loupe {
namespace {

struct Request {
  std::string request_line;
  std::string headers;  // raw, lowercased
  std::string body;
};

// Accepts connections one at a time (curl keeps one alive) and answers
// each request with the next scripted status, 200 when the script is empty.
class FakeOtlpServer {
 public:
  FakeOtlpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(listen_fd_, 8), 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeOtlpServer() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    {
      std::lock_guard<std::mutex> l(mu_);
      if (conn_fd_ >= 0) ::shutdown(conn_fd_, SHUT_RDWR);
    }
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void Script(std::initializer_list<int> statuses) {
    std::lock_guard<std::mutex> l(mu_);
    script_.insert(script_.end(), statuses);
  }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      {
        std::lock_guard<std::mutex> l(mu_);
        conn_fd_ = fd;
      }
      std::string buf;
      char chunk[4096];
      while (true) {
        size_t end = buf.find("\r\n\r\n");
        if (end != std::string::npos) {
          Request r;
          r.request_line = buf.substr(0, buf.find("\r\n"));
          r.headers = buf.substr(0, end);
          for (char& c : r.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          size_t cl = r.headers.find("content-length:");
          size_t length = cl == std::string::npos ? 0 : std::stoul(r.headers.substr(cl + 15));
          if (buf.size() >= end + 4 + length) {
            r.body = buf.substr(end + 4, length);
            buf.erase(0, end + 4 + length);
            int status = 200;
            {
              std::lock_guard<std::mutex> l(mu_);
              requests_.push_back(r);
              if (!script_.empty()) {
                status = script_.front();
                script_.pop_front();
              }
            }
            std::string reply = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\n\r\n";
            if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) break;
            continue;
          }
        }
        ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) break;
        buf.append(chunk, static_cast<size_t>(n));
      }
      std::lock_guard<std::mutex> l(mu_);
      ::close(fd);
      conn_fd_ = -1;
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  int conn_fd_ = -1;
  std::deque<int> script_;
  std::vector<Request> requests_;
  std::thread thread_;
};

ExporterOptions Options(const std::string& url) {
  ExporterOptions o;
  o.endpoint = url;
  o.service_name = "unit";
  o.flush_interval = std::chrono::seconds(30);  // only batch size and Flush() send
  o.request_timeout = std::chrono::seconds(5);
  return o;
}

TEST(OtlpHttpExporterTest, AppendsTracesPathOnlyWhenThereIsNone) {
  EXPECT_EQ(OtlpHttpExporter(Options("http://h:4318")).url(), "http://h:4318/v1/traces");
  EXPECT_EQ(OtlpHttpExporter(Options("http://h:4318/")).url(), "http://h:4318/v1/traces");
  EXPECT_EQ(OtlpHttpExporter(Options("https://h/otlp/v1/traces")).url(), "https://h/otlp/v1/traces");
}

TEST(OtlpHttpExporterTest, FlushPostsProtobufWithHeaders) {
  FakeOtlpServer server;
  ExporterOptions o = Options(server.url());
  o.headers = {{"Authorization", "Bearer k1"}};
  o.resource_attributes = {{"deployment.environment.name", "test"}};
  OtlpHttpExporter exp(o);
  for (int i = 0; i < 3; ++i) {
    LlmCallScope call(exp, "gpt-4o", "unit-feature");
    call.input_tokens(10);
  }
  ASSERT_TRUE(exp.Flush());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u) << "three spans below the batch size go in one request";
  EXPECT_EQ(reqs[0].request_line, "POST /v1/traces HTTP/1.1");
  EXPECT_NE(reqs[0].headers.find("content-type: application/x-protobuf"), std::string::npos);
  EXPECT_NE(reqs[0].headers.find("authorization: bearer k1"), std::string::npos);
  const std::string& body = reqs[0].body;
  EXPECT_NE(body.find("unit-feature"), std::string::npos);
  EXPECT_NE(body.find("deployment.environment.name"), std::string::npos);
  size_t count = 0;
  for (size_t p = body.find("chat gpt-4o"); p != std::string::npos; p = body.find("chat gpt-4o", p + 1)) ++count;
  EXPECT_EQ(count, 3u);
  ExporterStats s = exp.stats();
  EXPECT_EQ(s.sent, 3u);
  EXPECT_EQ(s.queued, 0u);
}

TEST(OtlpHttpExporterTest, FullBatchesSendWithoutFlush) {
  FakeOtlpServer server;
  ExporterOptions o = Options(server.url());
  o.max_batch_spans = 2;
  OtlpHttpExporter exp(o);
  for (int i = 0; i < 4; ++i) LlmCallScope call(exp, "gpt-4o", "batch");
  for (int i = 0; i < 200 && exp.stats().sent < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(exp.stats().sent, 4u);
  EXPECT_GE(server.requests().size(), 2u);
}

TEST(OtlpHttpExporterTest, RetriesRetryableCodesOnly) {
  FakeOtlpServer server;
  server.Script({503, 429});  // then 200
  OtlpHttpExporter exp(Options(server.url()));
  { LlmCallScope call(exp, "gpt-4o", "retry"); }
  EXPECT_TRUE(exp.Flush());
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(exp.stats().sent, 1u);

  server.Script({400});
  { LlmCallScope call(exp, "gpt-4o", "permanent"); }
  EXPECT_FALSE(exp.Flush());
  EXPECT_EQ(server.requests().size(), 4u) << "a 400 is permanent: no retry";
  EXPECT_EQ(exp.stats().failed, 1u);
}

TEST(OtlpHttpExporterTest, FullQueueDropsWithoutBlocking) {
  // Nothing listens on this port: sends fail, the queue fills.
  ExporterOptions o = Options("http://127.0.0.1:9");
  o.max_queue_spans = 4;
  o.max_batch_spans = 100;
  o.max_retries = 0;
  auto start = std::chrono::steady_clock::now();
  {
    OtlpHttpExporter exp(o);
    for (int i = 0; i < 10; ++i) LlmCallScope call(exp, "gpt-4o", "drop");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1)) << "Export() must not block";
    ExporterStats s = exp.stats();
    EXPECT_EQ(s.dropped, 6u);
    EXPECT_EQ(s.queued, 4u);
    EXPECT_FALSE(exp.Flush(std::chrono::seconds(10)));
    EXPECT_EQ(exp.stats().failed, 4u);
  }  // shutdown with nothing left returns promptly
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(OtlpHttpExporterTest, DestructionFlushesAndLaterExportsDrop) {
  FakeOtlpServer server;
  {
    OtlpHttpExporter exp(Options(server.url()));
    { LlmCallScope call(exp, "gpt-4o", "at-exit"); }
    exp.Shutdown();
    EXPECT_EQ(exp.stats().sent, 1u);
    { LlmCallScope call(exp, "gpt-4o", "too-late"); }
    EXPECT_EQ(exp.stats().dropped, 1u);
  }
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests()[0].body.find("at-exit"), std::string::npos);
}

TEST(ExporterOptionsTest, FromEnvReadsEndpointServiceAndHeaders) {
  ::setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", 1);
  ::setenv("OTEL_SERVICE_NAME", "svc", 1);
  ::setenv("OTEL_EXPORTER_OTLP_HEADERS", "a=1, b = two ,bad", 1);
  ExporterOptions o = ExporterOptions::FromEnv();
  ::unsetenv("OTEL_EXPORTER_OTLP_ENDPOINT");
  ::unsetenv("OTEL_SERVICE_NAME");
  ::unsetenv("OTEL_EXPORTER_OTLP_HEADERS");
  EXPECT_EQ(o.endpoint, "http://collector:4318");
  EXPECT_EQ(o.service_name, "svc");
  EXPECT_EQ(o.headers, (std::map<std::string, std::string>{{"a", "1"}, {"b", "two"}}));
}

}  // namespace
}  // namespace loupe
