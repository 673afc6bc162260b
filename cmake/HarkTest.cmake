# hark_test(NAME SOURCES... LABEL unit|service|e2e|container LIBS ...)
# Tests live beside the code they test; each gets a cost label so `ctest -L unit` runs the cheap ones.
function(hark_test name)
  if(NOT HARK_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  hark_warnings(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
               ENVIRONMENT "HARK_BINARY=$<TARGET_FILE:hark>"
    DISCOVERY_TIMEOUT 30)
endfunction()
