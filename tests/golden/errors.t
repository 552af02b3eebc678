# Every diagnostic: position, message, source line, caret (SPEC 6).

$ mcd "a^T W + b"
|
! mcd: 1:7: error: cannot add 1 x n and p x 1 (W would need one column)
!   a^T W + b
!   ~~~~~ ^ ~
? 1

$ mcd "(a + b"
|
! mcd: 1:7: error: unexpected end of input, expected an operator, an operand or ')'
!   (a + b
!         ^
! mcd: 1:1: note: '(' opened here is not closed
!   (a + b
!   ^
? 1

$ mcd "foo(x, y)"
|
! mcd: 1:1: error: unknown function 'foo'
!   foo(x, y)
!   ^~~
? 1

$ mcd "trace(A, B)"
|
! mcd: 1:1: error: unknown function 'trace'; did you mean 'tr'?
!   trace(A, B)
!   ^~~~~
? 1

$ mcd "tr(A, B)"
|
! mcd: 1:5: error: tr takes one argument
!   tr(A, B)
!       ^
? 1

$ mcd "kron(A)"
|
! mcd: 1:1: error: kron takes two or more arguments
!   kron(A)
!   ^~~~
? 1

$ mcd "(x, y)"
|
! mcd: 1:3: error: unexpected ',' (only kron takes several arguments)
!   (x, y)
!     ^
? 1

$ mcd "x^y"
|
! mcd: 1:3: error: the exponent of '^' must be a constant number (use '.^' for an element-wise power)
!   x^y
!   ~ ^
? 1

$ mcd "A +* B"
|
! mcd: 1:4: error: unexpected '*', expected an operand
!   A +* B
!      ^
? 1

$ mcd "x é"
|
! mcd: 1:3: error: unexpected character 'é'
!   x é
!     ^
? 1

$ mcd "I_0"
|
! mcd: 1:3: error: a dimension must be at least 1
!   I_0
!     ^
? 1

$ mcd "A - x^T"
|
! mcd: 1:3: error: cannot subtract m x n and 1 x p (A would need one row)
!   A - x^T
!   ~ ^ ~~~
? 1

$ mcd "A .* x^T"
|
! mcd: 1:3: error: cannot multiply element-wise m x n and 1 x p (A would need one row)
!   A .* x^T
!   ~ ^  ~~~
? 1

$ mcd "A / B"
|
! mcd: 1:3: error: cannot divide by B (p x q): the divisor must be a scalar (B would need one row)
!   A / B
!     ^ ~
? 1

$ mcd "||A||_2"
|
! mcd: 1:1: error: the 2-norm of a matrix is not supported (use ||A||_F): A (m x n) is not a vector (A would need one column)
!   ||A||_2
!   ^ ~
? 1

$ mcd "A^(1/2)"
|
! mcd: 1:2: error: a power that is not a whole number needs a scalar, and A (m x n) is not one (A would need one row)
!   A^(1/2)
!   ~^
? 1

$ mcd "vec(A) + vec(B)"
|
! mcd: 1:8: error: cannot add mn x 1 and pq x 1 (the sizes cannot be settled; declare them with -d NAME:TYPE)
!   vec(A) + vec(B)
!   ~~~~~~ ^ ~~~~~~
? 1

$ mcd "A .^ B"
|
! mcd: 1:3: error: the exponent of '.^' must be a scalar, and B (p x q) is not one (B would need one row)
!   A .^ B
!     ^  ~
? 1

$ mcd "1e99999"
|
! mcd: 1:1: error: the exponent of this number is too large (at most 10000)
!   1e99999
!   ^~~~~~~
? 1

$ mcd "{A"
|
! mcd: 1:3: error: unexpected end of input, expected an operator, an operand or '}'
!   {A
!     ^
! mcd: 1:1: note: '{' opened here is not closed
!   {A
!   ^
? 1

$ mcd "||x"
|
! mcd: 1:4: error: unexpected end of input, expected an operator, an operand or closing '||'
!   ||x
!      ^
! mcd: 1:1: note: '||' opened here is not closed
!   ||x
!   ^~
? 1

$ mcd "A))"
|
! mcd: 1:2: error: unexpected ')', expected an operator, an operand or end of input
!   A))
!    ^
? 1

$ mcd "K_{m n}"
|
! mcd: 1:7: error: unexpected '}', expected dimension number or dimension symbol or ','
!   K_{m n}
!         ^
? 1

$ mcd "x;"
|
! mcd: 1:2: error: unexpected character ';'
!   x;
!    ^
? 1

$ mcd $'x\xff'
|
! mcd: 1:2: error: invalid UTF-8 byte 0xff
!   x?
!    ^
? 1

$ mcd -d x:vector "tr(x)"
|
! mcd: 1:1: error: cannot take the trace of x (m x 1): it is not square (x is declared a vector)
!   tr(x)
!   ^  ~
? 1

$ mcd -d 'A:matrix(2,3)' "inv(A)"
|
! mcd: 1:1: error: cannot invert A (2 x 3): it is not square
!   inv(A)
!   ^   ~
? 1

$ mcd -d 'A:matrix(2,3)' -d 'B:matrix(4,5)' "A B"
|
! mcd: 1:3: error: cannot multiply 2 x 3 by 4 x 5
!   A B
!   ~ ^
? 1

# a long line is shown as a window around the caret
$ mcd "a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q + r + s + t + u + v + w + x + y + z + A"
|
! mcd: 1:103: error: cannot add m x 1 and n x p (A would need one column)
!   ...i + j + k + l + m + n + o + p + q + r + s + t + u + v + w + x + y + z + A
!      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ ^ ~
? 1
