/* arena.c: a list of big blocks; allocation bumps a pointer (see arena.h). */
#include "arena.h"
#include "mem.h"

#include <stdalign.h>
#include <string.h>

typedef struct Block {
	struct Block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
} Block;

struct Arena {
	Block *head;
	size_t bytes;   /* the blocks' sizes: what the work budget reads */
};

enum { BLOCK_SIZE = 64 * 1024, ALIGN = alignof(max_align_t) };

Arena *arena_new(void)
{
	return mem_alloc(sizeof(Arena));
}

void arena_free(Arena *a)
{
	if (!a)
		return;
	for (Block *b = a->head, *next; b; b = next) {
		next = b->next;
		mem_free(b);
	}
	mem_free(a);
}

static Block *new_block(Arena *a, size_t need)
{
	size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
	Block *b = mem_raw(sizeof(Block) + size);   /* arena_alloc zeroes what it hands out */
	b->used = 0;
	b->size = size;
	a->bytes += size;
	/* A block bigger than the standard size goes second, so the current
	 * block keeps serving small requests. */
	if (size > BLOCK_SIZE && a->head) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	return b;
}

void *arena_alloc(Arena *a, size_t n)
{
	n = (n + ALIGN - 1) / ALIGN * ALIGN;
	Block *b = a->head;
	if (!b || b->size - b->used < n)
		b = new_block(a, n);
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

void *arena_grow(Arena *a, void *p, size_t old, size_t n)
{
	void *q = arena_alloc(a, n);
	if (old)
		memcpy(q, p, old < n ? old : n);
	return q;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	return d;
}

size_t arena_bytes(const Arena *a)
{
	return a->bytes;
}
