# Open-Meteo: request builder + parser for the shared HTTP polling engine (sources/http), plus
# the archive (backfill) provider. Included by src/sources/CMakeLists.txt after http.cmake.
set(OPENMETEO_SRCS
  openmeteo/openmeteo_config.cc openmeteo/openmeteo_parse.cc openmeteo/openmeteo_provider.cc
  openmeteo/openmeteo_archive.cc)
set(OPENMETEO_DEPS envmon::model envmon::config simdjson::simdjson absl::time)
# The factory (make_openmeteo_source, parse_openmeteo_config(block), openmeteo_schema_docs) needs
# the engine; the provider classes only need its headers.
if(TARGET envmon::source_http)
  list(APPEND OPENMETEO_SRCS openmeteo/openmeteo_source.cc)
  list(APPEND OPENMETEO_DEPS envmon::source_http)
endif()
envmon_library(source_openmeteo SRCS ${OPENMETEO_SRCS} DEPS ${OPENMETEO_DEPS})
envmon_test(openmeteo_test SRCS openmeteo/openmeteo_test.cc
  DEPS envmon::source_openmeteo LABELS unit)
if(TARGET openmeteo_test AND TARGET envmon::source_http)
  target_compile_definitions(openmeteo_test PRIVATE ENVMON_OPENMETEO_HAS_FACTORY=1)
endif()
