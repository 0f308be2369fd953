# WAQI (aqicn.org): a request builder plus a parser on the shared HTTP polling engine
# (envmon::source_http, declared before this file by src/sources/CMakeLists.txt).
envmon_library(source_waqi
  SRCS waqi/waqi_config.cc waqi/waqi_provider.cc waqi/waqi_parse.cc waqi/waqi_discovery.cc
       waqi/waqi_source.cc
  DEPS envmon::source_http envmon::model envmon::config simdjson::simdjson)
envmon_test(waqi_test SRCS waqi/waqi_test.cc DEPS envmon::source_waqi LABELS unit)
