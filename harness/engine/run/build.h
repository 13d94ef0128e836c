/* Compiles a program for a tool: with ThreadSanitizer (clang/clang++),
 * natively (gcc/g++, for Valgrind and native runs), or for explore (clang's
 * TSan instrumentation, every access as written (-O0), linked with the
 * explore runtime instead of TSan's), in the compilers' own GNU dialect.
 * C++ sources (.cc .cpp .cxx .c++ .C) are built as C++, also mixed with C
 * ones, and linked with the C++ runtime. Builds are cached by everything
 * that goes into them: the preprocessed translation units (so every
 * header), the flags, and the compilers' versions. */
#ifndef RACELAB_BUILD_H
#define RACELAB_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"
#include "tool.h"

typedef enum { BUILD_TSAN, BUILD_NATIVE, BUILD_EXPLORE, BUILD_KIND_COUNT } BuildKind;

typedef struct {
    const StrVec *sources; /* at least one */
    BuildKind kind;
    const char *cache_dir;
    const StrVec *cflags;  /* extra flags; NULL: none */
    const StrVec *ldflags; /* after the sources (-lm must follow its users); NULL: none */
    char *const *wrapper;  /* argv prefix for the compiler (grade: the sandbox), NULL-terminated, may be NULL */
    bool uncached;         /* built once into cache_dir, no key computed: a scratch folder nobody reuses */
} BuildSpec;

typedef struct {
    bool ok;
    char *exe;     /* the binary, on success */
    char *log;     /* what the compiler said: errors, warnings */
    char *command; /* the compile command as run (without -o), for messages */
    bool cached;
} BuildResult;

BuildKind build_kind_for(ToolId tool);
const char *build_kind_name(BuildKind k); /* tsan, native, explore */
void build_program(const BuildSpec *spec, BuildResult *res);
/* One source alone, as the kind's build compiles it: preprocessed (-E,
 * with line markers) or compiled to an object (-c), into out. What the
 * compiler said is in *log (malloc'd). For the grader's scan. */
typedef enum { BUILD_PREPROCESS, BUILD_OBJECT } BuildStep;
bool build_unit(const BuildSpec *spec, const char *source, BuildStep step, const char *out, char **log);
void build_result_free(BuildResult *res);
/* Whether a source file is C++, by its extension. */
bool source_is_cxx(const char *path);

#endif
