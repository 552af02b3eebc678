/* map.c: open addressing on the node's hash (linear probing), doubling when
 * half full; the table in an arena or on the heap (see map.h). */
#include "map.h"
#include "mem.h"

void map_init(Map *m, Arena *a)
{
	*m = (Map){ .arena = a };
}

/* The cell of key, or the empty cell where it would go. */
static MapEntry *probe(MapEntry *e, size_t cap, const Expr *key)
{
	size_t j = key->hash & (cap - 1);
	while (e[j].key && e[j].key != key)
		j = (j + 1) & (cap - 1);
	return &e[j];
}

int map_get(const Map *m, const Expr *key, const void **val)
{
	if (!m->cap)
		return 0;
	const MapEntry *c = probe(m->e, m->cap, key);
	if (!c->key)
		return 0;
	*val = c->val;
	return 1;
}

/* Both allocators zero-fill, so a new table is all empty cells. */
static void resize(Map *m, size_t cap)
{
	MapEntry *e = m->arena ? arena_alloc(m->arena, cap * sizeof *e) : mem_alloc(cap * sizeof *e);
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key)
			*probe(e, cap, m->e[i].key) = m->e[i];
	if (!m->arena)
		mem_free(m->e);
	m->e = e;
	m->cap = cap;
}

static void grow(Map *m)
{
	resize(m, m->cap ? 2 * m->cap : 64);
}

void map_reserve(Map *m, size_t n)
{
	size_t cap = 8;
	while (cap < 2 * n)
		cap *= 2;
	if (cap > m->cap)
		resize(m, cap);
}

const void **map_slot(Map *m, const Expr *key, int *created)
{
	if (2 * (m->count + 1) > m->cap)
		grow(m);
	MapEntry *c = probe(m->e, m->cap, key);
	int fresh = !c->key;
	if (fresh) {
		c->key = key;
		m->count++;
	}
	if (created)
		*created = fresh;
	return &c->val;
}

void map_put(Map *m, const Expr *key, const void *val)
{
	*map_slot(m, key, NULL) = val;
}

void map_free(Map *m)
{
	if (!m->arena)
		mem_free(m->e);
	*m = (Map){ .arena = m->arena };
}
