/* call_loops.sh's probe: called from the loop, calls nothing: not in it. */
int probe_leaf(int n);

int probe_leaf(int n)
{
    return n;
}
