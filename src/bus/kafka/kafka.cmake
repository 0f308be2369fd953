# Kafka backend of the bus (issue 4), on librdkafka's C API from Debian's librdkafka-dev.
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)

envmon_library(bus_kafka
  SRCS kafka/kafka_bus_config.cc kafka/kafka_handles.cc kafka/kafka_admin.cc
       kafka/kafka_producer.cc kafka/kafka_consumer.cc kafka/kafka_rebalance.cc kafka/kafka_history.cc
       kafka/kafka_bus.cc
  DEPS envmon::bus envmon::core envmon::config PkgConfig::RDKAFKA)

if(ENVMON_BUILD_TESTS)
  envmon_test(bus_kafka_config_test SRCS kafka/kafka_bus_config_test.cc DEPS envmon::bus_kafka)

  # Integration tests need a broker: one is started for the whole ctest run (fixture `kafka`)
  # and stopped at the end. The binary is registered as one test (not gtest_discover_tests) so
  # it can carry the fixture; it skips when run by hand without ENVMON_KAFKA_BOOTSTRAP.
  set(ENVMON_KAFKA_TEST_DIR ${CMAKE_BINARY_DIR}/kafka-test)
  add_test(NAME kafka_broker_start
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/kafka/broker start --port 19192 --dir ${ENVMON_KAFKA_TEST_DIR})
  add_test(NAME kafka_broker_stop
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/kafka/broker stop --dir ${ENVMON_KAFKA_TEST_DIR})
  set_tests_properties(kafka_broker_start PROPERTIES FIXTURES_SETUP kafka LABELS integration TIMEOUT 180)
  set_tests_properties(kafka_broker_stop PROPERTIES FIXTURES_CLEANUP kafka LABELS integration TIMEOUT 60)

  add_executable(bus_kafka_test kafka/kafka_bus_test.cc)
  target_link_libraries(bus_kafka_test PRIVATE envmon::bus_kafka GTest::gtest GTest::gtest_main)
  envmon_apply_flags(bus_kafka_test)
  add_test(NAME bus_kafka_test COMMAND bus_kafka_test)
  set_tests_properties(bus_kafka_test PROPERTIES
    FIXTURES_REQUIRED kafka LABELS integration TIMEOUT 180 RESOURCE_LOCK kafka_broker
    ENVIRONMENT ENVMON_KAFKA_BOOTSTRAP=127.0.0.1:19192)
endif()
