# A test's time limit catches a hang, not slowness: the sanitizer build (-O0, every access
# checked) runs the speech tests 5-10 times slower (SpeakerAdaptation.EachSoundMoved...: 115 s
# against 12 s), so its limits are three times as long.
macro(hark_sanitized_timeout var)
  if(HARK_SANITIZE)
    math(EXPR ${var} "${${var}} * 3")
  endif()
endmacro()

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
  hark_sanitized_timeout(T_TIMEOUT)
  gtest_discover_tests(${name}
    PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
               ENVIRONMENT "HARK_BINARY=$<TARGET_FILE:hark>"
    DISCOVERY_TIMEOUT 30)
endfunction()

# hark_py_test(NAME SCRIPT LABEL service [CASES Class...])
# Python tests drive real Hark processes with clients Hark did not write; one ctest entry per
# test class so they run in parallel. They need Debian's /usr/bin/python3 and its modules.
function(hark_py_test name)
  if(NOT HARK_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "SCRIPT;LABEL;TIMEOUT" "CASES" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 180)
  endif()
  hark_sanitized_timeout(T_TIMEOUT)
  foreach(test_case IN LISTS T_CASES)
    add_test(NAME ${name}.${test_case}
             COMMAND ${HARK_SYSTEM_PYTHON} -W ignore::ResourceWarning
                     ${CMAKE_CURRENT_SOURCE_DIR}/${T_SCRIPT} -v ${test_case})
    set_tests_properties(${name}.${test_case} PROPERTIES
      LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
      ENVIRONMENT "HARK_BINARY=$<TARGET_FILE:hark>;PYTHONDONTWRITEBYTECODE=1")
  endforeach()
endfunction()
