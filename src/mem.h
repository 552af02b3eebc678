/* mem.h: the one place mcd allocates from the C heap.
 * Every allocation (ours, GMP's through mp_set_memory_functions, Flex's through
 * yyalloc) goes through here, so running out of memory has one policy: mcd
 * prints "mcd: out of memory" and exits with status 1.  Callers never see NULL. */
#ifndef MCD_MEM_H
#define MCD_MEM_H

#include <stddef.h>

void mem_init(void);                 /* route GMP's allocations through mem_ */
void *mem_alloc(size_t n);           /* zero-filled */
void *mem_raw(size_t n);             /* not filled: for memory the caller fills */
void *mem_realloc(void *p, size_t n);
void mem_free(void *p);
char *mem_strndup(const char *s, size_t n);

#endif
