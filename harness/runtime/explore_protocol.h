/* What the explore runtime (libracelab-explore.so, inside the checked
 * program) and racelab (engine/parse/explore_report.c, outside it) agree
 * on: the environment that starts a schedule, and the report it writes.
 *
 * The report is text, one record per line, words separated by spaces:
 *
 *   racelab-explore 1 seed=S pid=P
 *   obj NAME KIND REF               a sync object: M1 mutex exe+0x4040
 *   finding KIND                    deadlock | self-deadlock | lock-cycle
 *   wait T OP OBJ PC                deadlock: T blocks in OP on OBJ at PC
 *   holds T OBJ PC                  ... holding OBJ, taken at PC
 *   again T OBJ PC FIRST            self-deadlock: T locks OBJ again at PC
 *   edge T HELD HELD_PC TAKEN PC    lock-cycle: T takes TAKEN at PC holding HELD
 *   endfinding
 *   evidence KIND                   a pattern seen to be safe, for the harness's
 *                                   tool-limitation policy: gated-cycle (edge
 *                                   lines, each maybe ending in "trylock": a
 *                                   lock cycle none of whose instances can
 *                                   deadlock), ordered | unordered (two access
 *                                   lines: conflicting accesses with or
 *                                   without happens-before between them)
 *   access T PC                     ... an access by T at PC
 *   endevidence
 *   note WORDS...                   something a reader should know (a thread
 *                                   released to run freely, a fork); `note
 *                                   WHAT incomplete: WHY` says evidence of
 *                                   WHAT (lock-graph, hb) is not whole
 *   cp K CUR CHOSEN FLAGS T:OP:REF...
 *                                   systematic mode: choice point K (two or
 *                                   more threads could run): CUR held the
 *                                   baton, CHOSEN runs; FLAGS "y" when CUR
 *                                   yielded (moving on is no preemption),
 *                                   "d" when the schedule named a thread
 *                                   that could not run (it diverged), else
 *                                   "-"; then each runnable thread with
 *                                   what it does next (an op as in `ev`,
 *                                   and its object, thread or address)
 *   ev SEQ T OP OBJ PC [WORDS...]   the trace: the last events, in order
 *   end STEPS SWITCHES THREADS MAX MAIN WORK MAIN_WORK
 *                                   the program ran its exit handlers; MAX:
 *                                   the most threads alive at once; MAIN:
 *                                   the steps (accesses) main made;
 *                                   WORK, MAIN_WORK: of the steps, all
 *                                   but a spin's reads (all, main's)
 *
 * T is a thread number (1 is main, then in creation order); PC is
 * exe+0xOFFSET (an address in the executable, for addr2line) or '?'; REF
 * is exe+0xOFFSET for an object in the executable's data, else heap/stack.
 * Nothing in it is trusted to be true: a hostile program can write
 * anything into its own memory. racelab uses it for what a program could
 * only hurt itself by forging (its own findings, their lines). */
#ifndef RACELAB_EXPLORE_PROTOCOL_H
#define RACELAB_EXPLORE_PROTOCOL_H

#define EXPLORE_ENV_SEED "RACELAB_EXPLORE_SEED"     /* the schedule's seed, decimal */
#define EXPLORE_ENV_REPORT "RACELAB_EXPLORE_REPORT" /* where the report goes */
/* Systematic mode: the schedule as its deviations from the default policy
 * (keep running the current thread; when it blocks, ends or yields, the
 * next runnable one by number), "K:T,K:T..." in rising K: at choice point
 * K run thread T. "" is the default schedule. */
#define EXPLORE_ENV_SCHEDULE "RACELAB_EXPLORE_SCHEDULE"
#define EXPLORE_MAGIC "racelab-explore 1"
/* The exit status after a deadlock or self-deadlock was reported: the
 * program cannot go on, so the runtime ends it. */
#define EXPLORE_EXIT_STUCK 87
#define EXPLORE_LIBRARY "libracelab-explore.so"

#endif
