/* expect.h: whether two expressions over one Shapes table are equal (F == G,
 * --expect; SPEC 6).  They are compared on random instances: exactly where
 * both are rational, in doubles otherwise, symmetric variables drawn
 * symmetric.  A difference comes back with a counterexample. */
#ifndef MCD_EXPECT_H
#define MCD_EXPECT_H

#include <stdint.h>

#include "buf.h"
#include "shape.h"

typedef enum { EXPECT_EQUAL, EXPECT_DIFFERENT, EXPECT_UNDECIDED } ExpectVerdict;

typedef struct {
	ExpectVerdict verdict;
	int instances;        /* compared (draws where one side is undefined are redrawn) */
	int exact;            /* every one exactly */
	double max_diff;      /* largest relative difference of the ones in doubles */
} ExpectResult;

/* Instances compared when --check does not give a number. */
enum { EXPECT_INSTANCES = 8 };

/* a and b have the same shape.  On EXPECT_DIFFERENT, why gets the sizes,
 * the instance, the entry and both values; on EXPECT_UNDECIDED, the reason. */
ExpectResult expect_equal(Pool *p, Shapes *s, const Expr *a, const Expr *b, int n, uint64_t seed,
			  Buf *why);

#endif
