# No silent wrong answers (SPEC sections 1 and 3): unknown functions are
# errors at their position, products of any length keep every factor, zero
# results survive Hessians, divisions by zero are located.

# a name followed at once by '(' that is not a function is an error ...
$ mcd -wrt x "softmaxx(x)"
|
! mcd: 1:1: error: unknown function 'softmaxx' (for a product, put a space: 'softmaxx (...)')
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
