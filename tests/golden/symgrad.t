# --symmetric-gradient (SPEC 3): what the derivative of a scalar by a
# symmetric S means.  free: entries independent (G); sym: (G + G^T) / 2;
# cookbook: G + G^T - G .* I.  The same in every layout (it is symmetric).

$ mcd -s S -wrt S "tr(A S)"
| A

$ mcd -s S --symmetric-gradient=sym -wrt S "tr(A S)"
| (A^T + A) / 2

$ mcd -s S --symmetric-gradient=cookbook -wrt S "tr(A S)"
| A - I_m .* A^T + A^T

$ mcd -s S --symmetric-gradient=free -wrt S "x^T S x"
| x x^T

$ mcd -s S --symmetric-gradient=sym -L denominator -wrt S "x^T S x"
| x x^T

$ mcd -s S --symmetric-gradient=cookbook -wrt S "x^T S x"
| 2 x x^T - I_m .* (x x^T)

# --check verifies the policy's gradient along symmetric directions
$ mcd -s S --symmetric-gradient=cookbook --check=3 -wrt S "logdet(S)"
| 2 S^-1 - I_m .* S^-1
! mcd: 1: check: derivative by S verified on 3 random instances, by finite differences
! mcd: 1: check: largest relative error 1.21e-13
! mcd: 1: check: the cookbook gradient by S verified on 3 random instances along symmetric directions, by finite differences

# --expect compares with the policy's answer
$ mcd -s S --symmetric-gradient=sym -wrt S "tr(A S) == (A + A^T) / 2"
| (A^T + A) / 2
! mcd: 1: expect: equal (exactly, on 8 random instances)

# only for a scalar by a symmetric matrix
$ mcd --symmetric-gradient=sym -wrt S "tr(A S)"
|
! mcd: 1: error: --symmetric-gradient=sym applies to the derivative of a scalar by one matrix declared symmetric (-s NAME)
? 1

$ mcd -s S --symmetric-gradient=sym -wrt S "S x"
|
! mcd: 1: error: --symmetric-gradient=sym applies to the derivative of a scalar by one matrix declared symmetric (-s NAME)
? 1

$ mcd --symmetric-gradient=bogus x
! mcd: unknown --symmetric-gradient policy 'bogus' (expected free, sym or cookbook)
! Try 'mcd --help' for more information.
? 2

# without -wrt it is an error, not a crash (it dereferenced the missing -wrt)
$ mcd --symmetric-gradient=sym x
|
! mcd: 1: error: --symmetric-gradient=sym applies to the derivative of a scalar by one matrix declared symmetric (-s NAME)
? 1
