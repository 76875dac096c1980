# cmake --install: the `sluice` program, every module's static library and headers, and a
# CMake package so that another project uses the C++ library with
#   find_package(Sluice REQUIRED)
#   target_link_libraries(app PRIVATE Sluice::sluice)
# (tests/cli/cmake_install_test.sh builds the README's example that way). Components:
# `runtime` (the program), `library` (libraries, headers, package), `python` (the module).

# Sluice::sluice: the whole engine (every module but the CLI's).
add_library(sluice_all INTERFACE)
target_link_libraries(sluice_all INTERFACE sluice_api sluice_dbt sluice_serve sluice_stream
                                           sluice_tpch sluice_mpi)
target_compile_features(sluice_all INTERFACE cxx_std_20)
if(SLUICE_SANITIZE)
  target_link_options(sluice_all INTERFACE -fsanitize=address,undefined)
endif()
set_target_properties(sluice_all PROPERTIES EXPORT_NAME sluice)
add_library(Sluice::sluice ALIAS sluice_all)

install(TARGETS sluice RUNTIME DESTINATION bin COMPONENT runtime)
install(TARGETS sluice_all EXPORT SluiceTargets COMPONENT library)
install(EXPORT SluiceTargets NAMESPACE Sluice:: DESTINATION lib/cmake/Sluice COMPONENT library)

include(CMakePackageConfigHelpers)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/SluiceConfigVersion.cmake VERSION 0.1.0
                                 COMPATIBILITY SameMinorVersion)
# The imported libraries the modules link (found again where the package is used); the
# XGBoost and Snappy libraries are exported by path.
set(SLUICE_PKG_CONFIG_TARGETS
    "RE2 re2" "UTF8PROC libutf8proc" "LIBEDIT libedit" "SLUICE_AVRO_CODECS libzstd zlib"
    "SLUICE_CODECS libzstd liblz4 zlib" "SLUICE_SHUFFLE_LZ4 liblz4" "SLUICE_MPI_LZ4 liblz4"
    "SLUICE_OBJSTORE_LIBS libcurl libcrypto" "HIREDIS hiredis"
    "CPPHTTPLIB cpp-httplib" "RDKAFKA rdkafka")
configure_file(${PROJECT_SOURCE_DIR}/cmake/SluiceConfig.cmake.in
               ${PROJECT_BINARY_DIR}/SluiceConfig.cmake @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/SluiceConfig.cmake ${PROJECT_BINARY_DIR}/SluiceConfigVersion.cmake
        DESTINATION lib/cmake/Sluice COMPONENT library)
