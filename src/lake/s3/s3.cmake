# Integration tests of the S3 backend need an S3-compatible server: S3Proxy (filesystem backend,
# SigV4 authentication on) is started once for the ctest run by scripts/s3/server (fixture `s3`)
# and stopped at the end. The test binary skips when run by hand without ENVMON_S3_ENDPOINT.
if(ENVMON_BUILD_TESTS)
  set(ENVMON_S3_TEST_DIR ${CMAKE_BINARY_DIR}/s3-test)
  set(ENVMON_S3_TEST_PORT 18480)
  add_test(NAME s3_server_start
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/s3/server start --port ${ENVMON_S3_TEST_PORT}
                   --dir ${ENVMON_S3_TEST_DIR})
  add_test(NAME s3_server_stop
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/s3/server stop --dir ${ENVMON_S3_TEST_DIR})
  set_tests_properties(s3_server_start PROPERTIES FIXTURES_SETUP s3 LABELS integration TIMEOUT 300)
  set_tests_properties(s3_server_stop PROPERTIES FIXTURES_CLEANUP s3 LABELS integration TIMEOUT 60)

  add_executable(lake_s3_integration_test s3/s3_object_store_test.cc)
  target_link_libraries(lake_s3_integration_test PRIVATE envmon::lake PkgConfig::HTTPLIB
                        GTest::gtest GTest::gtest_main)
  target_compile_definitions(lake_s3_integration_test PRIVATE
    ENVMON_SOURCE_DIR="${PROJECT_SOURCE_DIR}" ENVMON_BINARY_DIR="${PROJECT_BINARY_DIR}")
  envmon_apply_flags(lake_s3_integration_test)
  add_test(NAME lake_s3_integration_test COMMAND lake_s3_integration_test)
  set_tests_properties(lake_s3_integration_test PROPERTIES
    FIXTURES_REQUIRED s3 LABELS integration TIMEOUT 300 RESOURCE_LOCK s3_server
    ENVIRONMENT "ENVMON_S3_ENDPOINT=http://127.0.0.1:${ENVMON_S3_TEST_PORT};ENVMON_S3_BUCKET=envmon-test;AWS_ACCESS_KEY_ID=envmon-test;AWS_SECRET_ACCESS_KEY=envmon-test-secret")
endif()

# Interoperability (tests/integration/lake): pyarrow + DuckDB read the curated Parquet files,
# boto3 reads what was written to S3Proxy. Python tools come from tests/integration/lake/setup.
if(ENVMON_BUILD_TESTS)
  set(ENVMON_LAKE_INTEROP_DIR ${PROJECT_SOURCE_DIR}/tests/integration/lake)
  add_executable(lake_interop_test ${ENVMON_LAKE_INTEROP_DIR}/lake_interop_test.cc)
  target_link_libraries(lake_interop_test PRIVATE envmon::lake PkgConfig::HTTPLIB GTest::gtest
                        GTest::gtest_main)
  target_compile_definitions(lake_interop_test PRIVATE ENVMON_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                             ENVMON_BINARY="$<TARGET_FILE:envmon>")
  add_dependencies(lake_interop_test envmon)
  envmon_apply_flags(lake_interop_test)
  add_test(NAME lake_interop_test COMMAND lake_interop_test)
  set_tests_properties(lake_interop_test PROPERTIES
    FIXTURES_REQUIRED s3 LABELS integration TIMEOUT 600 RESOURCE_LOCK s3_server
    ENVIRONMENT "ENVMON_S3_ENDPOINT=http://127.0.0.1:${ENVMON_S3_TEST_PORT};AWS_ACCESS_KEY_ID=envmon-test;AWS_SECRET_ACCESS_KEY=envmon-test-secret")
endif()
