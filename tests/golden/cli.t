# The command line: options, usage errors, exit status (SPEC 6).

$ mcd --version
| mcd 0.1.0

$ mcd --format=bogus x
! mcd: unknown format 'bogus' (expected text, unicode, latex, python or json)
! Try 'mcd --help' for more information.
? 2

$ mcd --layout=sideways -wrt x "x^T x"
! mcd: unknown layout 'sideways' (expected numerator, denominator or mixed)
! Try 'mcd --help' for more information.
? 2

$ mcd --bogus x
! mcd: unknown option '--bogus' (an expression that starts with '-' goes after '--')
! Try 'mcd --help' for more information.
? 2

$ mcd -x
! mcd: unknown option '-x' (an expression that starts with '-' goes after '--')
! Try 'mcd --help' for more information.
? 2

$ mcd -d
! mcd: option '-d' needs a value
! Try 'mcd --help' for more information.
? 2

$ mcd -d A:tensor A
! mcd: -d: the type must be scalar, vector, vector(n), matrix, matrix(m,n), symmetric or symmetric(n)
! Try 'mcd --help' for more information.
? 2

$ mcd -d tr:scalar x
! mcd: -d: 'tr' is a reserved name
! Try 'mcd --help' for more information.
? 2

$ mcd --check=0 -wrt x "x^T x"
! mcd: --check takes a whole number from 1 to 1000000, not '0'
! Try 'mcd --help' for more information.
? 2

$ mcd --check=1000001 -wrt x "x^T x"
! mcd: --check takes a whole number from 1 to 1000000, not '1000001'
! Try 'mcd --help' for more information.
? 2

$ mcd --seed=-3 -wrt x "x^T x"
! mcd: --seed takes a whole number from 0 to 18446744073709551615, not '-3'
! Try 'mcd --help' for more information.
? 2

$ mcd --hessian "x^T x"
! mcd: --hessian needs exactly one -wrt variable
! Try 'mcd --help' for more information.
? 2

# long options with one dash, and options after the expression
$ mcd -shapes "a^T W b"
| a: m x 1, W: m x n, b: n x 1, result: 1 x 1

$ mcd "(y - w^T x)^2" --shapes
| y: 1 x 1, w: m x 1, x: m x 1, result: 1 x 1

$ mcd -format=text "(A B)^T"
| B^T A^T

# -- ends the options
$ mcd -- -x
| -x

# one output line per EXPR argument, an empty one for a failure
$ mcd "A B" "A +" "x^T x"
| A B
|
| x^T x
! mcd: 2:4: error: unexpected end of input, expected an operand
!   A +
!      ^
? 1

# declarations: later ones replace earlier ones; -s is symmetric
$ mcd -d x:matrix -d x:scalar --shapes "x A"
| x: 1 x 1, A: m x n, result: m x n

$ mcd -s S --shapes "S x"
| S: m x m, x: m x 1, result: m x 1

$ mcd -d 'x:vector(3)' -d 'A:matrix(2,3)' --shapes "A x"
| A: 2 x 3, x: 3 x 1, result: 2 x 1
