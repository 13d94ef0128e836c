/* The schedule's random numbers: xoshiro256** seeded by splitmix64, so
 * that a seed is one schedule on every machine. */
#include "rt.h"

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rt_random(void)
{
    uint64_t *s = ctl.rng;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

double rt_random_unit(void) /* in (0, 1] */
{
    return ((double)(rt_random() >> 11) + 1.0) / 9007199254740992.0;
}

void rt_seed_rng(uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        ctl.rng[i] = z ^ (z >> 31);
    }
}

