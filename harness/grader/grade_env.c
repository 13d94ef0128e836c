/* Where a submission is graded: its scratch directory (the source, the
 * builds' cache, the scan's files, a folder per run), the sandbox
 * compilers and programs run in, the options of one sandboxed run, and
 * what a finished run left in its folder. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "fs.h"
#include "grade_internal.h"
#include "measure.h"
#include "stop.h"
#include "text.h"
#include "toolpaths.h"

bool grade_env_setup(GradeEnv *env, GradeResult *g)
{
    const GradeOptions *o = env->o;
    char *tmpl = xasprintf("%s/grade-XXXXXX", o->work_dir);
    if (!mkdir_p(o->work_dir) || !mkdtemp(tmpl)) {
        g->rejected = xasprintf("cannot create a scratch directory in %s: %s", o->work_dir, strerror(errno));
        free(tmpl);
        return false;
    }
    env->dir = tmpl;
    stop_watch_dir(env->dir); /* a stopped racelab removes it too */
    env->src_dir = path_join(env->dir, "src");
    env->cache = path_join(env->dir, "cache");
    env->runs = path_join(env->dir, "runs");
    env->scan_dir = path_join(env->dir, "scan");
    env->lab_cache = path_join(o->work_dir, "lab-cache"); /* the lab's own files, built once for a batch */
    env->src = xasprintf("%s/%s.c", env->src_dir, o->spec->name);
    mkdir_p(env->src_dir), mkdir_p(env->cache), mkdir_p(env->lab_cache), mkdir_p(env->runs), mkdir_p(env->scan_dir);
    if (!write_file(env->src, env->sub->text, env->sub->len)) {
        g->rejected = xasprintf("cannot write %s: %s", env->src, strerror(errno));
        return false;
    }
    chmod(env->src, 0444);
    sources_add(&env->ss, env->src);
    sandbox_init(&env->sb, o->sandbox);
    g->sandbox = xstrdup(env->sb.limits);
    /* Compilers see the source read-only, write only the cache and the
     * scan's folder; programs see the binaries and the explore runtime
     * read-only, write only their own run's folder. */
    SandboxMount bm[] = {{env->src_dir, false}, {env->cache, true}, {env->scan_dir, true}, {runtime_dir(), false}};
    SandboxStep st = {.mounts = bm,
                      .nmounts = ARRAY_LEN(bm),
                      .chdir = env->src_dir,
                      .clearenv = true,
                      .home = env->src_dir,
                      .cpu_seconds = 20, /* a fix compiles in under a second */
                      .fsize = 256ll << 20,
                      .as_limit = 4ll << 30};
    env->build_wrap = sandbox_argv(&env->sb, &st);
    return true;
}

void grade_env_teardown(GradeEnv *env)
{
    sandbox_free(&env->sb);
    if (env->dir && !env->o->keep)
        remove_tree(env->dir);
    if (env->dir)
        stop_unwatch_dir(env->dir);
    strv_free(env->build_wrap);
    free(env->dir), free(env->src_dir), free(env->src), free(env->cache), free(env->runs), free(env->scan_dir);
    free(env->lab_cache);
    sources_free(&env->ss);
}

double grade_left(const GradeEnv *env)
{
    return env->deadline - now_seconds();
}

RunOptions grade_run_options(const GradeEnv *env, double timeout)
{
    /* A folder of its own for each run, the only one it may write: a run
     * cannot leave anything for a later one to find. */
    static unsigned seq;
    char *dir = xasprintf("%s/%u", env->runs, seq++);
    mkdir_p(dir);
    SandboxMount rm[] = {{env->cache, false}, {env->lab_cache, false}, {runtime_dir(), false}, {dir, true}};
    SandboxStep st = {.mounts = rm, .nmounts = ARRAY_LEN(rm), .cpu_seconds = (long)timeout + 5, .fsize = 64ll << 20};
    double left = grade_left(env);
    return (RunOptions){.work_dir = dir,
                        .timeout = timeout < left ? timeout : left > 1 ? left : 1,
                        .wrapper = sandbox_argv(&env->sb, &st),
                        .max_output = 4u << 20, /* the grader reads 1 MiB of it */
                        .wrapper_exe = env->sb.exe};
}

void grade_run_options_free(RunOptions *ro)
{
    strv_free((char **)ro->wrapper);
    free((char *)ro->work_dir);
}

void grade_check_run_dir(const RunOutcome *o, CheatList *cheats)
{
    DIR *d = o->run_dir ? opendir(o->run_dir) : NULL;
    struct dirent *e;
    int tsan_logs = 0;
    while (d && (e = readdir(d))) {
        const char *n = e->d_name;
        bool report_like = starts_with(n, "tsan.") || starts_with(n, "valgrind.") || starts_with(n, "explore.");
        if (!report_like)
            continue;
        bool tools = (o->tool == TOOL_TSAN && starts_with(n, "tsan.") && ++tsan_logs == 1) ||
                     (tool_is_valgrind(o->tool) && (!strcmp(n, "valgrind.xml") || !strcmp(n, "valgrind.log"))) ||
                     (o->tool == TOOL_EXPLORE && !strcmp(n, "explore.log"));
        if (!tools)
            cheat_add(cheats, "report-forgery", 0, "a %s run left a file named %s", tool_name(o->tool), n);
    }
    if (d)
        closedir(d);
}
