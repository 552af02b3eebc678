/* parse.c: runs the reentrant Flex scanner and the pure Bison parser over one
 * line (see parse.h), and adds the "opened here" note to syntax errors. */
#include "parse.h"
#include "lexstate.h"
#include "parsectx.h"
#include "lexer.h"    /* generated */

static const char *bracket_name(char kind)
{
	return kind == '(' ? "'('" : kind == '{' ? "'{'" : "'||'";
}

void parse_note_open_bracket(ParseCtx *pc, int at_end)
{
	struct LexState *ls = pc->ls;
	if (at_end && ls->nopen > 0) {
		Bracket b = ls->open[ls->nopen - 1];
		diag_note(pc->dg, b.loc, "%s opened here is not closed", bracket_name(b.kind));
	}
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

Ast *parse_expr(Pool *p, const char *src, size_t len, Diag *dg)
{
	return parse_expr_with(p, src, len, dg, NULL, NULL);
}

Ast *parse_expr_with(Pool *p, const char *src, size_t len, Diag *dg, ParseKnown known,
		     const void *ctx)
{
	Line in;
	if (!parse_line(p, src, len, dg, known, ctx, &in))
		return NULL;
	if (in.expected) {
		diag_error(dg, in.eq, NULL, 0, "'==' is not allowed here");
		return NULL;
	}
	if (in.ndefs) {
		diag_error(dg, in.defs[0].at, NULL, 0, "'where' is not allowed here");
		return NULL;
	}
	return in.f;
}

int parse_line(Pool *p, const char *src, size_t len, Diag *dg, ParseKnown known,
	       const void *ctx, Line *out)
{
	*out = (Line){ 0 };
	if (blank(src, len)) {
		diag_error(dg, (Loc){ 0, 0 }, NULL, 0, "empty expression");
		return 0;
	}
	struct LexState ls = { .pool = p, .dg = dg };
	ParseCtx pc = { .pool = p, .dg = dg, .ls = &ls, .known = known, .known_ctx = ctx };
	yyscan_t scanner;
	if (yylex_init_extra(&ls, &scanner) != 0)
		lex_fatal("cannot start the scanner");   /* out of memory: unwinds */
	YY_BUFFER_STATE buf = yy_scan_bytes(src, (int)len, scanner);
	int rc = yyparse(scanner, &pc);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	mem_free(ls.open);
	if (rc != 0 || dg->errors) {
		if (!dg->errors)
			diag_error(dg, (Loc){ 0, (uint32_t)len }, NULL, 0, "cannot read this expression");
		return 0;
	}
	*out = (Line){ pc.result, pc.expected, pc.both, pc.eq, pc.defs, pc.ndefs };
	return 1;
}
