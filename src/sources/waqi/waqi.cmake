# WAQI (aqicn.org): a request builder plus a parser on the shared HTTP polling engine.
# The factory (waqi_source.cc) needs the engine (envmon::source_http); the provider, its config
# and its parsers do not, so the tests exercise them directly.
set(ENVMON_WAQI_DEPS envmon::model envmon::config simdjson::simdjson)
if(TARGET envmon::source_http)
  list(PREPEND ENVMON_WAQI_DEPS envmon::source_http)
endif()
envmon_library(source_waqi
  SRCS waqi/waqi_config.cc waqi/waqi_provider.cc waqi/waqi_parse.cc waqi/waqi_discovery.cc
       waqi/waqi_source.cc
  DEPS ${ENVMON_WAQI_DEPS})
envmon_test(waqi_test SRCS waqi/waqi_test.cc DEPS envmon::source_waqi LABELS unit)
