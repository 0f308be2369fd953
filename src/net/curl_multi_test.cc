#include "net/curl_multi.h"

#include <atomic>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

namespace envmon::net {
namespace {

// A loopback server with one route per failure mode the client must classify.
class TestServer {
 public:
  TestServer() {
    add_routes();
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(Millis(1));
  }
  ~TestServer() {
    stop_.store(true);
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void add_routes() {
    server_.set_keep_alive_max_count(1000);
    server_.set_tcp_nodelay(true);  // else Nagle + delayed ACK add 40 ms per request
    server_.Get("/ok", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("ok " + req.get_param_value("i"), "application/json; charset=utf-8");
    });
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      for (int i = 0; i < 100 && !stop_.load(); ++i)
        std::this_thread::sleep_for(Millis(20));
      res.set_content("late", "text/plain");
    });
    server_.Get("/limited", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "120");
      res.set_content("{}", "application/json");
    });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'x'), "text/plain");
    });
    add_broken_routes();
  }
  void add_broken_routes() {
    // Promises 1000 bytes, sends 10 and closes the connection.
    server_.Get("/cut", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(1000, "text/plain", [](size_t, size_t, httplib::DataSink& sink) {
        sink.write("0123456789", 10);
        return false;
      });
    });
    // One byte every 50 ms until the client gives up.
    server_.Get("/drip", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(100000, "text/plain",
                               [this](size_t, size_t, httplib::DataSink& sink) {
                                 if (stop_.load()) return false;
                                 std::this_thread::sleep_for(Millis(50));
                                 return sink.write("x", 1);
                               });
    });
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

HttpRequest get(const std::string& url) {
  HttpRequest r;
  r.url = url;
  r.redacted_url = url;
  r.connect_timeout = Millis(2000);
  r.total_timeout = Millis(10000);
  return r;
}

std::vector<Completion> run_all(CurlMulti& client) {
  std::vector<Completion> out;
  while (client.in_flight() > 0 || out.empty()) {
    for (auto& c : client.perform(Millis(100)))
      out.push_back(std::move(c));
  }
  return out;
}

HttpResponse run_one(CurlMulti& client, HttpRequest r) {
  client.submit(std::move(r));
  auto done = run_all(client);
  EXPECT_EQ(done.size(), 1U);
  return done.empty() ? HttpResponse{} : done.front().response;
}

TEST(CurlMulti, FiveHundredConcurrentRequestsAllComplete) {
  TestServer server;
  CurlMulti client(HttpClientConfig{4, 8});
  std::map<uint64_t, int> expected;
  for (int i = 0; i < 500; ++i)
    expected[client.submit(get(server.url("/ok?i=" + std::to_string(i))))] = i;
  EXPECT_EQ(client.in_flight(), 500U);
  std::vector<Completion> done;
  while (client.in_flight() > 0) {
    for (auto& c : client.perform(Millis(100)))
      done.push_back(std::move(c));
  }
  ASSERT_EQ(done.size(), 500U);
  for (const auto& c : done) {
    ASSERT_EQ(c.response.transport, TransportError::none) << c.response.transport_message;
    EXPECT_EQ(c.response.status, 200);
    EXPECT_EQ(c.response.body, "ok " + std::to_string(expected.at(c.id)));
    EXPECT_EQ(c.response.content_type, "application/json; charset=utf-8");
  }
}

TEST(CurlMulti, TotalTimeoutIsATimeout) {
  TestServer server;
  CurlMulti client;
  HttpRequest r = get(server.url("/slow?appid=secret"));
  r.total_timeout = Millis(200);
  const HttpResponse res = run_one(client, r);
  EXPECT_EQ(res.transport, TransportError::timeout);
  EXPECT_EQ(res.status, 0);
  EXPECT_EQ(res.transport_message.find("secret"), std::string::npos);
}

TEST(CurlMulti, ConnectionClosedMidBodyIsAReset) {
  TestServer server;
  CurlMulti client;
  const HttpResponse res = run_one(client, get(server.url("/cut")));
  EXPECT_EQ(res.transport, TransportError::reset) << res.transport_message;
}

TEST(CurlMulti, SlowDripHitsTheLowSpeedLimit) {
  TestServer server;
  CurlMulti client;
  HttpRequest r = get(server.url("/drip"));
  r.low_speed_bytes_per_sec = 1000;
  r.low_speed_secs = 1;
  const HttpResponse res = run_one(client, r);
  EXPECT_EQ(res.transport, TransportError::timeout) << res.transport_message;
}

TEST(CurlMulti, RetryAfterHeaderIsParsed) {
  TestServer server;
  CurlMulti client;
  const HttpResponse res = run_one(client, get(server.url("/limited")));
  EXPECT_EQ(res.status, 429);
  ASSERT_TRUE(res.retry_after.has_value());
  EXPECT_EQ(*res.retry_after, Seconds(120));
}

TEST(CurlMulti, OversizedBodyIsCutOff) {
  TestServer server;
  CurlMulti client;
  HttpRequest r = get(server.url("/big"));
  r.max_body_bytes = 1000;
  EXPECT_EQ(run_one(client, r).transport, TransportError::too_large);
}

TEST(CurlMulti, RefusedConnectionIsAConnectError) {
  CurlMulti client;
  // Port 1 on loopback: nothing listens there.
  const HttpResponse res = run_one(client, get("http://127.0.0.1:1/x?token=secret"));
  EXPECT_EQ(res.transport, TransportError::connect) << res.transport_message;
  EXPECT_EQ(res.transport_message.find("secret"), std::string::npos);
}

TEST(CurlMulti, HandlesAreReusedAcrossRequests) {
  TestServer server;
  CurlMulti client;
  for (int round = 0; round < 3; ++round) {
    const HttpResponse res = run_one(client, get(server.url("/ok?i=" + std::to_string(round))));
    EXPECT_EQ(res.body, "ok " + std::to_string(round));
  }
  client.submit(get(server.url("/slow")));
  client.abort_all();
  EXPECT_EQ(client.in_flight(), 0U);
}

}  // namespace
}  // namespace envmon::net
