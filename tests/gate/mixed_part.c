/* mixed_part: the C half of mixed_main.cpp, compiled as C. */
static int count;

void add_one(void)
{
    count++; /* @race: called from two threads */
}

int total(void)
{
    return count;
}
