/* mem.c: checked allocation, regions and the out-of-memory policy (see mem.h). */
#include "mem.h"

#include <gmp.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The header is padded to max_align_t so the block after it stays aligned. */
enum { HEADER = (sizeof(MemHeader) + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t) };

static _Thread_local MemRegion *current;
static _Thread_local unsigned long next_fail_at;
static _Thread_local int fail_hit;

void mem_region_begin(MemRegion *r, jmp_buf *bail)
{
	*r = (MemRegion){ .bail = bail, .outer = current, .fail_at = next_fail_at };
	r->head.prev = r->head.next = &r->head;
	next_fail_at = 0;
	current = r;
}

void mem_region_end(MemRegion *r, int keep)
{
	MemHeader *h = r->head.next;
	while (h != &r->head) {
		MemHeader *next = h->next;
		if (keep)
			h->prev = h->next = NULL;
		else
			free(h);
		h = next;
	}
	r->head.prev = r->head.next = &r->head;
	current = r->outer;
}

void mem_fail_at(unsigned long n)
{
	next_fail_at = n;
	fail_hit = 0;
}

int mem_fail_hit(void)
{
	return fail_hit;
}

void mem_oom(void)
{
	if (current && current->bail)
		longjmp(*current->bail, 1);
}

static void link_in(MemHeader *h)
{
	if (!current) {
		h->prev = h->next = NULL;
		return;
	}
	h->prev = &current->head;
	h->next = current->head.next;
	h->next->prev = h;
	current->head.next = h;
}

static void unlink_out(MemHeader *h)
{
	if (h->prev) {
		h->prev->next = h->next;
		h->next->prev = h->prev;
	}
}

/* Whether the sweep wants this allocation to fail. */
static int injected_failure(void)
{
	if (!current || !current->fail_at || ++current->count != current->fail_at)
		return 0;
	fail_hit = 1;
	return 1;
}

void *mem_raw(size_t n)
{
	MemHeader *h = injected_failure() || n > SIZE_MAX - HEADER ? NULL : malloc(HEADER + n);
	if (!h) {
		mem_oom();
		return NULL;
	}
	h->size = n;
	link_in(h);
	return (char *)h + HEADER;
}

void *mem_alloc(size_t n)
{
	void *p = mem_raw(n);
	if (p)
		memset(p, 0, n);
	return p;
}

/* Put h back where it was: after prev, in the region that owns it (not
 * necessarily the current one); prev NULL: in no region. */
static void link_after(MemHeader *prev, MemHeader *h)
{
	h->prev = prev;
	h->next = prev ? prev->next : NULL;
	if (prev) {
		prev->next->prev = h;
		prev->next = h;
	}
}

void *mem_realloc(void *p, size_t n)
{
	if (!p)
		return mem_raw(n);
	MemHeader *old = (MemHeader *)((char *)p - HEADER);
	if (injected_failure() || n > SIZE_MAX - HEADER) {
		mem_oom();
		return NULL;
	}
	MemHeader *prev = old->prev;
	unlink_out(old);
	MemHeader *h = realloc(old, HEADER + n);
	if (!h) {
		link_after(prev, old);   /* old is still valid: back in its list before bailing */
		mem_oom();
		return NULL;
	}
	h->size = n;
	link_after(prev, h);
	return (char *)h + HEADER;
}

void mem_free(void *p)
{
	if (!p)
		return;
	MemHeader *h = (MemHeader *)((char *)p - HEADER);
	unlink_out(h);
	free(h);
}

char *mem_strndup(const char *s, size_t n)
{
	char *d = mem_alloc(n + 1);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* GMP cannot take a NULL: outside a region there is nothing to unwind to,
 * and GMP's own policy (abort) is all that is left. */
static void *gmp_alloc(size_t n)
{
	void *p = mem_raw(n);
	if (!p)
		abort();
	return p;
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
	(void)old;
	void *q = mem_realloc(p, n);
	if (!q)
		abort();
	return q;
}

static void gmp_free(void *p, size_t n)
{
	(void)n;
	mem_free(p);
}

void mem_init(void)
{
	mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}
