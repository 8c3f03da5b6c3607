# Helpers every module's CMakeLists.txt uses, so that each reads the same.

# loupe_library(NAME SOURCES a.cc b.cc DEPS lib1 lib2)
# A static library rooted at src/, with Loupe's warnings.
function(loupe_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${LOUPE_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# loupe_test(NAME SOURCES a_test.cc DEPS lib1)
# One GoogleTest executable, registered with CTest. Tests run from the
# repository root so fixtures are found by relative path.
function(loupe_test name)
  if(NOT LOUPE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${LOUPE_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "LOUPE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
