# Included by src/transforms/CMakeLists.txt: the AQI module's sources and its test sources.
set(ENVMON_AQI_SRCS
    ${CMAKE_CURRENT_LIST_DIR}/aqi.cc
    ${CMAKE_CURRENT_LIST_DIR}/sub_index.cc
    ${CMAKE_CURRENT_LIST_DIR}/nowcast.cc
    ${CMAKE_CURRENT_LIST_DIR}/station_aqi.cc)
set(ENVMON_AQI_TEST_SRCS
    ${CMAKE_CURRENT_LIST_DIR}/aqi_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/station_aqi_test.cc)
