/* call_loops.sh's probe: a -> b -> c -> a is a loop (leaf.c is not in it). */
int probe_a(int n);
int probe_b(int n);
int probe_leaf(int n);

int probe_a(int n)
{
    return n > 0 ? probe_b(n - 1) : probe_leaf(n);
}
