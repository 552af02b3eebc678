/* lexstate.h: what the lexer (grammar/lexer.l) keeps between tokens, and the
 * helpers its actions call (src/lex.c).  Private to the parser. */
#ifndef MCD_LEXSTATE_H
#define MCD_LEXSTATE_H

#include "ast.h"
#include "diag.h"
#include "expr.h"
#include "mem.h"
#include "parser.h"   /* generated: token numbers, YYSTYPE, YYLTYPE */

typedef struct {
	char kind;            /* '(', '{' or '|' (a norm bar) */
	Loc loc;
} Bracket;

struct LexState {
	Pool *pool;
	Diag *dg;
	uint32_t offset;      /* bytes consumed */
	int after_operand;    /* the previous token can end an operand */
	const char *cur_name; /* the current token, if it is a plain name */
	const char *prev_name;/* the previous non-blank token, if a plain name */
	Bracket *open;        /* brackets open now, innermost last */
	unsigned nopen, capopen, norms;
	int failed;           /* an error was reported */
};

void lex_advance(struct LexState *ls, YYLTYPE *loc, const char *text, size_t len);
Loc lex_here(const struct LexState *ls);
const Expr *lex_number(struct LexState *ls, Loc at, const char *text, size_t len);
const Expr *lex_dimnum(struct LexState *ls, Loc at, const char *text, size_t len);
const char *lex_intern(struct LexState *ls, const char *text, size_t len);
int lex_name(struct LexState *ls, const char *text, size_t len, YYSTYPE *val);
int lex_open(struct LexState *ls, char kind, Loc at, const char **callname);
void lex_close(struct LexState *ls);
int lex_norm_bar(struct LexState *ls, const char *text, size_t len, Loc at);
int lex_bad(struct LexState *ls, Loc at, const char *where);
void lex_fatal(const char *msg) __attribute__((noreturn));

#endif
