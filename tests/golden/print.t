# mcd EXPR prints the expression in canonical form (SPEC 4).

$ mcd "A + B - A"
| B

$ mcd "2 x - x/2"
| 3/2 x

$ mcd "x^T A + x^T A^T"
| x^T (A + A^T)

$ mcd "a b^T + b a^T"
| a b^T + b a^T

$ mcd "2 (w^T x) x^T - 2 y x^T"
| 2 (w^T x - y) x^T

$ mcd "alpha alpha x"
| alpha^2 x

$ mcd "A - A"
| 0

$ mcd "tr(x^T A x) + tr(A x x^T)"
| 2 x^T A x

$ mcd "X X^-1 Y"
| Y

$ mcd "(A B)^T"
| B^T A^T

$ mcd "((A^T)^T)^T"
| A^T

$ mcd "(A B C)^T"
| C^T B^T A^T

$ mcd "(alpha A)^T"
| alpha A^T

$ mcd "A + I"
| A + I_m

$ mcd "x^T I x"
| x^T x

$ mcd "2 * 3 x"
| 6 x

$ mcd "1/2 A + 0 B"
| A / 2

$ mcd "0.5 x"
| x / 2

$ mcd "3/2 x"
| 3/2 x

$ mcd "A (1/3)"
| A / 3

$ mcd -- "-(-x)"
| x

$ mcd "Aᵀ B⁻¹ C⁻ᵀ"
| A^T B^-1 C^-T

$ mcd "A ⊙ B ∘ C"
| A .* B .* C

$ mcd "A ⊗ B"
| kron(A, B)

$ mcd "kron(A, B) ⊗ C"
| kron(A, B, C)

$ mcd "||x||_2 + norm(y) + ‖z‖"
| ||x|| + ||y|| + ||z||

$ mcd "A(x + y)"
| A (x + y)

$ mcd "x^Tx"
| x^T x

$ mcd "A^{-1} inv(B) A^{T}"
| A^-1 B^-1 A^T

$ mcd "x^(1/2) + x^2"
| x^(1/2) + x^2

$ mcd "A .^ 2 ./ B"
| A.^2 ./ B

$ mcd -s S "S^T + S"
| 2 S

$ mcd "A / 2 B"
| A B / 2

$ mcd "tr(A) + det(B) + logdet(C) + sum(D) + norm(E)"
| sum(D) + tr(A) + det(B) + logdet(C) + ||E||

$ mcd "exp(x) + log(x) + sin(x) + cos(x) + tanh(x) + sigmoid(x) + sqrt(x) + abs(x) + relu(x)"
| exp(x) + log(x) + sin(x) + cos(x) + tanh(x) + sigmoid(x) + sqrt(x) + abs(x) + relu(x)

$ mcd "diag(x) + I_n + ones_n ones^T"
| ones_n ones_n^T + I_n + diag(x)

$ mcd -d 'A:matrix(m,n)' "K_{m,n} vec(A)"
| vec(A^T)

$ mcd "123456789012345678901234567890 / 10"
| 12345678901234567890123456789

$ mcd "1e-3 x"
| x / 1000

# textbook identities (SPEC 4): det of a chain where X and X^-1 cancel,
# diag of ones
$ mcd "det(X^-1 A X)"
| det(A)

$ mcd "diag(ones_n)"
| I_n

$ mcd -H -wrt x "sum(exp(A x))"
| A^T diag(exp(A x)) A
