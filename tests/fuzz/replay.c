/* replay.c: run the fuzz target on each file named on the command line
 * (the regressions the fuzzer found), without libFuzzer, so make check
 * replays them with gcc too; and hold the process's peak memory to
 * REPLAY_RSS_MAX_MB, as libFuzzer's -rss_limit_mb does, since some of them
 * were found for their memory (a quadratic allocation in the simplifier
 * once took 785 MB for a 120-byte input, under a 24 MiB work budget). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#if defined(__SANITIZE_ADDRESS__)
enum { REPLAY_RSS_MAX_MB = 1536 };   /* shadow memory and quarantine count too */
#else
enum { REPLAY_RSS_MAX_MB = 256 };
#endif

static long peak_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;   /* kilobytes on Linux */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n == cap) {
			uint8_t *b = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!b) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	if (peak_mb() > REPLAY_RSS_MAX_MB) {
		fprintf(stderr, "%s: the peak memory is %ld MB, over %d MB\n", path, peak_mb(), REPLAY_RSS_MAX_MB);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= replay(argv[i]);
	printf("fuzz replay: %d input%s, no crash\n", argc - 1, argc == 2 ? "" : "s");
	return rc;
}
