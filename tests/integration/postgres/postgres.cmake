# `envmon` on the PostgreSQL store (the `postgres` fixture of src/store/postgres/postgres.cmake):
# the API from the spine, unchanged, answering from PostgreSQL; psql reading what it wrote.
if(TARGET envmon AND ENVMON_BUILD_TESTS)
  add_executable(pg_api_test postgres/pg_api_test.cc ../e2e/demo_process.cc)
  target_link_libraries(pg_api_test PRIVATE envmon::store_postgres PkgConfig::HTTPLIB
                                            GTest::gtest GTest::gtest_main)
  target_include_directories(pg_api_test PRIVATE ${PROJECT_SOURCE_DIR}/src
                                                 ${CMAKE_CURRENT_SOURCE_DIR}/..)
  envmon_apply_flags(pg_api_test)
  target_compile_definitions(pg_api_test PRIVATE
    ENVMON_SOURCE_DIR="${PROJECT_SOURCE_DIR}" ENVMON_BINARY="$<TARGET_FILE:envmon>")
  add_dependencies(pg_api_test envmon)
  add_test(NAME pg_api_test COMMAND pg_api_test)
  set_tests_properties(pg_api_test PROPERTIES
    FIXTURES_REQUIRED postgres LABELS integration TIMEOUT 300 RESOURCE_LOCK postgres_server
    ENVIRONMENT "${ENVMON_PG_TEST_ENV}")
endif()
