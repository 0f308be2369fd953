# OpenWeatherMap: a request builder plus a parser on the shared HTTP polling engine.
# The factory (openweathermap_source.cc) needs the engine (envmon::source_http); the provider,
# its config and its parser do not, so the tests exercise them directly.
set(ENVMON_OWM_DEPS envmon::model envmon::config simdjson::simdjson)
if(TARGET envmon::source_http)
  list(PREPEND ENVMON_OWM_DEPS envmon::source_http)
endif()
envmon_library(source_openweathermap
  SRCS openweathermap/openweathermap_config.cc openweathermap/openweathermap_provider.cc
       openweathermap/openweathermap_parse.cc openweathermap/openweathermap_source.cc
  DEPS ${ENVMON_OWM_DEPS})
envmon_test(openweathermap_test SRCS openweathermap/openweathermap_test.cc
  DEPS envmon::source_openweathermap LABELS unit)
