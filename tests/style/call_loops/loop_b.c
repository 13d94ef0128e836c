/* call_loops.sh's probe: a -> b -> c -> a is a loop. */
int probe_b(int n);
int probe_c(int n);

int probe_b(int n)
{
    return probe_c(n);
}
