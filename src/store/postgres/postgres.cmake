# PostgreSQL backend of the store, on libpq from Debian's libpq-dev.
find_package(PostgreSQL REQUIRED)

envmon_library(store_postgres
  SRCS postgres/pg_conn.cc postgres/pg_copy.cc postgres/pg_store_config.cc
       postgres/pg_migrations.cc postgres/pg_store.cc postgres/pg_write.cc postgres/pg_store_query.cc
       postgres/pg_partitions.cc postgres/pg_series.cc
  DEPS envmon::store envmon::core envmon::model envmon::config PostgreSQL::PostgreSQL)

if(ENVMON_BUILD_TESTS)
  envmon_test(store_postgres_test SRCS postgres/pg_store_test.cc DEPS envmon::store_postgres)

  # Integration tests need a server: one PostgreSQL 15 is started for the ctest run (fixture
  # `postgres`, scripts/postgres/server) on loopback port 15433 and stopped at the end. The
  # binaries are registered as single tests so they can carry the fixture; run by hand without
  # ENVMON_PG_DSN they skip.
  set(ENVMON_PG_TEST_DIR ${CMAKE_BINARY_DIR}/pg-test)
  set(ENVMON_PG_TEST_PORT 15433)
  # Cached so tests/integration/postgres (the API on PostgreSQL) uses the same server.
  set(ENVMON_PG_TEST_ENV
    "ENVMON_PG_DSN=host=127.0.0.1 port=${ENVMON_PG_TEST_PORT} dbname=envmon user=envmon"
    "ENVMON_PG_PASSWORD=envmon-test" "ENVMON_PG_DIR=${ENVMON_PG_TEST_DIR}"
    "ENVMON_PG_PORT=${ENVMON_PG_TEST_PORT}" CACHE INTERNAL "")
  add_test(NAME postgres_server_start
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/postgres/server start --soft
                   --port ${ENVMON_PG_TEST_PORT} --dir ${ENVMON_PG_TEST_DIR})
  add_test(NAME postgres_server_stop
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/postgres/server stop --dir ${ENVMON_PG_TEST_DIR})
  set_tests_properties(postgres_server_start PROPERTIES FIXTURES_SETUP postgres
                       LABELS integration TIMEOUT 120)
  set_tests_properties(postgres_server_stop PROPERTIES FIXTURES_CLEANUP postgres
                       LABELS integration TIMEOUT 60)
  # A misspelt ENVMON_PG_OPTIONS setting fails the start naming the variable and the setting
  # (a server of its own, in a throw-away directory: a running one would ignore the options).
  add_test(NAME postgres_server_names_bad_options
           COMMAND sh -c "d=$(mktemp -d) && ENVMON_PG_OPTIONS='-c wal_levle=minimal' \
${PROJECT_SOURCE_DIR}/scripts/postgres/server start --port 15439 --dir \"$d\"; rc=$?; \
rm -rf \"$d\"; exit $rc")
  set_tests_properties(postgres_server_names_bad_options PROPERTIES LABELS integration TIMEOUT 120
    SKIP_REGULAR_EXPRESSION "initdb not found" PASS_REGULAR_EXPRESSION
    "ENVMON_PG_OPTIONS=\"-c wal_levle=minimal\": .*unrecognized configuration parameter .wal_levle")

  add_executable(store_postgres_integration_test postgres/pg_store_integration_test.cc)
  target_link_libraries(store_postgres_integration_test PRIVATE envmon::store_postgres
                        envmon::sinks envmon::bus GTest::gtest GTest::gtest_main)
  target_compile_definitions(store_postgres_integration_test PRIVATE
                             ENVMON_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  envmon_apply_flags(store_postgres_integration_test)
  add_test(NAME store_postgres_integration_test COMMAND store_postgres_integration_test)
  set_tests_properties(store_postgres_integration_test PROPERTIES
    FIXTURES_REQUIRED postgres LABELS integration TIMEOUT 300 RESOURCE_LOCK postgres_server
    ENVIRONMENT "${ENVMON_PG_TEST_ENV}")
endif()
