/* main.c: the mcd command line (SPEC section 6): options, then each EXPR
 * argument, or each line of standard input, through mcd_run. */
#include "mcd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SHAPES = 256, OPT_VERSION, OPT_CHECK, OPT_NO_CHECK, OPT_SEED, OPT_MAX_NODES, OPT_EXPECT, OPT_SHARE, OPT_SYMGRAD };

static const struct option long_options[] = {
	{ "wrt", required_argument, NULL, 'w' },
	{ "layout", required_argument, NULL, 'L' },
	{ "hessian", no_argument, NULL, 'H' },
	{ "check", optional_argument, NULL, OPT_CHECK },
	{ "no-check", no_argument, NULL, OPT_NO_CHECK },
	{ "max-nodes", required_argument, NULL, OPT_MAX_NODES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "format", required_argument, NULL, 'f' },
	{ "declare", required_argument, NULL, 'd' },
	{ "symmetric", required_argument, NULL, 's' },
	{ "shapes", no_argument, NULL, OPT_SHAPES },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "symmetric-gradient", required_argument, NULL, OPT_SYMGRAD },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* A printf format: the lists of layouts and formats come from the library's
 * tables (mcd_layout_name, mcd_format_name), in help(). */
static const char usage_text[] =
	"Usage: mcd [OPTION]... [EXPR]...\n"
	"Differentiate, check and print matrix expressions.  With no EXPR, read\n"
	"one expression per line from standard input.\n"
	"\n"
	"  -w, --wrt VAR            differentiate with respect to VAR (repeatable:\n"
	"                           each one differentiates the previous result)\n"
	"  -L, --layout LAYOUT      %s\n"
	"  -H, --hessian            the second derivative of a scalar expression\n"
	"      --check[=N]          verify the result on N random instances (10)\n"
	"                           and report how it went\n"
	"      --no-check           do not verify derivatives before printing them\n"
	"      --seed N             the seed of the random instances (1)\n"
	"      --max-nodes N        the work budget of one expression, in distinct\n"
	"                           subexpressions built (500000)\n"
	"  -d, --declare NAME:TYPE  declare a shape: scalar, vector, vector(n),\n"
	"                           matrix, matrix(m,n), symmetric, symmetric(n)\n"
	"  -s, --symmetric NAME     declare NAME a symmetric matrix\n"
	"      --symmetric-gradient POLICY  the derivative of a scalar by a symmetric\n"
	"                           matrix: free (default), sym or cookbook\n"
	"  -f, --format FORMAT      %s\n"
	"      --shapes             print the shape of every name and of the result\n"
	"      --share MODE         auto (the default): name repeated subexpressions\n"
	"                           (RESULT where t1 = ...); never: print inline\n"
	"      --expect EXPR        the result must equal EXPR (as if each line\n"
	"                           were LINE == EXPR): compared on random\n"
	"                           instances, exit status 1 if not\n"
	"  -h, --help               print this help and exit\n"
	"      --version            print the version and exit\n"
	"\n"
	"Long options may also be written with one dash (-shapes).\n"
	"Exit status: 0 all good, 1 some expression failed, 2 usage error.\n"
	"See mcd(1) for the expression language.\n";

/* What must be freed however main ends (usage errors exit from deep inside). */
static mcd_options *options;
static char **rewritten;   /* argv strings made by accept_single_dash */
static int nrewritten;

static void cleanup(void)
{
	mcd_options_free(options);
	for (int i = 0; i < nrewritten; i++)
		free(rewritten[i]);
	free(rewritten);
}

static void usage_error(const char *fmt, const char *arg)
{
	fputs("mcd: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'mcd --help' for more information.\n", stderr);
	exit(2);
}

/* "-shapes" and "-format=text" are the long options "--shapes" and
 * "--format=text": only an exact long name is rewritten, so short options
 * with attached values (-dA:matrix) keep their meaning. */
static void accept_single_dash(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return;
		if (a[0] != '-' || a[1] == '-' || !a[1] || !a[2])
			continue;
		size_t n = strcspn(a + 1, "=");
		for (const struct option *o = long_options; o->name; o++)
			if (strlen(o->name) == n && strncmp(a + 1, o->name, n) == 0) {
				char *d = malloc(strlen(a) + 2);
				char **r = realloc(rewritten, (size_t)(nrewritten + 1) * sizeof *r);
				if (!d || !r)
					usage_error("%s", "out of memory");
				d[0] = '-';
				strcpy(d + 1, a);
				rewritten = r;
				rewritten[nrewritten++] = argv[i] = d;
				break;
			}
	}
}

/* The names name(0), name(1), ... as "a, b or c": note after the first,
 * last before the final one.  Cut short if out is too small. */
static void join_names(char *out, size_t n, const char *(*name)(int), const char *note,
		       const char *last)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; name(i) && len < n; i++) {
		const char *sep = i == 0 ? "" : name(i + 1) ? ", " : last;
		int k = snprintf(out + len, n - len, "%s%s%s", sep, name(i), i == 0 ? note : "");
		len += k > 0 ? (size_t)k : 0;
	}
}

/* An unknown name: the message lists the known ones. */
static void unknown_name(const char *what, const char *(*names)(int), const char *name)
{
	char known[256], msg[320];
	join_names(known, sizeof known, names, "", " or ");
	snprintf(msg, sizeof msg, "unknown %s '%%s' (expected %s)", what, known);
	usage_error(msg, name);
}

static void set_format(mcd_options *o, const char *name)
{
	if (mcd_set_format(o, name) != 0)
		unknown_name("format", mcd_format_name, name);
}

/* A whole number in [lo, hi], or a usage error naming the option. */
static unsigned long number(const char *opt, const char *text, unsigned long lo, unsigned long hi)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v < lo || v > hi) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s takes a whole number from %lu to %lu, not '%%s'", opt, lo, hi);
		usage_error(msg, text);
	}
	return v;
}

static void declare(mcd_options *o, const char *text)
{
	char err[256];
	if (mcd_declare(o, text, err, sizeof err) != 0)
		usage_error("-d: %s", err);
}

/* optopt holds a short option's letter; a long one is the whole argument. */
static void unknown_option(const char *arg)
{
	char letter[3] = { '-', (char)optopt, '\0' };
	usage_error("unknown option '%s' (an expression that starts with '-' goes after '--')",
		    optopt ? letter : arg);
}

/* 0 if standard output took everything, else a message and 1. */
static int written(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fputs("mcd: cannot write the output\n", stderr);
	return 1;
}

static void help(void)
{
	char layouts[256], formats[256];
	join_names(layouts, sizeof layouts, mcd_layout_name, " (the default)", " or ");
	join_names(formats, sizeof formats, mcd_format_name, " (the default)", ", ");
	printf(usage_text, layouts, formats);
	exit(written());
}

static void parse_options(int argc, char **argv, mcd_options *o)
{
	int c, hessian = 0, nwrt = 0, verify = 1;
	unsigned long check = 0, seed = 1;
	accept_single_dash(argc, argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:L:Hf:d:s:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (mcd_add_wrt(o, optarg) != 0)
				usage_error("%s", "out of memory");
			nwrt++;
			break;
		case 'L':
			if (mcd_set_layout(o, optarg) != 0)
				unknown_name("layout", mcd_layout_name, optarg);
			break;
		case 'H': hessian = 1; break;
		case OPT_CHECK: check = optarg ? number("--check", optarg, 1, 1000000) : 10; verify = 1; break;
		case OPT_NO_CHECK: check = 0; verify = 0; break;
		case OPT_SEED: seed = number("--seed", optarg, 0, ULONG_MAX); break;
		case OPT_MAX_NODES: mcd_set_max_nodes(o, number("--max-nodes", optarg, 1000, ULONG_MAX)); break;
		case 'f': set_format(o, optarg); break;
		case 'd': declare(o, optarg); break;
		case 's': {
			size_t n = strlen(optarg);
			char *d = malloc(n + 11);
			if (!d)
				usage_error("%s", "out of memory");
			snprintf(d, n + 11, "%s:symmetric", optarg);
			declare(o, d);
			free(d);
			break;
		}
		case OPT_SHAPES: mcd_set_shapes(o, 1); break;
		case OPT_SYMGRAD:
			if (mcd_set_symmetric_gradient(o, optarg) != 0)
				usage_error("unknown --symmetric-gradient policy '%s' (expected free, sym or cookbook)", optarg);
			break;
		case OPT_SHARE:
			if (mcd_set_share(o, optarg) != 0)
				usage_error("unknown --share mode '%s' (expected auto or never)", optarg);
			break;
		case OPT_EXPECT:
			if (mcd_set_expect(o, optarg) != 0)
				usage_error("%s", "out of memory");
			break;
		case 'h': help(); break;
		case OPT_VERSION: printf("mcd %s\n", MCD_VERSION); exit(written());
		case ':': usage_error("option '%s' needs a value", argv[optind - 1]); break;
		default: unknown_option(argv[optind - 1]); break;
		}
	}
	if (hessian && nwrt != 1)
		usage_error("%s", "--hessian needs exactly one -wrt variable");
	mcd_set_hessian(o, hessian);
	mcd_set_check(o, (int)check, seed);
	mcd_set_verify(o, verify);
}

/* Blank lines and # comments are not expressions. */
static int is_expression(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i < n && s[i] != '#';
}

static int run_stdin(const mcd_options *o)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int status = 0;
	while ((n = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (is_expression(line, (size_t)n) && mcd_run(o, line, (size_t)n, lineno, stdout, stderr))
			status = 1;
		fflush(stdout);
	}
	free(line);
	return status;
}

int main(int argc, char **argv)
{
	mcd_init();
	mcd_options *o = options = mcd_options_new();
	if (!o) {
		fputs("mcd: out of memory\n", stderr);
		return 1;
	}
	atexit(cleanup);
	parse_options(argc, argv, o);
	int status = 0;
	if (optind == argc)
		status = run_stdin(o);
	for (int i = optind; i < argc; i++)
		if (mcd_run(o, argv[i], strlen(argv[i]), i - optind + 1, stdout, stderr))
			status = 1;
	if (written() != 0)   /* a full disk is a failure, not a success */
		status = 1;
	return status;
}
