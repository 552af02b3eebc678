# F where NAME = VALUE, ... (SPEC 1): definitions in any order, which may
# refer to each other; differentiation goes through them.

$ mcd -wrt x "h^T h where h = A x"
| 2 x^T A^T A

# in any order; --check and --shapes see through them
$ mcd --check=3 -wrt W1 "norm(h2 - y)^2 where h2 = tanh(W2 h1), h1 = tanh(W1 x)"
| x (W2^T (2 (h2 - y) .* (ones_m - h2.^2)) .* (ones_n - h1.^2))^T where h1 = tanh(W1 x), h2 = tanh(W2 h1)
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

# --- the output (SPEC 4): the input's names wherever their values occur,
# and names t1, t2, ... for repeated subexpressions when that is shorter ---

$ mcd -wrt W1 "norm(h2 - y)^2 where h1 = tanh(W1 x), h2 = tanh(W2 h1)"
| x (W2^T (2 (h2 - y) .* (ones_m - h2.^2)) .* (ones_n - h1.^2))^T where h1 = tanh(W1 x), h2 = tanh(W2 h1)

$ mcd -wrt x "tanh(W3 tanh(W2 tanh(W1 x)))"
| diag(ones_m - tanh(W3 t1).^2) W3 diag(ones_n - t1.^2) W2 diag(ones_p - tanh(W1 x).^2) W1 where t1 = tanh(W2 tanh(W1 x))

# the text reads back as the same function
$ mcd -wrt x
< tanh(W3 tanh(W2 tanh(W1 x))) == diag(ones_m - tanh(W3 t1).^2) W3 diag(ones_n - t1.^2) W2 diag(ones_p - tanh(W1 x).^2) W1 where t1 = tanh(W2 tanh(W1 x))
| diag(ones_m - tanh(W3 t1).^2) W3 diag(ones_n - t1.^2) W2 diag(ones_p - tanh(W1 x).^2) W1 where t1 = tanh(W2 tanh(W1 x))
! mcd: 1: expect: equal (in double precision on 8 random instances, largest relative difference 0)

# new names skip the names in use
$ mcd -wrt x "t1^T tanh(W3 tanh(W2 tanh(W1 x)))"
| (t1 .* (ones_m - tanh(W3 t2).^2))^T W3 diag(ones_n - t2.^2) W2 diag(ones_p - tanh(W1 x).^2) W1 where t2 = tanh(W2 tanh(W1 x))

$ mcd --share=never -wrt x "tanh(W3 tanh(W2 tanh(W1 x)))"
| diag(ones_m - tanh(W3 tanh(W2 tanh(W1 x))).^2) W3 diag(ones_n - tanh(W2 tanh(W1 x)).^2) W2 diag(ones_p - tanh(W1 x).^2) W1

$ mcd --share=never -wrt W1 "norm(h2 - y)^2 where h1 = tanh(W1 x), h2 = tanh(W2 h1)"
| x (W2^T (2 (tanh(W2 tanh(W1 x)) - y) .* (ones_m - tanh(W2 tanh(W1 x)).^2)) .* (ones_n - tanh(W1 x).^2))^T

$ mcd --share=sometimes x
! mcd: unknown --share mode 'sometimes' (expected auto or never)
! Try 'mcd --help' for more information.
? 2

# every format carries the definitions
$ mcd -f unicode -wrt x "h^T h where h = tanh(A x)"
| 2 (h ⊙ (ones_m - h.^2))ᵀ A where h = tanh(A x)

$ mcd -f latex -wrt x "h^T h where h = tanh(A x)"
| 2 \left(\mathbf{h} \odot \left(\mathbf{1}_{m} - \mathbf{h}^{\circ 2}\right)\right)^{\top} \mathbf{A} \quad\text{where } \mathbf{h} = \tanh\left(\mathbf{A} \mathbf{x}\right)

$ mcd -f json -wrt x "h^T h where h = tanh(A x)"
| {"input":"h^T h where h = tanh(A x)","wrt":["x"],"layout":"numerator","hessian":false,"expression":"tanh(A x)^T tanh(A x)","derivative":"2 (h .* (ones_m - h.^2))^T A","result":"2 (h .* (ones_m - h.^2))^T A","shape":["1","n"],"variables":{"A":["m","n"],"x":["n","1"]},"latex":"2 \\left(\\mathbf{h} \\odot \\left(\\mathbf{1}_{m} - \\mathbf{h}^{\\circ 2}\\right)\\right)^{\\top} \\mathbf{A} \\quad\\text{where } \\mathbf{h} = \\tanh\\left(\\mathbf{A} \\mathbf{x}\\right)","where":[{"name":"h","value":"tanh(A x)","shape":["m","1"]}]}

# --expect takes an answer with its own where clause
$ mcd -wrt x --expect "2 (h .* (ones - h.^2))^T A where h = tanh(A x)" "h^T h where h = tanh(A x)"
| 2 (h .* (ones_m - h.^2))^T A where h = tanh(A x)
! mcd: 1: expect: equal (in double precision on 8 random instances, largest relative difference 0)

$ mcd -wrt x --expect "2 h^T A where h = A x" "h^T h where h = tanh(A x)"
|
! mcd: 1: error: the --expect answer defines 'h' differently from the expression
? 1
