# F where NAME = VALUE, ... (SPEC 1): definitions in any order, which may
# refer to each other; differentiation goes through them.

$ mcd -wrt x "h^T h where h = A x"
| 2 x^T A^T A

# in any order; --check and --shapes see through them
$ mcd --check=3 -wrt W1 "norm(h2 - y)^2 where h2 = tanh(W2 h1), h1 = tanh(W1 x)"
| x (W2^T (2 (tanh(W2 tanh(W1 x)) - y) .* (ones_m - tanh(W2 tanh(W1 x)).^2)) .* (ones_n - tanh(W1 x).^2))^T
! mcd: 1: check: derivative by W1 verified on 3 random instances, by finite differences
! mcd: 1: check: largest relative error 8.71e-10

# a defined name takes its shape from its definition, whatever its spelling
$ mcd --shapes "norm(H - y)^2 where H = tanh(W x)"
| W: m x n, x: n x 1, y: m x 1, H: m x 1, result: 1 x 1

# the expected answer may use the names too
$ mcd -L denominator -wrt x "h^T h == 2 A^T h where h = A x"
| 2 A^T A x
! mcd: 1: expect: equal (exactly, on 8 random instances)

# a value may be a number
$ mcd -- "-h x where h = 2"
| -2 x

# an unused definition is a warning; the line succeeds
$ mcd -wrt x "a^T x where h = 2 x"
| a^T
! mcd: 1:13: warning: 'h' is defined but not used
!   a^T x where h = 2 x
!               ^

# errors, each at its position
$ mcd -wrt x "h where h = g + x, g = h"
|
! mcd: 1:9: error: 'h' is defined in terms of itself (the definitions form a cycle)
!   h where h = g + x, g = h
!           ^   ~~~~~
? 1

$ mcd -wrt x "h where h = x, h = 2 x"
|
! mcd: 1:16: error: 'h' is defined twice
!   h where h = x, h = 2 x
!                  ^
! mcd: 1:9: note: first defined here
!   h where h = x, h = 2 x
!           ^
? 1

$ mcd -wrt h "h where h = x"
|
! mcd: 1:9: error: 'h' is defined here, so it cannot be a -wrt variable (differentiate by the variables it is made of)
!   h where h = x
!           ^
? 1

$ mcd -d h:vector -wrt x "h where h = x"
|
! mcd: 1:9: error: 'h' is defined here and also declared (-d, -s)
!   h where h = x
!           ^
? 1

$ mcd "x where h"
|
! mcd: 1:10: error: unexpected end of input, expected '='
!   x where h
!            ^
? 1

$ mcd "x where I = 2"
|
! mcd: 1:9: error: unexpected 'I', expected a name
!   x where I = 2
!           ^
? 1

# a shape conflict names the defined name where it is used
$ mcd "h + x where h = A^T"
|
! mcd: 1:3: error: cannot add n x m and p x 1 (A would need one row)
!   h + x where h = A^T
!   ~ ^ ~
? 1
