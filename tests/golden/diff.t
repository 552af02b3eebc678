# Derivatives on the command line (SPEC sections 3 and 6): -wrt and its
# spellings, layouts, Hessians, repeated -wrt, --check and --seed, variables
# that do not occur, --shapes of a derivative.  Every result here is right
# (tests/unit/test_diff.c verifies the same ones numerically).

# SPEC's first example, in the default (numerator) layout and the other two
$ mcd -wrt W "a^T W b"
| b a^T

$ mcd -wrt W --layout=denominator "a^T W b"
| a b^T

$ mcd --layout=mixed -wrt W "a^T W b"
| a b^T

# the spellings of -wrt: single-dash long, short, double-dash with a space or '='
$ mcd -w W "a^T W b"
| b a^T

$ mcd --wrt W "a^T W b"
| b a^T

$ mcd --wrt=W "a^T W b"
| b a^T

$ mcd "a^T W b" -wrt W
| b a^T

# the spellings of --layout
$ mcd --layout denominator -wrt W "a^T W b"
| a b^T

$ mcd -L numerator -wrt W "a^T W b"
| b a^T

$ mcd -layout=denominator -wrt W "a^T W b"
| a b^T

# 1 x 1 factors commute: (a^T x) b is b a^T x
$ mcd -wrt x "(a^T x) b"
| b a^T

$ mcd -L denominator -wrt x "(a^T x) b"
| a b^T

$ mcd -L mixed -wrt x "(a^T x) b"
| b a^T

# the textbook results of SPEC section 3
$ mcd -wrt x "x^T A x"
| x^T (A + A^T)

$ mcd -s A -wrt x "x^T A x"
| 2 x^T A

$ mcd -wrt w "(y - w^T x)^2"
| 2 (w^T x - y) x^T

$ mcd -wrt x "||x - a||"
| (x - a)^T / ||x - a||

$ mcd -wrt X "det(X)"
| det(X) X^-1

$ mcd -d 'A:matrix(m,n)' -wrt A "A x"
| kron(x^T, I_m)

$ mcd -d 'A:matrix(m,n)' -L denominator -wrt A "A x"
| kron(x, I_m)

$ mcd -d 'R:matrix(m,n)' -wrt R "R^T R"
| kron(R^T, I_n) K_{m,n} + kron(I_n, R^T)

# a scalar variable: the coefficient; denominator transposes it
$ mcd -wrt alpha "alpha x"
| x

$ mcd -L denominator -wrt alpha "alpha x"
| x^T

# -- ends the options
$ mcd -wrt x -- "-x^T x"
| -2 x^T

# --check: the result on stdout, what was verified on stderr
$ mcd --check -wrt X "logdet(X) + tr(A X^-1)"
| X^-1 - X^-1 A X^-1
! mcd: 1: check: derivative by X verified on 10 random instances, by finite differences
!~ ^mcd: 1: check: largest relative error [0-9.]+e-1[0-9]$

$ mcd --check=3 --seed 7 -wrt W "a^T W b"
| b a^T
! mcd: 1: check: derivative by W verified on 3 random instances, exactly

$ mcd --check --seed=42 -L denominator -wrt x "x^T A x"
| A x + A^T x
! mcd: 1: check: derivative by x verified on 10 random instances, exactly

# a variable that does not occur is an error naming it; declared, its zero
$ mcd -wrt z "x^T x"
|
! mcd: 1: error: 'z' does not occur in the expression (declare it with -d to get a zero derivative)
? 1

$ mcd -d z:vector -wrt z "x^T x"
| 0

$ mcd -wrt x -wrt q "x^T x"
|
! mcd: 1: error: 'q' does not occur in the expression (declare it with -d to get a zero derivative)
? 1

# --shapes with -wrt: the derivative's shape, by SPEC's table
$ mcd --shapes -wrt W "a^T W b"
| a: m x 1, W: m x n, b: n x 1, result: n x m

$ mcd --shapes -L denominator -wrt W "a^T W b"
| a: m x 1, W: m x n, b: n x 1, result: m x n

$ mcd -d 'A:matrix(m,n)' --shapes -wrt A "A x"
| A: m x n, x: n x 1, result: m x mn

$ mcd -d Z:matrix --shapes -wrt Z "x^T x"
| x: m x 1, Z: n x p, result: p x n

# --hessian: the same in every layout; mn x mn over vec(X) for a matrix
$ mcd --hessian -wrt x "x^T A x"
| A + A^T

$ mcd -H -L denominator -wrt x "x^T A x"
| A + A^T

$ mcd -H -wrt X "tr(X^T X)"
| 2 I_{m n}

$ mcd --shapes --hessian -wrt X "tr(X^T X)"
| X: m x n, result: mn x mn

$ mcd -H -wrt alpha "alpha^3"
| 6 alpha

# under --hessian, the first derivative (python's derivative()), the gradient
# and the Hessian are each verified
$ mcd --check=1 --seed=3 -H -wrt x "x^T A x"
| A + A^T
! mcd: 1: check: derivative by x verified on 1 random instance, exactly
! mcd: 1: check: gradient by x verified on 1 random instance, exactly
! mcd: 1: check: Hessian by x verified on 1 random instance, exactly

$ mcd --hessian -wrt x "A x"
|
! mcd: 1: error: --hessian needs a scalar expression
? 1

# repeated -wrt differentiates the previous result, in the same layout
$ mcd -wrt x -wrt y "x^T A y"
| A

$ mcd -L denominator -wrt x -wrt y "x^T A y"
| A^T

$ mcd -L mixed -wrt x -wrt y "x^T A y"
| A

$ mcd --check -wrt x -wrt y "x^T A y"
| A
! mcd: 1: check: derivative by x verified on 10 random instances, exactly
! mcd: 1: check: derivative by y verified on 10 random instances, exactly

# a batch: one line out per expression line; a line that fails is empty
$ mcd -wrt x
< x^T x
< y^T y
<
< # a comment
< A x
| 2 x^T
|
| A
! mcd: 2: error: 'x' does not occur in the expression (declare it with -d to get a zero derivative)
? 1

$ mcd --check=2 -wrt W
< a^T W b
< W
| b a^T
| I_{m n}
! mcd: 1: check: derivative by W verified on 2 random instances, exactly
! mcd: 2: check: derivative by W verified on 2 random instances, exactly

# vec and Kronecker products inside scalars (Magnus and Neudecker:
# kron(A, B) vec(X) = vec(B X A^T); ||A kron B||_F = ||A||_F ||B||_F)
$ mcd -d 'X:matrix(m,n)' -d 'A:matrix(n,n)' -d 'B:matrix(m,m)' -wrt X "vec(X)^T kron(A, B) vec(X)"
| A X^T B^T + A^T X^T B

$ mcd -d 'X:matrix(m,n)' -d 'A:matrix(n,n)' -d 'B:matrix(m,m)' -L denominator -wrt X "vec(X)^T kron(A, B) vec(X)"
| B X A^T + B^T X A

$ mcd -d 'X:matrix(m,n)' -wrt X "norm(kron(X, X))^2"
| 4 ||X||^2 X^T
