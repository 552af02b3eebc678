# No silent wrong answers (SPEC sections 1 and 3): unknown functions are
# errors at their position, products of any length keep every factor, zero
# results survive Hessians, divisions by zero are located.

# a name followed at once by '(' that is not a function is an error ...
$ mcd -wrt x "softmaxx(x)"
|
! mcd: 1:1: error: unknown function 'softmaxx'; did you mean 'softmax'? (for a product, put a space: 'softmaxx (...)')
!   softmaxx(x)
!   ^~~~~~~~
? 1

$ mcd -wrt x "2 foo(x)"
|
! mcd: 1:3: error: unknown function 'foo' (for a product, put a space: 'foo (...)')
!   2 foo(x)
!     ^~~
? 1

$ mcd "trace(A)"
|
! mcd: 1:1: error: unknown function 'trace'; did you mean 'tr'? (for a product, put a space: 'trace (...)')
!   trace(A)
!   ^~~~~
? 1

$ mcd -wrt x "max(x)"
|
! mcd: 1:1: error: unknown function 'max' (for a product, put a space: 'max (...)')
!   max(x)
!   ^~~
? 1

# ... and with a space it is the product the user asked for
$ mcd --shapes "foo (x)"
| foo: 1 x 1, x: m x 1, result: m x 1

# one letter with a digit or '_' suffix, Greek names and declared names stay products
$ mcd "A(x + y)"
| A (x + y)

$ mcd "W1(x)"
| W1 x

$ mcd "A_k(x)"
| A_k x

$ mcd "mu(x - a)"
| mu (x - a)

$ mcd -d AB:matrix "AB(x)"
| AB x

# a product of more than 64 factors keeps every one of them
$ mcd -wrt x "$(printf 'B%d ' $(seq 70))x"
| B1 B2 B3 B4 B5 B6 B7 B8 B9 B10 B11 B12 B13 B14 B15 B16 B17 B18 B19 B20 B21 B22 B23 B24 B25 B26 B27 B28 B29 B30 B31 B32 B33 B34 B35 B36 B37 B38 B39 B40 B41 B42 B43 B44 B45 B46 B47 B48 B49 B50 B51 B52 B53 B54 B55 B56 B57 B58 B59 B60 B61 B62 B63 B64 B65 B66 B67 B68 B69 B70

$ mcd -wrt A1 "x^T $(printf 'A%d ' $(seq 70))x"
| A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16 A17 A18 A19 A20 A21 A22 A23 A24 A25 A26 A27 A28 A29 A30 A31 A32 A33 A34 A35 A36 A37 A38 A39 A40 A41 A42 A43 A44 A45 A46 A47 A48 A49 A50 A51 A52 A53 A54 A55 A56 A57 A58 A59 A60 A61 A62 A63 A64 A65 A66 A67 A68 A69 A70 x x^T

# a dimension with too many factors is an error, not a size of 1
$ mcd --shapes "vec(kron($(printf 'A%d, ' $(seq 20))B))"
|
! mcd: 1:1: error: a dimension of this expression is too large (a product of more than 16 sizes, or more than 18446744073709551615)
!   vec(kron(A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A...
!   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
? 1

# zero results under --hessian (these crashed), in every format and with --check
$ mcd -H -wrt x "0 sum(x)"
| 0

$ mcd -H --check -wrt x "sum(0 x)"
| 0
! mcd: 1: check: derivative by x verified on 10 random instances, exactly
! mcd: 1: check: gradient by x verified on 10 random instances, exactly
! mcd: 1: check: Hessian by x verified on 10 random instances, exactly

$ mcd -f json -H -wrt x "0 sum(x)"
| {"input":"0 sum(x)","wrt":["x"],"layout":"numerator","hessian":true,"expression":"0","derivative":"0","result":"0","shape":["m","m"],"variables":{"x":["m","1"]},"latex":"\\mathbf{0}","where":[]}

# in a batch, the lines after a zero Hessian are still answered
$ mcd -H -wrt x
< sum(0 x)
< x^T x
| 0
| 2 I_m

# a division by zero is an error at the division
$ mcd "x / (a - a)^T b"
|
! mcd: 1:3: error: division by zero
!   x / (a - a)^T b
!   ~~^~~~~~~~~~~
? 1

$ mcd "x^T (A - A)^-1 y"
|
! mcd: 1:12: error: division by zero
!   x^T (A - A)^-1 y
!       ~~~~~~~^~~
? 1

$ mcd -wrt x "sum(x) / (0 sum(x))"
|
! mcd: 1:8: error: division by zero
!   sum(x) / (0 sum(x))
!   ~~~~~~~^~~~~~~~~~~~
? 1

# the work budget (SPEC 7): an expression whose derivative would take
# gigabytes ends with an error on its own line, and the batch goes on
$ mcd -wrt X -wrt X
< tr(X)
< X^300
< tr(X X)
| 0
|
| 2 I_{m m}
! mcd: 2: error: the result is too large: more than 500000 subexpressions, or 244 MiB, were built (--max-nodes raises the limit)
? 1

$ mcd -wrt X -wrt X "X^300"
|
! mcd: 1: error: the result is too large: more than 500000 subexpressions, or 244 MiB, were built (--max-nodes raises the limit)
? 1

$ mcd --max-nodes=1000 -wrt X -wrt X "X^20"
|
! mcd: 1: error: the result is too large: more than 1000 subexpressions, or 0 MiB, were built (--max-nodes raises the limit)
? 1

$ mcd --max-nodes=10 -wrt x "x^T x"
! mcd: --max-nodes takes a whole number from 1000 to 18446744073709551615, not '10'
! Try 'mcd --help' for more information.
? 2

# exact verification does not compute numbers of millions of bits
$ mcd -wrt b "b ((H^100)^100)^100"
| H^1000000

# verification has a cost budget too: a derivative too big to check in a
# fraction of a second is an error, not an unverified answer
$ mcd -wrt b -wrt X "X^300 I_6 X^300 b"
|
! mcd: 1: error: the result is too large: checking it would compute more than 4000000 matrix entries (--no-check skips verification)
? 1

# ||r||^p is differentiated as p ||r||^(p-2) r^T dr: no division by ||r||, so
# the gradient is defined at r = 0, the optimum of least squares
$ mcd -wrt W "norm(tanh(W x) - y)^2"
| x (2 (tanh(W x) - y) .* (ones_m - tanh(W x).^2))^T

$ mcd -H -wrt X "norm(X - A)^2"
| 2 I_{m n}

$ mcd -wrt X "norm(X)^4"
| 4 ||X||^2 X^T

$ mcd -wrt x "norm(x)^3"
| 3 ||x|| x^T
