#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <httplib.h>

namespace envmon::lake::s3 {

// Test tool: a loopback HTTP proxy in front of an S3 server that answers with faults while
// told to: 503 SlowDown or 500 InternalError instead of forwarding, or 500 after forwarding
// (the write landed, the answer was lost). Headers (Host included, so SigV4 signatures still
// match) and bodies pass through unchanged.
class S3FaultProxy {
 public:
  enum class Mode { pass, slow_down_503, internal_500, lose_answer_500 };

  S3FaultProxy(std::string upstream_host, int upstream_port)
      : host_(std::move(upstream_host)), upstream_port_(upstream_port) {
    auto h = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    server_.Get(".*", h);
    server_.Put(".*", h);
    server_.Post(".*", h);
    server_.Delete(".*", h);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~S3FaultProxy() {
    server_.stop();
    thread_.join();
  }
  S3FaultProxy(const S3FaultProxy&) = delete;
  S3FaultProxy& operator=(const S3FaultProxy&) = delete;

  int port() const { return port_; }
  // Faults for the next `n` requests (n < 0: until set again).
  void set(Mode mode, int n = -1) {
    remaining_.store(n);
    mode_.store(mode);
  }
  int faults_sent() const { return faults_.load(); }
  int puts_forwarded() const { return puts_.load(); }

 private:
  Mode take_mode() {
    const Mode m = mode_.load();
    if (m == Mode::pass) return m;
    const int left = remaining_.load();
    if (left == 0) return Mode::pass;
    if (left > 0) remaining_.fetch_sub(1);
    ++faults_;
    return m;
  }

  static void fault(httplib::Response& res, int status, const char* code, const char* message) {
    res.status = status;
    res.set_content(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>") + code +
                        "</Code><Message>" + message + "</Message></Error>",
                    "application/xml");
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const Mode m = take_mode();
    if (m == Mode::slow_down_503) return fault(res, 503, "SlowDown", "Please reduce your request rate.");
    if (m == Mode::internal_500) return fault(res, 500, "InternalError", "We encountered an internal error.");
    httplib::Client cli(host_, upstream_port_);
    cli.set_url_encode(false);
    httplib::Request out;
    out.method = req.method;
    out.path = req.target;
    for (const auto& [k, v] : req.headers) {
      if (k != "Content-Length" && k != "REMOTE_ADDR" && k != "REMOTE_PORT" &&
          k != "LOCAL_ADDR" && k != "LOCAL_PORT")
        out.headers.emplace(k, v);
    }
    out.body = req.body;
    auto r = cli.send(out);
    if (!r) return fault(res, 502, "BadGateway", "upstream unreachable");
    if (req.method == "PUT") ++puts_;
    if (m == Mode::lose_answer_500) return fault(res, 500, "InternalError", "answer lost");
    res.status = r->status;
    for (const auto& [k, v] : r->headers) {
      if (k != "Content-Length" && k != "Transfer-Encoding" && k != "Connection")
        res.headers.emplace(k, v);
    }
    res.body = r->body;
  }

  std::string host_;
  int upstream_port_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<Mode> mode_{Mode::pass};
  std::atomic<int> remaining_{0};
  std::atomic<int> faults_{0};
  std::atomic<int> puts_{0};
};

}  // namespace envmon::lake::s3
