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
| sqrt(x) + x^2

$ mcd "x^(1/3) + x^(-3/2)"
| 1 / x^(3/2) + x^(1/3)

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

# a decimal where it is exact and shorter than the fraction
$ mcd "1e-3 x"
| 0.001 x

$ mcd -d x:vector "0.044715 x.^3 - x"
| 0.044715 x.^3 - x

$ mcd -d x:vector "x.^0.25 + 1.5 x + 0.5 x"
| 2 x + x.^(1/4)

$ mcd -d x:vector "x.^0.25 + 0.001 x"
| 0.001 x + x.^(1/4)

$ mcd -f latex "0.044715 x"
| \frac{8943}{200000} \mathbf{x}

# textbook identities (SPEC 4): det of a chain where X and X^-1 cancel,
# diag of ones
$ mcd "det(X^-1 A X)"
| det(A)

$ mcd "diag(ones_n)"
| I_n

$ mcd -H -wrt x "sum(exp(A x))"
| A^T diag(exp(A x)) A

# simplifier v2 (issue 9): one case per rule, textbook forms
$ mcd -d 'h:vector(n)' "h .* (A x) - h .* (B x)"
| h .* ((A - B) x)

$ mcd -wrt w "sum(relu(ones - y .* (X w)).^2)"
| -2 (y .* relu(ones_m - y .* (X w)))^T X

$ mcd -d 'x:vector(n)' "x ./ (2 y)"
| x ./ (2 y)

$ mcd -L denominator -wrt x "sum(sqrt(x.^2 + eps ones))"
| x ./ sqrt(eps + x.^2)

$ mcd "vec(a b^T) - kron(b, a)"
| 0

$ mcd "kron(A^T, B^T)"
| kron(A, B)^T

$ mcd -wrt W "softmax(W x)"
| kron(x^T, diag(t1) - t1 t1^T) where t1 = softmax(W x)

$ mcd -wrt X "X^T a"
| kron(I_n, a^T)

$ mcd "(A - 2 I) x"
| A x - 2 x

$ mcd -L denominator -wrt X "tr(A X^3)"
| (X A X + A X^2 + X^2 A)^T

$ mcd -wrt x "(x - a) / ||x - a||"
| I_m / ||x - a|| - (x - a) (x - a)^T / ||x - a||^3

$ mcd -wrt x "||x - a||^2 / ||x - b||^2"
| 2 (x - a + ||x - a||^2 (b - x) / ||x - b||^2)^T / ||x - b||^2

$ mcd -d 'mu:vector' -s Sigma -wrt Sigma -- "-(logdet(Sigma) + (x - mu)^T Sigma^-1 (x - mu)) / 2"
| (Sigma^-1 (x - mu) (x - mu)^T Sigma^-1 - Sigma^-1) / 2

$ mcd -d x:vector -d mu:vector "(mu - x) (x - mu)^T + 2 (x - mu) (x - mu)^T"
| (x - mu) (x - mu)^T

$ mcd -H -wrt x "||x||^4"
| 8 x x^T + 4 ||x||^2 I_m

$ mcd -d x:vector -d v:vector "exp(x) / sum(exp(x)) + diag(v) ones"
| v + softmax(x)

$ mcd -L denominator -wrt x "(a^T x)^2 + (b^T x)^2"
| 2 (a a^T + b b^T) x

$ mcd -wrt tau "logsumexp(z / tau) - y^T z / tau"
| (y - softmax(z / tau))^T z / tau^2

$ mcd -d mu1:vector -d mu2:vector -s S1 -s S2 -wrt S2 "(tr(S2^-1 S1) + (mu2 - mu1)^T S2^-1 (mu2 - mu1) - logdet(S1) + logdet(S2)) / 2"
| (S2^-1 - S2^-1 ((mu2 - mu1) (mu2 - mu1)^T + S1) S2^-1) / 2

$ mcd -wrt z -- "-softmax(t / tau)^T log(softmax(z / tau))"
| (softmax(z / tau) - softmax(t / tau))^T / tau

$ mcd -s K -L denominator -wrt a "||y - K a||^2 + lambda a^T K a"
| 2 K (K a + lambda a - y)

$ mcd -wrt x "x .* sigmoid(x)"
| diag(sigmoid(x) .* (ones_m + x .* (ones_m - sigmoid(x))))

$ mcd -wrt K "softmax(K^T q)"
| kron(diag(t1) - t1 t1^T, q^T) where t1 = softmax(K^T q)

$ mcd -wrt X "(I + X)^-1 (I - X)"
| -2 kron((X + I_m)^-T, (X + I_m)^-1)

$ mcd -wrt x "tr(A diag(x) B diag(x))"
| x^T (A .* B^T + B .* A^T)

$ mcd -d x:vector "diag(A diag(x) B) + diag(diag(x)^-1)"
| A .* B^T x + x.^-1

$ mcd -wrt x "diag(x) A"
| diag(vec(A)) kron(ones_n, I_m)

$ mcd -wrt x "A diag(x)"
| diag(vec(A)) kron(I_n, ones_m)

$ mcd -d a:vector -d b:vector "kron(b^T, a) - kron(a, b^T)"
| 0

$ mcd -d a:vector -d b:vector -d c:vector -- "-((a + b) c^T)"
| -(a + b) c^T

$ mcd -s A -wrt x "(A + x x^T)^-1 b"
| -(t1 x b^T + (b^T t1 x) I_m) t1 where t1 = (x x^T + A)^-1

$ mcd -s A -L denominator -wrt x "(A + x x^T)^-1 b"
| -t1 (b x^T t1 + (b^T t1 x) I_m) where t1 = (x x^T + A)^-1

$ mcd -d "x:vector(4)" -d "y:vector(4)" -d e:scalar "ones_4^T ones_4 + sum((1 - e) y + e ones_4 / 4)"
| 4 + e + (1 - e) sum(y)

$ mcd "(X^-1)^2 + (X^2)^3"
| X^-2 + X^6

$ mcd -wrt d "x^T diag(d) x"
| x^T .* x^T

$ mcd -d x:vector -d e:scalar "sqrt(e + ||x||^2 / 4) (I - ones ones^T / 4)"
| sqrt(e + ||x||^2 / 4) (I_n - ones_n ones_n^T / 4)

# element-wise quotients over one divisor, the numerator simplified
$ mcd -d sigma:scalar -wrt w "sum((X w - y).^2 ./ (sigma^2 ones + (X w - y).^2))"
| 2 (sigma^2 (X w - y) ./ (sigma^2 ones_m + (X w - y).^2).^2)^T X

$ mcd -wrt H "sum(X ./ (W H) - log(X ./ (W H)))"
| ((W H - X) ./ (W H).^2)^T W

# sums inside .* are multiplied out one level only: ten of them were
# 2^10 expansions deep (254 MB, then "too large"); and a matrix times a
# scalar differential is not read off as a product with dx
$ mcd "(a1 + b1) .* (a2 + b2) .* (a3 + b3) .* (a4 + b4) .* (a5 + b5) .* (a6 + b6) .* (a7 + b7) .* (a8 + b8) .* (a9 + b9) .* (a10 + b10) + c"
| c + (a1 + b1) .* (a10 + b10) .* (a2 + b2) .* (a3 + b3) .* (a4 + b4) .* (a5 + b5) .* (a6 + b6) .* (a7 + b7) .* (a8 + b8) .* (a9 + b9)

$ mcd --share=never -wrt x "exp((a^T x) U + (b^T x) V)"
| vec(U .* exp((a^T x) U + (b^T x) V)) a^T + vec(V .* exp((a^T x) U + (b^T x) V)) b^T

$ mcd -wrt x "(a^T x) U + (b^T x) V"
| vec(U) a^T + vec(V) b^T

# an element-wise function of zero, where it is a number there
$ mcd "tanh(x - x) + sigmoid(y - y)"
| ones_m / 2

$ mcd "cos(x - x) .* y"
| y

# a whole power of the identity is the identity
$ mcd "I^2 x"
| x

# the local cleanups drop an identity factor beside another matrix
$ mcd -wrt x "norm(s .* (x - y) - s (s^T x))^2"
| 2 (s^T .* (x^T - x^T s ones_m^T - y^T)) .* s^T (I_m - ones_m s^T)

# u.^q .* sqrt(u).^k as one power; a - b ./ d over d too
$ mcd -wrt w "w ./ sqrt(w.^2 + 0.01 ones)"
| diag(ones_m ./ (100 sqrt(0.01 ones_m + w.^2).^3))

$ mcd "x .* sqrt(x)"
| sqrt(x).^3

$ mcd "ones - w.^2 ./ (0.01 ones + w.^2)"
| ones_m ./ (100 (0.01 ones_m + w.^2))

# diagonal matrices summed as one; x .* sign(x) is abs(x)
$ mcd -wrt x "x ./ (ones + abs(x))"
| diag(ones_m ./ (ones_m + abs(x)).^2)

$ mcd -d alpha:scalar -wrt x "relu(x) + alpha (exp(-relu(-x)) - ones)"
| diag(alpha exp(x) .* step(-x) + step(x))

$ mcd "x .* sign(x)"
| abs(x)

# beside step(u), relu(u) is u, only where it enters element by element
$ mcd "exp(relu(x)) .* step(x)"
| exp(x) .* step(x)

$ mcd "(W relu(x)) .* step(x)"
| W relu(x) .* step(x)

$ mcd -d s:scalar "(s relu(x) + sum(relu(x)) ones) .* step(x)"
| step(x) .* (ones_m ones_m^T relu(x) + s x)

# (exp(z) - exp(-z)) ./ (exp(z) + exp(-z)) is tanh(z): log-cosh
$ mcd -wrt w "sum(log(exp(X w - y) + exp(y - X w)))"
| tanh(X w - y)^T X

# a softmax's differential is read off as one Jacobian, diag(s) - s s^T
$ mcd --share=never -wrt q "norm(V^T softmax(K q) - y)^2"
| 2 (softmax(K q)^T V - y^T) V^T (diag(softmax(K q)) - softmax(K q) softmax(K q)^T) K

# diag(u) b is u .* b for a column b
$ mcd "diag(u) y"
| u .* y

# a scalar sum times ones is the identity of .* scaled: the pinball loss
$ mcd -d tau:scalar -wrt w "sum(tau relu(y - X w) + (1 - tau) relu(X w - y))"
| ((1 - tau) step(X w - y) - tau step(y - X w))^T X

# the coefficient of a scalar's differential leaves no factor 1 behind
$ mcd -d sigma:scalar -wrt sigma "||sigma R X + t ones_p^T - Y||_F^2"
| 2 tr((sigma R X + t ones_p^T - Y)^T R X)

# v^T v beside a power of ||v|| is ||v||^2: the Renyi entropy of a softmax
$ mcd "s s^T s / norm(s)^2"
| s

$ mcd -wrt z -- "-log(norm(softmax(z))^2)"
| 2 (softmax(z) - softmax(z).^2 / ||softmax(z)||^2)^T

# terms that share a scalar, or a number, where not all do, grouped by it
$ mcd -d k:scalar "ones / 2 + t / 2 + k u"
| (t + ones_m) / 2 + k u

$ mcd -d y:vector -d epsilon:scalar "epsilon + sum(y) - epsilon sum(y)"
| epsilon + (1 - epsilon) sum(y)

# a differential whose terms all end in dx is one factor: the chain rule's
# product keeps the Jacobian of v / ||v|| (weight normalisation) whole
$ mcd -d gamma:scalar -wrt v "norm(gamma X v / norm(v) - y)^2"
| 2 gamma (y - gamma X v / ||v||)^T (X v v^T / ||v||^2 - X) / ||v||

$ mcd -d epsilon:scalar -wrt z -- "-((1 - epsilon) y + epsilon ones_4 / 4)^T log(softmax(z))"
| (y + epsilon (ones_4 / 4 - y))^T (ones_4 softmax(z)^T - I_4)

$ mcd -d y:scalar -d r:scalar -d n:scalar "(y - r / n + y r / n) a - (y - r / n + y r / n) b"
| (y - r / n + r y / n) (a - b)

$ mcd -d z:scalar -wrt z -- "sigmoid(z) .* log(sigmoid(z)) - (1 - sigmoid(z))"
| 2 sigmoid(z) - 2 sigmoid(z)^2 + log(sigmoid(z)) (sigmoid(z) - sigmoid(z)^2)

$ mcd -d z:scalar -wrt z -- "-(1 - sigmoid(z))^2 log(sigmoid(z))"
| (1 - sigmoid(z))^2 (sigmoid(z) - 1 + 2 log(sigmoid(z)) sigmoid(z))

$ mcd --share=never -wrt X "X (X^T X)^-1 X^T"
| kron(I_m - X (X^T X)^-1 X^T, X (X^T X)^-1) K_{m,n} + kron(X (X^T X)^-1, I_m - X (X^T X)^-1 X^T)

$ mcd -d y:vector -L denominator -wrt x "sum(100 (y - x.^2).^2 + (ones - x).^2)"
| 2 (x - ones_m - 200 x .* (y - x.^2))

$ mcd -L denominator -wrt G "norm(Y - A G kron(C, B)^T)^2"
| 2 A^T (A G kron(C, B)^T - Y) kron(C, B)

$ mcd -L denominator -wrt w -- "-(c .* y)^T log(sigmoid(X w)) - (c .* (ones - y))^T log(ones - sigmoid(X w))"
| X^T (c .* (sigmoid(X w) - y))

$ mcd -d s:vector -d y:vector -- "y .* s - y - s .* (y - ones)"
| s - y

$ mcd -L denominator -wrt z "softmax(z)^T (log(softmax(z)) - log(q))"
| (diag(softmax(z)) - softmax(z) softmax(z)^T) (log(softmax(z)) - log(q))

$ mcd -H -wrt w -- "sum(log(ones + exp(X w))) - y^T X w"
| X^T diag(sigmoid(X w) - sigmoid(X w).^2) X

$ mcd -d rho:scalar -d x:vector -d y:vector -wrt x "(1 + sqrt(3) norm(x - y) / rho) exp(-sqrt(3) norm(x - y) / rho)"
| 3 exp(-sqrt(3) ||x - y|| / rho) (y - x)^T / rho^2

$ mcd -d y:scalar -d delta:scalar -L denominator --share=never -wrt a "y norm(a - b)^2 + (1 - y) relu(delta - norm(a - b))^2"
| 2 y (a - b) + 2 (1 - y) relu(delta - ||a - b||) (b - a) / ||a - b||

$ mcd -d c:vector -d y:vector -d w:vector -- "sum(c .* y) + ones^T (c .* y .* w) + tr(I_4)"
| c^T (y + w .* y) + 4

$ mcd -d x:vector -d y:vector -wrt x "exp(-norm(x - y)^2 / 2)"
| exp(-||x - y||^2 / 2) (y - x)^T

$ mcd -L denominator -d lambda:scalar -d epsilon:scalar -wrt w "norm(X w - y)^2 / 2 + lambda sum(sqrt(w.^2 + epsilon ones))"
| X^T (X w - y) + lambda w ./ sqrt(epsilon ones_n + w.^2)

$ mcd -d theta:scalar -wrt theta "tr((A + theta B)^3)"
| 3 tr(B (A + theta B)^2)

# factors that are functions of one matrix commute: they meet and join
$ mcd -d alpha:scalar -wrt alpha "(I - alpha A)^3 x"
| -3 (I_m - alpha A)^2 A x

$ mcd -d t:scalar -wrt t "(I + t A)^-2"
| -2 (I_m + t A)^-3 A

$ mcd "A (I + A)^-1 + (I + A)^-1 A"
| 2 A (A + I_m)^-1

$ mcd -wrt U "(U V^T - X) V"
| kron(V^T V, I_m)

$ mcd -d lambda:scalar -wrt W "norm(Y - X W)^2 + lambda tr(W^T L W)"
| 2 (X W - Y)^T X + lambda W^T (L + L^T)

$ mcd -d l:scalar -d x:vector -wrt x "exp(-norm(x - y)^2 / (2 l^2))"
| exp(-||x - y||^2 / (2 l^2)) (y - x)^T / l^2

$ mcd -wrt x "sum(softplus(W2 sigmoid(W1 x))) - y^T W2 sigmoid(W1 x)"
| (sigmoid(W2 t1) - y)^T W2 diag(t1 .* (ones_n - t1)) W1 where t1 = sigmoid(W1 x)

# Exponents that would overflow a long are not combined (they wrapped to X^-2 and x before)
$ mcd "X^9223372036854775807 X^9223372036854775807"
| X^9223372036854775807 X^9223372036854775807

$ mcd -d x:vector -- "((((((x.^4096).^4096).^4096).^4096).^4096).^4096) .* x"
| x .* (((x.^4096).^4096).^4096).^68719476736
