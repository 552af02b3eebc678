/* mem.c: checked allocation and the out-of-memory policy (see mem.h). */
#include "mem.h"

#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("mcd: out of memory\n", stderr);
	exit(1);
}

void *mem_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *mem_raw(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *mem_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory();
	return q;
}

void mem_free(void *p)
{
	free(p);
}

char *mem_strndup(const char *s, size_t n)
{
	char *d = mem_alloc(n + 1);
	memcpy(d, s, n);
	return d;
}

static void *gmp_alloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		out_of_memory();
	return p;
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
	(void)old;
	return mem_realloc(p, n);
}

static void gmp_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

void mem_init(void)
{
	mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}
