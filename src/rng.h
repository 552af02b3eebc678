/* rng.h: the one random number generator (splitmix64, Steele, Lea and
 * Flood 2014): seeded, the same on every machine, for random instances,
 * directions and the test generators. */
#ifndef MCD_RNG_H
#define MCD_RNG_H

#include <stdint.h>

uint64_t rng_next(uint64_t *state);   /* the next value; advances *state */

#endif
