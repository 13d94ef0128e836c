/* Intake: what to grade, read without following links. A submission is a
 * .c file, or a folder holding one (or one named CASE.c); anything else
 * is rejected with a reason, and what lies around the file (a .valgrindrc)
 * is noted as a cheat. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "fs.h"
#include "grade.h"
#include "scan.h"
#include "text.h"
#include "utf8.h"

#define SOURCE_MAX (1u << 20)
#define FOLDER_DEPTH 4

static void read_source(const char *path, Submission *s)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        s->rejected = errno == ELOOP ? xstrdup(
                                           "a symbolic link: not followed (it could point anywhere on the "
                                           "grading machine)")
                                     : xasprintf("cannot read: %s", strerror(errno));
        return;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        s->rejected = xstrdup("not a regular file");
    } else if (st.st_size > SOURCE_MAX) {
        s->rejected = xasprintf("%lld bytes: more than 1 MiB is not a source file", (long long)st.st_size);
    } else {
        s->text = xmalloc((size_t)st.st_size + 1);
        ssize_t n;
        while (s->len < (size_t)st.st_size && (n = read(fd, s->text + s->len, (size_t)st.st_size - s->len)) > 0)
            s->len += (size_t)n;
        s->text[s->len] = '\0';
    }
    close(fd);
}

typedef struct {
    char **c_files; /* relative paths */
    size_t n, cap;
    char *symlinks; /* the first one seen */
    bool valgrindrc;
} FolderScan;

static void scan_folder(const char *root, const char *rel, int depth, FolderScan *fs)
{
    char *dir = *rel ? path_join(root, rel) : xstrdup(root);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *r = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
        char *full = path_join(root, r);
        struct stat st;
        if (lstat(full, &st) == 0) {
            if (S_ISLNK(st.st_mode) && !fs->symlinks)
                fs->symlinks = xstrdup(r);
            else if (S_ISDIR(st.st_mode) && depth < FOLDER_DEPTH)
                scan_folder(root, r, depth + 1, fs);
            else if (S_ISREG(st.st_mode) && !strcmp(e->d_name, ".valgrindrc"))
                fs->valgrindrc = true;
            else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".c")) {
                PUSH(fs->c_files, fs->n, fs->cap, r);
                r = NULL;
            }
        }
        free(r);
        free(full);
    }
    if (d)
        closedir(d);
    free(dir);
}

static void intake_folder(const char *path, const char *case_name, Submission *s)
{
    FolderScan fs = {0};
    scan_folder(path, "", 0, &fs);
    if (fs.valgrindrc)
        cheat_add(&s->cheats, "valgrindrc", 0, "the submission brings a .valgrindrc");
    const char *pick = fs.n == 1 ? fs.c_files[0] : NULL;
    char *want = xasprintf("%s.c", case_name);
    for (size_t i = 0; i < fs.n && !pick; i++)
        if (!strcmp(path_base(fs.c_files[i]), want))
            pick = fs.c_files[i];
    if (pick) {
        char *full = path_join(path, pick);
        read_source(full, s);
        free(full);
        char *p = printable(pick, strlen(pick));
        char *d = xasprintf("%s/%s", s->display, p);
        free(s->display);
        s->display = d;
        free(p);
    } else if (fs.n) {
        s->rejected = xasprintf("%zu .c files: submit one, or name the fix %s", fs.n, want);
    } else {
        char *l = fs.symlinks ? printable(fs.symlinks, strlen(fs.symlinks)) : NULL;
        s->rejected = xasprintf("no .c file in the folder%s%s%s", l ? " (symbolic links are not followed: " : "",
                                l ? l : "", l ? ")" : "");
        free(l);
    }
    free(want);
    for (size_t i = 0; i < fs.n; i++)
        free(fs.c_files[i]);
    free(fs.c_files);
    free(fs.symlinks);
}

void intake(const char *path, const char *name, const char *case_name, Submission *s)
{
    memset(s, 0, sizeof *s);
    s->display = printable(name, strlen(name));
    struct stat st;
    if (lstat(path, &st) != 0)
        s->rejected = xasprintf("cannot read: %s", strerror(errno));
    else if (S_ISLNK(st.st_mode))
        s->rejected = xstrdup("a symbolic link: not followed (it could point anywhere on the grading machine)");
    else if (S_ISDIR(st.st_mode))
        intake_folder(path, case_name, s);
    else
        read_source(path, s);
}
