/* Paths of the tools racelab drives. CMake finds them at configure time
 * (and fails there, naming the Debian package, if one is missing); these
 * defaults serve a build without CMake. */
#ifndef RACELAB_CONFIG_H
#define RACELAB_CONFIG_H

#ifndef RACELAB_CLANG
#define RACELAB_CLANG "/usr/bin/clang"
#endif
#ifndef RACELAB_CC
#define RACELAB_CC "/usr/bin/gcc"
#endif
#ifndef RACELAB_VALGRIND
#define RACELAB_VALGRIND "/usr/bin/valgrind"
#endif
#ifndef RACELAB_GDB
#define RACELAB_GDB "/usr/bin/gdb"
#endif
#ifndef RACELAB_SOURCE_DIR
#define RACELAB_SOURCE_DIR "."
#endif

#endif
