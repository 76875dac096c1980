# sluice_module(<name> [DEPENDS <module>...] [SOURCES <file>...])
#
# Declares the library sluice_<name> for the module src/<name>/ and proves its layering:
#  - sources: SOURCES when given, else every *.cpp in src/<name>/;
#  - DEPENDS: the modules it builds on, by short name, linked PUBLIC. Each must be declared
#    before it (add_subdirectory order in the root CMakeLists.txt), so the graph has no cycle
#    and points only downward;
#  - headers: the module exposes only its own folder, through
#    <build>/include/<name>/<name> -> src/<name> (a symlink), so `#include "<name>/x.h"`
#    resolves for the module and for whatever links it, and an include of a module outside
#    its (transitive) DEPENDS fails to compile.
# External libraries are linked by the module's CMakeLists with target_link_libraries.
# scripts/check-layering.py reads the same DEPENDS lists to check includes without a build.
function(sluice_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "DEPENDS;SOURCES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sluice_module(${name}): unexpected arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(module_dir ${PROJECT_SOURCE_DIR}/src/${name})
  if(NOT CMAKE_CURRENT_SOURCE_DIR STREQUAL module_dir)
    message(FATAL_ERROR "sluice_module(${name}) must be called from src/${name}/CMakeLists.txt")
  endif()

  get_property(declared GLOBAL PROPERTY SLUICE_MODULES)
  foreach(dep IN LISTS arg_DEPENDS)
    if(NOT dep IN_LIST declared)
      message(FATAL_ERROR "module ${name} depends on '${dep}', which is not a module declared "
                          "before it: modules depend only downward (root CMakeLists.txt order)")
    endif()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY SLUICE_MODULES ${name})

  if(arg_SOURCES)
    set(sources ${arg_SOURCES})
  else()
    file(GLOB sources CONFIGURE_DEPENDS ${module_dir}/*.cpp)
  endif()
  add_library(sluice_${name} STATIC ${sources})
  if(SLUICE_PIC_MODULES)
    # PIC (not the PIE Debian's gcc makes by default) so that the Python module, a shared
    # object, can link the library; -fno-semantic-interposition keeps calls inside the
    # engine direct and inlinable, and linking an executable relaxes GOT accesses back to
    # direct ones, so the executables lose nothing.
    set_target_properties(sluice_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_compile_options(sluice_${name} PRIVATE -fno-semantic-interposition)
  endif()

  set(include_root ${PROJECT_BINARY_DIR}/include/${name})
  file(MAKE_DIRECTORY ${include_root})
  file(CREATE_LINK ${module_dir} ${include_root}/${name} SYMBOLIC)
  target_include_directories(sluice_${name} PUBLIC $<BUILD_INTERFACE:${include_root}>
                                                   $<INSTALL_INTERFACE:include/sluice>)
  # cmake --install: the library and its headers (include/sluice/<name>/*.h), exported as
  # Sluice::<name> for find_package(Sluice) (cmake/SluiceInstall.cmake).
  install(TARGETS sluice_${name} EXPORT SluiceTargets ARCHIVE DESTINATION lib COMPONENT library)
  install(DIRECTORY ${module_dir}/ DESTINATION include/sluice/${name} COMPONENT library
          FILES_MATCHING PATTERN "*.h")
  set_target_properties(sluice_${name} PROPERTIES EXPORT_NAME ${name})

  list(TRANSFORM arg_DEPENDS PREPEND sluice_ OUTPUT_VARIABLE dep_targets)
  target_link_libraries(sluice_${name} PUBLIC ${dep_targets})
endfunction()

# Fails the configure step when a folder src/<m>/ with a CMakeLists.txt was not declared
# with sluice_module() (not added to the root CMakeLists.txt, or declared with a plain
# add_library, which would leave its headers unreachable). Call after the last module.
function(sluice_check_modules_declared)
  get_property(declared GLOBAL PROPERTY SLUICE_MODULES)
  file(GLOB module_lists RELATIVE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/src/*/CMakeLists.txt)
  foreach(list_file IN LISTS module_lists)
    get_filename_component(name ${list_file} DIRECTORY)
    if(NOT name IN_LIST declared)
      message(FATAL_ERROR "src/${name}/ is not a declared module: add add_subdirectory(src/${name}) "
                          "to the root CMakeLists.txt above the modules that use it, and declare "
                          "it in src/${name}/CMakeLists.txt with sluice_module(${name} DEPENDS ...)")
    endif()
  endforeach()
endfunction()
