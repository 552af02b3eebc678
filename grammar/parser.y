/* parser.y: the grammar of SPEC section 1, a pure LALR(1) parser with
 * locations.  Actions only build located syntax (src/ast.c); every message
 * is formatted by src/diag.c.  Nodes live in the pool's arena, so error
 * recovery has nothing to free and no %destructor is needed. */
%define api.pure full
%define api.location.type {Loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {ParseCtx *pc}

%code requires {
#include "ast.h"
#include "diag.h"
#include "expr.h"
typedef void *yyscan_t;
typedef struct ParseCtx ParseCtx;

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
	do {                                                            \
		if (N) {                                                \
			(Cur).start = YYRHSLOC(Rhs, 1).start;           \
			(Cur).end = YYRHSLOC(Rhs, N).end;               \
		} else {                                                \
			(Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; \
		}                                                       \
	} while (0)
}

%code provides {
int yylex(YYSTYPE *val, YYLTYPE *loc, yyscan_t scanner);
void yyerror(YYLTYPE *loc, yyscan_t scanner, ParseCtx *pc, const char *msg);
}

%code {
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "parsectx.h"
#include "func.h"

/* The parser's stack, when deep input grows it, comes from mcd's allocator
 * like everything else, so running out of memory mid-parse frees it too. */
#define YYMALLOC mem_raw
#define YYFREE mem_free

/* Abort the parse when a node is over the depth limit or a check failed. */
#define NEED(x) do { if (!((yyval.ast) = (x))) YYABORT; } while (0)
}

%union {
	Ast *ast;
	const Expr *e;
	const char *name;
	FuncId fn;
}

%token YYEOF 0 "end of input"
%token <e> NUMBER "number"
%token <e> DNUM "dimension number"
%token <name> NAME "name"
%token <name> DSYM "dimension symbol"
%token <name> LPAREN "'('"
%token <fn> FUNC "function name"
%token INVF "'inv'" KRONF "'kron'"
%token IDENTITY "'I'" ONES "'ones'" ISUB "'I_'" ONESSUB "'ones_'" KSUB "'K_'"
%token SUPT "'^T'" SUPINVT "'^-T'" UINV "'^-1'" PRIME "'''" CARET "'^'" EPOW "'.^'"
%token HAD "'.*'" HDIV "'./'" KRON "'⊗'"
%token NORM_OPEN "'||'" NORM_CLOSE "closing '||'" NORM_CLOSE2 "'||_2'" NORM_CLOSEF "'||_F'"
%token EQEQ "'=='" WHERE "'where'"
%token LEXERR "invalid input"

%type <ast> expr term unary postfix pexp primary arglist dim dimfactors dimfactor

%%

/* F == G: G is an answer F's result must equal (SPEC 6, --expect);
 * `where` binds loosest and names subexpressions of both (SPEC 1) */
input:
	body
	| body WHERE defs
	;

body:
	expr                        { pc->result = $1; }
	| expr EQEQ expr            { pc->result = $1; pc->expected = $3; pc->eq = @2;
	                              NEED(pc->both = ast_new(pc, E_KRON, @$, @2, $1, $3)); }
	;

defs:
	def
	| defs ',' def
	;

def:
	NAME '=' expr               { if (!$1 || !ast_define(pc, $1, @1, $3)) YYABORT; }
	;

/* expr: term | expr '+' term | expr '-' term */
expr:
	term
	| expr '+' term             { NEED(ast_chain(pc, E_ADD, $1, @2, $3)); }
	| expr '-' term             { Ast *t = ast_new(pc, E_NEG, (Loc){ @2.start, @3.end }, @2, $3, NULL);
	                              NEED(t ? ast_chain(pc, E_ADD, $1, @2, t) : NULL); }
	;

/* term: one level for juxtaposition, *, /, .*, ./ and kron; left-associative */
term:
	unary
	| term '*' unary            { NEED(ast_chain(pc, E_MUL, $1, @2, $3)); }
	| term postfix              { NEED(ast_chain(pc, E_MUL, $1, (Loc){ @2.start, @2.start }, $2)); }
	| term '/' unary            { NEED(ast_new(pc, E_DIV, @$, @2, $1, $3)); }
	| term HAD unary            { NEED(ast_chain(pc, E_HAD, $1, @2, $3)); }
	| term HDIV unary           { NEED(ast_new(pc, E_HDIV, @$, @2, $1, $3)); }
	| term KRON unary           { NEED(ast_chain(pc, E_KRON, $1, @2, $3)); }
	;

unary:
	postfix
	| '-' unary                 { NEED(ast_new(pc, E_NEG, @$, @1, $2, NULL)); }
	;

postfix:
	primary
	| postfix CARET pexp        { NEED(ast_power(pc, @$, @2, $1, $3)); }
	| postfix SUPT              { NEED(ast_new(pc, E_TRANS, @$, @2, $1, NULL)); }
	| postfix PRIME             { NEED(ast_new(pc, E_TRANS, @$, @2, $1, NULL)); }
	| postfix UINV              { NEED(ast_new(pc, E_INV, @$, @2, $1, NULL)); }
	| postfix SUPINVT           { Ast *i = ast_new(pc, E_INV, @$, @2, $1, NULL);
	                              NEED(i ? ast_new(pc, E_TRANS, @$, @2, i, NULL) : NULL); }
	| postfix EPOW pexp         { NEED(ast_new(pc, E_EPOW, @$, @2, $1, $3)); }
	;

/* the exponent after ^ or .^: an atom, possibly negated (x^-2) */
pexp:
	primary
	| '-' pexp                  { NEED(ast_new(pc, E_NEG, @$, @1, $2, NULL)); }
	;

primary:
	NUMBER                      { NEED(ast_leaf(pc, E_NUM, @$, $1)); }
	| NAME                      { NEED(ast_leaf(pc, E_VAR, @$, $1 ? expr_var(pc->pool, $1) : NULL)); }
	| LPAREN expr ')'           { if ($1 && !ast_call_ok(pc, $1, @1)) YYABORT;
	                              NEED(ast_group($2, @$)); }
	| '{' expr '}'              { NEED(ast_group($2, @$)); }
	| LPAREN expr ',' arglist ')'
	                            { ast_tuple_error(pc, $1, @1, @3); YYABORT; }
	| FUNC LPAREN expr ')'      { Ast *f = ast_new(pc, E_FUNC, @$, @1, $3, NULL);
	                              if (f) f->fn = $1;
	                              NEED(f); }
	| FUNC LPAREN expr ',' arglist ')'
	                            { ast_arity_error(pc, func_name($1), @1, @4); YYABORT; }
	| INVF LPAREN expr ')'      { NEED(ast_new(pc, E_INV, @$, @1, $3, NULL)); }
	| INVF LPAREN expr ',' arglist ')'
	                            { ast_arity_error(pc, "inv", @1, @4); YYABORT; }
	| KRONF LPAREN expr ',' arglist ')'
	                            { NEED(ast_kron_call(pc, @$, $3, $5)); }
	| KRONF LPAREN expr ')'     { ast_arity_error(pc, "kron", @1, @3); YYABORT; }
	| NORM_OPEN expr NORM_CLOSE { NEED(ast_norm(pc, @$, $2, 0)); }
	| NORM_OPEN expr NORM_CLOSE2 { NEED(ast_norm(pc, @$, $2, 2)); }
	| NORM_OPEN expr NORM_CLOSEF { NEED(ast_norm(pc, @$, $2, 'F')); }
	| IDENTITY                  { NEED(ast_new(pc, E_IDENT, @$, @$, NULL, NULL)); }
	| ONES                      { NEED(ast_new(pc, E_ONES, @$, @$, NULL, NULL)); }
	| ISUB dim                  { NEED(ast_new(pc, E_IDENT, @$, @1, $2, NULL)); }
	| ONESSUB dim               { NEED(ast_new(pc, E_ONES, @$, @1, $2, NULL)); }
	| KSUB '{' dimfactors ',' dimfactors '}'
	                            { NEED(ast_new(pc, E_COMM, @$, @1, ast_dim(pc, $3), ast_dim(pc, $5))); }
	;

/* the arguments after the first of kron(A, B, ...) */
arglist:
	expr                        { NEED(ast_list(pc, NULL, $1)); }
	| arglist ',' expr          { NEED(ast_list(pc, $1, $3)); }
	;

/* I_n, I_3, I_{m n} */
dim:
	dimfactor                   { NEED(ast_dim(pc, ast_list(pc, NULL, $1))); }
	| '{' dimfactors '}'        { NEED(ast_dim(pc, $2)); }
	;

dimfactors:
	dimfactor                   { NEED(ast_list(pc, NULL, $1)); }
	| dimfactors dimfactor      { NEED(ast_list(pc, $1, $2)); }
	;

dimfactor:
	DNUM                        { NEED(ast_leaf(pc, E_NUM, @$, $1)); }
	| DSYM                      { NEED(ast_leaf(pc, E_DSYM, @$, expr_dsym(pc->pool, $1))); }
	;

%%

/* Called by yyparse with "memory exhausted" when its stack would overflow:
 * only very deep nesting gets there. */
void yyerror(YYLTYPE *loc, yyscan_t scanner, ParseCtx *pc, const char *msg)
{
	(void)scanner;
	(void)msg;
	if (!pc->dg->errors)
		diag_error(pc->dg, *loc, loc, 1, "expression nested too deeply");
}

/* Which tokens were expected, in words: "an operand" stands for every token
 * that can start one, "an operator" for the binary ones; closers, commas and
 * the end are named. */
static void describe_expected(const yypcontext_t *ctx, Buf *out)
{
	static const char *const named[] = {
		"')'", "'}'", "closing '||'", "end of input",
		"dimension number", "dimension symbol", "','", "'='",
	};
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	int operand = 0, number = 0, operator = 0, parts = 0;
	Buf rest;
	buf_init(&rest);
	int paren = 0;
	for (int i = 0; i < n; i++)
		paren |= strcmp(yysymbol_name(exp[i]), "')'") == 0;
	for (int i = 0; i < n; i++) {
		const char *name = yysymbol_name(exp[i]);
		if (paren && strcmp(name, "','") == 0)
			continue;   /* only kron takes a comma: do not suggest it */
		operand |= strcmp(name, "name") == 0;
		number |= strcmp(name, "number") == 0;
		operator |= strcmp(name, "'+'") == 0 || strcmp(name, "'*'") == 0;
		for (size_t j = 0; j < sizeof named / sizeof named[0]; j++)
			if (strcmp(name, named[j]) == 0)
				buf_printf(&rest, "%s%s", rest.len ? " or " : "", name);
	}
	if (operator)
		buf_printf(out, "%san operator", parts++ ? ", " : "");
	if (operand)   /* only a name: the one being defined after where */
		buf_printf(out, "%s%s", parts++ ? (rest.len ? ", " : " or ") : "", number ? "an operand" : "a name");
	if (rest.len)
		buf_printf(out, "%s%s", parts ? " or " : "", buf_str(&rest));
	buf_free(&rest);
}

int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, ParseCtx *pc)
{
	(void)scanner;
	yysymbol_kind_t tok = yypcontext_token(ctx);
	if (tok == YYSYMBOL_LEXERR || pc->dg->errors)
		return 0;       /* the lexer has said what is wrong */
	Loc at = *yypcontext_location(ctx);
	Buf msg;
	buf_init(&msg);
	buf_printf(&msg, "unexpected %s, expected ", yysymbol_name(tok));
	describe_expected(ctx, &msg);
	diag_error(pc->dg, at, &at, 1, "%s", buf_str(&msg));
	buf_free(&msg);
	parse_note_open_bracket(pc, tok == YYSYMBOL_YYEOF);
	return 0;
}
