/* map.h: the one hash map keyed on nodes, for memoising passes over the
 * hash-consed nodes (differentials, rewrites, shapes, the evaluators' per-node
 * slots).  Keys are compared by pointer; a value is one pointer-sized cell.
 *
 * Ownership: the map never owns its values, only its table.  Made with an
 * arena (map_init(m, arena)), the table is carved from the arena and lives
 * as long as it: map_free is not needed.  Made with
 * map_init(m, NULL), the table is on the heap (mem.h), for a map made and
 * dropped many times within one arena's life (each evaluation of a check):
 * map_free releases it, and must be called. */
#ifndef MCD_MAP_H
#define MCD_MAP_H

#include "expr.h"

typedef struct {
	const Expr *key;       /* NULL: an empty cell */
	const void *val;
} MapEntry;

typedef struct {
	Arena *arena;          /* NULL: the table is on the heap */
	MapEntry *e;
	size_t cap, count;
} Map;

void map_init(Map *m, Arena *a);                 /* a NULL: heap storage */
/* Room for n keys without growing: a map made for a few keys (most are
 * made for thousands) starts with a table of its size, not the default 64
 * cells that would be cleared each time. */
void map_reserve(Map *m, size_t n);
/* 1 and *val set if key is present. */
int map_get(const Map *m, const Expr *key, const void **val);
void map_put(Map *m, const Expr *key, const void *val);
/* The value cell of key, added with the value NULL if absent (*created then
 * 1, else 0; created may be NULL).  Valid until the next map_slot or
 * map_put, which may move the table. */
const void **map_slot(Map *m, const Expr *key, int *created);
/* Leaves m empty, freeing its table if on the heap (an arena's table stays
 * in the arena until the arena goes). */
void map_free(Map *m);

#endif
