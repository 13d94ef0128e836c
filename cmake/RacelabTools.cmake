# Finds every tool racelab drives and fails with the Debian package to
# install when one is missing: the lab never skips a tool silently.

function(racelab_require var prog package)
  find_program(${var} NAMES ${prog})
  if(NOT ${var})
    message(FATAL_ERROR "racelab needs '${prog}': apt-get install ${package}")
  endif()
endfunction()

racelab_require(RACELAB_CLANG clang clang)
racelab_require(RACELAB_CLANGXX clang++ clang)
racelab_require(RACELAB_CC gcc gcc)
racelab_require(RACELAB_CXX g++ g++)
racelab_require(RACELAB_NM nm binutils)
racelab_require(RACELAB_ADDR2LINE addr2line binutils)
racelab_require(RACELAB_CXXFILT c++filt binutils)
racelab_require(RACELAB_PRLIMIT prlimit util-linux)
racelab_require(RACELAB_VALGRIND valgrind valgrind)
racelab_require(RACELAB_GDB gdb gdb)
find_program(RACELAB_BWRAP NAMES bwrap)
if(NOT RACELAB_BWRAP)
  message(FATAL_ERROR "racelab needs 'bwrap' to sandbox graded code: apt-get install bubblewrap")
endif()

# clang without its TSan runtime compiles but cannot link -fsanitize=thread.
execute_process(COMMAND ${RACELAB_CLANG} -dumpversion
  OUTPUT_VARIABLE _clang_version OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX MATCH "^[0-9]+" _clang_major "${_clang_version}")
set(_probe ${CMAKE_BINARY_DIR}/CMakeFiles/tsan-probe.c)
file(WRITE ${_probe} "#include <pthread.h>\nstatic void *f(void *p) { return p; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n")
execute_process(COMMAND ${RACELAB_CLANG} -fsanitize=thread -g -O1 ${_probe} -o ${_probe}.out -pthread
  RESULT_VARIABLE _tsan_rc OUTPUT_QUIET ERROR_VARIABLE _tsan_err)
if(NOT _tsan_rc EQUAL 0)
  message(FATAL_ERROR "clang ${_clang_version} cannot link ThreadSanitizer programs: "
    "apt-get install libclang-rt-${_clang_major}-dev\n${_tsan_err}")
endif()
execute_process(COMMAND ${_probe}.out RESULT_VARIABLE _tsan_run ERROR_VARIABLE _tsan_run_err)
if(NOT _tsan_run EQUAL 0)
  if(_tsan_run_err MATCHES "unexpected memory mapping")
    message(FATAL_ERROR "ThreadSanitizer programs die here: 'unexpected memory mapping'. "
      "The kernel's vm.mmap_rnd_bits is too high for clang ${_clang_major}'s TSan: "
      "run `sudo sysctl vm.mmap_rnd_bits=28` (google/sanitizers#1716).")
  endif()
  message(FATAL_ERROR "a ThreadSanitizer test program failed (exit ${_tsan_run}):\n${_tsan_run_err}")
endif()

find_package(EXPAT)
if(NOT EXPAT_FOUND)
  message(FATAL_ERROR "racelab reads Valgrind's XML with expat: apt-get install libexpat1-dev")
endif()
find_package(PkgConfig)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(JANSSON IMPORTED_TARGET jansson)
endif()
if(NOT JANSSON_FOUND)
  message(FATAL_ERROR "racelab writes JSON and SARIF with jansson: apt-get install libjansson-dev pkg-config")
endif()
