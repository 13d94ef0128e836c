/* Hostile: a fork bomb before the (correct) work. The sandbox bounds it
 * (pid namespace, pids cgroup, the wall-clock limit, the kill of the whole
 * namespace); the grade goes on, and no process of it survives.
 * grade-expect: score=0 cheat=import
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;)
        fork();
}
