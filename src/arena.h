/* arena.h: bump allocation for everything that lives as long as one run.
 * A run (one expression of a batch) owns one Arena; nodes, syntax trees and
 * shape tables are carved from it and all freed together by arena_free. */
#ifndef MCD_ARENA_H
#define MCD_ARENA_H

#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n);              /* zero-filled, aligned */
void *arena_grow(Arena *a, void *p, size_t old, size_t n); /* copy into a larger block */
char *arena_strndup(Arena *a, const char *s, size_t n);
size_t arena_bytes(const Arena *a);                 /* taken from the heap so far */

#endif
