# hark_service_module(NAME SOURCES... LIBS ...)
# Builds lib/hark/hark-NAME.so, the service that `hark NAME` loads (src/cli/service_module.h).
# The static libraries it links stay private to it: only the entry point is exported, so its
# copies of the shared core never stand in for the executable's.
function(hark_service_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LIBS" ${ARGN})
  set(target hark_module_${name})
  add_library(${target} MODULE ${M_SOURCES})
  hark_warnings(${target})
  target_link_libraries(${target} PRIVATE ${M_LIBS})
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL -Wl,--no-undefined)
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME hark-${name} PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib/hark)
  install(TARGETS ${target} LIBRARY DESTINATION lib/hark)
  set_property(GLOBAL APPEND PROPERTY HARK_SERVICE_MODULES ${target})
endfunction()
