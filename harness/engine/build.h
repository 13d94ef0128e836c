/* Compiles a program for a tool: with ThreadSanitizer (clang), natively
 * (gcc, for Valgrind and native runs), or for explore (clang's TSan
 * instrumentation, every access as written (-O0), linked with the explore
 * runtime instead of TSan's). Builds are cached by content. */
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
} BuildSpec;

typedef struct {
    bool ok;
    char *exe; /* the binary, on success */
    char *log; /* what the compiler said: errors, warnings */
    bool cached;
} BuildResult;

BuildKind build_kind_for(ToolId tool);
const char *build_kind_name(BuildKind k); /* tsan, native, explore */
void build_program(const BuildSpec *spec, BuildResult *res);
void build_result_free(BuildResult *res);
/* The compiler command, for messages: "clang -fsanitize=thread -g -O1 ..." */
char *build_command_line(BuildKind kind);

#endif
