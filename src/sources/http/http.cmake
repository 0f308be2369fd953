# The polling engine every API source runs on (included from src/sources/CMakeLists.txt, so
# paths are relative to src/sources).
envmon_library(source_http
  SRCS http/poller_config.cc http/provider.cc http/rate_limiter.cc http/backoff.cc
       http/circuit_breaker.cc http/fetch_planner.cc http/engine_metrics.cc http/edge_check.cc
       http/poll_engine.cc http/poll_engine_outcomes.cc http/http_source.cc http/provider_factory.cc
  DEPS envmon::net envmon::model envmon::config envmon::transforms envmon::sources)
envmon_test(source_http_test
  SRCS http/engine_parts_test.cc http/edge_check_test.cc http/poll_engine_test.cc
  DEPS envmon::source_http PkgConfig::HTTPLIB)
