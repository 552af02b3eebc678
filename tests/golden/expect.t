# F == G and --expect (SPEC 6): the result must equal an answer derived by
# hand, decided on random instances (exactly when both sides are rational).
# The result is printed either way; a difference fails the line (status 1).

# equal: exactly, and in doubles
$ mcd -wrt x "x^T A x == x^T (A + A^T)"
| x^T (A + A^T)
! mcd: 1: expect: equal (exactly, on 8 random instances)

$ mcd -wrt x "sum(exp(x)) == exp(x)^T"
| exp(x)^T
! mcd: 1: expect: equal (in double precision on 8 random instances, largest relative difference 0)

# different: a counterexample with the sizes, the instance, the entry and both values
$ mcd -wrt x "x^T A x == 2 x^T A"
| x^T (A + A^T)
! mcd: 1: error: expect: different: sizes m=3; x = [-1/3; -1/3; -4], A = [6 0 -3; 1 4 2/3; -1 -2 6]; entry (1, 1): the result is 35/3, the expected answer 10/3
? 1

# symmetric variables are drawn symmetric: 2 x^T S is right for symmetric S
$ mcd -s S -wrt x "x^T S x == 2 x^T S"
| 2 x^T S
! mcd: 1: expect: equal (exactly, on 8 random instances)

# the layout is part of the answer: the denominator gradient is a column
$ mcd -L denominator -wrt W "a^T W b == a b^T"
| a b^T
! mcd: 1: expect: equal (exactly, on 8 random instances)

# a shape mismatch is reported as such
$ mcd -wrt x "x^T A x == (A + A^T) x"
| x^T (A + A^T)
! mcd: 1: error: expect: shape mismatch: the result is 1 x m, the expected answer m x 1
? 1

# without -wrt, the expression itself: an identity
$ mcd --expect "B^T A^T" "(A B)^T"
| B^T A^T
! mcd: 1: expect: equal (exactly, on 8 random instances)

$ mcd "det(A B) == det(B) det(A)"
| det(A B)
! mcd: 1: expect: equal (exactly, on 8 random instances)

# in a batch each line carries its own answer, or --expect gives one for all
$ mcd -wrt x
< x^T x == 2 x^T
< x^T x == x^T
< a^T x
| 2 x^T
| 2 x^T
| a^T
! mcd: 1: expect: equal (exactly, on 8 random instances)
! mcd: 2: error: expect: different: sizes m=3; x = [-1/3; -1/3; -4]; entry (1, 1): the result is -2/3, the expected answer -1/3
? 1

$ mcd -wrt x --expect "2 x^T"
< x^T x
< x^T A x
| 2 x^T
| x^T (A + A^T)
! mcd: 1: expect: equal (exactly, on 8 random instances)
! mcd: 2: error: expect: different: sizes m=3; x = [-1/3; -1/3; -4], A = [6 0 -3; 1 4 2/3; -1 -2 6]; entry (1, 1): the result is 35/3, the expected answer -2/3
? 1

# JSON gains "expected" and "equal"
$ mcd -f json -wrt x "x^T x == 2 x^T"
| {"input":"x^T x == 2 x^T","wrt":["x"],"layout":"numerator","hessian":false,"expression":"x^T x","derivative":"2 x^T","result":"2 x^T","expected":"2 x^T","equal":true,"shape":["1","m"],"variables":{"x":["m","1"]},"latex":"2 \\mathbf{x}^{\\top}","where":[]}
! mcd: 1: expect: equal (exactly, on 8 random instances)

# errors: a second answer, an unreadable answer, == where no answer goes
$ mcd -wrt x --expect "2 x^T" "x^T x == 2 x^T"
|
! mcd: 1:7: error: this line has its own '== EXPECTED', and --expect gives another
!   x^T x == 2 x^T
!         ^
? 1

$ mcd -wrt x --expect "2 x^T +" "x^T x"
|
! mcd: 1: error: cannot read the --expect answer: unexpected end of input, expected an operand
! mcd: 1:8: error: unexpected end of input, expected an operand
!   2 x^T +
!          ^
? 1

$ mcd -wrt x "x^T x == 2 x^T +"
|
! mcd: 1:17: error: unexpected end of input, expected an operand
!   x^T x == 2 x^T +
!                   ^
? 1

$ mcd -wrt x "x^T x == 2 x^T == 2 x^T"
|
! mcd: 1:16: error: unexpected '==', expected an operator, an operand or end of input
!   x^T x == 2 x^T == 2 x^T
!                  ^~
? 1
