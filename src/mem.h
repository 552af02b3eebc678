/* mem.h: the one place mcd allocates from the C heap, and its out-of-memory
 * policy.
 *
 * Every allocation (ours, GMP's through mp_set_memory_functions, Flex's
 * through yyalloc) goes through here.  Work is done inside a region
 * (mem_region_begin/end): each block allocated in it is linked into the
 * region, so when memory runs out the allocator longjmps to the region's
 * bail point and mem_region_end frees every block still allocated: one
 * expression fails, nothing leaks, and the library never exits.  Outside a
 * region (building options), a failed allocation is a NULL return.
 *
 * The current region is the one mutable global of the library: GMP's
 * allocation hooks take no context argument.  It is thread-local. */
#ifndef MCD_MEM_H
#define MCD_MEM_H

#include <setjmp.h>
#include <stddef.h>

typedef struct MemHeader MemHeader;
struct MemHeader {
	MemHeader *prev, *next;   /* the region's list; both NULL: not in one */
	size_t size;
};

typedef struct MemRegion {
	MemHeader head;           /* sentinel of the list of live blocks */
	jmp_buf *bail;            /* where an allocation failure goes */
	struct MemRegion *outer;  /* the region this one is nested in */
	unsigned long count;      /* allocations so far */
	unsigned long fail_at;    /* the test sweep: fail this one (0: never) */
} MemRegion;

void mem_init(void);                 /* route GMP's allocations through mem_ */
/* Make r the current region; allocation failures in it longjmp(*bail, 1). */
void mem_region_begin(MemRegion *r, jmp_buf *bail);
/* Leave r.  keep: the blocks still allocated stay (now outside any region);
 * else they are freed (after a bail: all the work of the region). */
void mem_region_end(MemRegion *r, int keep);
/* For the allocation-failure sweep: in the next region begun, the n-th
 * allocation fails (0: none).  Thread-local, like the region. */
void mem_fail_at(unsigned long n);
int mem_fail_hit(void);              /* whether that failure has happened */
/* Out of memory now: longjmp to the current region's bail point.  Outside a
 * region it returns (the caller reports). */
void mem_oom(void);

void *mem_alloc(size_t n);           /* zero-filled */
void *mem_raw(size_t n);             /* not filled: for memory the caller fills */
void *mem_realloc(void *p, size_t n);
void mem_free(void *p);
char *mem_strndup(const char *s, size_t n);

#endif
