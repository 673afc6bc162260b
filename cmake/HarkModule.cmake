# hark_module(NAME SOURCES... LIBS ...)
# Builds lib/hark/hark-NAME.so, loaded at run time by the processes that need it
# (src/core/module.h). The static libraries it links stay private to it: only its entry points
# are exported, so its copies of the shared core never stand in for the executable's.
function(hark_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LIBS" ${ARGN})
  set(target hark_module_${name})
  add_library(${target} MODULE ${M_SOURCES})
  hark_warnings(${target})
  target_link_libraries(${target} PRIVATE ${M_LIBS})
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL)
  if(NOT HARK_MODULES_RESOLVE_AT_LOAD)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME hark-${name} PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib/hark)
  install(TARGETS ${target} LIBRARY DESTINATION lib/hark)
  set_property(GLOBAL APPEND PROPERTY HARK_MODULES ${target})
endfunction()
