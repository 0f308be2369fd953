# Open-Meteo: request builder + parser for the shared HTTP polling engine (envmon::source_http,
# declared before this file by src/sources/CMakeLists.txt), plus the archive (backfill) provider.
envmon_library(source_openmeteo
  SRCS openmeteo/openmeteo_config.cc openmeteo/openmeteo_parse.cc
       openmeteo/openmeteo_provider.cc openmeteo/openmeteo_archive.cc
       openmeteo/openmeteo_source.cc
  DEPS envmon::source_http envmon::model envmon::config simdjson::simdjson)
envmon_test(openmeteo_test SRCS openmeteo/openmeteo_test.cc openmeteo/openmeteo_provider_test.cc
  DEPS envmon::source_openmeteo LABELS unit)
