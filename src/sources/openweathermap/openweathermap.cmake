# OpenWeatherMap: a request builder plus a parser on the shared HTTP polling engine
# (envmon::source_http, declared before this file by src/sources/CMakeLists.txt).
envmon_library(source_openweathermap
  SRCS openweathermap/openweathermap_config.cc openweathermap/openweathermap_provider.cc
       openweathermap/openweathermap_parse.cc openweathermap/openweathermap_source.cc
  DEPS envmon::source_http envmon::model envmon::config simdjson::simdjson)
envmon_test(openweathermap_test SRCS openweathermap/openweathermap_test.cc
  DEPS envmon::source_openweathermap LABELS unit)
