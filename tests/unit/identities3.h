/* identities3.h: a fresh held-out table of derivative identities, written on
 * 2026-12-07 from the literature, before mcd was run on any of them:
 *  - the Matrix Cookbook (Petersen and Pedersen, version 2012), section 2:
 *    determinants (2.1.1), inverses (2.2), first-order, quadratic and cubic
 *    forms (2.4), traces (2.5), norms (2.6, 2.7);
 *  - Magnus and Neudecker, Matrix Differential Calculus (3rd ed.), Ch. 2, 3,
 *    8, 9 and 10: vec(A X B) = (B^T kron A) vec(X), vec(X^T) = K vec(X),
 *    Hadamard products as diag(vec(.)); Golub and Pereyra (1973) for the
 *    differential of the pseudo-inverse;
 *  - machine learning: Bishop PRML (2.3, 3.1, 4.3, 5.2, 5.3, 6.2), Boyd and
 *    Vandenberghe (3.1.5), Goodfellow et al. (6.2, 6.3), Rasmussen and
 *    Williams (5.4), Vaswani et al. (2017, attention), Zou and Hastie (2005,
 *    elastic net), Srebro and Jaakkola (2003, weighted low-rank
 *    approximation), Burer and Monteiro (2003), and the usual objectives
 *    (weighted, regularised and robust least squares, logistic, softmax and
 *    Poisson regression, Gaussian likelihoods, kernels, 2-layer networks).
 * The format and the conventions are those of identities.h (same Identity
 * type, defined there): num is the numerator-layout answer, den the
 * denominator layout; a variable declared symmetric is differentiated as if
 * its entries were independent.  Every answer was derived by hand and
 * checked, in both layouts, with mcd --expect (standard output thrown away,
 * so that mcd's own form was never seen).
 *
 * heldout_fresh[] is held out: never tuned on.  Its rows were written before
 * mcd was run on them; a rule added to make one of these shorter makes the
 * row worthless: add a new one instead.  About a third Cookbook traces,
 * determinants, inverses and forms, a third machine-learning losses and
 * networks, and a third vec/Kronecker tensors and norms.
 * Included by test_identities.c after identities2.h. */
#ifndef MCD_TEST_IDENTITIES3_H
#define MCD_TEST_IDENTITIES3_H

static const Identity heldout_fresh[] = {
	/* --- Cookbook 2.1.1: determinants --- */
	{ "", "logdet(X^-1)", "X", "-X^-1", "-X^-T", "Cookbook 2.1.1 with 2.2: ln|det(X^-1)|" },
	{ "X:matrix(n,n)", "det(X) tr(X)", "X", "det(X) (tr(X) X^-1 + I)", "det(X) (tr(X) X^-T + I)",
	  "Cookbook 2.1.1 and 2.5.1: det(X) Tr(X), product rule" },
	{ "A:symmetric", "logdet(X A X^T)", "X", "2 A X^T (X A X^T)^-1", "2 (X A X^T)^-1 X A",
	  "Cookbook 2.1.1: ln det(X A X^T), A symmetric" },
	{ "A:symmetric;B:symmetric", "logdet(A + X^T B X)", "X", "2 (A + X^T B X)^-1 X^T B", "2 B X (A + X^T B X)^-1",
	  "Cookbook 2.1.1: ln det(A + X^T B X), chain rule" },
	{ "", "det(A X + B)", "X", "det(A X + B) (A X + B)^-1 A", "det(A X + B) A^T (A X + B)^-T",
	  "Cookbook 2.1.1: d det(Y) = det(Y) tr(Y^-1 dY), Y = A X + B" },
	{ "", "logdet(X^T A X)", "A", "X (X^T A X)^-1 X^T", "X (X^T A X)^-T X^T",
	  "Cookbook 2.1.1: ln det(X^T A X), by A" },
	{ "A:symmetric", "det(A + x x^T)", "x", "2 det(A + x x^T) x^T (A + x x^T)^-1", "2 det(A + x x^T) (A + x x^T)^-1 x",
	  "Cookbook 2.1.1: det of a rank-one update, by the vector" },
	{ "A:matrix(n,n);B:matrix(n,n);X:matrix(n,n)", "det(A X^-1 B)", "X", "-det(A X^-1 B) X^-1", "-det(A X^-1 B) X^-T",
	  "Cookbook 2.1.1 and 2.2: det(A X^-1 B)" },
	{ "", "logdet(X + X^T)", "X", "2 (X + X^T)^-1", "2 (X + X^T)^-1", "Cookbook 2.1.1: ln|det| of twice the symmetric part" },

	/* --- Cookbook 2.2 and 2.5: inverses and traces --- */
	{ "", "tr(X^-1)^2", "X", "-2 tr(X^-1) X^-2", "-2 tr(X^-1) (X^-2)^T", "Cookbook 2.5.4: Tr(X^-1), chain rule" },
	{ "", "(A + diag(x))^-1 b", "x", "-(A + diag(x))^-1 diag((A + diag(x))^-1 b)",
	  "-diag((A + diag(x))^-1 b) (A + diag(x))^-T", "Cookbook 2.2: d(Y^-1) = -Y^-1 dY Y^-1, Y = A + diag(x)" },
	{ "", "tr(X (X + A)^-1)", "X", "(X + A)^-1 A (X + A)^-1", "(X + A)^-T A^T (X + A)^-T",
	  "Cookbook 2.2 and 2.5.1: Tr(X (X + A)^-1)" },
	{ "", "tr(A X) / tr(B X)", "X", "(tr(B X) A - tr(A X) B) / tr(B X)^2", "(tr(B X) A^T - tr(A X) B^T) / tr(B X)^2",
	  "Cookbook 2.5.1: Tr(AX), quotient rule" },
	{ "", "tr(X X^T X)", "X", "X^T X + X^T X^T + X X^T", "X^T X + X X + X X^T", "Cookbook 2.5.3: a cubic trace, Tr(X X^T X)" },
	{ "", "tr(A X^T B X C)", "X", "A^T C^T X^T B^T + C A X^T B", "B X C A + B^T X A^T C^T",
	  "Cookbook 2.5.2: Tr(A X B X^T C), X transposed" },
	{ "A:symmetric", "tr(X^T A X) / tr(X^T X)", "X", "2 (X^T A - tr(X^T A X) X^T / tr(X^T X)) / tr(X^T X)",
	  "2 (A X - tr(X^T A X) X / tr(X^T X)) / tr(X^T X)", "trace ratio (Wang et al. 2007): Cookbook 2.5.2, quotient rule" },
	{ "", "tr(X^2)^2", "X", "4 tr(X^2) X", "4 tr(X^2) X^T", "Cookbook 2.5.2: Tr(X^2), chain rule" },

	/* --- Cookbook 2.4: forms --- */
	{ "", "(x^T A x)^2", "x", "2 (x^T A x) x^T (A + A^T)", "2 (x^T A x) (A + A^T) x", "Cookbook 2.4.2: x^T B x, chain rule" },
	{ "", "b^T X D X^T c", "X", "D X^T c b^T + D^T X^T b c^T", "b c^T X D^T + c b^T X D",
	  "Cookbook 2.4.2: b^T X^T D X c, X transposed" },
	{ "A:symmetric", "exp(-x^T A x / 2)", "x", "-exp(-x^T A x / 2) x^T A", "-exp(-x^T A x / 2) A x",
	  "Bishop PRML 2.43: unnormalised Gaussian (Cookbook 2.4.2)" },
	{ "", "(a^T x) (b^T x) (c^T x)", "x", "(b^T x) (c^T x) a^T + (a^T x) (c^T x) b^T + (a^T x) (b^T x) c^T",
	  "(b^T x) (c^T x) a + (a^T x) (c^T x) b + (a^T x) (b^T x) c", "Cookbook 2.4.1: a cubic form, product rule" },

	/* --- machine learning: regression losses --- */
	{ "", "sum(c .* (X w - y).^2)", "w", "2 (c .* (X w - y))^T X", "2 X^T (c .* (X w - y))",
	  "Bishop PRML Exercise 3.3: least squares with per-sample weights" },
	{ "", "1/2 ||X w - y||^2 + lambda (alpha sum(abs(w)) + (1 - alpha)/2 ||w||^2)", "w",
	  "(X w - y)^T X + lambda (alpha sign(w)^T + (1 - alpha) w^T)", "X^T (X w - y) + lambda (alpha sign(w) + (1 - alpha) w)",
	  "elastic net (Zou-Hastie 2005), away from w_i = 0" },
	{ "", "||A x - b||^2 + lambda ||L x||^2", "x", "2 (A x - b)^T A + 2 lambda x^T L^T L",
	  "2 A^T (A x - b) + 2 lambda L^T L x", "Tikhonov regularisation with an operator L" },
	{ "", "sum(X w - y .* log(X w))", "w", "(ones - y ./ (X w))^T X", "X^T (ones - y ./ (X w))",
	  "Poisson regression, identity link (McCullagh-Nelder)" },
	{ "", "sum(softplus(X w)) - y^T X w", "X", "w (sigmoid(X w) - y)^T", "(sigmoid(X w) - y) w^T",
	  "Bishop PRML 4.91: logistic regression, by the inputs (Goodfellow et al. 7.13)" },
	{ "", "sum(sqrt(ones + (X w - y).^2))", "w", "((X w - y) ./ sqrt(ones + (X w - y).^2))^T X",
	  "X^T ((X w - y) ./ sqrt(ones + (X w - y).^2))", "pseudo-Huber (Charbonnier) loss, delta = 1" },
	{ "", "X^T (sigmoid(X w) - y)", "w", "X^T diag(sigmoid(X w) .* (ones - sigmoid(X w))) X",
	  "X^T diag(sigmoid(X w) .* (ones - sigmoid(X w))) X", "Bishop PRML 4.97: logistic regression Hessian, Jacobian of the gradient" },
	{ "", "X^T (exp(X w) - y)", "w", "X^T diag(exp(X w)) X", "X^T diag(exp(X w)) X",
	  "Poisson regression Hessian (IRLS), Jacobian of the gradient" },
	{ "", "(X^T X + lambda I)^-1 X^T y", "lambda", "-(X^T X + lambda I)^-2 X^T y", "-y^T X (X^T X + lambda I)^-2",
	  "ridge path: d w(lambda) / d lambda (Hoerl-Kennard 1970, Cookbook 2.2)" },

	/* --- machine learning: softmax, attention, kernels --- */
	{ "", "softmax(W x)", "x", "(diag(softmax(W x)) - softmax(W x) softmax(W x)^T) W",
	  "W^T (diag(softmax(W x)) - softmax(W x) softmax(W x)^T)", "Bishop PRML 4.106, chain rule: a softmax layer by its input" },
	{ "", "V^T softmax(K q)", "q", "V^T (diag(softmax(K q)) - softmax(K q) softmax(K q)^T) K",
	  "K^T (diag(softmax(K q)) - softmax(K q) softmax(K q)^T) V", "Vaswani et al. 2017: attention of one query, by the query" },
	{ "V:matrix(n,p)", "V^T softmax(K q)", "V", "kron(I_p, softmax(K q)^T)", "kron(I_p, softmax(K q))",
	  "Vaswani et al. 2017: attention of one query, by the values" },
	{ "", "tau logsumexp(z / tau)", "tau", "logsumexp(z / tau) - softmax(z / tau)^T z / tau",
	  "logsumexp(z / tau) - softmax(z / tau)^T z / tau", "smoothed maximum by its temperature (Boyd-Vandenberghe 3.1.5)" },
	{ "", "-softmax(z)^T log(softmax(z))", "z", "(softmax(z)^T z) softmax(z)^T - (softmax(z) .* z)^T",
	  "(softmax(z)^T z) softmax(z) - softmax(z) .* z", "entropy of the softmax, by the logits (Goodfellow et al. 6.2.2.3)" },
	{ "", "||softmax(z) - y||^2", "z", "2 (softmax(z) - y)^T (diag(softmax(z)) - softmax(z) softmax(z)^T)",
	  "2 (diag(softmax(z)) - softmax(z) softmax(z)^T) (softmax(z) - y)", "Bishop PRML 4.106: softmax output, squared error" },
	{ "", "exp(-||x - c||^2 / (2 sigma^2))", "x", "-exp(-||x - c||^2 / (2 sigma^2)) (x - c)^T / sigma^2",
	  "-exp(-||x - c||^2 / (2 sigma^2)) (x - c) / sigma^2", "Bishop PRML 6.23: Gaussian kernel, by x" },
	{ "", "||a - b||^2 - ||a - c||^2", "a", "2 (c - b)^T", "2 (c - b)", "triplet loss inside the hinge (Schroff et al. 2015), by the anchor" },

	/* --- machine learning: Gaussians --- */
	{ "L:matrix(n,n);mu:vector", "-logdet(L L^T) / 2 - (x - mu)^T (L L^T)^-1 (x - mu) / 2", "L",
	  "L^-1 (x - mu) (x - mu)^T (L L^T)^-1 - L^-1", "(L L^T)^-1 (x - mu) (x - mu)^T L^-T - L^-T",
	  "Gaussian log-likelihood, Sigma = L L^T (Cookbook 2.1.1, 2.2)" },
	{ "S1:symmetric;S2:symmetric", "(tr(S2^-1 S1) - logdet(S1)) / 2", "S1", "(S2^-1 - S1^-1) / 2", "(S2^-1 - S1^-1) / 2",
	  "Kullback-Leibler divergence of two Gaussians, by the first covariance (Cookbook 2.1.1, 2.5.1)" },
	{ "K:symmetric", "-(y^T (K + sigma^2 I)^-1 y + logdet(K + sigma^2 I)) / 2", "sigma",
	  "sigma (y^T (K + sigma^2 I)^-2 y - tr((K + sigma^2 I)^-1))", "sigma (y^T (K + sigma^2 I)^-2 y - tr((K + sigma^2 I)^-1))",
	  "Rasmussen-Williams 5.9: GP log marginal likelihood by the noise level" },

	/* --- machine learning: factorisations --- */
	{ "", "sum(W .* (X - U V^T).^2)", "U", "2 V^T (W .* (U V^T - X))^T", "2 (W .* (U V^T - X)) V",
	  "weighted low-rank approximation (Srebro-Jaakkola 2003), by U" },
	{ "", "sum(W .* (X - U V^T).^2)", "V", "2 U^T (W .* (U V^T - X))", "2 (W .* (U V^T - X))^T U",
	  "weighted low-rank approximation (Srebro-Jaakkola 2003), by V" },

	/* --- machine learning: 2-layer networks --- */
	{ "", "logsumexp(W2 tanh(W1 x)) - y^T W2 tanh(W1 x)", "x",
	  "(softmax(W2 tanh(W1 x)) - y)^T W2 diag(ones - tanh(W1 x).^2) W1",
	  "W1^T diag(ones - tanh(W1 x).^2) W2^T (softmax(W2 tanh(W1 x)) - y)",
	  "Bishop PRML 5.3.4 with 4.109: tanh hidden layer, softmax output, by the input" },
	{ "", "||W2 tanh(W1 x + b1) + b2 - y||^2", "W1",
	  "2 x ((ones - tanh(W1 x + b1).^2) .* (W2^T (W2 tanh(W1 x + b1) + b2 - y)))^T",
	  "2 ((ones - tanh(W1 x + b1).^2) .* (W2^T (W2 tanh(W1 x + b1) + b2 - y))) x^T",
	  "Bishop PRML 5.56: 2-layer tanh network with biases, by the first weights" },
	{ "", "||W2 softplus(W1 x) - y||^2", "W1", "2 x (sigmoid(W1 x) .* (W2^T (W2 softplus(W1 x) - y)))^T",
	  "2 (sigmoid(W1 x) .* (W2^T (W2 softplus(W1 x) - y))) x^T", "Goodfellow et al. 6.3.3: softplus hidden units, by W1" },
	{ "", "||W2 softplus(W1 x) - y||^2", "x", "2 (W2 softplus(W1 x) - y)^T W2 diag(sigmoid(W1 x)) W1",
	  "2 W1^T diag(sigmoid(W1 x)) W2^T (W2 softplus(W1 x) - y)", "Goodfellow et al. 6.3.3: softplus hidden units, by the input" },
	{ "y:scalar", "softplus(v^T tanh(W x)) - y v^T tanh(W x)", "v", "(sigmoid(v^T tanh(W x)) - y) tanh(W x)^T",
	  "(sigmoid(v^T tanh(W x)) - y) tanh(W x)", "Bishop PRML 5.2, 5.3: tanh hidden layer, logistic output, by the output weights" },
	{ "y:scalar", "softplus(v^T tanh(W x)) - y v^T tanh(W x)", "W",
	  "(sigmoid(v^T tanh(W x)) - y) x (v .* (ones - tanh(W x).^2))^T",
	  "(sigmoid(v^T tanh(W x)) - y) (v .* (ones - tanh(W x).^2)) x^T",
	  "Bishop PRML 5.56: tanh hidden layer, logistic output, by the hidden weights" },

	/* --- tensors: vec/Kronecker (Magnus-Neudecker) --- */
	{ "", "a^T X^-1", "X", "-kron(X^-T, a^T X^-1)", "-kron(X^-1, X^-T a)",
	  "Magnus-Neudecker Ch. 8 and 9: d(a^T X^-1) = -a^T X^-1 dX X^-1" },
	{ "X:matrix(n,n)", "X B X", "X", "kron(X^T B^T, I_n) + kron(I_n, X B)", "kron(B X, I_n) + kron(I_n, B^T X^T)",
	  "Magnus-Neudecker Ch. 9: d(X B X)" },
	{ "X:matrix(m,n)", "A X X^T", "X", "kron(X, A) + kron(I_m, A X) K_{m,n}", "kron(X^T, A^T) + K_{n,m} kron(I_m, X^T A^T)",
	  "Magnus-Neudecker Ch. 9: d(A X X^T)" },
	{ "X:matrix(m,n)", "A X^T X", "X", "kron(X^T, A) K_{m,n} + kron(I_n, A X^T)", "K_{n,m} kron(X, A^T) + kron(I_n, X A^T)",
	  "Magnus-Neudecker Ch. 9: d(A X^T X)" },
	{ "", "X^-2", "X", "-kron((X^-2)^T, X^-1) - kron(X^-T, X^-2)", "-kron(X^-2, X^-T) - kron(X^-1, (X^-2)^T)",
	  "Magnus-Neudecker Ch. 8: d(X^-2) = -X^-1 dX X^-2 - X^-2 dX X^-1" },
	{ "X:matrix(n,n)", "X^-1 A X", "X", "kron(I_n, X^-1 A) - kron(X^T A^T X^-T, X^-1)",
	  "kron(I_n, A^T X^-T) - kron(X^-1 A X, X^-T)", "Magnus-Neudecker Ch. 8: a similarity transform X^-1 A X" },
	{ "X:matrix(m,n)", "(X^T X)^-1 X^T", "X",
	  "kron(I_m - X (X^T X)^-1 X^T, (X^T X)^-1) K_{m,n} - kron(X (X^T X)^-1, (X^T X)^-1 X^T)",
	  "K_{n,m} kron(I_m - X (X^T X)^-1 X^T, (X^T X)^-1) - kron((X^T X)^-1 X^T, X (X^T X)^-1)",
	  "Golub-Pereyra 1973: the differential of the pseudo-inverse (Magnus-Neudecker Ch. 8)" },
	{ "X:matrix(m,n)", "X a a^T X^T", "X", "kron(X a a^T, I_m) + kron(I_m, X a a^T) K_{m,n}",
	  "kron(a a^T X^T, I_m) + K_{n,m} kron(I_m, a a^T X^T)", "Magnus-Neudecker Ch. 9: d((X a)(X a)^T)" },
	{ "X:matrix(n,n)", "tr(X) X", "X", "vec(X) vec(I_n)^T + tr(X) I_{n n}", "vec(I_n) vec(X)^T + tr(X) I_{n n}",
	  "Magnus-Neudecker Ch. 9: d(tr(X) X), product rule" },
	{ "", "A x x^T B", "x", "kron(B^T x, A) + kron(B^T, A x)", "kron(x^T B, A^T) + kron(B, x^T A^T)",
	  "Magnus-Neudecker: vec(a b^T) = b kron a, product rule" },
	{ "", "x .* (A x)", "x", "diag(A x) + diag(x) A", "diag(A x) + A^T diag(x)",
	  "Magnus-Neudecker: d(x .* A x) = dx .* A x + x .* A dx" },
	{ "X:matrix(m,n)", "X .* (A X)", "X", "diag(vec(A X)) + diag(vec(X)) kron(I_n, A)",
	  "diag(vec(A X)) + kron(I_n, A^T) diag(vec(X))", "Magnus-Neudecker: Hadamard product rule, vec(A dX) = (I kron A) vec(dX)" },
	{ "X:matrix(n,n)", "X^T .* X", "X", "diag(vec(X)) K_{n,n} + diag(vec(X^T))", "K_{n,n} diag(vec(X)) + diag(vec(X^T))",
	  "Magnus-Neudecker: Hadamard product rule with vec(dX^T) = K vec(dX)" },
	{ "X:matrix(m,n)", "exp(X) A", "X", "kron(A^T, I_m) diag(vec(exp(X)))", "diag(vec(exp(X))) kron(A, I_m)",
	  "Magnus-Neudecker: vec(dY A) = (A^T kron I) vec(dY), element-wise exp" },
	{ "", "W2 tanh(W1 x)", "W1", "kron(x^T, W2 diag(ones - tanh(W1 x).^2))", "kron(x, diag(ones - tanh(W1 x).^2) W2^T)",
	  "Bishop PRML 5.3: a 2-layer network's output by its first weights, vec(D dW x) = (x^T kron D) vec(dW)" },

	/* --- norms (Cookbook 2.6, 2.7) --- */
	{ "", "||A X B||_F", "X", "B B^T X^T A^T A / ||A X B||_F", "A^T A X B B^T / ||A X B||_F",
	  "Cookbook 2.7: ||X||_F, chain rule with A X B" },
	{ "", "log(||x||^2)", "x", "2 x^T / ||x||^2", "2 x / ||x||^2", "Cookbook 2.6: ||x||_2^2, chain rule with log" },
	{ "", "sqrt(||x||^2 + epsilon)", "x", "x^T / sqrt(||x||^2 + epsilon)", "x / sqrt(||x||^2 + epsilon)",
	  "smoothed Euclidean norm (Cookbook 2.6, chain rule)" },
	{ "", "||x - a||^2 + ||x - b||^2", "x", "2 (2 x - a - b)^T", "2 (2 x - a - b)", "Cookbook 2.6: a sum of squared distances" },
	{ "", "||x - a|| + ||x - b||", "x", "(x - a)^T / ||x - a|| + (x - b)^T / ||x - b||",
	  "(x - a) / ||x - a|| + (x - b) / ||x - b||", "Fermat-Weber location problem (Cookbook 2.6: ||x - a||_2)" },
	{ "", "a^T x / (||a|| ||x||)", "x", "(a^T - (a^T x) x^T / ||x||^2) / (||a|| ||x||)",
	  "(a - (a^T x) x / ||x||^2) / (||a|| ||x||)", "cosine similarity, by x (Cookbook 2.6, quotient rule)" },
	{ "", "||X^T A - B||_F^2", "X", "2 (X^T A - B) A^T", "2 A (X^T A - B)^T", "Cookbook 2.7 with 2.5.2: least squares in X^T" },
	{ "A:symmetric", "||x x^T - A||_F^2", "x", "4 x^T (x x^T - A)", "4 (x x^T - A) x",
	  "rank-one approximation (Eckart-Young), Cookbook 2.7" },
	{ "A:symmetric", "||X X^T - A||_F^2", "X", "4 X^T (X X^T - A)", "4 (X X^T - A) X",
	  "Burer-Monteiro factorisation (2003), Cookbook 2.7" },
};

#endif
