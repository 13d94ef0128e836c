/* Where things are: the tools racelab drives, each found once by CMake at
 * configure time (cmake/RacelabTools.cmake stops there, naming the Debian
 * package, when one is missing), and racelab's own files, which are in
 * the source and build trees for a build and under PREFIX/share/racelab
 * and PREFIX/lib/racelab for an installed racelab (`cmake --install`). */
#ifndef RACELAB_TOOLPATHS_H
#define RACELAB_TOOLPATHS_H

typedef struct {
    const char *clang, *clangxx; /* TSan builds and explore builds */
    const char *cc, *cxx;        /* native builds, for Valgrind */
    const char *valgrind, *gdb, *bwrap, *nm, *addr2line, *prlimit;
    const char *cxxfilt; /* C++ names Valgrind leaves mangled (a variable's symbol) */
} ToolPaths;

extern const ToolPaths tool_paths;

/* The lab: the folder holding cases/ and fixed/. */
const char *lab_root(void);
/* The folder of racelab's own run-time pieces (libracelab-explore.so). */
const char *runtime_dir(void);
/* Builds and runs go here unless --work-dir says otherwise: the build
 * tree's racelab-work, or ~/.cache/racelab for an installed racelab. */
const char *default_work_dir(void);

#endif
