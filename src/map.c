/* map.c: open addressing on the node's hash, doubling when half full. */
#include "map.h"

void map_init(Map *m, Arena *a)
{
	m->arena = a;
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->count = 0;
}

int map_get(const Map *m, const Expr *key, const void **val)
{
	if (!m->cap)
		return 0;
	for (size_t j = key->hash & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == key) {
			*val = m->vals[j];
			return 1;
		}
	return 0;
}

static void insert(const Expr **keys, const void **vals, size_t cap, const Expr *k, const void *v)
{
	size_t j = k->hash & (cap - 1);
	while (keys[j] && keys[j] != k)
		j = (j + 1) & (cap - 1);
	keys[j] = k;
	vals[j] = v;
}

void map_put(Map *m, const Expr *key, const void *val)
{
	if (2 * (m->count + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		const Expr **keys = arena_alloc(m->arena, cap * sizeof *keys);
		const void **vals = arena_alloc(m->arena, cap * sizeof *vals);
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				insert(keys, vals, cap, m->keys[i], m->vals[i]);
		m->keys = keys;
		m->vals = vals;
		m->cap = cap;
	}
	const void *old;
	if (!map_get(m, key, &old))
		m->count++;
	insert(m->keys, m->vals, m->cap, key, val);
}
