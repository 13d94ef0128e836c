/* call_loops.sh's probe: c calls back up into a, closing the loop. */
int probe_a(int n);
int probe_c(int n);

int probe_c(int n)
{
    return probe_a(n);
}
