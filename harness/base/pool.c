#include "pool.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "log.h"
#include "stop.h"
#include "strbuf.h"

int pool_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

typedef struct {
    pid_t pid;
    size_t index;
    FILE *file; /* the child's output, a temporary file */
} Slot;

void pool_run(size_t n, int jobs, PoolFn fn, void *ctx, char **outputs, PoolProgress progress)
{
    if (jobs < 1)
        jobs = 1;
    Slot *slots = xcalloc((size_t)jobs, sizeof(Slot));
    size_t next = 0, done = 0;
    int running = 0;
    fflush(NULL);
    while (done < n) {
        while (running < jobs && next < n) {
            FILE *f = tmpfile();
            if (!f)
                die("cannot create a temporary file: %s", strerror(errno));
            sigset_t old;
            sigprocmask(SIG_BLOCK, stop_signals(), &old); /* recorded before a stop can look */
            pid_t pid = fork();
            if (pid < 0)
                die("fork: %s", strerror(errno));
            if (pid == 0) {
                stop_in_worker(); /* its own runs; it dies with us */
                sigprocmask(SIG_SETMASK, &old, NULL);
                fn(next, ctx, f);
                fflush(f);
                _exit(0);
            }
            stop_watch_worker(pid);
            sigprocmask(SIG_SETMASK, &old, NULL);
            for (int s = 0; s < jobs; s++) {
                if (!slots[s].pid) {
                    slots[s] = (Slot){pid, next, f};
                    break;
                }
            }
            next++;
            running++;
        }
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            stop_poll();
            if (errno == EINTR)
                continue;
            die("wait: %s", strerror(errno));
        }
        for (int s = 0; s < jobs; s++) {
            if (slots[s].pid != pid)
                continue;
            stop_unwatch_worker(pid);
            FILE *f = slots[s].file;
            StrBuf sb = STRBUF_INIT;
            char buf[4096];
            size_t k;
            rewind(f);
            while ((k = fread(buf, 1, sizeof buf, f)) > 0)
                sb_addn(&sb, buf, k);
            fclose(f);
            outputs[slots[s].index] = sb.len ? sb_steal(&sb) : NULL;
            sb_free(&sb);
            slots[s].pid = 0;
            running--;
            done++;
            if (progress)
                progress(done, n, ctx);
        }
    }
    free(slots);
}
