/* map.h: a hash map from node to node, for memoising passes over the
 * hash-consed nodes (differentials, rewrites).  Storage is in an arena and
 * lives as long as it. */
#ifndef MCD_MAP_H
#define MCD_MAP_H

#include "expr.h"

typedef struct {
	Arena *arena;
	const Expr **keys;
	const void **vals;
	size_t cap, count;
} Map;

void map_init(Map *m, Arena *a);
/* 1 and *val set if key is present. */
int map_get(const Map *m, const Expr *key, const void **val);
void map_put(Map *m, const Expr *key, const void *val);

#endif
